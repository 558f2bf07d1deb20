/* nfq.c: the NFQUEUE hook thread: every queued packet through pf_test of the model. */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libnetfilter_queue/libnetfilter_queue.h>

#include "netns.h"
#include "nfq.h"
#include "pfm.h"

#define NFQ_IFCACHE	64
#define NFQ_BATCH	64		/* messages taken per recvmmsg */
#define NFQ_SLOT	(65536 + 4096)	/* one message: a whole packet and its attributes */
#define NFQ_TXBUF	(192 * 1024)	/* verdicts sent at once (< the default sndbuf) */
#define NFQ_RCVBUF	(16 * 1024 * 1024)
#define NFQ_EXPIRE_MS	1000
#define NFQ_DROPS	64

/* A locally sent packet pf dropped on its way out. */
struct nfq_drop {
	int		proto;
	struct pkt_addr	src;
	uint16_t	sport;
};

#define NFQ_PEND	NFQ_BATCH	/* packets held for one pfm_test_batch */

/* One queued packet between its callback and its verdict. */
struct nfq_pend {
	uint32_t	 id;
	uint8_t		*p;		/* in q->rx, until the next recvmmsg */
	int		 len;		/* -1: no payload (dropped unseen) */
	enum pfm_dir	 dir;
	const char	*ifn;		/* the interface pf sees it on; NULL: pf does not run */
	int		 local;		/* sent by the host itself (no input device) */
	int		 sentinel;
};

struct nfq {
	struct nfq_opts	 o;
	char		 netns[64];
	char		 lo_if[PFM_IFNAMSIZ];
	pthread_t	 thread;
	int		 running;
	int		 stop[2];		/* self-pipe: the thread's stop signal */
	pthread_mutex_t	 mu;		/* guards pf and stats */
	struct pfm	*pf;
	struct nfq_stats st;
	struct nfq_drop	 drop[NFQ_DROPS];	/* a ring, drop[ndrop % NFQ_DROPS] next */
	uint64_t	 ndrop;
	int		 dropfd[2];

	/* Thread side. */
	struct nfq_handle *h;
	struct nfq_q_handle *qh;
	int		 raw4, raw6;
	int		 raw4pf, raw6pf;	/* unmarked: pf's packets pf sees again */
	char		 ifname[NFQ_IFCACHE][IF_NAMESIZE];
	uint64_t	 last_expire;
	uint64_t	 now;		/* ms, once per batch */
	/* The packets of a batch between their callback and their verdict, in order:
	 * pf tests them together (pfm_test_batch), then each gets its verdict. */
	struct nfq_pend	 pend[NFQ_PEND];
	int		 npend, nsettled;
	struct pfm_batch bat[NFQ_PEND];
	struct pfm_verdict vs[NFQ_PEND];
	uint8_t		*rx;		/* NFQ_BATCH slots of NFQ_SLOT bytes */
	struct mmsghdr	 mmsg[NFQ_BATCH];
	struct iovec	 iov[NFQ_BATCH];
	/* Verdicts of a batch, in packet order: a run of unmodified accepts becomes one
	 * VERDICT_BATCH message (every id up to run_last), the rest one message each; all
	 * go to the kernel in one sendmsg, which reinjects them in that order. */
	uint8_t		 tx[NFQ_TXBUF];
	size_t		 txlen;
	uint32_t	 run_last;
	int		 run;

