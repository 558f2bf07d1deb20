/* target_wire.h: what the wire-based targets (target_linux*.c, target_freebsd*.c) share
 * in their probes: the clock, the neighbours the wire answers for, the host's frames
 * worth recording, and the wait between two looks at the wire and the sink. */
#ifndef TARGET_WIRE_H
#define TARGET_WIRE_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "obs.h"
#include "pkt/pkt.h"
#include "scn/scn.h"

/* The probe's connect (target_ops.jail_connect) as the sink reports it. */
struct tw_conn {
	uint32_t	 seq;		/* the probe's last connect, 0: none */
	int		 started;	/* its first packet is sent ... */
	struct pkt_addr	 local;		/* ... from local:lport (af 0: unknown) */
	uint16_t	 lport;
	int		 outcome;	/* SCN_CONN_*, -1 until the sink reports it */
};

/* The MAC of router r (scn->router[r]) on its wire, in every target's frames:
 * 02:70:66:72:HH:LL with HHLL = r + 1. */
void	tw_router_mac(int r, uint8_t mac[6]);
/* The router (index in scn->router) client address a sits behind, or -1. */
int	tw_router_of(const struct scn *, const struct pkt_addr *a);
/* CLOCK_MONOTONIC in microseconds. */
uint64_t tw_now_us(void);
/* 1 when a is inside net/plen. */
int	tw_in_net(const struct pkt_addr *a, const struct pkt_addr *net, int plen);
/* The addresses the wire answers ARP/NDP for: the gateway (when set) and the clients.
 * A calloc'd array (the caller frees) of *n, or NULL when out of memory. */
struct pkt_addr *tw_neighbours(const struct scn *, int *n);
/* The same for the wire of external interface `wire` (index in scn->iface): its
 * gateways, the clients on it (scn_client.wire) and the routes' next hops on it; the
 * routers are not among them (each answers with a MAC of its own). */
struct pkt_addr *tw_neighbours_on(const struct scn *, int wire, int *n);
/* Decode frame f (len bytes, captured at t_us) that the host sent: 1 with *p for an IP
 * packet or fragment the probe records, 0 for a frame it does not (not IPv4 or IPv6;
 * the host's IPv6 housekeeping, neighbour discovery and MLD). An IP frame that does not
 * decode is recorded in o as such. */
int	tw_host_frame(struct obs *o, const uint8_t *f, size_t len, uint64_t t_us,
	    struct pkt *p);
/* Take the sink's waiting reports (fd polled; each read by rd: sink_read, or the tests'
 * fake). When keep, deliveries go into o, and c takes its connect's start and outcome
 * (local:lport from the latest of them). The seq of a SYNC seen, 0 if none; -1 when
 * the sink is gone. */
long	tw_sink_reports(struct sink *, int fd,
	    int (*rd)(struct sink *, struct sink_report *), int keep, struct obs *o,
	    struct tw_conn *c);
/* Sleep until one of pfd[0..n-1] (their fds set by the caller; POLLIN asked here) is
 * readable or deadline (tw_now_us) passes. pfd[n-1] is the target's interrupt pipe: a
 * byte there is read away and ends the wait as "interrupted". 1 to look again, 0 when
 * the deadline has passed, -1 with d when interrupted or poll failed ("<who>: poll:"). */
int	tw_wait(struct pollfd *pfd, int n, uint64_t deadline, const char *who,
	    struct diag *d);

#endif
