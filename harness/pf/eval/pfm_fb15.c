/* pfm_fb15.c: FreeBSD 15's filter evaluation where it differs from 14's: match rules
 * whose options and translation accumulate on the packet, nat-to and rdr-to (and
 * binat-to, which pfctl makes of the two) on pass and match rules, once,
 * max-pkt-size and max-pkt-rate. Source read: FreeBSD main's sys/netpfil/pf/pf.c as 15 has it
 * (pf_test_ctx), in the HardenedBSD-src mirror at 07f6ef0: pf_test, pf_test_rule,
 * pf_match_rule, pf_rule_apply_nat, pf_rule_to_actions, pf_create_state,
 * pf_counters_inc. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

void
pfm15_begin(struct pfm_act15 *x, struct pfm_rule *nr)
{
	memset(x, 0, sizeof(*x));
	x->nr = nr;
	x->res = PFM_RES_MATCH;
}

/* pf_rule_to_actions, for what the model acts on: allow-opts and max-pkt-size (15
 * keeps them in pf_rule_actions, which the state copies, so a match rule's count
 * for the packet and its state). tag is the walk's (pfm_filter); queue, rtable,
 * set prio, log are not modelled, and scrub options are the scrub rules'
 * (pfm_load.c warns). */
static void
rule_to_actions(const struct pfm_rule *r, struct pfm_act15 *x)
{
	if (r->allow_opts)
		x->allow_opts = 1;
	if (r->max_pkt_size)
		x->max_pkt_size = r->max_pkt_size;
}

/*
 * max-pkt-rate N/S. FreeBSD 15's pf_match_rule tests a rule's pktrate after every
 * other criterion ("must be last"): pf_check_threshold says the rate is exceeded and
 * the rule is passed over like a rule whose address differs, so it neither decides
 * the packet nor, as a match rule, adds its options; the walk goes on and another
 * rule (or the default pass) decides. No drop reason of its own: a packet a `block`
 * rule then takes counts as match. Every rule the walk reaches with all else matching
 * counts the packet, match and non-quick rules a later rule overrides included;
 * packets of an existing state never reach the walk and are not counted.
 * 15's threshold is not 14's decaying pf_add_threshold count (the model's
 * max-src-conn-rate, pfm_src.c): pf_init_threshold gives the rule a counter_rate
 * with a period of S seconds and pf_check_threshold is counter_ratecheck(cr, N) < 0.
 * counter_ratecheck (sys/kern/subr_counter.c) counts in a fixed window: once the
 * window is a period old the count restarts at 0 and the window restarts now; then
 * the packet is counted and the rate is exceeded when the count is above N, until
 * the window ends. Read: pf.c at HardenedBSD-src 07f6ef0 (pf_match_rule,
 * pf_init_threshold, pf_check_threshold); counter_ratecheck as subr_counter.c has it
 * with its one-second window, and counter(9)'s counter_rate_alloc(flags, period),
 * the period 15 checks the rate over. Deviation: pf's window starts when the rule
 * is loaded; the model has no clock reading at load, its window starts at the
 * first packet the rule counts (the same as a first packet later than S seconds
 * after the load).
 */
int
pfm15_pkt_rate(struct pfm_rule *r, uint64_t now_ms)
{
	if (r->max_pkt_rate[0] == 0)
		return (0);
	if (!r->rate_started ||
	    now_ms - r->rate_start_ms >= (uint64_t)r->max_pkt_rate[1] * 1000) {
		r->rate_started = 1;
		r->rate_start_ms = now_ms;
		r->rate_count = 0;
	}
	if (r->rate_count < UINT32_MAX)
		r->rate_count++;
	return (r->rate_count > r->max_pkt_rate[0]);
}

int
pfm15_too_long(const struct pfm_pd *pd, uint16_t max)
{
	/* pf_test: "dropping overly long packet", PFRES_NORM */
	return (max != 0 && pd->tot_len > max);
}

