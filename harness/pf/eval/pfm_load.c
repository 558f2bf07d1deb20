/* pfm_load.c: load a ruleset into a pf: parse it, compile it, adopt it (its options
 * become the tunables, states are kept), and warn of what the model does not act on. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

/* A reload under `set keepcounters`: the new main lists and those of the file's
 * anchors keep the counters of the identical rules they replace (every list is
 * committed, pf_commit_rules, with the keep_counters pfctl_load_options set). */
static void
keep_all(struct pfm *pf, const struct pfm_ruleset *prev, struct pfm_ruleset *rs)
{
	const struct pfm_anchor *oa;
	struct pfm_anchor *a;
	int l;

	pfm_compile_sync(pf);
	pfm_keep_counters(prev->scrub, rs->scrub);
	for (l = 0; l < 4; l++)
		pfm_keep_counters(pfm_anchor_list(prev, NULL, l), pfm_anchor_list(rs, NULL, l));
	for (a = rs->anchors; a != NULL; a = a->next)
		if ((oa = pfm_anchor_find(prev, a->path)) != NULL)
			for (l = 0; l < 4; l++)
				pfm_keep_counters(pfm_anchor_list(prev, oa, l),
				    pfm_anchor_list(rs, a, l));
}

/* Adopt a parsed ruleset: options become the pf's tunables, the old ruleset stays
 * alive for the states that point at its rules (pf keeps such rules too). */
int
pfm_adopt(struct pfm *pf, struct pfm_ruleset *rs, struct diag *d)
{
	char err[128];
	struct pfm_ruleset *prev = pf->rs, **no;
	struct pfm_table *t;
	int i;

	if ((no = realloc(pf->old, (pf->nold + 1) * sizeof(*no))) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		return (-1);
	}
	pf->old = no;
	if (rs->keep_counters && prev != NULL)
		keep_all(pf, prev, rs);
	/* the file's addresses are new: their stats are cleared now (pfr_ina_commit);
	 * those the running table held keep theirs (pfm_rt_carry) */
	for (t = rs->tables; t != NULL; t = t->next)
		if (t->defined && t->listed)
			for (i = 0; i < t->nent; i++)
				pfm_table_clear_entry(&t->ent[i], pf->now_ms);
	/* what pfctl -a and -T put in the running pf outlives the reload (on a compile
	 * failure below, which only memory causes, it stays with the new ruleset) */
	if (prev != NULL)
		pfm_rt_carry(pf, prev, rs);
	pf->rs = rs;
	if (pfm_compile(pf, rs, err, sizeof(err)) == -1) {
		pf->rs = prev;
		if (prev != NULL)
			pfm_compile(pf, prev, err, sizeof(err));
		diag_add(d, NULL, 0, "%s", err);
		return (-1);
	}
	if (prev != NULL)
		pf->old[pf->nold++] = prev;
	pf->keep_counters = rs->keep_counters;
	/* `set limit states 0` is no limit at all: pf sets the zone's maximum to 0,
	 * which uma takes for none (pf_ioctl.c DIOCSETLIMIT; limits.sh zero) */
	pf->limit_states = rs->limit_states_set || rs->limit_states ? rs->limit_states :
	    100000;
	pf->limit_src_nodes = rs->limit_src_nodes ? rs->limit_src_nodes : 10000;
	pf->limit_frags = rs->limit_frags ? rs->limit_frags : 5000;
	pf->reass_opt = pfm_frag_reass_opt(rs->preamble);
	/* A parsed ruleset holds pf's defaults where the file said nothing, so a 0 there
	 * was written and stands (adaptive.start 0 turns adaptive off); a ruleset built
	 * by hand leaves 0 for the default. */
	for (i = 0; i < PFM_TM_MAX; i++)
		pf->timeout[i] = rs->timeout_set & (1u << i) || rs->timeout[i] != 0 ?
		    rs->timeout[i] : pfm_timeout_default[i];
	/* pfctl_load_options: a states limit without explicit adaptive timeouts moves
	 * them to 60% and 120% of the limit. */
	if (rs->limit_states_set &&
	    !(rs->timeout_set & (1u << PFM_TM_ADAPTIVE_START)) &&
	    !(rs->timeout_set & (1u << PFM_TM_ADAPTIVE_END))) {
		pf->timeout[PFM_TM_ADAPTIVE_START] = rs->limit_states / 10 * 6;
		pf->timeout[PFM_TM_ADAPTIVE_END] = rs->limit_states / 10 * 12;
	}
	pf->block_policy = rs->block_policy == PFM_BLOCK_RETURN ? PFM_BLOCK_RETURN :
	    PFM_BLOCK_DROP;
	pfm_syncookie_load(pf);
	pfm_if_resolve(pf);
	return (0);
}

