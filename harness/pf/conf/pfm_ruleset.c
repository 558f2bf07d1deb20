/* pfm_ruleset.c: a parsed ruleset's life: pf's defaults in a new one, and its end. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"

/* pf's default timeouts (seconds), PFTM_* order, as pfctl loads them. */
const uint32_t pfm_timeout_default[PFM_TM_MAX] = {
	120, 30, 86400, 900, 45, 90,	/* tcp */
	60, 30, 60,			/* udp */
	20, 10,				/* icmp */
	60, 30, 60,			/* other */
	30, 10,				/* frag, interval */
	60000, 120000,			/* adaptive */
	0, 30,				/* src.track, tcp.tsdiff */
	120, 30, 86400, 900, 90		/* sctp: pfctl gives them tcp's values */
};

/* A ruleset holding pf's defaults, or NULL when out of memory. */
struct pfm_ruleset *
pfm_ruleset_new(void)
{
	struct pfm_ruleset *rs;

	if ((rs = calloc(1, sizeof(*rs))) == NULL)
		return (NULL);
	rs->block_policy = PFM_BLOCK_DROP;
	rs->fail_policy = PFM_BLOCK_DROP;
	rs->limit_states = 100000;
	rs->limit_frags = 5000;
	rs->limit_src_nodes = 10000;
	rs->limit_table_entries = 200000;
	memcpy(rs->timeout, pfm_timeout_default, sizeof(rs->timeout));
	rs->require_order = 1;
	rs->debug = PFM_DEBUG_URGENT;
	rs->optimize = -1;
	rs->freebsd = PFM_FREEBSD_DEFAULT;
	return (rs);
}

void
pfm_rule_free(struct pfm_rule *r)
{
	if (r == NULL)
		return;
	free(r->rpool.addr);
	free(r->rpool.ifname);
	free(r->natpool.addr);
	free(r->natpool.ifname);
	free(r->rdrpool.addr);
	free(r->rdrpool.ifname);
	free(r);
}

static void
rules_free(struct pfm_rule *r)
{
	struct pfm_rule *n;

	for (; r != NULL; r = n) {
		n = r->next;
		pfm_rule_free(r);
	}
}

void
pfm_ruleset_free(struct pfm_ruleset *rs)
{
	struct pfm_table *t, *nt;
	struct pfm_anchor *a, *na;
	int i;

	if (rs == NULL)
		return;
	for (a = rs->anchors; a != NULL; a = na) {
		na = a->next;
		rules_free(a->rules);
		rules_free(a->nat);
		rules_free(a->rdr);
		rules_free(a->binat);
		pfm_eth_rules_free(a->ether);
		free(a->file);
		free(a->preamble);
		free(a->opt_tables);
		free(a);
	}
	rules_free(rs->rules);
	rules_free(rs->nat);
	rules_free(rs->rdr);
	rules_free(rs->binat);
	rules_free(rs->scrub);
	pfm_eth_rules_free(rs->ether);
	for (t = rs->tables; t != NULL; t = nt) {
		nt = t->next;
		free(t->ent);
		free(t->anchor);
		free(t);
	}
	free(rs->preamble);
	free(rs->opt_tables);
	pfm_svc_free(rs->svc);
	for (i = 0; i < rs->nfnames; i++)
		free(rs->fnames[i]);
	free(rs->fnames);
	free(rs);
}

const char *
pfm_rule_15only(const struct pfm_rule *r)
{
	/* nat-to, rdr-to, binat-to, once, max-pkt-size, max-pkt-rate are evaluated
	 * (pfm_fb15.c), af-to inet and inet6 (NAT64, NAT46) too (pfm_afto.c): no
	 * rule option the parser takes for FreeBSD 15 is refused now; a new one the
	 * model cannot evaluate is named here */
	(void)r;
	return (NULL);
}

/* One rule the evaluator refuses, once per line as written. */
static int
refuse_list(const struct pfm_rule *r, struct diag *d, const char **lastf, int *lastl)
{
	const char *opt;
	int n = 0;

	for (; r != NULL; r = r->next) {
		if ((opt = pfm_rule_15only(r)) == NULL)
			continue;
		if (r->line == *lastl && r->file == *lastf)
			continue;	/* the same rule expanded from lists */
		diag_add(d, r->file, r->line, "'%s' is FreeBSD 15's and the model does not "
		    "evaluate it yet: no rule of this ruleset is loaded (pfharness parse "
		    "--freebsd 15 reads and prints it)", opt);
		*lastf = r->file;
		*lastl = r->line;
		n++;
	}
	return (n);
}

int
pfm_ruleset_refuse15(const struct pfm_ruleset *rs, struct diag *d)
{
	const struct pfm_anchor *a;
	const char *lastf = NULL;
	int lastl = -1, l, n = 0;

	for (l = 0; l < 4; l++)
		n += refuse_list(pfm_anchor_list(rs, NULL, l), d, &lastf, &lastl);
	for (a = rs->anchors; a != NULL; a = a->next)
		for (l = 0; l < 4; l++)
			n += refuse_list(pfm_anchor_list(rs, a, l), d, &lastf, &lastl);
	return (n);
}

