/* sink_freebsd.c: sink.c's FreeBSD half: the sink runs on the host itself, its sockets
 * bound to the jails' addresses, and procctl(2) kills it when the harness dies. */
/*
 * Why on the host and not inside each jail (jail_attach(2), as jexec does): the freebsd
 * target's jails are non-VNET, so they have no network stack of their own. A jail's
 * address is an alias on the scenario's cloned loopback, in the host's one stack; a
 * socket in a jail is an ordinary host socket whose bind and source address selection are
 * restricted to the jail's addresses. The sink binds every listener and every connect
 * to a jail address explicitly (sink.c), so its sockets are the very same to the
 * stack and to pf (which sees addresses and ports, never jails) as the jail's own would
 * be. One process with every jail's sockets keeps sink.c's single report stream and its
 * sync protocol (everything reported before SYNC) as on Linux, and needs no jail ids;
 * jail_attach would need one process per jail and a merge of their reports. What it does
 * not reproduce: a jail's restrictions on a socket that binds the wildcard address, which
 * the sink never does.
 */
#include <sys/types.h>
#include <sys/procctl.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "sink_os.h"

int
sink_os_open(const char *netns, int *h, char *err, size_t errlen)
{
	*h = -1;
	if (netns != NULL) {
		snprintf(err, errlen, "sink: netns %s: network namespaces are Linux only; on "
		    "FreeBSD the sink runs on the host (netns NULL)", netns);
		return (-1);
	}
	return (0);
}

void
sink_os_close(int h)
{
	(void)h;
}

int
sink_os_child(int h, pid_t ppid)
{
	int sig = SIGKILL;

	(void)h;
	(void)procctl(P_PID, 0, PROC_PDEATHSIG_CTL, &sig);
	if (getppid() != ppid)
		return (-1);
	return (0);
}

int
sink_os_enter(int h)
{
	return (h == -1 ? 0 : -1);
}

void
sink_os_pipe_size(int fd)
{
	/* FreeBSD pipes grow on their own (kern.ipc.maxpipekva): nothing to ask for */
	(void)fd;
}
