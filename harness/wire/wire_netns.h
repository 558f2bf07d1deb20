/* wire_netns.h: the platform half of wire.c, chosen by the Makefile (mk/<OS>.mk):
 * entering the network namespace a capture is opened in, and an interface's MAC. */
#ifndef WIRE_NETNS_H
#define WIRE_NETNS_H

#include <stddef.h>
#include <stdint.h>

/* Enter the network namespace `name` (Linux: /var/run/netns/NAME) with the calling
 * thread; *back gets what wire_netns_leave returns with. 0, or -1 with err (FreeBSD has
 * no namespaces: always -1, the wire is opened on the host's own interface). */
int	wire_netns_enter(const char *name, int *back, char *err, size_t errlen);
/* Back to where wire_netns_enter left. 0 or -1 (the thread is then lost in it). */
int	wire_netns_leave(int back);
/* The Ethernet address of ifname in the current namespace. 0 or -1. */
int	wire_netns_if_mac(const char *ifname, uint8_t mac[6]);

#endif
