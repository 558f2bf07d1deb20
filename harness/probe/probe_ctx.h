/* probe_ctx.h: the generator's context, shared by probe_gen.c (which packets a rule
 * decides, and why none), probe_vant.c (what the world can send at each hook) and
 * probe_find.c (a packet the world can send, checked with the model). */
#ifndef PROBE_CTX_H
#define PROBE_CTX_H

#include "probe_impl.h"

#define GEN_HOOKS	32
#define GEN_BLOCKERS	4
#define GEN_HINTS	PROBE_JAILS_MAX

/* How the world puts a packet on a hook. */
enum hvant {
	HV_SEND,	/* a client sends it on the wire (in on the external interface) */
	HV_CONN,	/* a jail connects (out on the route's interface, in on a loopback;
			 * a VNET jail's in on its bridge) */
	HV_BOTH,	/* either (in on lo0 with net.pf.filter_local: what the host takes) */
	HV_NONE		/* not the world's: for the shadow verdict only */
};

struct ghook {
	char		ifname[PFM_IFNAMSIZ];
	int		in;
	int		world;
	int		wire;		/* an external interface's (index), else -1 */
	int		bridge;		/* a bridge's (index), else -1 */
	int		fwd;		/* out: the host forwards clients' packets here */
	const char	*left;		/* !world on an interface the world has: why the
					 * probes send nothing there */
	enum hvant	vant;
	struct pregion	v;		/* what the world can send here (probe_vantages) */
};

/* Why a rule lost packets: an earlier quick rule, a later rule (it is not quick),
 * translation. */
enum gblk { GB_QUICK, GB_LATER, GB_TRANS };

struct gen {
	struct gset	s;
	struct pfm	*pf;		/* the ruleset loaded: the judge of every candidate */
	struct probe_world *w;
	int		af;		/* the world's address family */
	struct ghook	hook[GEN_HOOKS];
	int		nhook;
	uint16_t	next_port;	/* source ports, one per probe */
	uint64_t	now;
	int		relaxed;	/* jails' packets from anywhere in the loopback net */
	struct pset	jail_srcs;	/* the addresses jails send from (probe_vantages) */
	struct pkt_addr	hint[GEN_HINTS];	/* sources that want a jail there */
	int		nhint;
	struct {
		const struct grule *g;
		enum gblk	why;
	}		blk[GEN_BLOCKERS];
	int		nblk, more_blk, by_skip;
	int		answered;	/* pf answered a candidate's SYN itself */
};

/* The packets g decides at hook h for af (probe_gen.c): its match less what other
 * rules take first; blockers noted in G. 0 or -1 (memory). */
int	probe_region_at(struct gen *, struct grule *g, const struct ghook *h, int af,
	    struct pregion *out);

/* What the world can send at each of its hooks (probe_vant.c). 0 or -1. */
int	probe_vantages(struct gen *);
void	probe_vantages_free(struct gen *);
/* A packet the world sends at hook h, inside r (what g decides there), that g decides
 * when the model runs it: 1 found (c filled), 0 none found, 2 the world sends nothing
 * inside r, -1 memory. */
int	probe_find(struct gen *, struct grule *g, const struct ghook *h,
	    const struct pregion *r, struct probe_case *c);

#endif
