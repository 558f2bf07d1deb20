/* pfm_src15.c: FreeBSD 15's source nodes by type (main's source-tracking rework): the
 * nodes pf_create_state makes for a state, the pool a sticky address is kept for,
 * and the names pfctl prints for them. Read: FreeBSD main's sys/netpfil/pf/pf.c in
 * the HardenedBSD-src mirror at 07f6ef0 (pf_create_state, pf_insert_src_node,
 * pf_find_src_node, pf_src_connlimit), pf_lb.c's pf_map_addr_sn and
 * pf_check_src_node_valid, pfvar.h's PF_SN_TYPE_NAMES and pfctl's print_state;
 * print_src_node's output as tests/sys/netpfil/pf/src_track.sh (main) reads it.
 * The node table itself is pfm_src.c's. */
#include <stdio.h>
#include <string.h>

#include "pfm_impl.h"

/*
 * pf_create_state (15): a state gets up to three nodes, each of its own type.
 * - limit: a rule with source tracking (source-track, max-src-*). `source-track rule`
 *   keys it by the rule; `source-track global` by the default rule (pf_insert_src_node's
 *   r_track), so every global rule of a source shares one node, and each rule's own
 *   max-src-states is held against that node's states (the node's ruletype is the
 *   first rule's action).
 * - route: route-to/reply-to/dup-to with sticky-address, keyed by the filter rule;
 *   its address is the next hop pf_map_addr_sn chose (the caller sets it).
 * - NAT/RDR: the translation rule's pool is sticky (an old nat/rdr rule, or 15's
 *   nat-to/rdr-to on a pass or match rule), keyed by that rule, for the source
 *   before translation; its address is the translated one.
 * A filter rule's sticky-address without route-to makes no node, unlike 14.
 * A failure after the first node gives the nodes back (csfailed).
 */
enum pfm_res
pfm_src_track(struct pfm *pf, const struct pfm_pd *pd, const struct pfm_rule *r,
    const struct pfm_rule *nr, const struct pfm_skey *skw, const struct pfm_skey *sks,
    struct pfm_srcref *ref)
{
	memset(ref, 0, sizeof(*ref));
	ref->rule = r;
	if (!pfm_is15(pf))
		return (pfm_src_track14(pf, pd, r, nr, skw, sks, ref));
	return (pfm_src_track15(pf, pd, r, nr, skw, sks, ref));
}

enum pfm_res
pfm_src_track15(struct pfm *pf, const struct pfm_pd *pd, const struct pfm_rule *r,
    const struct pfm_rule *nr, const struct pfm_skey *skw, const struct pfm_skey *sks,
    struct pfm_srcref *ref)
{
	const struct pfm_skey *ok, *tk;
	const uint8_t *src = pd->pkt + pd->src_off;
	enum pfm_res res = PFM_RES_MATCH;
	int sidx = pd->dir == PFM_IN ? 0 : 1;

	if (r != NULL && r->srctrack)
		res = pfm_sn_insert(pf, r->srctrack == 2 ? r : NULL, r, PFM_SN_LIMIT,
		    src, pd->af, &ref->sn[PFM_SN_LIMIT]);
	/* the route node is made before its gateway is mapped (pfm_map_addr after
	 * pfm_src_track): a node whose gateway has left the pool is dropped by
	 * pfm_map_addr then, as pf_map_addr_sn drops it before pf_create_state */
	if (res == PFM_RES_MATCH && r != NULL && r->rt != PFM_RT_NONE && r->rpool.sticky)
		res = pfm_sn_insert(pf, r, r, PFM_SN_ROUTE, src, pd->af,
		    &ref->sn[PFM_SN_ROUTE]);
	if (res == PFM_RES_MATCH && nr != NULL && pfm_trans_pool(nr)->sticky) {
		ok = pd->dir == PFM_IN ? skw : sks;
		tk = pd->dir == PFM_IN ? sks : skw;
		res = pfm_sn_insert(pf, nr, nr, PFM_SN_NAT, ok->addr[sidx], pd->af,
		    &ref->sn[PFM_SN_NAT]);
		if (res == PFM_RES_MATCH)
			pfm_sn_set_raddr(ref->sn[PFM_SN_NAT], tk->addr[1]);
	}
	return (res == PFM_RES_MATCH ? res : pfm_src_undo(pf, ref, res));
}

int
pfm_sn_pool_type(const struct pfm *pf, const struct pfm_rule *r,
    const struct pfm_pool *pool)
{
	/* a filter rule's rpool is its route-to pool; a nat/rdr rule's, and a
	 * pass/match rule's natpool and rdrpool, translate */
	if (pool == &r->rpool && r->action != PFM_R_NAT && r->action != PFM_R_RDR &&
	    r->action != PFM_R_BINAT)
		return (pfm_is15(pf) ? PFM_SN_ROUTE : PFM_SN_LIMIT);
	return (PFM_SN_NAT);
}

/* print_state -v (15's pfctl): the state's source nodes by type, a limit node of the
 * default rule (source-track global) followed by " global". */
void
pfm_src_print_flags15(FILE *fp, int flags)
{
	if (flags & 1 << PFM_SN_LIMIT)
		fprintf(fp, ", %s%s", pfm_sn_type_name(PFM_SN_LIMIT),
		    flags & PFM_SNF_GLOBAL ? " global" : "");
	if (flags & 1 << PFM_SN_NAT)
		fprintf(fp, ", %s", pfm_sn_type_name(PFM_SN_NAT));
	if (flags & 1 << PFM_SN_ROUTE)
		fprintf(fp, ", %s", pfm_sn_type_name(PFM_SN_ROUTE));
}

/* pf_check_src_node_valid (15's pf_lb.c): a sticky node's address a (of the pool's
 * family) is still valid when one of the pool's n prefixes p (its addresses, its
 * tables' and interfaces' as they are now) holds it. */
int
pfm_sn_valid15(const struct pfm_prefix *p, int n, const uint8_t *a)
{
	uint32_t w[4];
	int i, j, ok;

	memset(w, 0, sizeof(w));
	memcpy(w, a, n > 0 && p[0].af == 4 ? 4 : 16);
	for (i = 0; i < n; i++) {
		for (ok = 1, j = 0; j < (p[i].af == 4 ? 1 : 4); j++)
			ok &= (w[j] & p[i].mask[j]) == (p[i].addr[j] & p[i].mask[j]);
		if (ok)
			return (1);
	}
	return (0);
}
