/* nfq.c: the NFQUEUE hook thread: every queued packet through pf_test of the model. */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/netfilter.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
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
#define NFQ_BUFSIZE	(256 * 1024)
#define NFQ_EXPIRE_MS	1000
#define NFQ_DROPS	64

/* A locally sent packet pf dropped on its way out. */
struct nfq_drop {
	int		proto;
	struct pkt_addr	src;
	uint16_t	sport;
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
	char		 ifname[NFQ_IFCACHE][IF_NAMESIZE];
	uint64_t	 last_expire;
	struct pfm_verdict v;
	uint8_t		 buf[NFQ_BUFSIZE];

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

/* Send pf's `block return` answer from the host, marked so the hook lets it pass (as
 * FreeBSD's pf_send_tcp and pf_send_icmp packets skip pf). */
static void
send_reply(struct nfq *q, const uint8_t *p, size_t len)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	ssize_t n = -1;

	if (len >= 20 && (p[0] >> 4) == 4 && q->raw4 != -1) {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, p + 16, 4);
		n = sendto(q->raw4, p, len, 0, (struct sockaddr *)&s4, sizeof(s4));
	} else if (len >= 40 && (p[0] >> 4) == 6 && q->raw6 != -1) {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		memcpy(&s6.sin6_addr, p + 24, 16);
		n = sendto(q->raw6, p, len, 0, (struct sockaddr *)&s6, sizeof(s6));
	}
	pthread_mutex_lock(&q->mu);
	if (n == (ssize_t)len)
		q->st.replies++;
	else
		q->st.errors++;
	pthread_mutex_unlock(&q->mu);
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

static int
on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *arg)
{
	struct nfq *q = arg;
	struct nfqnl_msg_packet_hdr *ph;
	struct pfm_verdict *v = &q->v;
	enum pfm_dir dir;
	unsigned char *p;
	const char *ifn;
	uint32_t id;
	int len, verdict = NF_ACCEPT, rewritten = 0, reply = 0;

	(void)msg;
	if ((ph = nfq_get_msg_packet_hdr(nfa)) == NULL)
		return (0);
	id = ntohl(ph->packet_id);
	if ((len = nfq_get_payload(nfa, &p)) < 0)
		return (nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL));
	if (nfq_is_sentinel(p, len)) {
		pthread_mutex_lock(&q->mu);
		q->st.packets++;
		q->st.sentinels++;
		pthread_mutex_unlock(&q->mu);
		return (nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL));
	}
	dir = ph->hook == NF_INET_PRE_ROUTING ? PFM_IN : PFM_OUT;
	ifn = pf_ifname(q, dir == PFM_IN ? nfq_get_indev(nfa) : nfq_get_outdev(nfa), p, len);
	pthread_mutex_lock(&q->mu);
	q->st.packets++;
	if (q->pf != NULL) {
		memset(v, 0, offsetof(struct pfm_verdict, reply));
		v->reply_len = 0;
		(void)pfm_test(q->pf, dir, ifn, p, len, now_ms(), v);
		if (v->action == PFM_DROP) {
			verdict = NF_DROP;
			reply = v->reply_len > 0;
		} else
			rewritten = v->rewritten;
	}
	if (verdict == NF_DROP && dir == PFM_OUT && nfq_get_indev(nfa) == 0)
		local_drop(q, p, len);
	if (verdict == NF_DROP)
		q->st.dropped++;
	else
		q->st.passed++;
	if (rewritten)
		q->st.rewritten++;
	pthread_mutex_unlock(&q->mu);
	if (reply)
		send_reply(q, v->reply, v->reply_len);
	return (nfq_set_verdict(qh, id, verdict, rewritten ? (uint32_t)len : 0,
	    rewritten ? p : NULL));
}

/* Open the queue and the reply sockets; the thread is in the host namespace. */
static int
queue_open(struct nfq *q)
{
	int mark = (int)q->o.mark_skip;

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
	(void)nfnl_rcvbufsiz(nfq_nfnlh(q->h), 8 * 1024 * 1024);
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
	q->qh = NULL;
	q->h = NULL;
	q->raw4 = q->raw6 = -1;
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

static void *
nfq_main(void *arg)
{
	struct nfq *q = arg;
	struct pollfd pfd[2];
	cpu_set_t set;
	ssize_t n;
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
		if (pfd[0].revents & POLLIN) {
			while ((n = recv(pfd[0].fd, q->buf, sizeof(q->buf), MSG_DONTWAIT)) > 0)
				nfq_handle_packet(q->h, (char *)q->buf, (int)n);
			if (n == -1 && errno == ENOBUFS) {
				pthread_mutex_lock(&q->mu);
				q->st.errors++;
				pthread_mutex_unlock(&q->mu);
			}
		}
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
	q->raw4 = q->raw6 = -1;
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
