/* gen_linux.c: the packet generator on Linux (gen.h): the frames of gen_tmpl.c's template
 * (built once, patched per packet) sent through a TPACKET_V2 TX ring. */
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
#include <unistd.h>

#include "gen_tmpl.h"
#include "clock.h"

#define GEN_FRAME_SIZE	512		/* ring slot: header + a small frame */
#define GEN_BLOCK_SIZE	(1 << 16)
#define GEN_NBLOCKS	32		/* 4096 slots */
#define GEN_BATCH	256		/* frames per send() at full speed */

/* The send path: a TPACKET_V2 TX ring. */
struct gen_sys {
	int		fd;
	uint8_t		*ring;
	size_t		ringsz;
	unsigned int	nslots, slot;
};

size_t
gen_sys_frame_max(void)
{
	return (GEN_FRAME_SIZE - TPACKET2_HDRLEN);
}

void
gen_sys_close(struct gen_sys *y)
{
	if (y == NULL)
		return;
	if (y->ring != NULL)
		munmap(y->ring, y->ringsz);
	if (y->fd != -1)
		close(y->fd);
	free(y);
}

struct gen_sys *
gen_sys_open(const char *ifname, char *err, size_t errlen)
{
	struct tpacket_req req;
	struct sockaddr_ll sll;
	struct gen_sys *y;
	int v = TPACKET_V2, one = 1, sndbuf = 16 << 20;

	if ((y = calloc(1, sizeof(*y))) == NULL) {
		snprintf(err, errlen, "generator: out of memory");
		return (NULL);
	}
	if ((y->fd = socket(AF_PACKET, SOCK_RAW, 0)) == -1 ||
	    setsockopt(y->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) == -1)
		goto fail;
	/* Straight to the driver: the qdisc would only add a lock and a queue. */
	(void)setsockopt(y->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	/* In-flight frames are charged to the send buffer: room for the whole ring. */
	(void)setsockopt(y->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	memset(&req, 0, sizeof(req));
	req.tp_block_size = GEN_BLOCK_SIZE;
	req.tp_block_nr = GEN_NBLOCKS;
	req.tp_frame_size = GEN_FRAME_SIZE;
	req.tp_frame_nr = GEN_BLOCK_SIZE / GEN_FRAME_SIZE * GEN_NBLOCKS;
	if (setsockopt(y->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) == -1)
		goto fail;
	y->nslots = req.tp_frame_nr;
	y->ringsz = (size_t)req.tp_block_size * req.tp_block_nr;
	y->ring = mmap(NULL, y->ringsz, PROT_READ | PROT_WRITE, MAP_SHARED, y->fd, 0);
	if (y->ring == MAP_FAILED) {
		y->ring = NULL;
		goto fail;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = 0;		/* send only: receive nothing */
	if ((sll.sll_ifindex = (int)if_nametoindex(ifname)) == 0 ||
	    bind(y->fd, (struct sockaddr *)&sll, sizeof(sll)) == -1)
		goto fail;
	return (y);
fail:
	snprintf(err, errlen, "generator on %s: %s", ifname, strerror(errno));
	gen_sys_close(y);
	return (NULL);
}

/* Fill up to n free slots with the next flows' frames; returns how many. */
static unsigned int
gen_fill(struct bench_gen *g, unsigned int n)
{
	struct gen_sys *y = g->sys;
	struct tpacket2_hdr *h;
	unsigned int i;

	for (i = 0; i < n; i++) {
		h = (struct tpacket2_hdr *)(y->ring + (size_t)y->slot * GEN_FRAME_SIZE);
		if (h->tp_status != TP_STATUS_AVAILABLE)
			break;
		gen_tmpl_patch(&g->t, g->next, (uint8_t *)h + TPACKET2_HDRLEN -
		    sizeof(struct sockaddr_ll));
		if (++g->next == g->t.nflows)
			g->next = 0;
		h->tp_len = (uint32_t)g->t.len;
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
		if (++y->slot == y->nslots)
			y->slot = 0;
	}
	return (i);
}

int
gen_sys_send(struct bench_gen *g, uint64_t count, double pps, double max_s,
    volatile sig_atomic_t *stop, struct gen_result *r, char *err, size_t errlen)
{
	struct gen_sys *y = g->sys;
	struct pollfd pfd = { -1, POLLOUT, 0 };
	double t0 = bench_now(), now = t0;
	uint64_t sent = 0, want;
	unsigned int n;

	if (y == NULL) {
		snprintf(err, errlen, "generator: opened without an interface");
		return (-1);
	}
	pfd.fd = y->fd;
	while (sent < count && (stop == NULL || !*stop)) {
		if (max_s > 0 && (now = bench_now()) - t0 > max_s)
			break;
		if ((want = gen_allowance(pps, t0, sent, GEN_BATCH)) == 0)
			continue;
		if (want > count - sent)
			want = count - sent;
		if ((n = gen_fill(g, (unsigned int)want)) == 0) {
			(void)poll(&pfd, 1, 10);	/* the ring is full: wait */
			continue;
		}
		if (send(y->fd, NULL, 0, MSG_DONTWAIT) == -1 && errno != EAGAIN &&
		    errno != ENOBUFS) {
			snprintf(err, errlen, "generator: send: %s", strerror(errno));
			return (-1);
		}
		sent += n;
	}
	/* Let the kernel finish the frames still in the ring. */
	while (send(y->fd, NULL, 0, 0) > 0)
		;
	r->sent = sent;
	r->seconds = bench_now() - t0;
	return (0);
}