	/* Start handshake. */
	pthread_mutex_t	 smu;
	pthread_cond_t	 scv;
	int		 started;	/* 1 ok, -1 failed */
	char		 err[256];
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
nfq_is_sentinel(const uint8_t *p, size_t len)
{
	size_t hl, ml = sizeof(NFQ_SENTINEL_MAGIC) - 1;
	const uint8_t *ic;

	if (len < 20)
		return (0);
	if ((p[0] >> 4) == 4) {
		hl = (p[0] & 0x0f) * 4;
		if (p[9] != IPPROTO_ICMP || hl < 20 || len < hl + 8 + ml)
			return (0);
		ic = p + hl;
		if (ic[0] != 8 && ic[0] != 0)
			return (0);
	} else if ((p[0] >> 4) == 6) {
		if (len < 40 + 8 + ml || p[6] != IPPROTO_ICMPV6)
			return (0);
		ic = p + 40;
		if (ic[0] != 128 && ic[0] != 129)
			return (0);
	} else
		return (0);
	if (((ic[4] << 8) | ic[5]) != NFQ_SENTINEL_ID)
		return (0);
	return (memcmp(ic + 8, NFQ_SENTINEL_MAGIC, ml) == 0);
}

/* The name pf gives the interface: Linux `lo` carries what FreeBSD sends over lo0 and
 * the jails' loopback; the destination tells which (PF-REFERENCE.md). */
static const char *
pf_ifname(struct nfq *q, uint32_t ifindex, const uint8_t *p, size_t len)
{
	static char other[IF_NAMESIZE];
	struct pkt_addr dst;
	const char *name;
	int plen, i, bits;

	if (ifindex < NFQ_IFCACHE) {
		if (q->ifname[ifindex][0] == '\0' &&
		    if_indextoname(ifindex, q->ifname[ifindex]) == NULL)
			snprintf(q->ifname[ifindex], IF_NAMESIZE, "if%u", ifindex);
		name = q->ifname[ifindex];
	} else {
		if (if_indextoname(ifindex, other) == NULL)
			snprintf(other, sizeof(other), "if%u", ifindex);
		name = other;
	}
	if (strcmp(name, "lo") != 0)
		return (name);
	if (q->lo_if[0] == '\0')
		return ("lo0");
	memset(&dst, 0, sizeof(dst));
	if ((p[0] >> 4) == 4 && len >= 20) {
		dst.af = AF_INET;
		memcpy(dst.a, p + 16, 4);
	} else if ((p[0] >> 4) == 6 && len >= 40) {
		dst.af = AF_INET6;
		memcpy(dst.a, p + 24, 16);
	}
	if (dst.af != q->o.lo_net.af)
		return ("lo0");
	for (i = 0, plen = q->o.lo_plen; plen > 0; i++, plen -= 8) {
		bits = plen >= 8 ? 0xff : (0xff << (8 - plen)) & 0xff;
		if ((dst.a[i] & bits) != (q->o.lo_net.a[i] & bits))
			return ("lo0");
	}
	return (q->lo_if);
}

/* Send the batch's verdicts to the kernel, which reinjects the packets in order. */
static void
tx_send(struct nfq *q)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	if (q->txlen == 0)
		return;
	if (sendto(nfq_fd(q->h), q->tx, q->txlen, 0, (struct sockaddr *)&k,
	    sizeof(k)) != (ssize_t)q->txlen)
		q->st.errors++;
	q->txlen = 0;
}

/* Append a verdict message (type VERDICT or VERDICT_BATCH) for packet `id`, with the
 * packet when pf rewrote it (p != NULL), sending first what no longer fits. */
