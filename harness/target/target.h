/* target.h: where a scenario's world is built: one ops table, three implementations
 * (target_linux.c, target_model.c, target_freebsd.c). The runner (run.c) sees only this. */
#ifndef TARGET_H
#define TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "pkt/pkt.h"
#include "scn/scn.h"

struct target;			/* each implementation's own state */

/* A frame the host sent on the wire, decoded, with the time it was seen. */
struct target_frame {
	struct pkt	pkt;
	uint64_t	t_us;		/* monotonic microseconds */
	int		decoded;	/* 0: not IP we understand (counted, not matched) */
	int		wire;		/* the wire it was seen on: index in scn->iface */
};

/* What a jail's sink (or the host's services) accepted (TCP) or received (UDP), or an
 * ICMP message a jail or the host received (proto IPPROTO_ICMP or IPPROTO_ICMPV6). */
struct target_delivery {
	int		jail;		/* index in scn->jail, or SCN_HOST */
	int		proto;
	struct pkt_addr	local, peer;
	uint16_t	lport, pport;
	enum pkt_icmp	icmp;		/* ICMP: its type */
};

/* What one pfctl run gave: its exit status, what it printed on standard output and
 * its messages (standard error), both malloc'd ("" when nothing). */
struct target_pfctl {
	int		 status;
	char		*out;
	char		*err;
};
void	target_pfctl_free(struct target_pfctl *);	/* the texts; the struct stays */

struct target_opts {
	const char	*run_dir;	/* results/<run>/<scenario>/: pcaps go here */
	const char	*prefix;	/* name prefix of everything created ("pfh") */
	int		 force;		/* freebsd: load rules on a non-throwaway host */
	int		 verbose;
	const char	*services;	/* services file for printing, NULL: bundled */
};

struct target_ops {
	const char *name;
	/* Build the world (interfaces, jails, wire). 0; 1 when this target cannot run
	 * the scenario here (the freebsd target on another release than the scenario's:
	 * the reason in d, nothing built: the run skips it); or -1 with d filled; on -1
	 * the target has already undone what it built. */
	int	(*up)(struct target **, const struct scn *, const struct target_opts *,
		    struct diag *d);
	/* Tear down everything; safe after a partial up, safe twice. Frees t. */
	void	(*down)(struct target *);
	/* Load the scenario's ruleset (with its defines and sysctls). 0 loaded;
	 * 1 refused by pf with the messages in d (for `expect load error`); -1 other error. */
	int	(*load_rules)(struct target *, const struct scn *, struct diag *d);
	/* Start the jails' sinks on their listen ports. 0 or -1. */
	int	(*start_sink)(struct target *, const struct scn *, struct diag *d);
	/* Probe boundaries: flush capture buffers, open the probe's pcap file (NULL: none). */
	int	(*probe_begin)(struct target *, const char *pcap_path, struct diag *d);
	void	(*probe_end)(struct target *);
	/* Inject one packet on the wire from a client. 0 or -1. */
	int	(*send)(struct target *, const struct pkt *, struct diag *d);
	/* The same on the wire of external interface `wire` (index in scn->iface). May
	 * be NULL: the target has one wire, the primary interface's. */
	int	(*send_on)(struct target *, int wire, const struct pkt *, struct diag *d);
	/* Have jail `jail` (or the host, SCN_HOST) connect (TCP), send a datagram (UDP)
	 * or an echo request (IPPROTO_ICMP: to an IPv4 or IPv6 dst); returns at once. */
	int	(*jail_connect)(struct target *, int jail, int proto,
		    const struct pkt_addr *dst, uint16_t dport,
		    const struct pkt_addr *from, uint16_t fromport, struct diag *d);
	/* Wait until everything the injected packets and connects can cause has been seen
	 * (the sentinel, see README), at most timeout_ms. Then frames/deliveries/outcome
	 * hold the probe's observations. 0, or -1 when the settle point was not reached. */
	int	(*settle)(struct target *, int timeout_ms, struct diag *d);
	/* Observations since probe_begin. Arrays owned by the target, valid until the next
	 * probe_begin. */
	const struct target_frame *(*frames)(struct target *, int *n);
	const struct target_delivery *(*deliveries)(struct target *, int *n);
	/* Outcome of the probe's last connect (SCN_CONN_*), or -1 if none finished. */
	int	(*connect_outcome)(struct target *);
	/* Run pfctl with the step's arguments and input, as FreeBSD 14's pfctl would run
	 * on this world's pf (runtime control, and the views expectations read). 0 with
	 * r filled (pfctl's own failure is r->status), -1 when it could not run. */
	int	(*pfctl)(struct target *, const struct scn_pfctl *, struct target_pfctl *r,
		    struct diag *d);
	/* A pf sysctl at run time (net.pf.*). 0, or -1 with d (unknown, refused). */
	int	(*sysctl)(struct target *, const char *name, const char *value,
		    struct diag *d);
	/* Let pf's clock run on ms milliseconds (timeouts expire). 0 or -1. */
	int	(*wait)(struct target *, uint64_t ms, struct diag *d);
	/* pfctl -ss / -si / -sr -vv / -sn -vv text; malloc'd, caller frees. NULL on
	 * error. */
	char	*(*states)(struct target *);
	char	*(*counters)(struct target *);
	char	*(*rules)(struct target *);
	char	*(*nat)(struct target *);
	/* Remove what a crashed earlier run with this prefix left (namespaces, jails,
	 * interfaces, processes whose owner pid is gone). May be NULL. */
	void	(*cleanup_stale)(const char *prefix);
	/* Interrupt a settle in progress (called from a signal handler: async-signal-safe,
	 * e.g. a write to a self-pipe). May be NULL. */
	void	(*interrupt)(struct target *);
	/* The built world for `run --hold CMD`: "NAME=VALUE\n" lines (PFH_HOST_NS,
	 * PFH_WIRE_NS, PFH_WIRE_IF, MACs...), malloc'd, caller frees. May be NULL. */
	char	*(*hold_env)(struct target *);
};

extern const struct target_ops target_linux_ops;
extern const struct target_ops target_model_ops;
extern const struct target_ops target_freebsd_ops;


#endif
