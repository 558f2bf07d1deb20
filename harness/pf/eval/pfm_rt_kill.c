/* pfm_rt_kill.c: pfctl's kills and flushes on a running pf: states by address
 * (pf_killstates_row), by rule label, by interface, each with its matching state
 * under -M; rule lists and tables of a ruleset emptied; counters cleared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

/* 1 when a (of the state's family) is inside net/mask. */
static int
masked_eq(const uint8_t *a, const uint8_t *net, const uint8_t *mask, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if ((a[i] & mask[i]) != (net[i] & mask[i]))
			return (0);
	return (1);
}

/* The state's interface name, as pfctl -i compares it: its own, or for a floating
 * state the one it was created on. */
static const char *
state_if(const struct pfm *pf, const struct pfm_state *s)
{
	int k = s->kif != PFM_KIF_ALL ? s->kif : s->orig_kif;

	return (k >= 0 && k < pf->nifn ? pf->ifn[k] : "");
}

/* 1 when the keys are the same connection's key (addresses, ports, family, protocol). */
static int
skey_eq(const struct pfm_skey *a, const struct pfm_skey *b)
{
	return (a->af == b->af && a->proto == b->proto &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0 &&
	    memcmp(a->port, b->port, sizeof(a->port)) == 0);
}

/* -M (pf_ioctl.c pf_killstates_row, pf_clear_states): the state of the other
 * direction that holds s's key reversed, the stack key of an outbound s or the wire
 * key of an inbound one, as its wire or its stack key (pf_find_state_all); NULL when
 * none, or when several do (pf_kill_matching_state kills only a single match). */
static struct pfm_state *
matching_state(struct pfm *pf, const struct pfm_state *s)
{
	const struct pfm_skey *k;
	struct pfm_skey m;
	struct pfm_state *t, *found = NULL;
	int dir;

	if (s->direction == PFM_OUT) {
		dir = PFM_IN;
		k = PFM_ST_KEY(s, PFM_SK_STACK);
	} else {
		dir = PFM_OUT;
		k = PFM_ST_KEY(s, PFM_SK_WIRE);
	}
	memset(&m, 0, sizeof(m));
	m.af = k->af;
	m.proto = k->proto;
	memcpy(m.addr[0], k->addr[1], sizeof(m.addr[0]));
	memcpy(m.addr[1], k->addr[0], sizeof(m.addr[1]));
	m.port[0] = k->port[1];
	m.port[1] = k->port[0];
	for (t = pf->st.head; t != NULL; t = t->lnext) {
		if (t == s || t->direction != dir ||
		    pfm_state_expired(pf, t, pf->now_ms) ||
		    (!skey_eq(PFM_ST_KEY(t, PFM_SK_WIRE), &m) &&
		    !skey_eq(PFM_ST_KEY(t, PFM_SK_STACK), &m)))
			continue;
		if (found != NULL)
			return (NULL);
		found = t;
	}
	return (found);
}

/* Kill s, and with match its matching state; *next, the walk's next state, stays
 * valid. Returns how many went. */
static int
kill_state(struct pfm *pf, struct pfm_state *s, int match, struct pfm_state **next)
{
	struct pfm_state *m = match ? matching_state(pf, s) : NULL;

	if (m != NULL && m == *next)
		*next = m->lnext;
	pfm_state_unlink(pf, s);
	if (m == NULL)
		return (1);
	pfm_state_unlink(pf, m);
	return (2);
}

