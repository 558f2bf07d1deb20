/* gen.h: the benchmark's packet generator: frames built once from a template, only
 * the source address and port patched per packet (incremental checksums), sent in
 * batches on the wire (Linux: a PACKET_TX_RING; FreeBSD: BPF), with rate control. */
#ifndef BENCH_GEN_H
#define BENCH_GEN_H

#include <signal.h>
#include <stdint.h>

#include "pkt/pkt.h"

struct gen_spec {
	struct pkt	pkt;		/* flow 0 (IPv4 UDP or TCP) */
	uint8_t		src_mac[6], dst_mac[6];
	uint32_t	nsrc;		/* source addresses pkt.src, +1, ... (>= 1) */
	uint32_t	nsport;		/* source ports pkt.sport, +1, ... (>= 1) */
	uint64_t	nflows;		/* flows cycled through, <= nsrc * nsport */
};

struct gen_result {
	uint64_t	sent;		/* frames the kernel took */
	double		seconds;	/* from the first to the last send */
};

struct bench_gen;

/* Open the generator on interface `ifname` (Linux: of the calling thread's network
 * namespace; NULL: no send path, the frames only) and build the templates. NULL with
 * err. Free with gen_close. */
struct bench_gen *gen_open(const char *ifname, const struct gen_spec *, char *err,
	    size_t errlen);
/* Send `count` frames (flows in turn, continuing where the last call stopped) at
 * `pps` frames per second (0: as fast as possible), stopping early after max_s seconds
 * or when *stop becomes nonzero. 0 and r filled, or -1 with err. */
int	gen_send(struct bench_gen *, uint64_t count, double pps, double max_s,
	    volatile sig_atomic_t *stop, struct gen_result *r, char *err, size_t errlen);
/* Restart the flow cycle at flow 0. */
void	gen_rewind(struct bench_gen *);
void	gen_close(struct bench_gen *);	/* gen_close(NULL) is a no-op */

/* Write flow `flow`'s frame of the template into buf (len bytes), patching the
 * source address, source port and checksums; exported for the unit test. */
void	gen_patch(const struct bench_gen *, uint64_t flow, uint8_t *buf);
/* The template's frame length. */
size_t	gen_frame_len(const struct bench_gen *);

#endif
