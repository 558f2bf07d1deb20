/* sink_child.c: the sink's forked process (no exec): its sockets in the namespaces they
 * belong to, what reaches them reported to the harness, connects and pings on command.
 * Everything here runs after fork and calls only async-signal-safe functions. */
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sink_icmp.h"
#include "sink_impl.h"
#include "sink_os.h"

#define SINK_UDP_DATA	"pfharness\n"

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

/* A socket of jail j's (SCN_HOST or -1: home's, where the child lives): made in the
 * VNET jail's stack for a VNET jail, at home for the others. The socket, or -1 with
 * errno. */
static int
ns_socket(const struct sink *s, int j, int domain, int type, int proto)
{
	return (sink_os_socket(j >= 0 && j < s->njail && s->nsfd[j] != -1 ? s->nsfd[j] :
	    -1, s->homefd, domain, type, proto));
}

/* A raw ICMP socket of af in jail j's place (ns_socket), set up to read. */
static int
ns_icmp(const struct sink *s, int j, int af)
{
	return (sink_icmp_setup(ns_socket(s, j, af, SOCK_RAW | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, sink_icmp_proto(af)), af));
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
	if ((p->fd = ns_icmp(s, c->jail, c->dst.af)) == -1) {
		finish(s, rep, p, errno);
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
	int i, one = 1, type;

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
	if ((p->fd = ns_socket(s, c->jail, c->dst.af, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		finish(s, rep, p, errno);
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
			if (s->nraw == SINK_RAW_MAX ||
			    (fd = ns_icmp(s, j, af == 1 ? AF_INET6 : AF_INET)) == -1)
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
		l->fd = ns_socket(s, l->ns, l->addr.af, (l->proto == IPPROTO_TCP ?
		    SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
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

void
sink_child_run(struct sink *s, int cmd_r, int rep_w, pid_t ppid)
{
	child_setup(s, cmd_r, rep_w, ppid);
	if (bind_listeners(s, rep_w) == -1)
		_exit(1);
	child_loop(s, cmd_r, rep_w);
	_exit(0);
}
