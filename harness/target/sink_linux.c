/* sink_linux.c: sink.c's Linux half: the sink's sockets are made in the linux target's
 * host namespace (setns), and the kernel kills the sink when the harness dies. */
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sink_os.h"

int
sink_os_open(const char *netns, int *h, char *err, size_t errlen)
{
	char path[256];

	*h = -1;
	if (netns == NULL)
		return (0);
	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	if ((*h = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	return (0);
}

void
sink_os_close(int h)
{
	if (h != -1)
		close(h);
}

int
sink_os_child(int h, pid_t ppid)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != ppid)
		return (-1);
	if (h != -1 && setns(h, CLONE_NEWNET) == -1)
		return (-1);
	return (0);
}

int
sink_os_open_jail(const char *jail, int home, int *h, char *err, size_t errlen)
{
	*h = -1;
	if (home == -1) {
		snprintf(err, errlen, "sink: jail namespace %s without the host's", jail);
		return (-1);
	}
	return (sink_os_open(jail, h, err, errlen));
}

/* A socket keeps the namespace it was made in: into h's, socket(), back home. */
int
sink_os_socket(int h, int home, int domain, int type, int proto)
{
	int fd, e;

	if (h == -1)
		return (socket(domain, type, proto));
	if (setns(h, CLONE_NEWNET) == -1)
		return (-1);
	fd = socket(domain, type, proto);
	e = errno;
	if (setns(home, CLONE_NEWNET) == -1) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	errno = e;
	return (fd);
}

void
sink_os_pipe_size(int fd)
{
	(void)fcntl(fd, F_SETPIPE_SZ, 1024 * 1024);
}
