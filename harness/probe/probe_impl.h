/* probe_impl.h: what the files of probe/ share: a rule's packets as boxes
 * (probe_rule.c), the generator's view of a ruleset (probe_gen.c, probe_find.c). */
#ifndef PROBE_IMPL_H
#define PROBE_IMPL_H

#include "pf/pfm.h"
#include "pf/pfm_rule.h"
#include "probe.h"
#include "probe_set.h"

/* 1 when ifname is name or in the group name on host h. */
int	probe_if_member(const struct pfm_host *h, const char *ifname, const char *name);
/* 1 when rule r's `on` matches interface ifname. */
int	probe_rule_on(const struct pfm_rule *r, const struct pfm_host *h, const char *ifname);
/* An address of a rule as a set of af's addresses (replacing out). *inexact set when
 * the set is larger than what pf matches (routes, peers, tables with holes). 0 or -1. */
int	probe_addr_set(const struct pfm_addr *a, int af, const struct pfm_host *h,
	    struct pset *out, int *inexact);
/* The ports pf_match_port accepts for op (replacing s). 0 or -1. */
int	probe_port_set(enum pfm_op op, const uint16_t *p, struct pset *s);
/* The packets of af rule r matches, its interface and direction aside, added to out
 * (in: the inbound match of a binat rule). *inexact set when the boxes hold more than
 * pf matches (conditions they cannot state: tags, tos, probability, routes). 0 or -1. */
int	probe_rule_match(const struct pfm_rule *r, int af, int in, const struct pfm_host *h,
	    struct pregion *out, int *inexact);
/* Every packet of af (tcp, udp, icmp, others; ports and flags where they apply). */
int	probe_space(int af, struct pregion *out);
/* What a translation rule makes of the packets it matches (more than it makes: every
 * address of its pool, every port of its range), added to out. 0 or -1. */
int	probe_rule_image(const struct pfm_rule *r, int af, int in, const struct pfm_host *h,
	    struct pregion *out);

/* A line for the header: a note of what was assumed (limit 0), or a statement of the
 * world the probes leave out (limit 1, also on standard error). */
void	probe_world_say(struct probe_world *, int limit, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#define PROBE_ANCHOR_DEPTH	16

/* The rule lists, as pfm_anchor_list numbers them. */
enum { PL_FILTER, PL_NAT, PL_RDR, PL_BINAT, PL_N };

/* A rule as the generator walks it: the lists flattened (anchors' rules in place). */
struct grule {
	const struct pfm_rule *r;
	int		list;
	const char	*anchor;	/* path, "" main */
	int		deciding;	/* pass, block, translation or `no` translation */
	int		quick;
	int		inexact;	/* in an anchor, or conditions boxes cannot hold */
	int		translates;	/* nat, rdr, binat (not `no`) */
	int		index;		/* position in the flattened list */
	/* In an anchor: the anchor rules that step into it, outermost first (their
	 * interface, direction and match hold too), and, under a `quick` anchor rule,
	 * the index where the nearest one's rules end: a match inside ends the
	 * evaluation there (-1: none). */
	const struct pfm_rule *call[PROBE_ANCHOR_DEPTH];
	int		ncall;
	int		scope_end;
	/* the boxes, per address family (0: inet, 1: inet6) and direction (binat) */
	struct pregion	m[2][2];
	int		have[2][2];
	struct pregion	img[2][2];	/* translation rules: what they hand on */
	int		have_img[2][2];
};

/* The ruleset flattened: one list per kind, and where each rule sits. */
struct gset {
	struct pfm_ruleset *rs;
	struct grule	*g[PL_N];
	int		n[PL_N], cap[PL_N];
	const struct pfm_host *host;
};

/* Flatten rs (anchors' rules in place, wildcards expanded). 0 or -1. */
int	probe_gset_make(struct gset *, struct pfm_ruleset *rs, const struct pfm_host *h);
void	probe_gset_free(struct gset *);
/* The boxes of g for af (AF_INET/AF_INET6) and direction (cached). NULL: memory. */
const struct pregion *probe_grule_match(struct gset *, struct grule *g, int af, int in);
/* The packets translation rule g hands on, for af and direction (cached). NULL:
 * memory. */
const struct pregion *probe_grule_image(struct gset *, struct grule *g, int af, int in);
/* 1 when g (and the anchor rules calling it) looks at packets `in` (1) or out on
 * interface ifname. */
int	probe_grule_applies(const struct gset *, const struct grule *g, int in,
	    const char *ifname);
/* Which list a rule of the model's verdict is in. */
int	probe_rule_list(const struct pfm_rule *r);
/* 1 when the interface is `set skip`. */
int	probe_skipped(const struct gset *, const char *ifname);

/* One hook a probe's packet crosses: where, what pf did, the packet before and after,
 * the state pf created or matched (pfctl -ss's words, "" none). */
#define PROBE_HOPS	4
struct phop {
	enum pfm_dir	dir;
	char		ifname[PFM_IFNAMSIZ];
	struct pfm_verdict v;
	struct pkt	before, after;
	char		state[512];
};

/* The packet a case sends (as its scenario line says). 0, or -1 when it does not
 * parse. */
int	probe_case_pkt(const struct probe_world *, const struct probe_case *, struct pkt *);
/* The case's packet through pf at each hook it crosses (probe_eval.c), at now_ms; the
 * number of hops filled (0: the packet could not be built). States are pf's: the
 * caller flushes them first when it wants the packet judged alone. */
int	probe_eval(struct pfm *pf, const struct probe_world *, const struct probe_case *,
	    uint64_t now_ms, struct phop *hop);
/* 1 when rule (list, anchor, nr) decided the packet at hop h: the translation rule
 * that matched, or the filter rule whose verdict stood (no state, no skip, no
 * `pass` translation before it). */
int	probe_hop_decides(const struct phop *h, int list, const char *anchor, int nr);

#endif