static void
tx_put(struct nfq *q, int type, uint32_t id, int verdict, const uint8_t *p, size_t len)
{
	struct nfqnl_msg_verdict_hdr vh;
	struct nlmsghdr *nh;
	struct nfgenmsg *g;
	struct nlattr *a;
	size_t hl = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*g)), need;

	need = hl + NLA_ALIGN(NLA_HDRLEN + sizeof(vh)) +
	    (p != NULL ? NLA_ALIGN(NLA_HDRLEN + len) : 0);
	if (q->txlen + need > sizeof(q->tx))
		tx_send(q);
	nh = (struct nlmsghdr *)(q->tx + q->txlen);
	memset(nh, 0, hl + NLA_HDRLEN + sizeof(vh));
	nh->nlmsg_len = (uint32_t)need;
	nh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
	nh->nlmsg_flags = NLM_F_REQUEST;
	g = NLMSG_DATA(nh);
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons((uint16_t)q->o.queue);
	a = (struct nlattr *)((uint8_t *)nh + hl);
	a->nla_len = NLA_HDRLEN + sizeof(vh);
	a->nla_type = NFQA_VERDICT_HDR;
	vh.verdict = htonl((uint32_t)verdict);
	vh.id = htonl(id);
	memcpy((uint8_t *)a + NLA_HDRLEN, &vh, sizeof(vh));
	if (p != NULL) {
		a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
		a->nla_len = (uint16_t)(NLA_HDRLEN + len);
		a->nla_type = NFQA_PAYLOAD;
		memcpy((uint8_t *)a + NLA_HDRLEN, p, len);
		memset((uint8_t *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	}
	q->txlen += need;
}

/* Close the run of unmodified accepts: one message accepts every id up to its last
 * (the kernel holds no older packet of ours: each was given its verdict in order). */
static void
run_flush(struct nfq *q)
{
	if (!q->run)
		return;
	tx_put(q, NFQNL_MSG_VERDICT_BATCH, q->run_last, NF_ACCEPT, NULL, 0);
	q->run = 0;
}

/* The verdict on packet id, in packet order; p: the rewritten packet, or NULL. */
static void
verdict(struct nfq *q, uint32_t id, int v, const uint8_t *p, size_t len)
{
	if (v == NF_ACCEPT && p == NULL) {
		q->run = 1;
		q->run_last = id;
		return;
	}
	run_flush(q);
	if (p != NULL && NLA_HDRLEN + len > UINT16_MAX) {
		q->st.errors++;		/* no attribute holds it: drop, never pass unseen */
		v = NF_DROP;
		p = NULL;
	}
	tx_put(q, NFQNL_MSG_VERDICT, id, v, p, len);
}

/* Send a packet pf makes itself from the host: `block return` answers and synproxy's
 * packets that skip pf are marked so the hook lets them pass (as FreeBSD's
 * pf_send_tcp and pf_send_icmp packets with M_SKIP_FIREWALL); synproxy's packets
 * without it go unmarked, so the hook runs pf on them as on any packet the host sends
 * (out on their interface, and in again over lo). The verdicts before it go first, so
 * the wire sees what FreeBSD would send in that order. q->mu is held. */
static void
send_reply(struct nfq *q, const uint8_t *p, size_t len, int skip)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	ssize_t n = -1;
	int fd4 = skip ? q->raw4 : q->raw4pf, fd6 = skip ? q->raw6 : q->raw6pf;

	run_flush(q);
	tx_send(q);
	if (len >= 20 && (p[0] >> 4) == 4 && fd4 != -1) {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, p + 16, 4);
		n = sendto(fd4, p, len, 0, (struct sockaddr *)&s4, sizeof(s4));
	} else if (len >= 40 && (p[0] >> 4) == 6 && fd6 != -1) {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		memcpy(&s6.sin6_addr, p + 24, 16);
		n = sendto(fd6, p, len, 0, (struct sockaddr *)&s6, sizeof(s6));
	}
	if (n == (ssize_t)len) {
		q->st.replies++;
		if (!skip)
			q->st.pf_sent++;
	} else
		q->st.errors++;
}

/* Note a drop of the host's own packet; q->mu is held. */
static void
local_drop(struct nfq *q, const uint8_t *p, size_t len)
{
	struct nfq_drop *d = &q->drop[q->ndrop % NFQ_DROPS];
	size_t hl;

	memset(d, 0, sizeof(*d));
	if ((p[0] >> 4) == 4 && len >= 20) {
		hl = (p[0] & 0x0f) * 4;
		d->proto = p[9];
		d->src.af = AF_INET;
		memcpy(d->src.a, p + 12, 4);
	} else if ((p[0] >> 4) == 6 && len >= 40) {
		hl = 40;
		d->proto = p[6];
		d->src.af = AF_INET6;
		memcpy(d->src.a, p + 8, 16);
	} else
		return;
	if ((d->proto == IPPROTO_TCP || d->proto == IPPROTO_UDP) && len >= hl + 4)
		d->sport = (uint16_t)(p[hl] << 8 | p[hl + 1]);
	q->ndrop++;
	(void)!write(q->dropfd[1], "d", 1);
}

/* Where pf runs on this packet: PREROUTING is `in on <iif>`, POSTROUTING `out on
 * <oif>`; INPUT, with net.pf.filter_local=1, is `in on lo0` once more for a packet
 * delivered locally that did not just come in on lo0 (FreeBSD 14's local pfil hook,
 * as target_model.c does it). NULL: pf does not run here. q->mu is held. */
static const char *
pf_where(struct nfq *q, struct nfq_data *nfa, int hook, const uint8_t *p, size_t len,
    enum pfm_dir *dir)
{
	const char *ifn;

