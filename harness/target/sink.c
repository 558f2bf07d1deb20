/* sink.c: the jails' services (a forked process, no exec); the platform half is in
 * sink_linux.c or sink_freebsd.c (sink_os.h). */
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
#include "sink_os.h"

#define SINK_PENDING	64
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
};

struct pending {
	int		fd, used, jail, proto;
	uint32_t	seq;
	uint64_t	deadline;
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
};

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static socklen_t
to_sa(const struct pkt_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET6) {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a->a, 16);
		s6->sin6_port = htons(port);
		return (sizeof(*s6));
	}
	s4->sin_family = AF_INET;
	memcpy(&s4->sin_addr, a->a, 4);
	s4->sin_port = htons(port);
	return (sizeof(*s4));
}

static void
from_sa(const struct sockaddr_storage *ss, struct pkt_addr *a, uint16_t *port)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET6) {
		a->af = AF_INET6;
		memcpy(a->a, &s6->sin6_addr, 16);
		*port = ntohs(s6->sin6_port);
	} else {
		a->af = AF_INET;
		memcpy(a->a, &s4->sin_addr, 4);
		*port = ntohs(s4->sin_port);
	}
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
		from_sa(&ss, &r->local, &r->lport);
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
	sock_local(p->fd, r);
}

static void
report_delivery(int fd, const struct listener *l, int s, const struct sockaddr_storage *peer)
{
	struct sink_report r;

	listener_report(l, SINK_REP_DELIVERY, &r);
	if (s != -1)
		sock_local(s, &r);
	from_sa(peer, &r.peer, &r.pport);
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

static void
finish(struct sink *s, int rep, struct pending *p, int err)
{
	struct sink_report r;

	pending_report(p, SINK_REP_OUTCOME, &r);
	r.err = err;
	r.outcome = outcome_of(err);
	report(rep, &r);
	/* A connected TCP socket is kept open, like an accepted one. */
	if (err != 0 || p->proto != IPPROTO_TCP)
		close(p->fd);
	p->used = 0;
	(void)s;
}

static void
started(int rep, const struct pending *p)
{
	struct sink_report r;

	pending_report(p, SINK_REP_STARTED, &r);
	report(rep, &r);
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
	p->deadline = mono_ms() + c->timeout_ms;
	type = c->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	if ((p->fd = socket(c->dst.af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1) {
		finish(s, rep, p, errno);
		return;
	}
	(void)setsockopt(p->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	from = c->has_from ? &c->from : &s->jaddr[c->jail][c->dst.af == AF_INET6];
	sl = to_sa(from, c->has_from ? c->fport : 0, &ss);
	if (from->af != 0 && bind(p->fd, (struct sockaddr *)&ss, sl) == -1) {
		finish(s, rep, p, errno);
		return;
	}
	sl = to_sa(&c->dst, c->dport, &ss);
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
		memset(&r, 0, sizeof(r));
		r.kind = SINK_REP_SYNC;
		r.seq = c->seq;
		report(rep, &r);
		return;
	}
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
		l->fd = socket(l->addr.af, (l->proto == IPPROTO_TCP ? SOCK_STREAM :
		    SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (l->fd != -1) {
			(void)setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			if (l->addr.af == AF_INET6)
				(void)setsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
				    sizeof(one));
			sl = to_sa(&l->addr, l->port, &ss);
		}
		if (l->fd == -1 || bind(l->fd, (struct sockaddr *)&ss, sl) == -1 ||
		    (l->proto == IPPROTO_TCP && listen(l->fd, 4096) == -1)) {
			listener_report(l, SINK_REP_ERROR, &r);
			r.err = errno;
			report(rep, &r);
			return (-1);
		}
	}
	memset(&r, 0, sizeof(r));
	r.kind = SINK_REP_READY;
	report(rep, &r);
	return (0);
}

static void
child_setup(int nsfd, int cmd_r, int rep_w, pid_t ppid)
{
	struct sigaction sa;
	struct rlimit rl;
	int lo = cmd_r < rep_w ? cmd_r : rep_w, hi = cmd_r < rep_w ? rep_w : cmd_r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);	/* the harness tears us down, not ^C */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	if (sink_os_child(nsfd, ppid) == -1)
		_exit(1);
	/* Hold no descriptor of the harness (its pipes' ends, pcap, queue sockets). */
	if (lo > 3)
		close_range(3, lo - 1, 0);
	if (hi > lo + 1)
		close_range(lo + 1, hi - 1, 0);
	close_range(hi + 1, ~0U, 0);
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
	int i, n, np, tmo;
	ssize_t r;

	for (;;) {
		s->pfd[0].fd = cmd_r;
		s->pfd[0].events = POLLIN;
		for (i = 0; i < s->nl; i++) {
			s->pfd[1 + i].fd = s->l[i].fd;
			s->pfd[1 + i].events = POLLIN;
		}
		now = mono_ms();
		next = 0;
		for (i = 0, np = 1 + s->nl; i < SINK_PENDING; i++, np++) {
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
		for (i = 0; n > 0 && i < SINK_PENDING; i++)
			if (s->p[i].used && s->pfd[1 + s->nl + i].revents)
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

static int
build_tables(struct sink *s, const struct scn *scn)
{
	int i, j, k, n = 0;

	for (i = 0; i < scn->njail; i++)
		n += scn->jail[i].naddr * scn->jail[i].nlisten;
	s->l = calloc(n > 0 ? n : 1, sizeof(*s->l));
	s->jaddr = calloc(scn->njail > 0 ? scn->njail : 1, sizeof(*s->jaddr));
	s->pfd = calloc(1 + n + SINK_PENDING, sizeof(*s->pfd));
	if (s->l == NULL || s->jaddr == NULL || s->pfd == NULL)
		return (-1);
	s->njail = scn->njail;
	for (i = 0; i < scn->njail; i++) {
		for (j = 0; j < scn->jail[i].naddr; j++) {
			const struct pkt_addr *a = &scn->jail[i].addr[j];
			int v6 = a->af == AF_INET6;

			if (s->jaddr[i][v6].af == 0)
				s->jaddr[i][v6] = *a;
			for (k = 0; k < scn->jail[i].nlisten; k++) {
				s->l[s->nl].fd = -1;
				s->l[s->nl].jail = i;
				s->l[s->nl].proto = scn->jail[i].listen[k].proto;
				s->l[s->nl].addr = *a;
				s->l[s->nl].port = scn->jail[i].listen[k].port;
				s->nl++;
			}
		}
	}
	return (0);
}

static void
sink_free(struct sink *s)
{
	if (s->cmd_w != -1)
		close(s->cmd_w);
	if (s->rep_r != -1)
		close(s->rep_r);
	free(s->l);
	free(s->jaddr);
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
	snprintf(err, errlen, "%s:%d: jail %s cannot listen on %s %s:%u: %s", scn->path,
	    scn->jail[r.jail].line, scn->jail[r.jail].name,
	    r.proto == IPPROTO_TCP ? "tcp" : "udp", pkt_addr_format(&r.local, a, sizeof(a)),
	    r.lport, strerror(r.err));
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

struct sink *
sink_start(const char *netns, const struct scn *scn, char *err, size_t errlen)
{
	struct sink *s;
	int cmd[2] = { -1, -1 }, rep[2] = { -1, -1 }, nsfd;
	pid_t ppid = getpid();

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	s->cmd_w = s->rep_r = -1;
	if (build_tables(s, scn) == -1) {
		snprintf(err, errlen, "out of memory");
		sink_free(s);
		return (NULL);
	}
	if (sink_os_open(netns, &nsfd, err, errlen) == -1) {
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
		child_setup(nsfd, cmd[0], rep[1], ppid);
		if (bind_listeners(s, rep[1]) == -1)
			_exit(1);
		child_loop(s, cmd[0], rep[1]);
		_exit(0);
	}
	sink_os_close(nsfd);
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
	sink_os_close(nsfd);
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

	if (jail < 0 || jail >= s->njail)
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
