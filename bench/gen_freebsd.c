/* gen_freebsd.c: the packet generator on FreeBSD (gen.h): one template frame (libnet,
 * via pkt_build.c), per-packet patching of source address and port with RFC 1624
 * checksum updates, frames written to a BPF descriptor bound to the wire's interface
 * (BIOCSHDRCMPLT: the template's own source MAC), with rate control.
 * netmap is not used: the wires are epairs, which have no native netmap support, and
 * netmap's emulated adapter on them would go through if_transmit as BPF does. The
 * template and patch code is gen.c's (Linux) algorithm; only the send path differs. */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <net/bpf.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"

#define GEN_ETHER_HDR	14
#define GEN_BATCH	256		/* frames between two looks at the clock */

struct bench_gen {
	uint8_t		tmpl[PKT_FRAME_MAX];
	size_t		len;
	size_t		l4;		/* offset of the L4 header */
	int		proto;
	size_t		l4sum;		/* offset of the L4 checksum */
	uint32_t	src0;		/* host order */
	uint16_t	sport0;
	uint32_t	nsrc, nsport;
	uint64_t	nflows, next;
	int		fd;
	uint8_t		frame[PKT_FRAME_MAX];
};

double
gen_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

uint16_t
gen_cksum_adjust(uint16_t sum, uint16_t old, uint16_t new)
{
	uint32_t s;

	/* HC' = ~(~HC + ~m + m'), RFC 1624 eqn. 3 */
	s = (uint16_t)~sum + (uint16_t)~old + new;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return ((uint16_t)~s);
}

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

size_t
gen_frame_len(const struct bench_gen *g)
{
	return (g->len);
}

void
gen_patch(const struct bench_gen *g, uint64_t flow, uint8_t *buf)
{
	uint32_t src = g->src0 + (uint32_t)(flow % g->nsrc);
	uint16_t sport = g->sport0 + (uint16_t)((flow / g->nsrc) % g->nsport);
	uint16_t ipsum, l4sum, o, n;
	uint8_t *ip = buf + GEN_ETHER_HDR;
	int i;

	memcpy(buf, g->tmpl, g->len);
	ipsum = get16(ip + 10);
	l4sum = get16(buf + g->l4sum);
	for (i = 0; i < 2; i++) {
		o = get16(ip + 12 + 2 * i);
		n = (uint16_t)(src >> (16 - 16 * i));
		put16(ip + 12 + 2 * i, n);
		ipsum = gen_cksum_adjust(ipsum, o, n);
		l4sum = gen_cksum_adjust(l4sum, o, n);	/* the pseudo header */
	}
	l4sum = gen_cksum_adjust(l4sum, g->sport0, sport);
	put16(buf + g->l4, sport);
	put16(ip + 10, ipsum);
	/* UDP: 0 means "no checksum"; a computed 0 is sent as 0xffff. */
	if (g->proto == IPPROTO_UDP && l4sum == 0)
		l4sum = 0xffff;
	if (g->proto != IPPROTO_UDP || get16(g->tmpl + g->l4sum) != 0)
		put16(buf + g->l4sum, l4sum);
}

static int
gen_template(struct bench_gen *g, const struct gen_spec *s, char *err, size_t errlen)
{
	int n;
	size_t ihl;

	if (s->pkt.src.af != AF_INET ||
	    (s->pkt.proto != IPPROTO_UDP && s->pkt.proto != IPPROTO_TCP)) {
		snprintf(err, errlen, "generator: IPv4 UDP or TCP only");
		return (-1);
	}
	n = pkt_build_frame(&s->pkt, s->src_mac, s->dst_mac, g->tmpl, sizeof(g->tmpl),
	    err, errlen);
	if (n < 0)
		return (-1);
	g->len = (size_t)n;
	ihl = (g->tmpl[GEN_ETHER_HDR] & 0x0f) * 4;
	g->l4 = GEN_ETHER_HDR + ihl;
	g->proto = s->pkt.proto;
	g->l4sum = g->l4 + (g->proto == IPPROTO_UDP ? 6 : 16);
	g->src0 = (uint32_t)s->pkt.src.a[0] << 24 | s->pkt.src.a[1] << 16 |
	    s->pkt.src.a[2] << 8 | s->pkt.src.a[3];
	g->sport0 = s->pkt.sport;
	g->nsrc = s->nsrc ? s->nsrc : 1;
	g->nsport = s->nsport ? s->nsport : 1;
	g->nflows = s->nflows ? s->nflows : 1;
	return (0);
}

