/* wire_netns_freebsd.c: wire.c's FreeBSD half: no namespaces (the freebsd target opens
 * the wire on the host's own epair b side), AF_LINK MACs. */
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_dl.h>

#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>

#include "wire_netns.h"

int
wire_netns_if_mac(const char *ifname, uint8_t mac[6])
{
	struct ifaddrs *ifa, *i;
	int rc = -1;

	if (getifaddrs(&ifa) == -1)
		return (-1);
	for (i = ifa; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_LINK &&
		    strcmp(i->ifa_name, ifname) == 0) {
			const struct sockaddr_dl *dl = (const void *)i->ifa_addr;

			if (dl->sdl_alen == 6) {
				memcpy(mac, LLADDR(dl), 6);
				rc = 0;
			}
		}
	freeifaddrs(ifa);
	return (rc);
}

int
wire_netns_enter(const char *name, int *back, char *err, size_t errlen)
{
	*back = -1;
	snprintf(err, errlen, "netns %s: network namespaces are Linux only; on FreeBSD "
	    "the wire opens on the host's own interface (netns_name NULL)", name);
	return (-1);
}

int
wire_netns_leave(int back)
{
	(void)back;
	return (-1);
}