int
pfm15_state(struct pfm *pf, struct pfm_verdict *v, enum pfm_res res,
    const struct pfm_act15 *x)
{
	struct pfm_state *s = (struct pfm_state *)(uintptr_t)v->state;
	size_t i;

	if ((res != PFM_RES_MATCH && res != PFM_RES_SYNPROXY) || s == NULL)
		return (0);
	if (x->allow_opts)
		s->cold |= PFM_SC_OPTS;
	if (x->max_pkt_size) {
		s->max_pkt = x->max_pkt_size;
		s->cold |= PFM_SC_MAXPKT;
	}
	if (x->nmr == 0)
		return (0);
	/* pf_create_state: s->match_rules = *ctx->match_rules, the walk's list */
	if ((s->mrules = malloc((x->nmr + 1) * sizeof(*s->mrules))) == NULL) {
		pfm_state_unlink(pf, s);
		v->state = NULL;
		v->state_created = 0;
		return (-1);
	}
	memcpy(s->mrules, x->mr, x->nmr * sizeof(*s->mrules));
	s->mrules[x->nmr] = NULL;
	s->cold |= PFM_SC_MATCH;
	/* STATE_INC_COUNTERS (15's pf.c): every match rule of the state counts it,
	 * but the one that is its nat_rule (a match rule's nat-to or rdr-to), which
	 * pf_state_insert counted already (pfm_state.c); pfm_state_unlink undoes it */
	for (i = 0; i < x->nmr; i++)
		if (x->mr[i] != s->nat_rule) {
			x->mr[i]->states_cur++;
			x->mr[i]->states_tot++;
		}
	return (0);
}

/* pf_rule_apply_nat: a rule with nat-to or rdr-to translates the packet now, unless
 * a translation rule already did (an old nat/rdr/binat rule, or an earlier nat-to or
 * rdr-to): then the packet fails with PFRES_TRANSLATE. 1 rewritten, 0 nothing to do
 * (or a translation that changes nothing), -1 failed (x->res). */
static int
apply_nat(struct pfm *pf, struct pfm_pd *pd, struct pfm_rule *r, struct pfm_act15 *x)
{
	struct pfm_skey skw, sks;
	enum pfm_res res;
	int sidx = pd->dir == PFM_IN ? 0 : 1;

	if ((r->natpool.naddr == 0 && r->rdrpool.naddr == 0) || r->afto)
		return (0);	/* af-to's pools are pfm_afto.c's */
	if (x->nr != NULL) {
		x->res = PFM_RES_TRANSLATE;
		return (-1);
	}
	x->nr = pfm_nat_rule15(pf, r, pd, &skw, &sks, &res);
	if (res != PFM_RES_MATCH) {
		x->res = res;
		return (-1);
	}
	if (x->nr == NULL)
		return (0);
	x->filter_nat = 1;
	x->skw = skw;
	x->sks = sks;
	/* pf_translate_compat: the packet, and what later rules match, translated */
	if (pfm_nat_apply(pd, pd->dir == PFM_IN ? &sks : &skw, sidx))
		x->rewritten = 1;
	return (1);
}

/* pf_match_rule: a match rule joins ctx->match_rules, which pf_counters_inc counts
 * once the packet is decided (pfm_count15.c) and the state keeps (pfm15_state);
 * no memory for the item fails the packet with PFRES_MEMORY, as pf's malloc does.
 * The list lives in pf->m15buf, grown when a walk meets more match rules than any
 * before it. */
static int
add_match(struct pfm *pf, struct pfm_rule *r, struct pfm_act15 *x)
{
	struct pfm_rule **n;
	size_t cap;

	if (x->nmr == pf->m15cap) {
		cap = pf->m15cap ? pf->m15cap * 2 : 16;
		if ((n = realloc(pf->m15buf, cap * sizeof(*n))) == NULL) {
			x->res = PFM_RES_MEMORY;
			return (-1);
		}
		pf->m15buf = n;
		pf->m15cap = cap;
	}
	pf->m15buf[x->nmr++] = r;
	x->mr = pf->m15buf;
	return (0);
}

int
pfm15_match(struct pfm *pf, struct pfm_pd *pd, struct pfm_rule *r, struct pfm_act15 *x)
{
	int rc;

	/* "Apply translations before increasing counters, in case it fails" */
	if ((rc = apply_nat(pf, pd, r, x)) == -1 || add_match(pf, r, x) == -1)
		return (-1);
	rule_to_actions(r, x);
	return (rc);
}

int
pfm15_decide(struct pfm *pf, struct pfm_pd *pd, struct pfm_rule *r, struct pfm_act15 *x)
{
	if (x->res != PFM_RES_MATCH)
		return (-1);	/* a match rule's translation failed */
	if (r == NULL)
		return (0);	/* the default rule: no actions, no translation */
	/* once: the rule that decided the packet expires (PFRULE_EXPIRED); the walk
	 * passes over it from now on and pfctl -sr shows it only with -vv. 15's
	 * pfvar.h and pfctl have the flag; the copy of 15's pf.c read here has no
	 * code for it, so OpenBSD's pf_test_rule, where it comes from, is followed:
	 * the deciding rule, pass or block, on its first packet. */
	if (r->once)
		r->expired = 1;
	rule_to_actions(r, x);
	return (apply_nat(pf, pd, r, x) == -1 ? -1 : 0);
}
