/* netns.h: the linux target's plumbing: network namespaces, the veths of the external
 * interfaces, the jails' bridge, the bridges and the VNET jails' namespaces, routes,
 * sysctls and the iptables rules that hand every packet to the NFQUEUE hook. Commands
 * run through posix_spawn with argument vectors. */
#ifndef NETNS_H
#define NETNS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "netns_world.h"
#include "scn/scn.h"

/* Check that the scenario's interface names can be built here. 0, or -1 with a
 * `file:line:` message in err. */
int	netns_check_names(const struct scn *, char *err, size_t errlen);

/* Create the namespaces `host` and `wire` and one per VNET jail (netns_jail_name), and
 * build the scenario's world in them (veths, bridges, addresses, routes, neighbours,
 * sysctls, iptables rules). 0, or -1 with err (what was created is left for
 * netns_delete). */
int	netns_build(const char *host, const char *wire, const struct scn *, char *err,
	    size_t errlen);

/* Turn the host's forwarding of af on or off at run time (`sysctl
 * net.inet.ip.forwarding=N` in a probe): the FORWARD drop that stands for "off".
 * 0, or -1 with err. */
int	netns_forwarding(const char *host, const struct scn *, int af, int on, char *err,
	    size_t errlen);

/* Delete a namespace (its interfaces and rules go with it). 0 or -1. */
int	netns_delete(const char *name);

/* Move the calling thread into namespace `name`. Returns an fd of the previous one for
 * netns_leave, or -1 with err. */
int	netns_enter(const char *name, char *err, size_t errlen);
/* Return the calling thread to the namespace saved by netns_enter; closes fd. */
void	netns_leave(int fd);

/* Write /proc/sys/<key> (key as net/ipv4/ip_forward) in the calling thread's namespace.
 * 0, or -1 with err. */
int	netns_sysctl_set(const char *key, const char *value, char *err, size_t errlen);

/* Processes whose network namespace is `name`: up to max pids in out; returns their
 * count, or -1 when the namespace does not exist. */
int	netns_pids(const char *name, pid_t *out, int max);

/* Remove namespaces named prefix<pid>h / prefix<pid>w / prefix<pid>j<N> whose pid is no
 * longer alive, killing the processes left inside them. Returns how many were
 * removed. */
int	netns_cleanup_stale(const char *prefix);

/* Run argv (argv[0] looked up in PATH) with `input` on its standard input (NULL: none).
 * 0 when it exits 0; else -1 with its standard error (or the reason) in err. */
int	netns_run(char *const argv[], const char *input, char *err, size_t errlen);

#endif
