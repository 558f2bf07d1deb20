/* nfq.c: the NFQUEUE hook thread: every queued packet through pf_test of the model. */
#include <sys/resource.h>
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
#include "nfq_impl.h"
#include "pf/pfm.h"

/* A test build's deliberate slowdown of the hook (make bench-slow): nanoseconds of
 * busy loop per packet pf tests. 0 in every other build. */
#ifndef NFQ_TEST_SPIN_NS
#define NFQ_TEST_SPIN_NS	0
#endif

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
	int vd = NF_ACCEPT, rewritten = 0, afto = 0, i;

	if (e->len < 0) {
		q->st.errors++;
		nfq_verdict(q, e->id, NF_DROP, NULL, 0);	/* pf cannot see it: do not pass it */
		return;
	}
	if (e->sentinel) {
		q->st.sentinels++;
		q->st.passed++;
		nfq_verdict(q, e->id, NF_ACCEPT, NULL, 0);
		return;
	}
	if (v != NULL) {
		if (v->action == PFM_DROP)
			vd = NF_DROP;
		else if (v->action == PFM_HELD)
			vd = NF_DROP;	/* pf keeps a copy: this fragment goes no further */
		else if (v->afto != NULL) {
			/* af-to: the kernel's hook takes no packet of the other family
			 * for this one; it goes no further, and the translated packet
			 * leaves from the host as pf_route sends it (below) */
			vd = NF_DROP;
			afto = 1;
		} else if (v->reass != NULL) {
			/* The last fragment's verdict carries the whole packet pf passed:
			 * nfqnl_mangle takes a longer payload (up to 64k) and grows the skb. */
			rp = v->reass;
			rlen = v->reass_len;
			rewritten = 1;
		} else
			rewritten = v->rewritten;
	}
	if (afto) {
		q->st.passed++;
		q->st.rewritten++;
	} else if (vd == NF_DROP) {
		q->st.dropped++;
		if (l4_proto(e->p, (size_t)e->len) == IPPROTO_UDP)
			q->st.dropped_udp++;
		if (e->dir == PFM_OUT && e->local && v->action != PFM_HELD)
			nfq_local_drop(q, e->p, (size_t)e->len);
	} else
		q->st.passed++;
	if (rewritten)
		q->st.rewritten++;
	nfq_verdict(q, e->id, vd, rewritten ? rp : NULL, rlen);
	if (v == NULL)
		return;
	if (afto)	/* afto_test: sent so that the hook tests it out */
		nfq_send_reply(q, v->afto, v->afto_len, !v->afto_test);
	if (vd == NF_DROP && v->reply_len > 0)
		nfq_send_reply(q, v->reply, v->reply_len, 1);
	for (i = 0; i < v->nemit; i++)
		nfq_send_reply(q, v->emit[i].pkt, v->emit[i].len, v->emit[i].skip);
}

/* The monotonic clock in ns (the vDSO's: a few tens of ns a read). */
static uint64_t
mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ((uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec);
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

	q->pf_batch_ns += mono_ns() - q->pf_mark;
	for (; q->nsettled < upto; q->nsettled++)
		if (q->pend[q->nsettled].ifn == NULL)
			settle(q, &q->pend[q->nsettled], NULL);
	settle(q, e, b->v);
	q->nsettled = upto + 1;
	q->pf_mark = mono_ns();
}

/* Burn ns nanoseconds of CPU (the test build's slowdown). */
static void
spin_ns(uint64_t ns)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((uint64_t)(b.tv_sec - a.tv_sec) * 1000000000u +
	    (uint64_t)(b.tv_nsec - a.tv_nsec) < ns);
}

/* The context switches of this thread so far, or -1. */
static long
thread_switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru) == -1)
		return (-1);
	return (ru.ru_nvcsw + ru.ru_nivcsw);
}

/* pf on the pending packets, in one pfm_test_batch, and every verdict in order. */
static void
settle_all(struct nfq *q)
{
	size_t n = 0;
	long sw0;
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
	/* pf's time runs from here to each packet's verdict and from there to the
	 * next (tested): the test build's slowdown counts as pf's. A batch during
	 * which the thread gave up its CPU is left out (its clock ran on while others
	 * used the CPU). */
	q->pf_batch_ns = 0;
	sw0 = thread_switches();
	q->pf_mark = mono_ns();
	if (NFQ_TEST_SPIN_NS > 0 && n > 0)
		spin_ns((uint64_t)NFQ_TEST_SPIN_NS * n);
	if (n > 0)
		pfm_test_batch(q->pf, q->bat, n, q->now, tested, q);
	if (n > 0 && sw0 >= 0 && thread_switches() == sw0) {
		q->st.pf_ns += q->pf_batch_ns;
		q->st.pf_tested += n;
	}
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
		pfm_expire(q->pf, t + q->skew);
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
		q->now = now_ms() + q->skew;
		for (i = 0; i < n; i++) {
			mh = &q->mmsg[i].msg_hdr;
			if (mh->msg_flags & MSG_TRUNC)
				q->st.errors++;	/* cannot happen: a slot holds 64k */
			else if (nfq_handle_packet(q->h, mh->msg_iov->iov_base,
			    (int)q->mmsg[i].msg_len) == -1)
				q->st.errors++;	/* the kernel refused a verdict */
		}
		settle_all(q);
		nfq_run_flush(q);
		nfq_tx_send(q);
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

uint64_t
nfq_pf_now(struct nfq *q)
{
	return (now_ms() + q->skew);
}

void
nfq_clock_advance(struct nfq *q, uint64_t ms)
{
	pthread_mutex_lock(&q->mu);
	q->skew += ms;
	if (q->pf != NULL)	/* what pf's purge thread removes meanwhile */
		pfm_expire(q->pf, now_ms() + q->skew);
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

double
nfq_cpu_seconds(struct nfq *q)
{
	struct timespec ts;
	clockid_t cid;

	if (pthread_getcpuclockid(q->thread, &cid) != 0 || clock_gettime(cid, &ts) == -1)
		return (0);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
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