int
pfm_rt_kill_states(struct pfm *pf, const struct pfm_kill *k)
{
	struct pfm_state *s, *next;
	const struct pfm_skey *wk;
	int n = 0, si, di, len = k->af == 4 ? 4 : 16;

	for (s = pf->st.head; s != NULL; s = next) {
		next = s->lnext;
		wk = PFM_ST_KEY(s, PFM_SK_WIRE);
		if (wk->af != k->af)
			continue;
		if (k->ifname != NULL && strcmp(state_if(pf, s), k->ifname) != 0)
			continue;
		/* the wire key oriented by the state's direction: its source is the
		 * connection's initiator as seen on the wire */
		si = s->direction == PFM_OUT ? 1 : 0;
		di = 1 - si;
		if (!masked_eq(wk->addr[si], k->src, k->smask, len) ||
		    (k->has_dst && !masked_eq(wk->addr[di], k->dst, k->dmask, len)))
			continue;
		/* pf_killstates_row: PF_MATCHA on s->rt_addr (a zero mask, any) */
		if (!masked_eq(s->rt_addr, k->rt, k->rtmask, len))
			continue;
		n += kill_state(pf, s, k->match, &next);
	}
	return (n);
}

/* 1 when one of the rule's labels is name. */
static int
rule_labelled(const struct pfm_rule *r, const char *name)
{
	int i;

	if (r == NULL)
		return (0);
	if (strcmp(r->label, name) == 0 && name[0] != '\0')
		return (1);
	for (i = 0; i < 4; i++)
		if (r->xlabel[i][0] != '\0' && strcmp(r->xlabel[i], name) == 0)
			return (1);
	return (0);
}

int
pfm_rt_kill_label(struct pfm *pf, const char *label, const char *ifname, int match)
{
	struct pfm_state *s, *next;
	int n = 0;

	for (s = pf->st.head; s != NULL; s = next) {
		next = s->lnext;
		if (!rule_labelled(s->rule, label) ||
		    (ifname != NULL && strcmp(state_if(pf, s), ifname) != 0))
			continue;
		n += kill_state(pf, s, match, &next);
	}
	return (n);
}

int
pfm_rt_kill_id(struct pfm *pf, uint64_t id, uint32_t creator)
{
	struct pfm_state *s;
	uint32_t hostid = pf->rs != NULL && pf->rs->hostid != 0 ? pf->rs->hostid :
	    pf->hostid;

	/* pf_killstates: a creator of 0 is this host (V_pf_status.hostid); every state
	 * of the model is this host's (pf_find_state_byid) */
	if (creator == 0)
		creator = hostid;
	if (creator != hostid)
		return (0);
	for (s = pf->st.head; s != NULL; s = s->lnext)
		if (s->id == id) {
			pfm_state_unlink(pf, s);
			return (1);
		}
	return (0);
}

int
pfm_rt_flush_states(struct pfm *pf, const char *ifname, int match)
{
	struct pfm_state *s, *next;
	int n = 0;

	for (s = pf->st.head; s != NULL; s = next) {
		next = s->lnext;
		if (ifname != NULL && strcmp(state_if(pf, s), ifname) != 0)
			continue;
		n += kill_state(pf, s, match, &next);
	}
	return (n);
}

/* Keep a flushed rule list alive (states may point at its rules): into the pf's old
 * rulesets, in a ruleset of its own. */
static void
retire(struct pfm *pf, struct pfm_rule *list)
{
	struct pfm_ruleset *g, **no;

	if (list == NULL || (g = pfm_ruleset_new()) == NULL)
		return;
	if ((no = realloc(pf->old, (pf->nold + 1) * sizeof(*no))) == NULL) {
		free(g);	/* the rules leak: better than freed rules under states */
		return;
	}
	pf->old = no;
	g->rules = list;
	pf->old[pf->nold++] = g;
}

