/* recv_linux.c: counting receivers: UDP sink (recvmmsg, SO_RXQ_OVFL for its drops) and wire
 * counter (PACKET_RX_RING, TPACKET_V3; PACKET_STATISTICS for its drops). */
#include <sys/mman.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/linux/netns.h"
#include "recv.h"

#define RECV_BATCH	64
#define RECV_BLOCK	(1 << 20)
#define RECV_NBLOCKS	16

struct recv_counter {
	enum recv_kind	kind;
	uint16_t	port;
	int		fd;
	uint8_t		*ring;
	size_t		ringsz;
	pthread_t	thr;
	int		started;
	volatile int	stop;
	uint64_t	count;		/* atomics: read by the caller's thread */
	uint64_t	drops;
};

static int
udp_open(struct recv_counter *c, char *err, size_t errlen)
{
	struct sockaddr_in sin;
	struct timeval tv = { 0, 50000 };
	int one = 1, buf = 32 << 20;

	if ((c->fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		goto fail;
	(void)setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	if (setsockopt(c->fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one)) == -1 ||
	    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    setsockopt(c->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		goto fail;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(c->port);
	if (bind(c->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		goto fail;
	return (0);
fail:
	snprintf(err, errlen, "udp sink on port %u: %s", c->port, strerror(errno));
	return (-1);
}

static void *
udp_loop(void *arg)
{
	struct recv_counter *c = arg;
	static __thread uint8_t data[RECV_BATCH][2048];
	static __thread char ctl[RECV_BATCH][CMSG_SPACE(sizeof(uint32_t))];
	struct mmsghdr m[RECV_BATCH];
	struct iovec iov[RECV_BATCH];
	struct cmsghdr *cm;
	uint32_t ovfl;
	int i, n;

	while (!c->stop) {
		memset(m, 0, sizeof(m));
		for (i = 0; i < RECV_BATCH; i++) {
			iov[i].iov_base = data[i];
			iov[i].iov_len = sizeof(data[i]);
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
			m[i].msg_hdr.msg_control = ctl[i];
			m[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
		}
		if ((n = recvmmsg(c->fd, m, RECV_BATCH, MSG_WAITFORONE, NULL)) <= 0)
			continue;
		__atomic_add_fetch(&c->count, (uint64_t)n, __ATOMIC_RELAXED);
		/* SO_RXQ_OVFL: the socket's drop counter so far, on each datagram. */
		for (cm = CMSG_FIRSTHDR(&m[n - 1].msg_hdr); cm != NULL;
		    cm = CMSG_NXTHDR(&m[n - 1].msg_hdr, cm))
			if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_RXQ_OVFL) {
				memcpy(&ovfl, CMSG_DATA(cm), sizeof(ovfl));
				__atomic_store_n(&c->drops, ovfl, __ATOMIC_RELAXED);
			}
	}
	return (NULL);
}

static int
wire_open(struct recv_counter *c, const char *ifname, char *err, size_t errlen)
{
	struct tpacket_req3 req;
	struct sockaddr_ll sll;
	int v = TPACKET_V3;

	if ((c->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP))) == -1 ||
	    setsockopt(c->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) == -1)
		goto fail;
	memset(&req, 0, sizeof(req));
	req.tp_block_size = RECV_BLOCK;
	req.tp_block_nr = RECV_NBLOCKS;
	req.tp_frame_size = 2048;
	req.tp_frame_nr = RECV_BLOCK / 2048 * RECV_NBLOCKS;
	req.tp_retire_blk_tov = 10;	/* ms: hand over a partly filled block */
	/* Count what arrives, not what a generator in the same namespace sends. */
	(void)setsockopt(c->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &v, sizeof(v));
	if (setsockopt(c->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) == -1)
		goto fail;
	c->ringsz = (size_t)RECV_BLOCK * RECV_NBLOCKS;
	c->ring = mmap(NULL, c->ringsz, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	if (c->ring == MAP_FAILED) {
		c->ring = NULL;
		goto fail;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	if ((sll.sll_ifindex = (int)if_nametoindex(ifname)) == 0 ||
	    bind(c->fd, (struct sockaddr *)&sll, sizeof(sll)) == -1)
		goto fail;
	return (0);
fail:
	snprintf(err, errlen, "wire counter on %s: %s", ifname, strerror(errno));
	return (-1);
}

static void
wire_stats(struct recv_counter *c)
{
	struct tpacket_stats_v3 st;
	socklen_t sl = sizeof(st);

	/* Reading the statistics resets them: accumulate. */
	if (getsockopt(c->fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) == 0)
		__atomic_add_fetch(&c->drops, st.tp_drops, __ATOMIC_RELAXED);
}

static void *
wire_loop(void *arg)
{
	struct recv_counter *c = arg;
	struct pollfd pfd = { c->fd, POLLIN | POLLERR, 0 };
	struct tpacket_block_desc *b;
	struct tpacket3_hdr *h;
	unsigned int blk = 0, i;
	uint64_t n;

	while (!c->stop) {
		b = (struct tpacket_block_desc *)(c->ring + (size_t)blk * RECV_BLOCK);
		if ((__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		    TP_STATUS_USER) == 0) {
			(void)poll(&pfd, 1, 50);
			continue;
		}
		h = (struct tpacket3_hdr *)((uint8_t *)b + b->hdr.bh1.offset_to_first_pkt);
		for (n = 0, i = 0; i < b->hdr.bh1.num_pkts; i++) {
			n += recv_wire_match(c->port, (uint8_t *)h + h->tp_mac,
			    h->tp_snaplen);
			h = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
		}
		__atomic_add_fetch(&c->count, n, __ATOMIC_RELAXED);
		__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL,
		    __ATOMIC_RELEASE);
		blk = (blk + 1) % RECV_NBLOCKS;
	}
	return (NULL);
}

struct recv_counter *
recv_start(const struct recv_spec *s, char *err, size_t errlen)
{
	struct recv_counter *c;
	int prev = -1, rc = -1;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "receiver: out of memory");
		return (NULL);
	}
	c->kind = s->kind;
	c->port = s->port;
	c->fd = -1;
	/* The socket belongs to the namespace it was created in; the thread need not. */
	if (s->netns != NULL && (prev = netns_enter(s->netns, err, errlen)) == -1) {
		free(c);
		return (NULL);
	}
	switch (s->kind) {
	case RECV_UDP:
		rc = udp_open(c, err, errlen);
		break;
	case RECV_WIRE:
		rc = wire_open(c, s->ifname, err, errlen);
		break;
	}
	if (prev != -1)
		netns_leave(prev);
	if (rc == -1 || (errno = pthread_create(&c->thr, NULL,
	    s->kind == RECV_UDP ? udp_loop : wire_loop, c)) != 0) {
		if (rc != -1)
			snprintf(err, errlen, "receiver: thread: %s", strerror(errno));
		recv_stop(c);
		return (NULL);
	}
	c->started = 1;
	return (c);
}

uint64_t
recv_count(struct recv_counter *c)
{
	return (__atomic_load_n(&c->count, __ATOMIC_RELAXED));
}

uint64_t
recv_drops(struct recv_counter *c)
{
	if (c->kind == RECV_WIRE)
		wire_stats(c);
	return (__atomic_load_n(&c->drops, __ATOMIC_RELAXED));
}

void
recv_stop(struct recv_counter *c)
{
	if (c == NULL)
		return;
	c->stop = 1;
	if (c->started)
		pthread_join(c->thr, NULL);
	if (c->ring != NULL)
		munmap(c->ring, c->ringsz);
	if (c->fd != -1)
		close(c->fd);
	free(c);
}
