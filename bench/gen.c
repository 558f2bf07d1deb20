/* gen.c: the packet generator: one template frame (libnet, via pkt_build.c), per-packet
 * patching of source address/port with RFC 1624 checksum updates, TPACKET_V2 TX ring. */
#include <sys/mman.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"

#define GEN_FRAME_SIZE	512		/* ring slot: header + a small frame */
#define GEN_BLOCK_SIZE	(1 << 16)
#define GEN_NBLOCKS	32		/* 4096 slots */
#define GEN_BATCH	256		/* frames per send() at full speed */

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
	uint8_t		*ring;
	size_t		ringsz;
	unsigned int	nslots, slot;
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
	uint8_t *ip = buf + ETHER_HDR_LEN;
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
	if ((size_t)n > GEN_FRAME_SIZE - TPACKET2_HDRLEN) {
		snprintf(err, errlen, "generator: frame of %d bytes too large", n);
		return (-1);
	}
	g->len = (size_t)n;
	ihl = (g->tmpl[ETHER_HDR_LEN] & 0x0f) * 4;
	g->l4 = ETHER_HDR_LEN + ihl;
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

static int
gen_socket(struct bench_gen *g, const char *ifname, char *err, size_t errlen)
{
	struct tpacket_req req;
	struct sockaddr_ll sll;
	int v = TPACKET_V2, one = 1, sndbuf = 16 << 20;

	if ((g->fd = socket(AF_PACKET, SOCK_RAW, 0)) == -1 ||
	    setsockopt(g->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) == -1)
		goto fail;
	/* Straight to the driver: the qdisc would only add a lock and a queue. */
	(void)setsockopt(g->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	/* In-flight frames are charged to the send buffer: room for the whole ring. */
	(void)setsockopt(g->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	memset(&req, 0, sizeof(req));
	req.tp_block_size = GEN_BLOCK_SIZE;
	req.tp_block_nr = GEN_NBLOCKS;
	req.tp_frame_size = GEN_FRAME_SIZE;
	req.tp_frame_nr = GEN_BLOCK_SIZE / GEN_FRAME_SIZE * GEN_NBLOCKS;
	if (setsockopt(g->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) == -1)
		goto fail;
	g->nslots = req.tp_frame_nr;
	g->ringsz = (size_t)req.tp_block_size * req.tp_block_nr;
	g->ring = mmap(NULL, g->ringsz, PROT_READ | PROT_WRITE, MAP_SHARED, g->fd, 0);
	if (g->ring == MAP_FAILED) {
		g->ring = NULL;
		goto fail;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = 0;		/* send only: receive nothing */
	if ((sll.sll_ifindex = (int)if_nametoindex(ifname)) == 0 ||
	    bind(g->fd, (struct sockaddr *)&sll, sizeof(sll)) == -1)
		goto fail;
	return (0);
fail:
	snprintf(err, errlen, "generator on %s: %s", ifname, strerror(errno));
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
	    (ifname != NULL && gen_socket(g, ifname, err, errlen) == -1)) {
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
	if (g->ring != NULL)
		munmap(g->ring, g->ringsz);
	if (g->fd != -1)
		close(g->fd);
	free(g);
}

/* Fill up to n free slots with the next flows' frames; returns how many. */
static unsigned int
gen_fill(struct bench_gen *g, unsigned int n)
{
	struct tpacket2_hdr *h;
	unsigned int i;

	for (i = 0; i < n; i++) {
		h = (struct tpacket2_hdr *)(g->ring + (size_t)g->slot * GEN_FRAME_SIZE);
		if (h->tp_status != TP_STATUS_AVAILABLE)
			break;
		gen_patch(g, g->next, (uint8_t *)h + TPACKET2_HDRLEN -
		    sizeof(struct sockaddr_ll));
		if (++g->next == g->nflows)
			g->next = 0;
		h->tp_len = (uint32_t)g->len;
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
		if (++g->slot == g->nslots)
			g->slot = 0;
	}
	return (i);
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

int
gen_send(struct bench_gen *g, uint64_t count, double pps, double max_s,
    volatile sig_atomic_t *stop, struct gen_result *r, char *err, size_t errlen)
{
	struct pollfd pfd = { g->fd, POLLOUT, 0 };
	double t0 = gen_now(), now = t0;
	uint64_t sent = 0, want;
	unsigned int n;

	while (sent < count && (stop == NULL || !*stop)) {
		if (max_s > 0 && (now = gen_now()) - t0 > max_s)
			break;
		if ((want = gen_allowance(pps, t0, sent)) == 0)
			continue;
		if (want > count - sent)
			want = count - sent;
		if ((n = gen_fill(g, (unsigned int)want)) == 0) {
			(void)poll(&pfd, 1, 10);	/* the ring is full: wait */
			continue;
		}
		if (send(g->fd, NULL, 0, MSG_DONTWAIT) == -1 && errno != EAGAIN &&
		    errno != ENOBUFS) {
			snprintf(err, errlen, "generator: send: %s", strerror(errno));
			return (-1);
		}
		sent += n;
	}
	/* Let the kernel finish the frames still in the ring. */
	while (send(g->fd, NULL, 0, 0) > 0)
		;
	r->sent = sent;
	r->seconds = gen_now() - t0;
	return (0);
}
