/* netns_impl.h: what netns.c (namespaces, sysctls, commands) and netns_script.c (the
 * scripts that build the world) share. Not for other modules. */
#ifndef NETNS_IMPL_H
#define NETNS_IMPL_H

#include <stddef.h>

#include "scn/scn.h"

#define NETNS_SCRIPT	16384

/* A growing command script (ip -batch or iptables-restore input). */
struct netns_script {
	char	buf[NETNS_SCRIPT];
	size_t	len;
	int	overflow;		/* a line did not fit: the script is not to run */
};

/* Append a printf-formatted line (or more) to the script. */
void	netns_script_add(struct netns_script *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* " nodad" for an IPv6 address (no duplicate address detection), else "". */
const char *netns_nodad(const struct pkt_addr *);
/* The host namespace's `ip -batch` script: loopback, external interfaces (veth peers
 * into `wire`), the jails' loopback, bridges, the VNET jails' epairs (their b sides
 * into the jails' namespaces, named from `host`), routes and neighbours. */
void	netns_host_script(struct netns_script *, const char *host, const char *wire,
	    const struct scn *);
/* iptables-restore input: conntrack off, every packet to the queue but the hook's own;
 * with fwd 0, a FORWARD drop stands for forwarding off. */
void	netns_rules_script(struct netns_script *, int fwd);

#endif