/* Warnings of pfm_ruleset_warn already given: one per rule as written (a rule
 * expanded from lists is many rules with one file:line) and option. */
struct warned {
	const char	*file;
	int		 line;
	const char	*opt;
};

struct warnctx {
	struct diag	*d;
	struct warned	*w;
	int		 n, cap;
};

static void
warn_at(struct warnctx *wc, const char *file, int line, const char *opt, const char *what)
{
	struct warned *nw;
	int i;

	for (i = wc->n - 1; i >= 0; i--)
		if (wc->w[i].line == line && wc->w[i].opt == opt &&
		    (wc->w[i].file == file || (wc->w[i].file != NULL &&
		    file != NULL && strcmp(wc->w[i].file, file) == 0)))
			return;
	if (wc->n == wc->cap) {
		if ((nw = realloc(wc->w, (size_t)(wc->cap * 2 + 16) * sizeof(*nw))) ==
		    NULL)
			return;
		wc->w = nw;
		wc->cap = wc->cap * 2 + 16;
	}
	wc->w[wc->n].file = file;
	wc->w[wc->n].line = line;
	wc->w[wc->n++].opt = opt;
	if (file != NULL)
		diag_add(wc->d, "pfharness", 0, "%s:%d: '%s' is not modelled: %s", file,
		    line, opt, what);
	else
		diag_add(wc->d, "pfharness", 0, "line %d: '%s' is not modelled: %s",
		    line, opt, what);
}

static void
warn(struct warnctx *wc, const struct pfm_rule *r, const char *opt, const char *what)
{
	warn_at(wc, r->file, r->line, opt, what);
}

/* What of FreeBSD 14's layer 2 rules pfm_eth.c does not act on: queue, dnpipe, ARP,
 * in an inline anchor's rules too; what it cannot evaluate at all (MAC addresses,
 * bridge-to), which pfm_load refuses (pfm_eth_refuse) and pfharness parse warns of. */
static void
warn_ether(struct warnctx *wc, const struct pfm_eth_rule *r)
{
	const char *what, *why;
	char buf[160];

	for (; r != NULL; r = r->next) {
		if ((what = pfm_eth_unmodelled(r, &why)) != NULL) {
			snprintf(buf, sizeof(buf), "%s; a run refuses the ruleset", why);
			warn_at(wc, r->file, r->line, what, buf);
		}
		if (r->qname[0] != '\0')
			warn_at(wc, r->file, r->line, "queue", "no ALTQ queue assignment");
		if (r->dnpipe)
			warn_at(wc, r->file, r->line, r->dn_is_pipe ? "dnpipe" : "dnqueue",
			    "no dummynet delay, loss or bandwidth limit");
		if (r->proto == 0x0806)
			warn_at(wc, r->file, r->line, "proto 0x0806", "the model sees "
			    "IP packets only: ARP is never filtered");
		warn_ether(wc, r->anchor_rules);
	}
}

/* The options of one rule pf acts on and the model does not (pfm_match.c and
 * pfm_eval.c honour the rest: tag, tagged, tos, prio, probability, allow-opts,
 * fragment, ...). */
