/* sink.c: the jails' and the host's services (a forked process, no exec); the platform
 * half is in sink_linux.c or sink_freebsd.c (sink_os.h), the raw ICMP sockets in
 * sink_icmp.c. */
/*
 * Namespaces (Linux): the child lives in the host's; a VNET jail's sockets are made in
 * the jail's namespace (setns there, socket(), setns back: a socket keeps the namespace
 * it was made in), so one process serves every jail and keeps one report stream. Every
 * namespace has a raw ICMP socket (ICMPv6 too when the world has IPv6) that sees each
 * ICMP message delivered there; its destination names the party (a jail's address,
 * else the host). A ping is a raw socket of its own, connected to the destination (its
 * route picks the source when no jail address binds it).
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sink.h"
#include "sink_icmp.h"
#include "sink_os.h"

#define SINK_PENDING	64
#define SINK_RAW_MAX	64	/* raw ICMP sockets: two per namespace */
#define SINK_START_MS	3000
#define SINK_UDP_DATA	"pfharness\n"

enum sink_op { SINK_OP_SYNC, SINK_OP_CONNECT, SINK_OP_ABORT };

struct sink_cmd {
	enum sink_op	op;
	uint32_t	seq;
	int		jail, proto, has_from, timeout_ms;
	struct pkt_addr	dst, from;
	uint16_t	dport, fport;
};

struct listener {
	int		fd, jail, proto;
	struct pkt_addr	addr;
	uint16_t	port;
	int		ns;		/* the jail whose namespace it is in; -1: home */
};

struct pending {
	int		fd, used, jail, proto;
	uint32_t	seq;
	uint64_t	deadline;
	int		ping;		/* an echo request: ... */
	uint16_t	ping_seq;	/* ... its sequence, to dst */
	struct pkt_addr	dst;
};

/* A raw ICMP socket recording what a namespace receives. */
struct rawsock {
	int		fd, af;
	int		ns;		/* the VNET jail whose it is, -1: home (the host's) */
};

/* A non-VNET jail's address: ICMP messages to it are that jail's. */
struct owner {
	struct pkt_addr	addr;
	int		jail;
};

struct sink {
	pid_t		 pid;
	int		 cmd_w, rep_r;
	/* The child's working set, allocated before the fork: the child never mallocs. */
	struct listener	*l;
	int		 nl;
	struct pkt_addr	(*jaddr)[2];	/* each jail's first IPv4 and IPv6 address */
	int		 njail;
	struct pending	 p[SINK_PENDING];
	struct pollfd	*pfd;
	int		*nsfd;		/* by jail: its namespace (sink_os_open), or -1 */
	int		 homefd;	/* the namespace the child lives in, or -1 */
	int		 v6;		/* the world has IPv6 */
	struct rawsock	 raw[SINK_RAW_MAX];
	int		 nraw;
	struct owner	*own;
	int		 nown;
	uint16_t	 ping_seq;
	int		 njail_ns;	/* nsfd's length */
	int		*keep;		/* the child's descriptors (child_setup) */
};

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static int
outcome_of(int err)
{
	switch (err) {
	case 0:
		return (SCN_CONN_OK);
	case ECONNREFUSED:
		return (SCN_CONN_REFUSED);
	case ETIMEDOUT:
		return (SCN_CONN_TIMEOUT);
	default:
		return (SCN_CONN_FAILED);
	}
}

/* Child side: everything below until sink_start runs after fork and calls only
 * async-signal-safe functions. */

static void
report(int fd, const struct sink_report *r)
{
	while (write(fd, r, sizeof(*r)) == -1 && errno == EINTR)
		;
}

/* Socket s's own address into r's local address (left as it is when s has none). */
static void
sock_local(int s, struct sink_report *r)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(s, (struct sockaddr *)&ss, &sl) == 0)
		sink_from_sa(&ss, &r->local, &r->lport);
}

/* A report of `kind` about listener l: its jail, protocol, address and port. */
static void
listener_report(const struct listener *l, enum sink_rep_kind kind, struct sink_report *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->jail = l->jail;
	r->proto = l->proto;
	r->local = l->addr;
	r->lport = l->port;
}