	switch (hook) {
	case NF_INET_PRE_ROUTING:
		*dir = PFM_IN;
		return (pf_ifname(q, nfq_get_indev(nfa), p, len));
	case NF_INET_LOCAL_IN:
		if (!pfm_filter_local(q->pf))
			return (NULL);
		ifn = pf_ifname(q, nfq_get_indev(nfa), p, len);
		*dir = PFM_IN;
		return (strcmp(ifn, "lo0") == 0 ? NULL : "lo0");
	default:
		*dir = PFM_OUT;
		return (pf_ifname(q, nfq_get_outdev(nfa), p, len));
	}
}

/* The packet's transport protocol (IPv4 protocol, IPv6 first next header), or -1. */
static int
l4_proto(const uint8_t *p, size_t len)
{
	if (len >= 20 && (p[0] >> 4) == 4)
		return (p[9]);
	if (len >= 40 && (p[0] >> 4) == 6)
		return (p[6]);
	return (-1);
}

/* The verdict on one packet pf tested (v) or let by (v NULL), in packet order. */
static void
settle(struct nfq *q, const struct nfq_pend *e, const struct pfm_verdict *v)
{
	const uint8_t *rp = e->p;
	size_t rlen = (size_t)e->len;
	int vd = NF_ACCEPT, rewritten = 0, i;

	if (e->len < 0) {
		q->st.errors++;
		verdict(q, e->id, NF_DROP, NULL, 0);	/* pf cannot see it: do not pass it */
		return;
	}
	if (e->sentinel) {
		q->st.sentinels++;
		q->st.passed++;
		verdict(q, e->id, NF_ACCEPT, NULL, 0);
		return;
	}
	if (v != NULL) {
		if (v->action == PFM_DROP)
			vd = NF_DROP;
		else if (v->action == PFM_HELD)
			vd = NF_DROP;	/* pf keeps a copy: this fragment goes no further */
		else if (v->reass != NULL) {
			/* The last fragment's verdict carries the whole packet pf passed:
			 * nfqnl_mangle takes a longer payload (up to 64k) and grows the skb. */
			rp = v->reass;
			rlen = v->reass_len;
			rewritten = 1;
		} else
			rewritten = v->rewritten;
	}
	if (vd == NF_DROP) {
		q->st.dropped++;
		if (l4_proto(e->p, (size_t)e->len) == IPPROTO_UDP)
			q->st.dropped_udp++;
		if (e->dir == PFM_OUT && e->local && v->action != PFM_HELD)
			local_drop(q, e->p, (size_t)e->len);
	} else
		q->st.passed++;
	if (rewritten)
		q->st.rewritten++;
	verdict(q, e->id, vd, rewritten ? rp : NULL, rlen);
	if (v == NULL)
		return;
	if (vd == NF_DROP && v->reply_len > 0)
		send_reply(q, v->reply, v->reply_len, 1);
	for (i = 0; i < v->nemit; i++)
		send_reply(q, v->emit[i].pkt, v->emit[i].len, v->emit[i].skip);
}

/* pfm_test_batch's callback, right after a packet's test: the verdicts of every
 * pending packet up to it go now, in order (what v points to lives until the next
 * test: a reassembled packet is copied into the verdict message here). */
static void
tested(struct pfm_batch *b, void *arg)
{
	struct nfq *q = arg;
	const struct nfq_pend *e = b->arg;
	int upto = (int)(e - q->pend);

	for (; q->nsettled < upto; q->nsettled++)
		if (q->pend[q->nsettled].ifn == NULL)
			settle(q, &q->pend[q->nsettled], NULL);
	settle(q, e, b->v);
	q->nsettled = upto + 1;
}

/* pf on the pending packets, in one pfm_test_batch, and every verdict in order. */
static void
settle_all(struct nfq *q)
{
	size_t n = 0;
	int i;

	for (i = 0; i < q->npend; i++) {
		if (q->pend[i].ifn == NULL)
			continue;
		q->bat[n].dir = q->pend[i].dir;
		q->bat[n].ifname = q->pend[i].ifn;
		q->bat[n].pkt = q->pend[i].p;
		q->bat[n].len = (size_t)q->pend[i].len;
		q->bat[n].v = &q->vs[n];
		memset(&q->vs[n], 0, offsetof(struct pfm_verdict, reply));
		q->vs[n].reply_len = 0;
		q->bat[n].arg = &q->pend[i];
		n++;
	}
	q->nsettled = 0;
	if (n > 0)
		pfm_test_batch(q->pf, q->bat, n, q->now, tested, q);
	for (; q->nsettled < q->npend; q->nsettled++)
		settle(q, &q->pend[q->nsettled], NULL);
	q->npend = 0;
}

