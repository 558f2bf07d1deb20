/* sink_freebsd.c: sink.c's FreeBSD half: the sink runs on the host itself, its sockets
 * bound to the jails' addresses, a VNET jail's sockets made inside that jail by a
 * small process attached to it, and procctl(2) kills the sink when the harness dies. */
/*
 * Why on the host and not inside each jail (jail_attach(2), as jexec does): the freebsd
 * target's loopback and public jails are non-VNET, so they have no network stack of
 * their own. A jail's address is an alias on the scenario's cloned loopback (or on an
 * external interface), in the host's one stack; a socket in a jail is an ordinary host
 * socket whose bind and source address selection are restricted to the jail's
 * addresses. The sink binds every listener and every connect to a jail address
 * explicitly (sink.c), so its sockets are the very same to the stack and to pf (which
 * sees addresses and ports, never jails) as the jail's own would be. One process with
 * every jail's sockets keeps sink.c's single report stream and its sync protocol
 * (everything reported before SYNC) as on Linux, and needs no jail ids. What it does
 * not reproduce: a jail's restrictions on a socket that binds the wildcard address,
 * which the sink never does.
 *
 * A VNET jail has a stack of its own: a socket belongs to the stack (vnet) of the
 * thread that made it (socreate takes the creating thread's vnet) and stays there
 * whoever uses it later: sobind, soconnect and the socket's I/O switch to so_vnet. A
 * process cannot leave a jail it attached to, so, as Linux's setns into a namespace
 * and back, a maker process per VNET jail (sink_maker.c), forked before the sink,
 * jail_attach(2)es to it and makes sockets on request, handing each over a socketpair
 * (SCM_RIGHTS); the sink then binds, listens, connects and reads them as its own. In a VNET jail the
 * maker may open raw sockets (prison_priv_check grants PRIV_NETINET_RAW to a VNET
 * jail, sys/kern/kern_jail.c). The maker ends when the socketpair closes (the sink and
 * the harness both gone); `jail -r` at teardown kills it in any case.
 */
#include <sys/param.h>		/* before sys/jail.h */
#include <sys/jail.h>
#include <sys/procctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <jail.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sink_maker.h"
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
	if (h != -1)
		close(h);
}

/* The maker's way into the jail (sink_maker.c). */
static int
attach(void *arg)
{
	return (jail_attach(*(int *)arg));
}

/* A maker attached to jail `jail` (sink_maker_start): *h is our end of it. */
int
sink_os_open_jail(const char *jail, int home, int *h, char *err, size_t errlen)
{
	int jid;

	(void)home;
	*h = -1;
	if ((jid = jail_getid(jail)) == -1) {
		snprintf(err, errlen, "sink: jail %s: %s", jail, jail_errmsg);
		return (-1);
	}
	if (sink_maker_start(attach, &jid, h) == -1) {
		snprintf(err, errlen, "sink: the socket maker of jail %s: %s", jail,
		    strerror(errno));
		return (-1);
	}
	return (0);
}

int
sink_os_socket(int h, int home, int domain, int type, int proto)
{
	(void)home;
	if (h == -1)
		return (socket(domain, type, proto));
	return (sink_maker_socket(h, domain, type, proto));
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

void
sink_os_pipe_size(int fd)
{
	/* FreeBSD pipes grow on their own (kern.ipc.maxpipekva): nothing to ask for */
	(void)fd;
}
