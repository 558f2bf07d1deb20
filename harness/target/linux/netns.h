/* netns.h: the linux target's plumbing: network namespaces, the veths of the external
 * interfaces, the jails' bridge, the bridges and the VNET jails' namespaces, routes,
 * sysctls and the iptables rules that hand every packet to the NFQUEUE hook. Commands
 * run through posix_spawn with argument vectors. */
#ifndef NETNS_H
#define NETNS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scn/scn.h"

/* The wire side of the primary interface's veth, in the wire namespace; the others'
 * are wire1, wire2... (netns_wire_if). */
#define NETNS_WIRE_IF		"wire0"
/* The harness's MAC on the primary wire (the wire end: gateway and on-link clients)
 * and the host's; netns_macs gives any wire's. */
extern const uint8_t netns_wire_mac[6];
extern const uint8_t netns_host_mac[6];
/* The wire end's name of external interface `wire` (IFNAMSIZ bytes). */
void	netns_wire_if(int wire, char *name);
/* The MACs of wire `wire`: the host's end, the harness's end. */
void	netns_macs(int wire, uint8_t host[6], uint8_t far[6]);
/* The MAC of router `r` (scn->router[r]): frames to the clients behind it carry it. */
void	netns_router_mac(int r, uint8_t mac[6]);
/* The name of VNET jail `jail`'s namespace: <host namespace's name without its last
 * letter>j<N>, N its number (pfhost_vnet_index); into name (64 bytes). */
void	netns_jail_name(const char *host, const struct scn *, int jail, char *name);
/* The mark of packets the harness sends from the host itself (block return replies):
 * the iptables rules let them pass without the hook. */
#define NETNS_MARK_SKIP		0x70666801u
/* NFQUEUE number inside the host namespace. */
#define NETNS_QUEUE		0

/* Check that the scenario's interface names can be built here. 0, or -1 with a
 * `file:line:` message in err. */
int	netns_check_names(const struct scn *, char *err, size_t errlen);

/* Create the namespaces `host` and `wire` and one per VNET jail (netns_jail_name), and
 * build the scenario's world in them (veths, bridges, addresses, routes, neighbours,
 * sysctls, iptables rules). 0, or -1 with err (what was created is left for
 * netns_delete). */
int	netns_build(const char *host, const char *wire, const struct scn *, char *err,
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