/* One queued packet: where pf sees it, noted for settle_all (the netlink attributes
 * are read here, while they are valid). Runs with q->mu held. */
static int
on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *arg)
{
	struct nfq *q = arg;
	struct nfqnl_msg_packet_hdr *ph;
	struct nfq_pend *e;
	unsigned char *p;

	(void)qh;
	(void)msg;
	if ((ph = nfq_get_msg_packet_hdr(nfa)) == NULL)
		return (0);
	if (q->npend == NFQ_PEND)
		settle_all(q);
	e = &q->pend[q->npend++];
	memset(e, 0, sizeof(*e));
	e->id = ntohl(ph->packet_id);
	e->dir = PFM_IN;
	q->st.packets++;
	if ((e->len = nfq_get_payload(nfa, &p)) < 0) {
		e->len = -1;
		return (0);
	}
	e->p = p;
	if (nfq_is_sentinel(p, e->len)) {
		e->sentinel = 1;
		return (0);
	}
	if (q->pf != NULL)
		e->ifn = pf_where(q, nfa, ph->hook, p, e->len, &e->dir);
	e->local = nfq_get_indev(nfa) == 0;
	return (0);
}

/* Open the queue and the reply sockets; the thread is in the host namespace. */
static int
queue_open(struct nfq *q)
{
	int mark = (int)q->o.mark_skip, one = 1, i;

	if ((q->h = nfq_open()) == NULL) {
		snprintf(q->err, sizeof(q->err), "nfq_open: %s", strerror(errno));
		return (-1);
	}
	(void)nfq_bind_pf(q->h, AF_INET);	/* a no-op since Linux 3.8 */
	(void)nfq_bind_pf(q->h, AF_INET6);
	if ((q->qh = nfq_create_queue(q->h, q->o.queue, on_packet, q)) == NULL) {
		snprintf(q->err, sizeof(q->err), "nfq_create_queue %d: %s", q->o.queue,
		    strerror(errno));
		return (-1);
	}
	if (nfq_set_mode(q->qh, NFQNL_COPY_PACKET, 0xffff) < 0) {
		snprintf(q->err, sizeof(q->err), "nfq_set_mode: %s", strerror(errno));
		return (-1);
	}
	(void)nfq_set_queue_maxlen(q->qh, 8192);
	/* Bursts wait in the socket, not in drops; an overrun still drops the packet
	 * (the kernel counts it as user_dropped), it never passes unseen. */
	(void)nfnl_rcvbufsiz(nfq_nfnlh(q->h), NFQ_RCVBUF);
	(void)setsockopt(nfq_fd(q->h), SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	if ((q->rx = malloc((size_t)NFQ_BATCH * NFQ_SLOT)) == NULL) {
		snprintf(q->err, sizeof(q->err), "out of memory");
		return (-1);
	}
	for (i = 0; i < NFQ_BATCH; i++) {
		q->iov[i].iov_base = q->rx + (size_t)i * NFQ_SLOT;
		q->iov[i].iov_len = NFQ_SLOT;
		q->mmsg[i].msg_hdr.msg_iov = &q->iov[i];
		q->mmsg[i].msg_hdr.msg_iovlen = 1;
	}
	if ((q->raw4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW)) == -1 ||
	    setsockopt(q->raw4, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) == -1) {
		snprintf(q->err, sizeof(q->err), "raw socket: %s", strerror(errno));
		return (-1);
	}
	/* IPv6 may be disabled in the namespace: then no IPv6 replies are needed. */
	if ((q->raw6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW)) != -1 &&
	    setsockopt(q->raw6, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) == -1) {
		close(q->raw6);
		q->raw6 = -1;
	}
	if ((q->raw4pf = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW)) == -1) {
		snprintf(q->err, sizeof(q->err), "raw socket: %s", strerror(errno));
		return (-1);
	}
	q->raw6pf = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	fcntl(nfq_fd(q->h), F_SETFD, FD_CLOEXEC);
	return (0);
}

