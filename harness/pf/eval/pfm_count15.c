/* pfm_count15.c: what FreeBSD 15's pf_counters_inc counts beyond 14's pf_test: the
 * match rules. 15 keeps the match rules a packet met (ctx->match_rules) and, when
 * the packet makes a state, gives the list to the state (s->match_rules), so a match
 * rule counts the first packet and every later packet of the state, as the rule
 * that passed it does; 14 counted a match rule only as the walk met it.
 * Source read: FreeBSD main's sys/netpfil/pf/pf.c as 15 has it, in the
 * HardenedBSD-src mirror at 07f6ef0: pf_counters_inc, pf_rule_counters_inc,
 * pf_match_rule, pf_create_state, STATE_INC_COUNTERS; FreeBSD's
 * tests/sys/netpfil/pf/counters.sh asserts the figures. Kept apart from
 * pfm_fb15.c, which pfm_match.c calls: these count with pfm_rule_count. */
#include "pfm_impl.h"

/* pf_counters_inc with no state (s == NULL): the walk's list, mr = match_rules. It
 * is called when the packet passed or its rule blocks ("If the rule has failed to
 * apply, don't increase its counters": a pass rule whose state was refused counts
 * nothing, its match rules neither); the caller knows which. The tables of a
 * match rule (pf_rule_counters_inc's pfr_update_stats) are not counted: the model
 * counts the deciding rule's (pfm_tstats.c). */
void
pfm15_count_walk(const struct pfm_act15 *x, const struct pfm_pd *pd)
{
	size_t i;

	for (i = 0; i < x->nmr; i++)
		pfm_rule_count(x->mr[i], pd);
}

/* pf_counters_inc with a state: s->nat_rule counts when it is an old-style
 * translation rule (action nat, rdr or binat); then every rule of s->match_rules
 * (a match rule with nat-to or rdr-to, the state's nat_rule, among them: once);
 * s->rule and s->anchor are the caller's (pfm_eval.c state_count), as in 14. A
 * pass rule's own nat-to is s->rule and counts there. */
void
pfm15_count_state(const struct pfm_state *s, const struct pfm_pd *pd)
{
	struct pfm_rule *const *m;
	const struct pfm_rule *nr = s->nat_rule;

	if (nr != NULL && (nr->action == PFM_R_NAT || nr->action == PFM_R_RDR ||
	    nr->action == PFM_R_BINAT))
		pfm_rule_count((struct pfm_rule *)(uintptr_t)nr, pd);
	if (!(s->cold & PFM_SC_MATCH))
		return;
	for (m = s->mrules; *m != NULL; m++)
		pfm_rule_count(*m, pd);
}
