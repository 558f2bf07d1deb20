/* sink_os.h: the platform half of sink.c, chosen by the Makefile (mk/<OS>.mk): where the
 * sink process's sockets live and how it dies with the harness. */
#ifndef SINK_OS_H
#define SINK_OS_H

#include <stddef.h>
#include <sys/types.h>

/* Before the fork: get hold of the place the sink's sockets are made in, `netns`
 * (Linux: a namespace of `ip netns`; NULL: the harness's own). *h is what the child
 * passes to sink_os_child and the parent to sink_os_close. 0, or -1 with err. */
int	sink_os_open(const char *netns, int *h, char *err, size_t errlen);
/* The parent's end: release h (after the fork, or when it failed). */
void	sink_os_close(int h);
/* In the child, right after the fork (async-signal-safe only): die with the harness
 * `ppid`, move to h. 0, or -1 (the child then exits). */
int	sink_os_child(int h, pid_t ppid);
/* Before the fork too: get hold of the place of a VNET jail, `jail` (Linux: its
 * namespace, which needs the home's, home != -1; FreeBSD: the jail's name, see
 * sink_freebsd.c). *h is passed on and released as sink_os_open's. 0, or -1 with err. */
int	sink_os_open_jail(const char *jail, int home, int *h, char *err, size_t errlen);
/* In the child: socket(domain, type, proto) made in place h (from sink_os_open_jail;
 * -1: the child's own), where it stays whoever uses it; home is the child's place
 * (sink_os_open's). The socket, or -1 with errno. Async-signal-safe. */
int	sink_os_socket(int h, int home, int domain, int type, int proto);
/* Ask for a report pipe that holds a probe's worth of reports (best effort). */
void	sink_os_pipe_size(int fd);

#endif