/* A report of `kind` about pending connect p: its seq, jail, protocol, local address. */
static void
pending_report(const struct pending *p, enum sink_rep_kind kind, struct sink_report *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->jail = p->jail;
	r->proto = p->proto;
	r->seq = p->seq;
	if (p->fd != -1)
		sock_local(p->fd, r);
	if (p->ping)
		r->lport = SINK_PING_ID;	/* what the hook notes of a dropped ping */
}

/* Into jail j's namespace (-1: home, where the child lives). 0, or -1. */
static int
enter_ns(const struct sink *s, int j)
{
	return (sink_os_enter(j >= 0 && s->nsfd[j] != -1 ? s->nsfd[j] : s->homefd));
}

/* The namespace a step of jail j is made in: j for a VNET jail, else -1 (home). */
static int
ns_of(const struct sink *s, int j)
{
	return (j >= 0 && j < s->njail && s->nsfd[j] != -1 ? j : -1);
}

/* Whose an ICMP message to dst is in the home namespace: a non-VNET jail's address,
 * else the host's. */
static int
owner_of(const struct sink *s, const struct pkt_addr *dst)
{
	int i;

	for (i = 0; i < s->nown; i++)
		if (pkt_addr_eq(&s->own[i].addr, dst))
			return (s->own[i].jail);
	return (SCN_HOST);
}

/* Every ICMP message waiting on raw socket rs, reported as delivered. */
static void
drain_raw(const struct sink *s, int rep, const struct rawsock *rs)
{
	struct sink_report r;
	struct pkt m;

	while (sink_icmp_read(rs->fd, rs->af, &m) == 1) {
		memset(&r, 0, sizeof(r));
		r.kind = SINK_REP_DELIVERY;
		r.jail = rs->ns >= 0 ? rs->ns : owner_of(s, &m.dst);
		r.proto = m.proto;
		r.local = m.dst;
		r.peer = m.src;
		r.icmp = (int)m.icmp;
		report(rep, &r);
	}
}

static void
report_delivery(int fd, const struct listener *l, int s, const struct sockaddr_storage *peer)
{
	struct sink_report r;

	listener_report(l, SINK_REP_DELIVERY, &r);
	if (s != -1)
		sock_local(s, &r);
	sink_from_sa(peer, &r.peer, &r.pport);
	report(fd, &r);
}

/* Take whatever waits on a listener: accepted connections stay open until the sink
 * dies, so no FIN shows up in a later probe. */