/* A BPF descriptor that writes complete frames on ifname and reads nothing: its
 * filter rejects every frame, so the interface's traffic is not copied to it. */
static int
gen_bpf(struct bench_gen *g, const char *ifname, char *err, size_t errlen)
{
	static struct bpf_insn none[] = { BPF_STMT(BPF_RET + BPF_K, 0) };
	struct bpf_program prog = { 1, none };
	struct ifreq ifr;
	u_int one = 1;

	if ((g->fd = open("/dev/bpf", O_RDWR)) == -1)
		goto fail;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(g->fd, BIOCSETF, &prog) == -1 ||
	    ioctl(g->fd, BIOCSETIF, &ifr) == -1 ||
	    ioctl(g->fd, BIOCSHDRCMPLT, &one) == -1)
		goto fail;
	return (0);
fail:
	snprintf(err, errlen, "generator on %s: /dev/bpf: %s", ifname, strerror(errno));
	return (-1);
}

struct bench_gen *
gen_open(const char *ifname, const struct gen_spec *s, char *err, size_t errlen)
{
	struct bench_gen *g;

	if ((g = calloc(1, sizeof(*g))) == NULL) {
		snprintf(err, errlen, "generator: out of memory");
		return (NULL);
	}
	g->fd = -1;
	if (gen_template(g, s, err, errlen) == -1 ||
	    (ifname != NULL && gen_bpf(g, ifname, err, errlen) == -1)) {
		gen_close(g);
		return (NULL);
	}
	return (g);
}

void
gen_rewind(struct bench_gen *g)
{
	g->next = 0;
}

void
gen_close(struct bench_gen *g)
{
	if (g == NULL)
		return;
	if (g->fd != -1)
		close(g->fd);
	free(g);
}

/* How many frames may go now to keep to pps; sleeps a little when none may. */
static uint64_t
gen_allowance(double pps, double t0, uint64_t sent)
{
	double due, wait;

	if (pps <= 0)
		return (GEN_BATCH);
	due = (gen_now() - t0) * pps - (double)sent;
	if (due >= 1)
		return (due > GEN_BATCH ? GEN_BATCH : (uint64_t)due);
	wait = (1 - due) / pps;
	if (wait > 50e-6) {
		struct timespec ts = { 0, (long)(wait * 1e9) };
		nanosleep(&ts, NULL);
	}
	return (0);
}

/* One write(2) per frame: bpfwrite() takes one packet per call and hands it to the
 * interface's if_output; ENOBUFS is the epair's queue full (the frame is not sent and
 * not counted: the caller offers it again). */
int
gen_send(struct bench_gen *g, uint64_t count, double pps, double max_s,
    volatile sig_atomic_t *stop, struct gen_result *r, char *err, size_t errlen)
{
	double t0 = gen_now();
	uint64_t sent = 0, want, i;

	while (sent < count && (stop == NULL || !*stop)) {
		if (max_s > 0 && gen_now() - t0 > max_s)
			break;
		if ((want = gen_allowance(pps, t0, sent)) == 0)
			continue;
		if (want > count - sent)
			want = count - sent;
		for (i = 0; i < want; i++) {
			gen_patch(g, g->next, g->frame);
			if (write(g->fd, g->frame, g->len) == (ssize_t)g->len) {
				sent++;
				if (++g->next == g->nflows)
					g->next = 0;
				continue;
			}
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
				sched_yield();
				break;
			}
			snprintf(err, errlen, "generator: write: %s", strerror(errno));
			return (-1);
		}
	}
	r->sent = sent;
	r->seconds = gen_now() - t0;
	return (0);
}
