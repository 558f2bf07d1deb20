/* wire_netns_linux.c: wire.c's Linux half: setns(2) into a named namespace, AF_PACKET MACs. */
#include <sys/types.h>
#include <sys/socket.h>
#include <linux/if_packet.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wire_netns.h"

int
wire_netns_if_mac(const char *ifname, uint8_t mac[6])
{
	struct ifaddrs *ifa, *i;
	int rc = -1;

	if (getifaddrs(&ifa) == -1)
		return (-1);
	for (i = ifa; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_PACKET &&
		    strcmp(i->ifa_name, ifname) == 0) {
			const struct sockaddr_ll *ll = (const void *)i->ifa_addr;

			if (ll->sll_halen == 6) {
				memcpy(mac, ll->sll_addr, 6);
				rc = 0;
			}
		}
	freeifaddrs(ifa);
	return (rc);
}

int
wire_netns_enter(const char *name, int *back, char *err, size_t errlen)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	if ((*back = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "/proc/thread-self/ns/net: %s", strerror(errno));
		return (-1);
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 || setns(fd, CLONE_NEWNET) == -1) {
		snprintf(err, errlen, "netns %s: %s", name, strerror(errno));
		if (fd != -1)
			close(fd);
		close(*back);
		return (-1);
	}
	close(fd);
	return (0);
}

int
wire_netns_leave(int back)
{
	int rc = setns(back, CLONE_NEWNET);

	close(back);
	return (rc);
}
