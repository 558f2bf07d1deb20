/* hoststack.h: the model target's simulated host stack: the jails' sinks (listening
 * sockets that accept and record) and their outgoing connects, answering as FreeBSD's
 * TCP/UDP/ICMP would. Pure logic: packets in as struct pkt, packets out via a callback. */
#ifndef HOSTSTACK_H
#define HOSTSTACK_H

#include "pkt/pkt.h"
#include "scn/scn.h"
#include "target/target.h"

struct hoststack;

/* Called for every packet the stack sends (to be routed through pf by the caller). */
typedef void	(*hoststack_emit_fn)(void *arg, const struct pkt *);

/* A stack for the scenario's jails; `s` must outlive it. NULL on allocation failure.
 * Free with hoststack_free. */
struct hoststack *hoststack_new(const struct scn *s, hoststack_emit_fn emit, void *arg);
void	hoststack_free(struct hoststack *);	/* hoststack_free(NULL) is a no-op */

/* Open (1) or close (0) the jails' listening sockets (the sinks). */
void	hoststack_listen(struct hoststack *, int on);

/* The jail holding `a`, or -1. */
int	hoststack_jail_of(const struct hoststack *, const struct pkt_addr *a);
/* 1 when `a` is an address of the host: public, a jail's, 127/8 or ::1. */
int	hoststack_is_local(const struct hoststack *, const struct pkt_addr *a);

/* The stack's IP reassembly (ip_reass, frag6_input) of a fragment pf let through:
 * -1 when buf is not a fragment for a local address (or cannot be reassembled), 0
 * while fragments are missing, else the whole packet's length, written to out. */
int	hoststack_reass(struct hoststack *, const uint8_t *buf, size_t len, uint8_t *out,
	    size_t cap);
/* A packet for a local address, after pf: the stack answers through the callback. */
void	hoststack_input(struct hoststack *, const struct pkt *);
/* pf dropped a packet the stack sent: a connect whose first packet it was fails (the
 * socket gets EPERM/EACCES). */
void	hoststack_output_dropped(struct hoststack *, const struct pkt *);

/* Jail `jail` connects (TCP) or sends a datagram (UDP) from `from` (NULL or unset: its
 * first address of dst's family) port `fromport` (0: the next ephemeral port). 0, or
 * -1 for a bad jail or protocol. The outcome is then hoststack_outcome's. */
int	hoststack_connect(struct hoststack *, int jail, int proto,
	    const struct pkt_addr *dst, uint16_t dport, const struct pkt_addr *from,
	    uint16_t fromport);
/* The last connect's outcome (SCN_CONN_*), -1 while it is pending or when none was
 * made since hoststack_probe_begin. */
int	hoststack_outcome(const struct hoststack *);

/* Forget the deliveries and the last connect (sockets stay open). */
void	hoststack_probe_begin(struct hoststack *);
/* What the sinks accepted since hoststack_probe_begin; owned by the stack. NULL with
 * *n = 0 when nothing. hoststack_deliveries may fail to record on allocation failure:
 * hoststack_error then returns 1 (and clears the flag). */
const struct target_delivery *hoststack_deliveries(const struct hoststack *, int *n);
int	hoststack_error(struct hoststack *);

#endif
