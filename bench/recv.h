/* recv.h: the benchmark's receivers, each counting packets: a UDP sink with recvmmsg
 * (at the jail) and a wire counter (Linux: recv_linux.c, an AF_PACKET TPACKET_V3 ring;
 * FreeBSD: recv_freebsd.c, BPF). */
#ifndef BENCH_RECV_H
#define BENCH_RECV_H

#include <stdint.h>

enum recv_kind {
	RECV_UDP,		/* UDP socket bound to INADDR_ANY:port */
	RECV_WIRE		/* ifname's frames: IPv4 UDP to port (0: any) */
};

struct recv_spec {
	enum recv_kind	kind;
	const char	*netns;		/* namespace or jail (NULL: the caller's) */
	const char	*ifname;	/* RECV_WIRE */
	uint16_t	port;
};

struct recv_counter;

/* Start counting in a new thread (FreeBSD's UDP sink: a child process in the jail);
 * the socket is open when this returns. NULL with err. Stop and free with recv_stop. */
struct recv_counter *recv_start(const struct recv_spec *, char *err, size_t errlen);
/* Packets counted so far. */
uint64_t recv_count(struct recv_counter *);
/* Packets this receiver's socket had to drop (socket buffer or ring full). */
uint64_t recv_drops(struct recv_counter *);
/* Stop the thread (or child), close the socket, free. recv_stop(NULL) is a no-op. */
void	recv_stop(struct recv_counter *);

/* The wire counters' test (recv_match.c, both platforms): 1 when the Ethernet frame f
 * of len captured bytes is IPv4 UDP to `port` (any port when 0). */
int	recv_wire_match(uint16_t port, const uint8_t *f, uint32_t len);

#endif
