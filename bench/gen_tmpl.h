/* gen_tmpl.h: the generator's insides, shared by gen.c (its life), gen_tmpl.c (the
 * template frame built once (libnet, via pkt_build.c), its per-flow patching of
 * source address and port with RFC 1624 checksum updates, the rate control) and the
 * platform's send path (gen_linux.c: TX ring; gen_freebsd.c: BPF): struct gen_sys and
 * the gen_sys_* functions. */
#ifndef BENCH_GEN_TMPL_H
#define BENCH_GEN_TMPL_H

#include <stddef.h>
#include <stdint.h>

#include "gen.h"

#define GEN_ETHER_HDR	14

struct gen_tmpl {
	uint8_t		tmpl[PKT_FRAME_MAX];
	size_t		len;
	size_t		l4;		/* offset of the L4 header */
	int		proto;
	size_t		l4sum;		/* offset of the L4 checksum */
	uint32_t	src0;		/* host order */
	uint16_t	sport0;
	uint32_t	nsrc, nsport;
	uint64_t	nflows;		/* >= 1 */
};

struct gen_sys;

struct bench_gen {
	struct gen_tmpl	 t;
	uint64_t	 next;		/* the flow of the next frame */
	struct gen_sys	*sys;		/* the send path; NULL without an interface */
};

/* The platform's send path (gen_linux.c, gen_freebsd.c). */
/* The largest frame it sends. */
size_t	gen_sys_frame_max(void);
/* Open it on interface ifname. NULL with err. */
struct gen_sys *gen_sys_open(const char *ifname, char *err, size_t errlen);
/* Close it; gen_sys_close(NULL) is a no-op. */
void	gen_sys_close(struct gen_sys *);
/* gen_send (gen.h) on this platform. */
int	gen_sys_send(struct bench_gen *, uint64_t count, double pps, double max_s,
	    volatile sig_atomic_t *stop, struct gen_result *r, char *err, size_t errlen);

/* Build the template of spec s (IPv4 UDP or TCP only, at most maxlen bytes). 0, or
 * -1 with err. */
int	gen_tmpl_build(struct gen_tmpl *, const struct gen_spec *s, size_t maxlen,
	    char *err, size_t errlen);
/* Write flow `flow`'s frame into buf (t->len bytes): the template with the source
 * address and port of that flow and the checksums adjusted. */
void	gen_tmpl_patch(const struct gen_tmpl *, uint64_t flow, uint8_t *buf);
/* How many frames may go now to keep to pps frames per second since t0 with `sent`
 * sent (at most batch; batch when pps <= 0); sleeps a little when none may. */
uint64_t gen_allowance(double pps, double t0, uint64_t sent, uint64_t batch);

#endif
