/* sink.c: the jails' and the host's services: the harness's side (start, stop, commands,
 * reports); the forked process is sink_child.c, its platform half sink_linux.c or
 * sink_freebsd.c (sink_os.h), its raw ICMP sockets sink_icmp.c. */
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
#include "sink_impl.h"
#include "sink_os.h"

#define SINK_START_MS	3000

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

/* The namespaces: home (netns) and each VNET jail's (FreeBSD: the jails'). 0, or -1
 * with err. */
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
		if (sink_os_open_jail(jailns[j], s->homefd, &s->nsfd[j], err, errlen) ==
		    -1)
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
	if (s->pid == 0)
		sink_child_run(s, cmd[0], rep[1], ppid);
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