static void
drain(int rep, const struct listener *l)
{
	struct sockaddr_storage peer;
	socklen_t pl;
	char buf[2048];
	int s;

	for (;;) {
		pl = sizeof(peer);
		if (l->proto == IPPROTO_TCP) {
			s = accept4(l->fd, (struct sockaddr *)&peer, &pl,
			    SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (s == -1)
				return;
			report_delivery(rep, l, s, &peer);
		} else {
			if (recvfrom(l->fd, buf, sizeof(buf), MSG_DONTWAIT,
			    (struct sockaddr *)&peer, &pl) == -1)
				return;
			report_delivery(rep, l, -1, &peer);
		}
	}
}

/* A connect's outcome: its own (outcome >= 0), else err's. */
static void
finish_as(struct sink *s, int rep, struct pending *p, int err, int outcome)
{
	struct sink_report r;

	pending_report(p, SINK_REP_OUTCOME, &r);
	r.err = err;
	r.outcome = outcome >= 0 ? outcome : outcome_of(err);
	report(rep, &r);
	/* A connected TCP socket is kept open, like an accepted one. */
	if ((err != 0 || p->proto != IPPROTO_TCP) && p->fd != -1)
		close(p->fd);
	p->used = 0;
	(void)s;
}

static void
finish(struct sink *s, int rep, struct pending *p, int err)
{
	finish_as(s, rep, p, err, -1);
}

static void
started(int rep, const struct pending *p)
{
	struct sink_report r;

	pending_report(p, SINK_REP_STARTED, &r);
	report(rep, &r);
}

/* A ping from the party of c: a raw socket in its namespace, bound to the jail's
 * address (the host's: `from`, or its route's), connected to dst, an echo request. */
static void
start_ping(struct sink *s, int rep, struct pending *p, const struct sink_cmd *c)
{
	const struct pkt_addr *from = c->has_from ? &c->from : c->jail >= 0 ?
	    &s->jaddr[c->jail][c->dst.af == AF_INET6] : NULL;
	struct sockaddr_storage ss;
	socklen_t sl;
	int err;

	p->ping = 1;
	p->dst = c->dst;
	p->ping_seq = ++s->ping_seq;
	p->proto = c->dst.af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	if (enter_ns(s, ns_of(s, c->jail)) == -1) {
		finish(s, rep, p, errno);
		return;
	}
	p->fd = sink_icmp_open(c->dst.af);
	err = errno;
	(void)enter_ns(s, -1);
	if (p->fd == -1) {
		finish(s, rep, p, err);
		return;
	}
	if (from != NULL && from->af != 0) {
		sl = sink_to_sa(from, 0, &ss);
		if (bind(p->fd, (struct sockaddr *)&ss, sl) == -1) {
			finish(s, rep, p, errno);
			return;
		}
	}
	sl = sink_to_sa(&c->dst, 0, &ss);
	if (connect(p->fd, (struct sockaddr *)&ss, sl) == -1) {
		finish(s, rep, p, errno);
		return;
	}
	if ((err = sink_icmp_echo(p->fd, c->dst.af, p->ping_seq)) != 0)
		finish(s, rep, p, err);
	else
		started(rep, p);
}

/* A ping's socket is readable: its echo reply (ok) or an ICMP error about it
 * (unreachable), if one came. */
static void
check_ping(struct sink *s, int rep, struct pending *p)
{
	struct pkt m;

	while (p->used && sink_icmp_read(p->fd, p->dst.af, &m) == 1) {
		if (m.icmp == PKT_ICMP_ECHO_REPLY && m.sport == SINK_PING_ID &&
		    m.icmp_seq == p->ping_seq && pkt_addr_eq(&m.src, &p->dst))
			finish_as(s, rep, p, 0, SCN_CONN_OK);
		else if (m.icmp != PKT_ICMP_ECHO_REPLY && m.icmp != PKT_ICMP_ECHO_REQUEST &&
		    m.has_quote && m.quote.proto == p->proto &&
		    m.quote.sport == SINK_PING_ID && pkt_addr_eq(&m.quote.dst, &p->dst))
			finish_as(s, rep, p, EHOSTUNREACH, SCN_CONN_UNREACHABLE);
	}
}

static void
start_connect(struct sink *s, int rep, const struct sink_cmd *c)
{
	struct sockaddr_storage ss;
	struct pending *p = NULL;
	const struct pkt_addr *from;
	socklen_t sl;
	int i, one = 1, type, err;

	for (i = 0; i < SINK_PENDING; i++)
		if (!s->p[i].used) {
			p = &s->p[i];
			break;
		}
	if (p == NULL)
		return;		/* more than SINK_PENDING at once: no outcome reported */
	memset(p, 0, sizeof(*p));
	p->used = 1;
	p->seq = c->seq;
	p->jail = c->jail;
	p->proto = c->proto;
	p->fd = -1;
	p->deadline = mono_ms() + c->timeout_ms;
	if (c->proto == IPPROTO_ICMP) {
		start_ping(s, rep, p, c);
		return;
	}
	type = c->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	if (enter_ns(s, ns_of(s, c->jail)) == -1) {
		finish(s, rep, p, errno);
		return;
	}
	p->fd = socket(c->dst.af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	err = errno;
	(void)enter_ns(s, -1);
	if (p->fd == -1) {
		finish(s, rep, p, err);
		return;
	}
	(void)setsockopt(p->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	from = c->has_from ? &c->from : c->jail >= 0 ?
	    &s->jaddr[c->jail][c->dst.af == AF_INET6] : NULL;
	sl = from != NULL ? sink_to_sa(from, c->has_from ? c->fport : 0, &ss) : 0;
	if (from != NULL && from->af != 0 && bind(p->fd, (struct sockaddr *)&ss, sl) == -1) {
		finish(s, rep, p, errno);
		return;
	}
	sl = sink_to_sa(&c->dst, c->dport, &ss);
	if (connect(p->fd, (struct sockaddr *)&ss, sl) == -1) {
		if (errno != EINPROGRESS)
			finish(s, rep, p, errno);
		else
			started(rep, p);
		return;
	}
	if (c->proto == IPPROTO_TCP) {
		finish(s, rep, p, 0);
		return;
	}
	if (send(p->fd, SINK_UDP_DATA, sizeof(SINK_UDP_DATA) - 1, 0) == -1)
		finish(s, rep, p, errno);
	else
		started(rep, p);
}

/* A pending connect that poll woke up: its outcome, if it has one now. */
static void
check_pending(struct sink *s, int rep, struct pending *p)
{
	char buf[2048];
	socklen_t sl = sizeof(int);
	int err = 0;

	if (p->ping) {
		check_ping(s, rep, p);
		return;
	}
	if (p->proto == IPPROTO_TCP) {
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1)
			err = errno;
		if (err != EINPROGRESS && err != EALREADY)
			finish(s, rep, p, err);
		return;
	}
	if (recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		finish(s, rep, p, 0);
	else if (errno != EAGAIN && errno != EWOULDBLOCK)
		finish(s, rep, p, errno);
}

static void
command(struct sink *s, int rep, const struct sink_cmd *c)
{
	struct sink_report r;
	int i;

	switch (c->op) {
	case SINK_OP_CONNECT:
		start_connect(s, rep, c);
		return;
	case SINK_OP_ABORT:
		for (i = 0; i < SINK_PENDING; i++)
			if (s->p[i].used && s->p[i].seq == c->seq) {
				close(s->p[i].fd);
				s->p[i].used = 0;
			}
		return;
	case SINK_OP_SYNC:
		for (i = 0; i < s->nl; i++)
			drain(rep, &s->l[i]);
		for (i = 0; i < s->nraw; i++)
			drain_raw(s, rep, &s->raw[i]);
		memset(&r, 0, sizeof(r));
		r.kind = SINK_REP_SYNC;
		r.seq = c->seq;
		report(rep, &r);
		return;
	}
}

/* A raw ICMP socket (ICMPv6 too when the world has IPv6) in each namespace: home's
 * and each VNET jail's. 0, or -1 with errno. */
static int
open_raw(struct sink *s)
{
	int j, af, fd;

	for (j = -1; j < s->njail; j++) {
		if (j >= 0 && s->nsfd[j] == -1)
			continue;
		for (af = 0; af < 2; af++) {
			if (af == 1 && !s->v6)
				continue;
			if (s->nraw == SINK_RAW_MAX || enter_ns(s, j) == -1)
				return (-1);
			fd = sink_icmp_open(af == 1 ? AF_INET6 : AF_INET);
			if (enter_ns(s, -1) == -1 || fd == -1)
				return (-1);
			s->raw[s->nraw].fd = fd;
			s->raw[s->nraw].af = af == 1 ? AF_INET6 : AF_INET;
			s->raw[s->nraw++].ns = j;
		}
	}
	return (0);
}

static int
bind_listeners(struct sink *s, int rep)
{
	struct sockaddr_storage ss;
	struct sink_report r;
	struct listener *l;
	socklen_t sl = 0;
	int i, one = 1;

	for (i = 0; i < s->nl; i++) {
		l = &s->l[i];
		l->fd = -1;
		if (enter_ns(s, l->ns) == 0)
			l->fd = socket(l->addr.af, (l->proto == IPPROTO_TCP ? SOCK_STREAM :
			    SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (enter_ns(s, -1) == -1) {
			close(l->fd);
			l->fd = -1;
		}
		if (l->fd != -1) {
			(void)setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			if (l->addr.af == AF_INET6)
				(void)setsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
				    sizeof(one));
			sl = sink_to_sa(&l->addr, l->port, &ss);
		}
		if (l->fd == -1 || bind(l->fd, (struct sockaddr *)&ss, sl) == -1 ||
		    (l->proto == IPPROTO_TCP && listen(l->fd, 4096) == -1)) {
			listener_report(l, SINK_REP_ERROR, &r);
			r.err = errno;
			report(rep, &r);
			return (-1);
		}
	}
	if (open_raw(s) == -1) {
		memset(&r, 0, sizeof(r));
		r.kind = SINK_REP_ERROR;
		r.jail = SCN_HOST;
		r.proto = IPPROTO_ICMP;
		r.err = errno;
		report(rep, &r);
		return (-1);
	}
	memset(&r, 0, sizeof(r));
	r.kind = SINK_REP_READY;
	report(rep, &r);
	return (0);
}

/* Close every descriptor above 2 but the n in keep (sorted here, in place). */
static void
close_but(int *keep, int n)
{
	int i, k, v, prev = 2;

	for (i = 1; i < n; i++)	/* insertion sort: a handful of descriptors */
		for (k = i; k > 0 && keep[k - 1] > keep[k]; k--) {
			v = keep[k];
			keep[k] = keep[k - 1];
			keep[k - 1] = v;
		}
	for (i = 0; i < n; i++) {
		if (keep[i] <= prev)
			continue;
		if (keep[i] > prev + 1)
			close_range((unsigned)prev + 1, (unsigned)keep[i] - 1, 0);
		prev = keep[i];
	}
	close_range((unsigned)prev + 1, ~0U, 0);
}

static void
child_setup(struct sink *s, int cmd_r, int rep_w, pid_t ppid)
{
	struct sigaction sa;
	struct rlimit rl;
	int n = 0, j;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);	/* the harness tears us down, not ^C */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	if (sink_os_child(s->homefd, ppid) == -1)
		_exit(1);
	/* Hold no descriptor of the harness (its pipes' ends, pcap, queue sockets), only
	 * the pipes and the namespaces' own. */
	s->keep[n++] = cmd_r;
	s->keep[n++] = rep_w;
	if (s->homefd != -1)
		s->keep[n++] = s->homefd;
	for (j = 0; j < s->njail; j++)
		if (s->nsfd[j] != -1)
			s->keep[n++] = s->nsfd[j];
	close_but(s->keep, n);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
child_loop(struct sink *s, int cmd_r, int rep)
{
	struct sink_cmd c;
	uint64_t now, next;
	int i, n, np, tmo, rb = 1 + s->nl, pb = 1 + s->nl + s->nraw;
	ssize_t r;

	for (;;) {
		s->pfd[0].fd = cmd_r;
		s->pfd[0].events = POLLIN;
		for (i = 0; i < s->nl; i++) {
			s->pfd[1 + i].fd = s->l[i].fd;
			s->pfd[1 + i].events = POLLIN;
		}
		for (i = 0; i < s->nraw; i++) {
			s->pfd[rb + i].fd = s->raw[i].fd;
			s->pfd[rb + i].events = POLLIN;
		}
		now = mono_ms();
		next = 0;
		for (i = 0, np = pb; i < SINK_PENDING; i++, np++) {
			s->pfd[np].fd = s->p[i].used ? s->p[i].fd : -1;
			s->pfd[np].events = s->p[i].proto == IPPROTO_TCP ? POLLOUT : POLLIN;
			if (s->p[i].used && (next == 0 || s->p[i].deadline < next))
				next = s->p[i].deadline;
		}
		tmo = next == 0 ? -1 : next <= now ? 0 : (int)(next - now);
		if ((n = poll(s->pfd, np, tmo)) == -1 && errno != EINTR)
			_exit(1);
		for (i = 0; n > 0 && i < s->nl; i++)
			if (s->pfd[1 + i].revents)
				drain(rep, &s->l[i]);
		for (i = 0; n > 0 && i < s->nraw; i++)
			if (s->pfd[rb + i].revents)
				drain_raw(s, rep, &s->raw[i]);
		for (i = 0; n > 0 && i < SINK_PENDING; i++)
			if (s->p[i].used && s->pfd[pb + i].revents)
				check_pending(s, rep, &s->p[i]);
		now = mono_ms();
		for (i = 0; i < SINK_PENDING; i++)
			if (s->p[i].used && s->p[i].deadline <= now)
				finish(s, rep, &s->p[i], ETIMEDOUT);
		if (n > 0 && s->pfd[0].revents) {
			if ((r = read(cmd_r, &c, sizeof(c))) == 0)
				_exit(0);
			if (r == (ssize_t)sizeof(c))
				command(s, rep, &c);
		}
	}
}

/* Parent side. */

/* The host's addresses its services listen on: its interfaces' and bridges', and
 * lo0's 127.0.0.1 (::1 when the world has IPv6); n of them into out (NULL: count). */
static int
host_addrs(const struct scn *scn, int v6, struct pkt_addr *out)
{
	int i, k, n = 0;

	for (i = 0; i < scn->niface; i++)
		for (k = 0; k < scn->iface[i].naddr; k++, n++)
			if (out != NULL)
				out[n] = scn->iface[i].addr[k].addr;
	for (i = 0; i < scn->nbridge; i++, n++)
		if (out != NULL)
			out[n] = scn->bridge[i].addr;
	if (scn->niface == 0 && scn->host_addr.af != 0 && out != NULL)
		out[n] = scn->host_addr;
	n += scn->niface == 0 && scn->host_addr.af != 0;
	if (out != NULL)
		(void)pkt_addr_parse("127.0.0.1", &out[n]);
	n++;
	if (v6 && out != NULL)
		(void)pkt_addr_parse("::1", &out[n]);
	return (n + v6);
}

static void
listener_add(struct sink *s, int jail, const struct pkt_addr *a, const struct scn_port *lp,
    int ns)
{
	struct listener *l = &s->l[s->nl++];

	l->fd = -1;
	l->jail = jail;
	l->proto = lp->proto;
	l->addr = *a;
	l->port = lp->port;
	l->ns = ns;
}

static int
build_tables(struct sink *s, const struct scn *scn)
{
	struct pkt_addr *ha = NULL;
	int i, j, k, n = 0, nh;

	for (i = 0; i < scn->njail; i++)
		for (j = 0; j < scn->jail[i].naddr; j++)
			s->v6 |= scn->jail[i].addr[j].af == AF_INET6;
	nh = host_addrs(scn, 0, NULL);
	if ((ha = calloc((size_t)nh + 2, sizeof(*ha))) == NULL)
		return (-1);
	(void)host_addrs(scn, 0, ha);
	for (i = 0; i < nh; i++)
		s->v6 |= ha[i].af == AF_INET6;
	nh = host_addrs(scn, s->v6, ha);
	for (i = 0; i < scn->njail; i++)
		n += scn->jail[i].naddr * scn->jail[i].nlisten;
	n += nh * scn->nhost_listen;
	s->l = calloc(n > 0 ? n : 1, sizeof(*s->l));
	s->jaddr = calloc(scn->njail > 0 ? scn->njail : 1, sizeof(*s->jaddr));
	s->own = calloc((size_t)scn->njail * SCN_ADDRS_MAX + 1, sizeof(*s->own));
	s->pfd = calloc(1 + n + SINK_RAW_MAX + SINK_PENDING, sizeof(*s->pfd));
	if (s->l == NULL || s->jaddr == NULL || s->own == NULL || s->pfd == NULL) {
		free(ha);
		return (-1);
	}
	s->njail = scn->njail;
	for (i = 0; i < scn->njail; i++) {
		for (j = 0; j < scn->jail[i].naddr; j++) {
			const struct pkt_addr *a = &scn->jail[i].addr[j];
			int v6 = a->af == AF_INET6;

			if (s->jaddr[i][v6].af == 0)
				s->jaddr[i][v6] = *a;
			if (s->nsfd[i] == -1) {
				s->own[s->nown].addr = *a;
				s->own[s->nown++].jail = i;
			}
			for (k = 0; k < scn->jail[i].nlisten; k++)
				listener_add(s, i, a, &scn->jail[i].listen[k],
				    s->nsfd[i] != -1 ? i : -1);
		}
	}
	for (i = 0; i < nh; i++)
		for (k = 0; k < scn->nhost_listen; k++)
			listener_add(s, SCN_HOST, &ha[i], &scn->host_listen[k], -1);
	free(ha);
	return (0);
}

static void
sink_free(struct sink *s)
{
	int j;

	if (s->cmd_w != -1)
		close(s->cmd_w);
	if (s->rep_r != -1)
		close(s->rep_r);
	for (j = 0; s->nsfd != NULL && j < s->njail_ns; j++)
		sink_os_close(s->nsfd[j]);
	sink_os_close(s->homefd);
	free(s->l);
	free(s->jaddr);
	free(s->own);
	free(s->nsfd);
	free(s->keep);
	free(s->pfd);
	free(s);
}

/* Wait for READY; 0, or -1 with err. */
static int
await_ready(struct sink *s, const struct scn *scn, char *err, size_t errlen)
{
	struct pollfd pfd = { .fd = s->rep_r, .events = POLLIN };
	struct sink_report r;
	char a[64];

	if (poll(&pfd, 1, SINK_START_MS) <= 0) {
		snprintf(err, errlen, "the sink did not start within %d ms", SINK_START_MS);
		return (-1);
	}
	if (sink_read(s, &r) != 1) {
		snprintf(err, errlen, "the sink died while starting");
		return (-1);
	}
	if (r.kind == SINK_REP_READY)
		return (0);
	if (r.proto == IPPROTO_ICMP)
		snprintf(err, errlen, "the sink cannot open its raw ICMP sockets: %s",
		    strerror(r.err));
	else if (r.jail == SCN_HOST)
		snprintf(err, errlen, "%s:%d: the host cannot listen on %s %s:%u: %s",
		    scn->path, scn->host_listen_line, r.proto == IPPROTO_TCP ? "tcp" : "udp",
		    pkt_addr_format(&r.local, a, sizeof(a)), r.lport, strerror(r.err));
	else
		snprintf(err, errlen, "%s:%d: jail %s cannot listen on %s %s:%u: %s",
		    scn->path, scn->jail[r.jail].line, scn->jail[r.jail].name,
		    r.proto == IPPROTO_TCP ? "tcp" : "udp",
		    pkt_addr_format(&r.local, a, sizeof(a)), r.lport, strerror(r.err));
	return (-1);
}

/* pipe2(O_CLOEXEC) is in POSIX.1-2024 but not every libc yet. */
static int
pipe_cloexec(int p[2])
{
	if (pipe(p) == -1)
		return (-1);
	if (fcntl(p[0], F_SETFD, FD_CLOEXEC) == -1 || fcntl(p[1], F_SETFD, FD_CLOEXEC) == -1) {
		close(p[0]), close(p[1]);
		p[0] = p[1] = -1;
		return (-1);
	}
	return (0);
}

/* The namespaces: home (netns) and each VNET jail's. 0, or -1 with err. */
static int
open_ns(struct sink *s, const char *netns, const char (*jailns)[64],
    const struct scn *scn, char *err, size_t errlen)
{
	int j;

	s->homefd = -1;
	if ((s->nsfd = calloc((size_t)scn->njail + 1, sizeof(*s->nsfd))) == NULL ||
	    (s->keep = calloc((size_t)scn->njail + 4, sizeof(*s->keep))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	for (j = 0; j < scn->njail; j++)
		s->nsfd[j] = -1;
	s->njail_ns = scn->njail;
	if (sink_os_open(netns, &s->homefd, err, errlen) == -1)
		return (-1);
	for (j = 0; jailns != NULL && j < scn->njail; j++) {
		if (jailns[j][0] == '\0')
			continue;
		if (netns == NULL) {
			snprintf(err, errlen, "sink: jail %s's namespace without the host's",
			    scn->jail[j].name);
			return (-1);
		}
		if (sink_os_open(jailns[j], &s->nsfd[j], err, errlen) == -1)
			return (-1);
	}
	return (0);
}

struct sink *
sink_start(const char *netns, const struct scn *scn, char *err, size_t errlen)
{
	return (sink_start_world(netns, NULL, scn, err, errlen));
}

struct sink *
sink_start_world(const char *netns, const char (*jailns)[64], const struct scn *scn,
    char *err, size_t errlen)
{
	struct sink *s;
	int cmd[2] = { -1, -1 }, rep[2] = { -1, -1 };
	pid_t ppid = getpid();

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	s->cmd_w = s->rep_r = -1;
	if (open_ns(s, netns, jailns, scn, err, errlen) == -1) {
		sink_free(s);
		return (NULL);
	}
	if (build_tables(s, scn) == -1) {
		snprintf(err, errlen, "out of memory");
		sink_free(s);
		return (NULL);
	}
	if (pipe_cloexec(cmd) == -1 || pipe_cloexec(rep) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	sink_os_pipe_size(rep[1]);
	if ((s->pid = fork()) == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto fail;
	}
	if (s->pid == 0) {
		child_setup(s, cmd[0], rep[1], ppid);
		if (bind_listeners(s, rep[1]) == -1)
			_exit(1);
		child_loop(s, cmd[0], rep[1]);
		_exit(0);
	}
	close(cmd[0]);
	close(rep[1]);
	s->cmd_w = cmd[1];
	s->rep_r = rep[0];
	if (await_ready(s, scn, err, errlen) == -1) {
		sink_stop(s);
		return (NULL);
	}
	return (s);
fail:
	if (cmd[0] != -1)
		close(cmd[0]);
	if (cmd[1] != -1)
		close(cmd[1]);
	if (rep[0] != -1)
		close(rep[0]);
	if (rep[1] != -1)
		close(rep[1]);
	sink_free(s);
	return (NULL);
}

void
sink_stop(struct sink *s)
{
	if (s == NULL)
		return;
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		while (waitpid(s->pid, NULL, 0) == -1 && errno == EINTR)
			;
	}
	sink_free(s);
}

pid_t
sink_pid(const struct sink *s)
{
	return (s->pid);
}

int
sink_fd(const struct sink *s)
{
	return (s->rep_r);
}

int
sink_read(struct sink *s, struct sink_report *r)
{
	ssize_t n;

	while ((n = read(s->rep_r, r, sizeof(*r))) == -1 && errno == EINTR)
		;
	if (n == 0)
		return (0);
	return (n == (ssize_t)sizeof(*r) ? 1 : -1);
}

static int
send_cmd(struct sink *s, const struct sink_cmd *c)
{
	ssize_t n;

	while ((n = write(s->cmd_w, c, sizeof(*c))) == -1 && errno == EINTR)
		;
	return (n == (ssize_t)sizeof(*c) ? 0 : -1);
}

/* A command that carries only its seq (sync, abort). 0 or -1. */
static int
send_seq_cmd(struct sink *s, enum sink_op op, uint32_t seq)
{
	struct sink_cmd c;

	memset(&c, 0, sizeof(c));
	c.op = op;
	c.seq = seq;
	return (send_cmd(s, &c));
}

int
sink_sync(struct sink *s, uint32_t seq)
{
	return (send_seq_cmd(s, SINK_OP_SYNC, seq));
}

int
sink_connect(struct sink *s, uint32_t seq, int jail, int proto, const struct pkt_addr *dst,
    uint16_t dport, const struct pkt_addr *from, uint16_t fromport, int timeout_ms)
{
	struct sink_cmd c;

	if (jail != SCN_HOST && (jail < 0 || jail >= s->njail))
		return (-1);
	memset(&c, 0, sizeof(c));
	c.op = SINK_OP_CONNECT;
	c.seq = seq;
	c.jail = jail;
	c.proto = proto;
	c.dst = *dst;
	c.dport = dport;
	if (from != NULL) {
		c.has_from = 1;
		c.from = *from;
		c.fport = fromport;
	}
	c.timeout_ms = timeout_ms;
	return (send_cmd(s, &c));
}

int
sink_abort(struct sink *s, uint32_t seq)
{
	return (send_seq_cmd(s, SINK_OP_ABORT, seq));
}