static void
queue_close(struct nfq *q)
{
	if (q->qh != NULL)
		nfq_destroy_queue(q->qh);
	if (q->h != NULL)
		nfq_close(q->h);
	if (q->raw4 != -1)
		close(q->raw4);
	if (q->raw6 != -1)
		close(q->raw6);
	if (q->raw4pf != -1)
		close(q->raw4pf);
	if (q->raw6pf != -1)
		close(q->raw6pf);
	free(q->rx);
	q->rx = NULL;
	q->qh = NULL;
	q->h = NULL;
	q->raw4 = q->raw6 = q->raw4pf = q->raw6pf = -1;
}

static void
started(struct nfq *q, int how)
{
	pthread_mutex_lock(&q->smu);
	q->started = how;
	pthread_cond_signal(&q->scv);
	pthread_mutex_unlock(&q->smu);
}

/* Pace pf's purge thread: expire states once a second. */
static void
expire(struct nfq *q)
{
	uint64_t t = now_ms();

	if (t - q->last_expire < NFQ_EXPIRE_MS)
		return;
	q->last_expire = t;
	pthread_mutex_lock(&q->mu);
	if (q->pf != NULL)
		pfm_expire(q->pf, t);
	pthread_mutex_unlock(&q->mu);
}

/* Take the queued packets, NFQ_BATCH per system call, until the socket is empty: pf
 * runs on a batch under one hold of q->mu (one pfm_test_batch, so the state-table
 * misses of the batch overlap), then its verdicts go in one message. */
static void
drain(struct nfq *q)
{
	struct msghdr *mh;
	int fd = nfq_fd(q->h), n, i;

	do {
		for (i = 0; i < NFQ_BATCH; i++)
			q->mmsg[i].msg_hdr.msg_flags = 0;
		if ((n = recvmmsg(fd, q->mmsg, NFQ_BATCH, MSG_DONTWAIT, NULL)) <= 0) {
			if (n == -1 && errno == ENOBUFS) {
				pthread_mutex_lock(&q->mu);
				q->st.errors++;
				pthread_mutex_unlock(&q->mu);
			}
			return;
		}
		pthread_mutex_lock(&q->mu);
		q->now = now_ms();
		for (i = 0; i < n; i++) {
			mh = &q->mmsg[i].msg_hdr;
			if (mh->msg_flags & MSG_TRUNC)
				q->st.errors++;	/* cannot happen: a slot holds 64k */
			else if (nfq_handle_packet(q->h, mh->msg_iov->iov_base,
			    (int)q->mmsg[i].msg_len) == -1)
				q->st.errors++;	/* the kernel refused a verdict */
		}
		settle_all(q);
		run_flush(q);
		tx_send(q);
		pthread_mutex_unlock(&q->mu);
	} while (n == NFQ_BATCH);
}

static void *
nfq_main(void *arg)
{
	struct nfq *q = arg;
	struct pollfd pfd[2];
	cpu_set_t set;
	int fd;

	if ((fd = netns_enter(q->netns, q->err, sizeof(q->err))) == -1) {
		started(q, -1);
		return (NULL);
	}
	close(fd);		/* this thread stays in the host namespace */
	if (q->o.cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(q->o.cpu, &set);
		(void)sched_setaffinity(0, sizeof(set), &set);
	}
	if (queue_open(q) == -1) {
		queue_close(q);
		started(q, -1);
		return (NULL);
	}
	started(q, 1);
	pfd[0].fd = nfq_fd(q->h);
	pfd[0].events = POLLIN;
	pfd[1].fd = q->stop[0];
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, NFQ_EXPIRE_MS) == -1 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break;
		if (pfd[0].revents & POLLIN)
			drain(q);
		expire(q);
	}
	queue_close(q);
	return (NULL);
}