int
pfm_rt_flush_rules(struct pfm *pf, const char *anchor, int nat)
{
	struct pfm_anchor *a = NULL;
	struct pfm_ruleset *rs = pf->rs;
	char err[128];

	if (rs == NULL)
		return (0);
	/* an anchor that does not exist is made and removed again, empty */
	if (anchor != NULL && anchor[0] != '\0' &&
	    (a = pfm_anchor_find(rs, anchor)) == NULL)
		return (0);
	if (!nat && a == NULL) {	/* pfctl_clear_rules: scrub and filter */
		retire(pf, rs->rules);
		retire(pf, rs->scrub);
		rs->rules = rs->scrub = NULL;
		rs->nrules = rs->nscrub = 0;
	} else if (!nat) {
		retire(pf, a->rules);
		a->rules = NULL;
		a->nrules = 0;
	} else if (a == NULL) {	/* pfctl_clear_nat: nat, binat, rdr */
		retire(pf, rs->nat);
		retire(pf, rs->rdr);
		retire(pf, rs->binat);
		rs->nat = rs->rdr = rs->binat = NULL;
		rs->nnat = rs->nrdr = rs->nbinat = 0;
	} else {
		retire(pf, a->nat);
		retire(pf, a->rdr);
		retire(pf, a->binat);
		a->nat = a->rdr = a->binat = NULL;
		a->nnat = a->nrdr = a->nbinat = 0;
	}
	if (pfm_compile(pf, rs, err, sizeof(err)) == -1)
		return (-1);
	pfm_if_resolve(pf);
	return (0);
}

void
pfm_rt_table_kill(struct pfm_table *t)
{
	/* pfr_setflags_ktable without ACTIVE: the addresses go; a table rules still
	 * name lingers inactive and matches nothing */
	free(t->ent);
	t->ent = NULL;
	t->nent = 0;
	t->active = t->defined = t->persist = t->rt_created = 0;
	t->counters = 0;	/* an inactive table keeps no user flags */
}

int
pfm_rt_flush_tables(struct pfm *pf, const char *anchor)
{
	struct pfm_table *t;
	int n = 0;

	if (anchor != NULL && anchor[0] == '\0')
		anchor = NULL;
	for (t = pf->rs != NULL ? pf->rs->tables : NULL; t != NULL; t = t->next) {
		if (!t->active || (anchor == NULL ? t->anchor != NULL :
		    t->anchor == NULL || strcmp(t->anchor, anchor) != 0))
			continue;
		pfm_rt_table_kill(t);	/* pfr_clr_tables */
		n++;
	}
	return (n);
}

int
pfm_rt_flush_sources(struct pfm *pf)
{
	struct pfm_kill k;
	int n;

	/* pf_clear_srcnodes: every node, of both families */
	memset(&k, 0, sizeof(k));
	k.af = 4;
	n = pfm_src_kill(pf, &k);
	k.af = 6;
	return (n + pfm_src_kill(pf, &k));
}

void
pfm_rt_reset_ifflags(struct pfm *pf)
{
	/* pfi_clear_flags: `set skip` is undone until a ruleset sets it again */
	if (pf->rs != NULL)
		pf->rs->nskip = 0;
	pfm_if_resolve(pf);
}

void
pfm_rt_clear_info(struct pfm *pf, uint64_t now_ms)
{
	memset(pf->counters, 0, sizeof(pf->counters));
	memset(pf->fcounters, 0, sizeof(pf->fcounters));
	memset(pf->lcounters, 0, sizeof(pf->lcounters));
	memset(pf->pcounters, 0, sizeof(pf->pcounters));
	memset(pf->bcounters, 0, sizeof(pf->bcounters));
	pf->since_ms = now_ms;
	pf->clock_set = 1;
}

/* DIOCCLRRULECTRS (pf_ioctl.c): the main ruleset's filter rules only. */
void
pfm_rt_zero_rules(struct pfm *pf)
{
	struct pfm_clist *cl = &pf->list[PFM_L_FILTER];
	struct pfm_rule *r;
	int i;

	for (i = 0; i < cl->n; i++) {
		r = cl->r[i].r;
		cl->evaluations[i] = 0;
		r->evaluations = 0;
		memset(r->packets, 0, sizeof(r->packets));
		memset(r->bytes, 0, sizeof(r->bytes));
	}
}

int
pfm_rt_debug(struct pfm *pf, int level)
{
	if (pf->rs == NULL || level < 0 || level > 3)
		return (-1);
	pf->rs->debug = level;
	return (0);
}
