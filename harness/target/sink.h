/* sink.h: the jails' and the host's services: one process (in the linux target's host
 * namespace, or on the FreeBSD host itself), sockets bound to the jails' and the host's
 * addresses (a VNET jail's made in its own namespace), that accepts and records what
 * reaches them, records the ICMP messages they receive, and opens connections and sends
 * pings on command. It talks to the harness over two pipes. */
#ifndef SINK_H
#define SINK_H

#include <stdint.h>
#include <sys/types.h>

#include "pkt/pkt.h"
#include "scn/scn.h"
#include "sink_icmp.h"

struct sink;


enum sink_rep_kind {
	SINK_REP_READY,		/* every socket is bound */
	SINK_REP_ERROR,		/* a socket could not be bound: jail, proto, local, err */
	SINK_REP_DELIVERY,	/* accepted (TCP) or received (UDP); an ICMP message */
	SINK_REP_STARTED,	/* a connect's first packet is sent: seq, local */
	SINK_REP_OUTCOME,	/* a connect finished: seq, outcome, err, local */
	SINK_REP_SYNC		/* answer to sink_sync: every record before it was sent */
};

struct sink_report {
	enum sink_rep_kind kind;
	int		jail;		/* index in scn->jail, or SCN_HOST */
	int		proto;
	struct pkt_addr	local, peer;
	uint16_t	lport, pport;
	int		outcome;	/* SCN_CONN_* */
	int		err;		/* errno of a failure */
	uint32_t	seq;		/* of the connect or sync */
	int		icmp;		/* DELIVERY of an ICMP message: enum pkt_icmp */
};

/* Start the sink in namespace `netns` (NULL: the caller's own; FreeBSD: must be NULL,
 * see sink_freebsd.c), listening on every jail's `listen` ports on each
 * of its addresses; waits until every socket is bound. Returns the sink, or NULL with
 * err (nothing left running). Fork-safe: the child calls only async-signal-safe
 * functions, so threads may exist. */
struct sink *sink_start(const char *netns, const struct scn *, char *err, size_t errlen);
/* The same with the VNET jails' namespaces: jailns[j] names jail j's ("" for a jail
 * that has none; jailns NULL: none has). Also listening on the host's `listen` ports on
 * each of the host's addresses, and recording every ICMP message a jail or the host
 * receives. */
struct sink *sink_start_world(const char *netns, const char (*jailns)[64],
	    const struct scn *, char *err, size_t errlen);
/* Kill the sink process and wait for it; sink_stop(NULL) is a no-op. */
void	sink_stop(struct sink *);
pid_t	sink_pid(const struct sink *);
/* The descriptor reports arrive on (poll it for POLLIN). */
int	sink_fd(const struct sink *);
/* Read one report: 1, 0 on end of file (the sink died), -1 on error. Blocks. */
int	sink_read(struct sink *, struct sink_report *);
/* Ask for a SINK_REP_SYNC with seq once every earlier event has been reported. 0/-1. */
int	sink_sync(struct sink *, uint32_t seq);
/* Have jail `jail` (SCN_HOST: the host) connect (TCP), send a datagram and await an
 * answer (UDP) or ping (IPPROTO_ICMP: an echo request, ICMPv6 to an IPv6 dst; dport
 * unused) to dst:dport, from `from`:fromport when from is not NULL, else from the
 * jail's first address of that family (the host: the address its route picks); the
 * outcome comes as SINK_REP_OUTCOME with seq within timeout_ms (a ping: ok on its echo
 * reply, unreachable on an ICMP error about it). 0 or -1. */
int	sink_connect(struct sink *, uint32_t seq, int jail, int proto,
	    const struct pkt_addr *dst, uint16_t dport, const struct pkt_addr *from,
	    uint16_t fromport, int timeout_ms);
/* Give up the pending connect `seq` without an outcome (closing a socket in SYN_SENT
 * sends nothing). 0 or -1. */
int	sink_abort(struct sink *, uint32_t seq);

#endif
