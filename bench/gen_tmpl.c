/* gen_tmpl.c: the generator's portable half (gen_tmpl.h): one template frame (libnet,
 * via pkt_build.c), per-packet patching of source address/port with RFC 1624 checksum
 * updates, the rate control.
 * Linked with both platforms' generators (gen_linux.c, gen_freebsd.c). */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/cksum.h"
#include "gen_tmpl.h"
#include "clock.h"

static uint16_t
get16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

void
gen_tmpl_patch(const struct gen_tmpl *t, uint64_t flow, uint8_t *buf)
{
	uint32_t src = t->src0 + (uint32_t)(flow % t->nsrc);
	uint16_t sport = t->sport0 + (uint16_t)((flow / t->nsrc) % t->nsport);
	uint16_t ipsum, l4sum, o, n;
	uint8_t *ip = buf + GEN_ETHER_HDR;
	int i, udp = t->proto == IPPROTO_UDP;

	memcpy(buf, t->tmpl, t->len);
	ipsum = get16(ip + 10);
	l4sum = get16(buf + t->l4sum);
	for (i = 0; i < 2; i++) {
		o = get16(ip + 12 + 2 * i);
		n = (uint16_t)(src >> (16 - 16 * i));
		put16(ip + 12 + 2 * i, n);
		ipsum = cksum_fixup16(ipsum, o, n, 0);
		l4sum = cksum_fixup16(l4sum, o, n, udp);	/* the pseudo header */
	}
	/* UDP: a template without a checksum (0) keeps none; a computed 0 is 0xffff. */
	l4sum = cksum_fixup16(l4sum, t->sport0, sport, udp);
	put16(buf + t->l4, sport);
	put16(ip + 10, ipsum);
	put16(buf + t->l4sum, l4sum);
}

int
gen_tmpl_build(struct gen_tmpl *t, const struct gen_spec *s, size_t maxlen, char *err,
    size_t errlen)
{
	int n;
	size_t ihl;

	if (s->pkt.src.af != AF_INET ||
	    (s->pkt.proto != IPPROTO_UDP && s->pkt.proto != IPPROTO_TCP)) {
		snprintf(err, errlen, "generator: IPv4 UDP or TCP only");
		return (-1);
	}
	n = pkt_build_frame(&s->pkt, s->src_mac, s->dst_mac, t->tmpl, sizeof(t->tmpl),
	    err, errlen);
	if (n < 0)
		return (-1);
	if ((size_t)n > maxlen) {
		snprintf(err, errlen, "generator: frame of %d bytes too large", n);
		return (-1);
	}
	t->len = (size_t)n;
	ihl = (t->tmpl[GEN_ETHER_HDR] & 0x0f) * 4;
	t->l4 = GEN_ETHER_HDR + ihl;
	t->proto = s->pkt.proto;
	t->l4sum = t->l4 + (t->proto == IPPROTO_UDP ? 6 : 16);
	t->src0 = (uint32_t)s->pkt.src.a[0] << 24 | s->pkt.src.a[1] << 16 |
	    s->pkt.src.a[2] << 8 | s->pkt.src.a[3];
	t->sport0 = s->pkt.sport;
	t->nsrc = s->nsrc ? s->nsrc : 1;
	t->nsport = s->nsport ? s->nsport : 1;
	t->nflows = s->nflows ? s->nflows : 1;
	return (0);
}

uint64_t
gen_allowance(double pps, double t0, uint64_t sent, uint64_t batch)
{
	double due, wait;

	if (pps <= 0)
		return (batch);
	due = (bench_now() - t0) * pps - (double)sent;
	if (due >= 1)
		return (due > (double)batch ? batch : (uint64_t)due);
	wait = (1 - due) / pps;
	if (wait > 50e-6) {
		struct timespec ts = { 0, (long)(wait * 1e9) };
		nanosleep(&ts, NULL);
	}
	return (0);
}