static void
warn_rule(struct warnctx *wc, const struct pfm_rule *r)
{
	int filter = r->action == PFM_R_PASS || r->action == PFM_R_BLOCK ||
	    r->action == PFM_R_MATCH;

	if (r->os[0] != '\0' && strcmp(r->os, "any") != 0)
		warn(wc, r, "os", "no OS fingerprinting; the rule matches as if it had "
		    "no os");
	if (r->uid.op)
		warn(wc, r, "user", "no socket lookup; the rule matches as if it had no "
		    "user");
	if (r->gid.op)
		warn(wc, r, "group", "no socket lookup; the rule matches as if it had no "
		    "group");
	/* pf_route is modelled up to the verdict (pfm_eval.c: the state's next hop,
	 * -ss -vv, -k gateway); the targets do not send by it */
	if (r->rt == PFM_RT_ROUTETO)
		warn(wc, r, "route-to", "pf keeps the next hop, but the packet takes "
		    "the host's routing table");
	else if (r->rt == PFM_RT_REPLYTO)
		warn(wc, r, "reply-to", "pf keeps the next hop, but replies take the "
		    "host's routing table");
	else if (r->rt == PFM_RT_DUPTO)
		warn(wc, r, "dup-to", "pf keeps the next hop, but no duplicate is sent");
	if (r->rtableid >= 0)
		warn(wc, r, "rtable", "the packet stays in routing table 0");
	if (r->divert_port)
		warn(wc, r, "divert-to", "the packet is passed on, not diverted");
	if (r->dnpipe || r->dnrpipe)
		warn(wc, r, r->dn_is_pipe ? "dnpipe" : "dnqueue", "no dummynet delay, "
		    "loss or bandwidth limit");
	if (r->qname[0] != '\0')
		warn(wc, r, "queue", "no ALTQ queue assignment");
	if (r->has_set_prio)
		warn(wc, r, "set prio", "no 802.1Q priority is set");
	/* a pass, block or match rule's scrub (...) and set tos go with the
	 * packet and its state (pfm_frag_act_add) */
	if ((r->scrub_flags & PFM_SCRUB_REASSEMBLE_TCP) && filter)
		warn(wc, r, "reassemble tcp", "no stateful TCP normalisation (TTL, "
		    "timestamps)");
	if ((r->action == PFM_R_SCRUB || r->action == PFM_R_NOSCRUB) &&
	    r->tagged[0] != '\0')
		warn(wc, r, "tagged", "scrub rules apply to tagged and untagged packets "
		    "alike");
}

int
pfm_ruleset_warn(const struct pfm_ruleset *rs, struct diag *d)
{
	struct warnctx wc = { d, NULL, 0, 0 };
	const struct pfm_anchor *a;
	const struct pfm_rule *r;
	const struct pfm_rule *lists[5];
	int l;

	lists[0] = rs->scrub;
	warn_ether(&wc, rs->ether);
	for (a = rs->anchors; a != NULL; a = a->next)
		warn_ether(&wc, a->ether);
	for (a = NULL;;) {
		lists[1] = a == NULL ? rs->nat : a->nat;
		lists[2] = a == NULL ? rs->rdr : a->rdr;
		lists[3] = a == NULL ? rs->binat : a->binat;
		lists[4] = a == NULL ? rs->rules : a->rules;
		for (l = a == NULL ? 0 : 1; l < 5; l++)
			for (r = lists[l]; r != NULL; r = r->next)
				warn_rule(&wc, r);
		if ((a = a == NULL ? rs->anchors : a->next) == NULL)
			break;
	}
	free(wc.w);
	return (wc.n);
}

int
pfm_load_refused15(const struct pfm *pf)
{
	return (pf->refused15);
}

int
pfm_load(struct pfm *pf, const char *text, const struct pfm_load_opts *o, struct diag *d)
{
	struct pfm_ruleset *rs;

	pf->refused15 = 0;
	if ((rs = pfm_ruleset_parse(text, o, &pf->host, d)) == NULL)
		return (-1);
	if (pfm_ruleset_refuse15(rs, d) > 0 || pfm_eth_refuse(rs, d) > 0) {
		pf->refused15 = 1;	/* refused, not a syntax error */
		pfm_ruleset_free(rs);
		return (-1);
	}
	pfm_ruleset_warn(rs, d);
	if (o != NULL && o->services != NULL)
		snprintf(pf->services, sizeof(pf->services), "%s", o->services);
	if (pfm_adopt(pf, rs, d) == -1) {
		pfm_ruleset_free(rs);
		return (-1);
	}
	return (0);
}