struct nfq *
nfq_start(const struct nfq_opts *o, struct pfm *pf, char *err, size_t errlen)
{
	struct nfq *q;
	int how;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	q->o = *o;
	snprintf(q->netns, sizeof(q->netns), "%s", o->netns);
	snprintf(q->lo_if, sizeof(q->lo_if), "%s", o->lo_if != NULL ? o->lo_if : "");
	q->o.netns = q->netns;
	q->o.lo_if = q->lo_if;
	q->pf = pf;
	q->raw4 = q->raw6 = q->raw4pf = q->raw6pf = -1;
	q->last_expire = now_ms();
	pthread_mutex_init(&q->mu, NULL);
	pthread_mutex_init(&q->smu, NULL);
	pthread_cond_init(&q->scv, NULL);
	if (pipe2(q->stop, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		free(q);
		return (NULL);
	}
	if (pipe2(q->dropfd, O_CLOEXEC | O_NONBLOCK) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(q->stop[0]);
		close(q->stop[1]);
		free(q);
		return (NULL);
	}
	if ((errno = pthread_create(&q->thread, NULL, nfq_main, q)) != 0) {
		snprintf(err, errlen, "pthread_create: %s", strerror(errno));
		close(q->stop[0]);
		close(q->stop[1]);
		close(q->dropfd[0]);
		close(q->dropfd[1]);
		free(q);
		return (NULL);
	}
	q->running = 1;
	pthread_mutex_lock(&q->smu);
	while (q->started == 0)
		pthread_cond_wait(&q->scv, &q->smu);
	how = q->started;
	pthread_mutex_unlock(&q->smu);
	if (how == -1) {
		snprintf(err, errlen, "%s", q->err);
		nfq_stop(q);
		return (NULL);
	}
	return (q);
}

void
nfq_stop(struct nfq *q)
{
	if (q == NULL)
		return;
	if (q->running) {
		(void)write(q->stop[1], "x", 1);
		pthread_join(q->thread, NULL);
	}
	close(q->stop[0]);
	close(q->stop[1]);
	close(q->dropfd[0]);
	close(q->dropfd[1]);
	pthread_mutex_destroy(&q->mu);
	pthread_mutex_destroy(&q->smu);
	pthread_cond_destroy(&q->scv);
	free(q);
}

struct pfm *
nfq_set_pf(struct nfq *q, struct pfm *pf)
{
	struct pfm *old;

	pthread_mutex_lock(&q->mu);
	old = q->pf;
	q->pf = pf;
	pthread_mutex_unlock(&q->mu);
	return (old);
}

struct pfm *
nfq_pf_lock(struct nfq *q)
{
	pthread_mutex_lock(&q->mu);
	return (q->pf);
}

void
nfq_pf_unlock(struct nfq *q)
{
	pthread_mutex_unlock(&q->mu);
}

void
nfq_states(struct nfq *q, FILE *f)
{
	pthread_mutex_lock(&q->mu);
	if (q->pf != NULL)
		pfm_show_states(q->pf, f);
	pthread_mutex_unlock(&q->mu);
}

void
nfq_info(struct nfq *q, FILE *f)
{
	pthread_mutex_lock(&q->mu);
	if (q->pf != NULL)
		pfm_show_info(q->pf, f);
	pthread_mutex_unlock(&q->mu);
}

void
nfq_rules(struct nfq *q, FILE *f)
{
	pthread_mutex_lock(&q->mu);
	if (q->pf != NULL)
		pfm_show_rules(q->pf, f, 1);
	pthread_mutex_unlock(&q->mu);
}

void
nfq_get_stats(struct nfq *q, struct nfq_stats *st)
{
	pthread_mutex_lock(&q->mu);
	*st = q->st;
	pthread_mutex_unlock(&q->mu);
}

int
nfq_drop_fd(struct nfq *q)
{
	return (q->dropfd[0]);
}

uint64_t
nfq_local_drops(struct nfq *q)
{
	uint64_t n;

	pthread_mutex_lock(&q->mu);
	n = q->ndrop;
	pthread_mutex_unlock(&q->mu);
	return (n);
}

int
nfq_local_dropped(struct nfq *q, uint64_t since, int proto, const struct pkt_addr *src,
    uint16_t sport)
{
	const struct nfq_drop *d;
	uint64_t i;
	int hit = 0;

	pthread_mutex_lock(&q->mu);
	if (q->ndrop > NFQ_DROPS && since < q->ndrop - NFQ_DROPS)
		since = q->ndrop - NFQ_DROPS;
	for (i = since; i < q->ndrop && !hit; i++) {
		d = &q->drop[i % NFQ_DROPS];
		hit = d->proto == proto && d->sport == sport && pkt_addr_eq(&d->src, src);
	}
	pthread_mutex_unlock(&q->mu);
	return (hit);
}
