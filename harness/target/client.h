/* client.h: the outside hosts the harness speaks for on the wire (DESIGN.md `client`):
 * how each answers what the host sends it. Pure logic, no I/O; used by every target. */
#ifndef CLIENT_H
#define CLIENT_H

#include "pkt/pkt.h"
#include "scn/scn.h"

struct client_sim;

/* Clients of the scenario (`client ADDR listen ...`). NULL on allocation failure.
 * Free with client_free. */
struct client_sim *client_new(const struct scn *);
void	client_free(struct client_sim *);	/* client_free(NULL) is a no-op */

/* Record a packet the harness injected from a client (a probe's `send`), so that the
 * host's SYN-ACK to it is completed with the client's ACK (a jail's accept() then fires). */
void	client_sent(struct client_sim *, const struct pkt *);

/* A packet the host sent on the wire. When it is for an address the harness speaks for,
 * writes up to `max` answers into out and returns their count (0: it needs no answer,
 * as for an RST); -1 when the destination is nobody's.
 * Rules (DESIGN.md): on a `listen` port a SYN gets SYN-ACK and a datagram is echoed;
 * on other ports TCP gets RST(|ACK) and UDP an ICMP port unreachable; a SYN-ACK that
 * answers a probe's SYN gets the ACK; ICMP echo requests get echo replies. */
int	client_answer(struct client_sim *, const struct pkt *in, struct pkt *out, int max);

/* 1 when addr is a client or the gateway of the scenario (the wire answers ARP for it). */
int	client_owns(const struct client_sim *, const struct pkt_addr *addr);

/* The same on the wire of external interface `wire` (index in scn->iface): its clients
 * (`client ... [on IF]`: scn_client.wire), its gateways, routers and routes' next
 * hops. client_answer and client_owns are these on wire 0. */
int	client_answer_on(struct client_sim *, int wire, const struct pkt *in,
	    struct pkt *out, int max);
int	client_owns_on(const struct client_sim *, int wire, const struct pkt_addr *addr);

#endif
