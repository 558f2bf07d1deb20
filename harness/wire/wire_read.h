/* wire_read.h: capture files read back (libpcap): the IP packet of each record with
 * what the capture says of its direction and interface, whatever the link type
 * tcpdump wrote: Ethernet (VLAN tags too), raw IP, Linux cooked (SLL, SLL2), BSD
 * loopback (null, loop) and pflog. */
#ifndef WIRE_READ_H
#define WIRE_READ_H

#include <stddef.h>
#include <stdint.h>

struct wire_rd;

enum wire_dir { WIRE_DIR_UNKNOWN, WIRE_DIR_IN, WIRE_DIR_OUT };

/* One record. l3 points into the reader's buffer until the next wire_rd_next. */
struct wire_rec {
	const uint8_t	*l3;		/* the IP packet, NULL when the record holds none */
	size_t		 len;		/* its bytes as captured (may be cut: snaplen) */
	size_t		 wire_len;	/* the frame's length on the wire */
	uint64_t	 t_us;		/* the record's time, microseconds */
	enum wire_dir	 dir;		/* from SLL's packet type or pflog's header */
	char		 ifname[16];	/* from pflog's header, "" otherwise */
	const char	*skip;		/* l3 NULL: why ("ARP", "not IP", "cut short") */
};

/* Open a capture file (pcap or pcapng). NULL with err naming the file. Close with
 * wire_rd_close. */
struct wire_rd *wire_rd_open(const char *path, char *err, size_t errlen);
/* The same from len bytes in memory (kept by the caller until the close). */
struct wire_rd *wire_rd_open_mem(const uint8_t *buf, size_t len, char *err,
	    size_t errlen);
/* The next record into r: 1, 0 at the end, -1 with err when the file is damaged. */
int	wire_rd_next(struct wire_rd *, struct wire_rec *r, char *err, size_t errlen);
/* The capture's link type as libpcap names it ("EN10MB", "LINUX_SLL", "PFLOG"...). */
const char *wire_rd_linktype(const struct wire_rd *);
void	wire_rd_close(struct wire_rd *);	/* wire_rd_close(NULL) is a no-op */

#endif
