/* net/if.h stand-in (vagrant/standins/README): the C library's own <net/if.h> with
 * FreeBSD's struct if_data (sys/net/if.h, the layout of FreeBSD 11 and later), which
 * getifaddrs(3) hands out for AF_LINK entries on FreeBSD and glibc lacks. */
#ifndef STANDIN_NET_IF_H
#define STANDIN_NET_IF_H

#include_next <net/if.h>

struct if_data {
	uint8_t		ifi_type;
	uint8_t		ifi_physical;
	uint8_t		ifi_addrlen;
	uint8_t		ifi_hdrlen;
	uint8_t		ifi_link_state;
	uint8_t		ifi_vhid;
	uint16_t	ifi_datalen;
	uint32_t	ifi_mtu;
	uint32_t	ifi_metric;
	uint64_t	ifi_baudrate;
	uint64_t	ifi_ipackets;
	uint64_t	ifi_ierrors;
	uint64_t	ifi_opackets;
	uint64_t	ifi_oerrors;
	uint64_t	ifi_collisions;
	uint64_t	ifi_ibytes;
	uint64_t	ifi_obytes;
	uint64_t	ifi_imcasts;
	uint64_t	ifi_omcasts;
	uint64_t	ifi_iqdrops;
	uint64_t	ifi_oqdrops;
	uint64_t	ifi_noproto;
	uint64_t	ifi_hwassist;
	union {
		time_t		tt;
		uint64_t	ph;
	} __ifi_epoch;
	union {
		struct timeval	tv;
		struct {
			uint64_t ph1;
			uint64_t ph2;
		} ph;
	} __ifi_lastchange;
};

#endif
