/* wire.h: the harness's end of the wire: capture and inject Ethernet frames on one
 * interface (libpcap, behind an opaque struct), with a pcap file per probe. */
#ifndef WIRE_H
#define WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "pkt/pkt.h"

struct wire;

/* A captured frame: bytes owned by the wire, valid until the next wire_read. */
struct wire_frame {
	const uint8_t	*data;
	size_t		 len;		/* captured bytes (the whole frame: no snaplen cut) */
	uint64_t	 t_us;		/* monotonic microseconds (CLOCK_MONOTONIC) */
	uint64_t	 wall_us;	/* capture time, microseconds since the epoch */
};

/* Capture only frames arriving at the interface (what the far end sent), not what was
 * sent from it. Frames injected through this wire are never captured by it. */
#define WIRE_IN_ONLY	0x01

/*
 * Open a capture on `ifname` in the network namespace `netns_name` (/var/run/netns/NAME,
 * as `ip netns add` makes them; NULL: the caller's own): immediate mode, non-blocking,
 * promiscuous, the BPF `filter` (NULL: everything). For a namespace the calling thread
 * enters it, opens the capture and returns to its own; the capture keeps working from
 * there (sockets keep the namespace they were made in); that needs CAP_SYS_ADMIN and
 * is Linux only (wire_netns_linux.c; on FreeBSD netns_name must be NULL). Returns the
 * wire (close with wire_close) or NULL with err.
 */
struct wire *wire_open_in_netns(const char *netns_name, const char *ifname,
	    const char *filter, int flags, char *err, size_t errlen);
/* The common case: wire_open_in_netns(netns_name, ifname, NULL, WIRE_IN_ONLY, ...). */
struct wire *wire_open(const char *netns_name, const char *ifname, char *err,
	    size_t errlen);
/* Stop capturing and free; closes an open dump. wire_close(NULL) is a no-op. */
void	wire_close(struct wire *);

/* A file descriptor that polls readable when frames may be waiting. */
int	wire_fd(const struct wire *);
/* The interface's MAC address (read when the wire was opened). */
const uint8_t *wire_mac(const struct wire *);

/* Send one whole Ethernet frame. 0, or -1 with err. The frame goes to the dump too. */
int	wire_inject(struct wire *, const uint8_t *frame, size_t len, char *err,
	    size_t errlen);
/* The next captured frame without blocking: 1 and *f filled, 0 when none is waiting,
 * -1 on a capture error (message in err). Every frame read goes to the dump. */
int	wire_read(struct wire *, struct wire_frame *f, char *err, size_t errlen);
/* The same, copied: the frame's length (at most cap bytes copied, the rest cut),
 * 0 when none is waiting, -1 on an error; *t_us as wire_frame.t_us. */
int	wire_recv(struct wire *, uint8_t *buf, size_t cap, uint64_t *t_us);
/* Wait up to timeout_ms for a frame: 1 and *f, 0 on timeout, -1 on error. */
int	wire_wait(struct wire *, int timeout_ms, struct wire_frame *f, char *err,
	    size_t errlen);
/* Drop every frame waiting (probe boundary). Returns how many were dropped. */
int	wire_drain(struct wire *);

/* Start writing captured and injected frames to a pcap file at `path` (closing one
 * already open): one file per probe. Captured frames carry the kernel's capture stamp,
 * injected ones the instant before they were sent, both real time; the file is
 * written in that order when the dump is closed. 0 or -1 with err. */
int	wire_dump_open(struct wire *, const char *path, char *err, size_t errlen);
/* Write the frames in time order, then flush and close the dump, if any. */
void	wire_dump_close(struct wire *);
/* Frames for which skip returns 1 are left out of the dumps (the linux target's
 * sentinel); NULL: none is. */
void	wire_dump_skip(struct wire *, int (*skip)(const uint8_t *frame, size_t len));

/*
 * ARP and NDP belong to the wire: when `frame` is an ARP request or an IPv6 neighbour
 * solicitation for one of the `n` addresses in `addrs` (the clients and the gateway the
 * harness speaks for), answer it through the wire with `mac` as their hardware address.
 * Returns 1 when answered, 0 when the frame is none of those, -1 on an error.
 */
int	wire_answer_neighbour(struct wire *, const uint8_t *frame, size_t len,
	    const uint8_t mac[6], const struct pkt_addr *addrs, int n, char *err,
	    size_t errlen);

/* Captures and checksums: on Linux veth, frames the host's stack sends carry partial
 * checksums (offloaded to the "hardware"); a capture on the other end then sees bad TCP
 * and UDP checksums. The target turns transmit checksum offload off on the host's end
 * (`ethtool -K IF tx off`) so that every checksum the harness verifies is real. */

#endif
