/* netns_world.h: the linux target's world as the commands that build it (netns_world.c):
 * the names and MACs of what it makes, the host namespace's `ip -batch` script and its
 * iptables rules (netns.c runs them). */
#ifndef NETNS_WORLD_H
#define NETNS_WORLD_H

#include <stddef.h>
#include <stdint.h>

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
