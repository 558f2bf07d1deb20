/* sink_maker.c: a socket maker (sink_maker.h): requests and answers over a socketpair,
 * the sockets as SCM_RIGHTS. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sink_maker.h"

/* A request: socket(domain, type, proto). The answer: an errno (0: the socket follows
 * as SCM_RIGHTS). */
struct maker_req {
	int	domain, type, proto;
};

union maker_cm {
	struct cmsghdr	hdr;
	char		buf[CMSG_SPACE(sizeof(int))];
};

/* The maker: enter, then a socket per request on fd until fd closes. */
static void
serve(int fd, int (*enter)(void *), void *arg)
{
	union maker_cm cm;
	struct maker_req rq;
	struct msghdr m;
	struct iovec iov;
	int s, e, enter_err = 0;

	if (fd != 3) {
		if (dup2(fd, 3) == -1)
			_exit(1);
		fd = 3;
	}
	(void)close_range(4, ~0U, 0);	/* none of the caller's wires, pipes, pcaps */
	if (enter != NULL && enter(arg) == -1)
		enter_err = errno != 0 ? errno : EPERM;
	while (read(fd, &rq, sizeof(rq)) == (ssize_t)sizeof(rq)) {
		s = -1;
		if ((e = enter_err) == 0 &&
		    (s = socket(rq.domain, rq.type, rq.proto)) == -1)
			e = errno;
		memset(&m, 0, sizeof(m));
		iov.iov_base = &e;
		iov.iov_len = sizeof(e);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		if (s != -1) {
			memset(&cm, 0, sizeof(cm));
			m.msg_control = cm.buf;
			m.msg_controllen = sizeof(cm.buf);
			cm.hdr.cmsg_len = CMSG_LEN(sizeof(int));
			cm.hdr.cmsg_level = SOL_SOCKET;
			cm.hdr.cmsg_type = SCM_RIGHTS;
			memcpy(CMSG_DATA(&cm.hdr), &s, sizeof(int));
		}
		if (sendmsg(fd, &m, 0) == -1)
			_exit(1);
		if (s != -1)
			close(s);
	}
	_exit(0);
}

int
sink_maker_start(int (*enter)(void *), void *arg, int *h)
{
	pid_t pid;
	int sv[2], st, e;

	*h = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return (-1);
	if ((pid = fork()) == -1) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		errno = e;
		return (-1);
	}
	if (pid == 0) {
		close(sv[0]);
		if (fork() == 0)
			serve(sv[1], enter, arg);
		_exit(0);
	}
	close(sv[1]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	*h = sv[0];
	return (0);
}

int
sink_maker_socket(int h, int domain, int type, int proto)
{
	union maker_cm cm;
	struct maker_req rq;
	struct cmsghdr *c;
	struct msghdr m;
	struct iovec iov;
	ssize_t n;
	int e = 0, fd = -1;

	memset(&rq, 0, sizeof(rq));
	rq.domain = domain;
	rq.type = type;
	rq.proto = proto;
	while ((n = write(h, &rq, sizeof(rq))) == -1 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(rq)) {
		errno = EIO;
		return (-1);
	}
	memset(&m, 0, sizeof(m));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = &e;
	iov.iov_len = sizeof(e);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cm.buf;
	m.msg_controllen = sizeof(cm.buf);
	while ((n = recvmsg(h, &m, MSG_CMSG_CLOEXEC)) == -1 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(e)) {
		errno = EIO;
		return (-1);
	}
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (e != 0 || fd == -1) {
		if (fd != -1)
			close(fd);
		errno = e != 0 ? e : EIO;
		return (-1);
	}
	return (fd);
}
