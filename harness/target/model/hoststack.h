/* hoststack.h: the model target's simulated host stack: the jails' sinks and the host's
 * services (listening sockets that accept and record), their outgoing connects and
 * pings, answering as FreeBSD's TCP/UDP/ICMP would; a VNET jail's own stack likewise.
 * Pure logic: packets in as struct pkt, packets out via a callback. */
#ifndef HOSTSTACK_H
#define HOSTSTACK_H

#include "pkt/pkt.h"
#include "scn/scn.h"
#include "target/target.h"

struct hoststack;

/* Called for every packet the stack sends (to be routed through pf by the caller). */
typedef void	(*hoststack_emit_fn)(void *arg, const struct pkt *);

/* The echo id of a ping (`connect NAME icmp ADDR`); the linux sink uses it too. */
#define HOSTSTACK_PING_ID	0x7068

/* The host's stack: its own sockets and the non-VNET jails'; `s` must outlive it. NULL
 * on allocation failure. Free with hoststack_free. */
struct hoststack *hoststack_new(const struct scn *s, hoststack_emit_fn emit, void *arg);
/* VNET jail `jail`'s own stack; NULL when it is no VNET jail or out of memory. */
struct hoststack *hoststack_new_vnet(const struct scn *s, int jail, hoststack_emit_fn emit,
	    void *arg);
void	hoststack_free(struct hoststack *);	/* hoststack_free(NULL) is a no-op */

/* Open (1) or close (0) the jails' listening sockets (the sinks). */
void	hoststack_listen(struct hoststack *, int on);

/* The jail of this stack holding `a`, or -1. */
int	hoststack_jail_of(const struct hoststack *, const struct pkt_addr *a);
/* Whose local address `a` is in this stack: a jail's index, SCN_HOST, or -1. */
int	hoststack_party_of(const struct hoststack *, const struct pkt_addr *a);
/* 1 when `a` is a local address of this stack (the host's: its interfaces' and
 * bridges', a non-VNET jail's, 127/8 or ::1; a VNET jail's: its own, 127/8, ::1). */
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

/* Jail `jail` (or the host, SCN_HOST) connects (TCP), sends a datagram (UDP) or an echo
 * request (IPPROTO_ICMP, ICMPv6 to an IPv6 dst) from `from` (NULL or unset: the jail's
 * first address of dst's family; the host needs one) port `fromport` (0: the next
 * ephemeral port). 0, or -1 for a bad jail or protocol. The outcome is then
 * hoststack_outcome's (a ping: ok on its echo reply, unreachable on an ICMP error). */
int	hoststack_connect(struct hoststack *, int jail, int proto,
	    const struct pkt_addr *dst, uint16_t dport, const struct pkt_addr *from,
	    uint16_t fromport);
/* The last connect's outcome (SCN_CONN_*), -1 while it is pending or when none was
 * made since hoststack_probe_begin. */
int	hoststack_outcome(const struct hoststack *);

/* Forget the deliveries and the last connect (sockets stay open). */
void	hoststack_probe_begin(struct hoststack *);
/* What the sinks accepted and the ICMP messages the parties received since
 * hoststack_probe_begin; owned by the stack. NULL with
 * *n = 0 when nothing. hoststack_deliveries may fail to record on allocation failure:
 * hoststack_error then returns 1 (and clears the flag). */
const struct target_delivery *hoststack_deliveries(const struct hoststack *, int *n);
int	hoststack_error(struct hoststack *);

#endif
