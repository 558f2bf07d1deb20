/* pfm_show_rules.c: the rule lists as pfctl -sr, -sn and -sl print them (FreeBSD 14's
 * sbin/pfctl/pfctl.c pfctl_show_rules, pfctl_show_nat, pfctl_print_rule_counters):
 * the main ruleset or one anchor, calls into anchors expanded in braces for unnamed
 * anchors or when the anchor named with -a ended in "*", the counters with -v. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

/* The compiled lists keep their evaluation counts apart; the rules get them here. */
static void
sync_counters(struct pfm *pf)
{
	int l, i;

	for (l = 0; l < PFM_L_MAX * (1 + pf->nalist); l++) {
		struct pfm_clist *cl = l < PFM_L_MAX ? &pf->list[l] :
		    &pf->alist[l - PFM_L_MAX];	/* the anchors' lists follow */

		for (i = 0; i < cl->n; i++)
			cl->r[i].r->evaluations = cl->evaluations[i];
	}
}

/* The compiled list l of anchor a (NULL: the main ruleset); NULL when it has none. */
static struct pfm_clist *
clist_of(struct pfm *pf, const struct pfm_anchor *a, enum pfm_list l)
{
	if (a == NULL)
		return (&pf->list[l]);
	return (a->clist != NULL ? &a->clist[l] : NULL);
}

/* pfctl_print_rule_counters (without -g's skip steps). pf records the uid and pid of
 * the pfctl that loaded the rule; the model's loader is uid 0, pid 0. */
static void
counters(FILE *fp, const struct pfm_rule *r, int opts)
{
	if (opts & PFM_SHOW_V) {
		fprintf(fp, "  [ Evaluations: %-8" PRIu64 "  Packets: %-8" PRIu64
		    "  Bytes: %-10" PRIu64 "  States: %-6u]\n", r->evaluations,
		    r->packets[0] + r->packets[1], r->bytes[0] + r->bytes[1], r->states_cur);
		fprintf(fp, "  [ Inserted: uid %u pid %u State Creations: %-6u]\n", 0u, 0u,
		    r->states_tot);
	}
	if (opts & PFM_SHOW_VV)
		fprintf(fp, "  [ Last Active Time: N/A ]\n");
}

/* A rule as pfctl prints it; with -P its ports as numbers, with -vv (or -g) its
 * tables' address counts (print_rule's verbose). */
static const char *
rule_text(struct pfm *pf, const struct pfm_rule *r, char *buf, size_t len, int opts)
{
	return (pfm_ruleset_rule_format_flags(r, buf, len,
	    pf->services[0] ? pf->services : NULL,
	    (opts & PFM_SHOW_NUMERIC ? PFM_FMT_NUMERIC : 0) |
	    (opts & (PFM_SHOW_VV | PFM_SHOW_DEBUG) ? PFM_FMT_VERBOSE : 0)));
}

static void
indent(FILE *fp, int depth, int opts)
{
	if (!(opts & PFM_SHOW_V))
		fprintf(fp, "%*s", 2 * depth, "");
}

/* An anchor call printed with braces: an unnamed anchor ("_N" last), or recursion. */
static int
braced(const struct pfm_rule *r, int opts)
{
	const char *call = r->anchor_call, *p;

	if (r->anchor == NULL || call == NULL || call[0] == '\0')
		return (0);
	p = strrchr(call, '/');
	return ((p != NULL ? p[1] == '_' : call[0] == '_') || (opts & PFM_SHOW_RECURSE));
}

/* -sl: "LABEL... evaluations packets bytes in_packets in_bytes out_packets out_bytes
 * state_creations" for a rule with labels. */
static void
label_line(FILE *fp, const struct pfm_rule *r)
{
	int i, any = 0;

	if (r->label[0] != '\0') {
		fprintf(fp, "%s ", r->label);
		any = 1;
		for (i = 0; i < 4 && r->xlabel[i][0] != '\0'; i++)
			fprintf(fp, "%s ", r->xlabel[i]);
	}
	if (any)
		fprintf(fp, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		    " %" PRIu64 " %" PRIu64 " %u\n", r->evaluations,
		    r->packets[0] + r->packets[1], r->bytes[0] + r->bytes[1], r->packets[0],
		    r->bytes[0], (uint64_t)r->packets[1], r->bytes[1], r->states_tot);
}

/* -z with -sr / -sl: each rule listed has its counters cleared once printed
 * (pfctl_get_clear_rule, PF_GET_CLR_CNTR). */
static void
zero(struct pfm_clist *cl, int i, int opts)
{
	struct pfm_rule *r = cl->r[i].r;

	if (!(opts & PFM_SHOW_ZERO))
		return;
	cl->evaluations[i] = 0;
	r->evaluations = 0;
	memset(r->packets, 0, sizeof(r->packets));
	memset(r->bytes, 0, sizeof(r->bytes));
}

static int
child_cmp(const void *a, const void *b)
{
	return (strcmp((*(struct pfm_anchor *const *)a)->path,
	    (*(struct pfm_anchor *const *)b)->path));
}

static void filter_list(struct pfm *, FILE *, const struct pfm_anchor *, int depth,
    int wildcard, int opts);

/* A wildcard call under recursion: each child of a as `anchor "NAME" all { }`, in
 * the kernel's order (by path). */
static void
children(struct pfm *pf, FILE *fp, const struct pfm_anchor *a, int depth, int opts)
{
	struct pfm_anchor *c, **kid = NULL, **nk;
	size_t n = 0, i, len = strlen(a->path);

	for (c = pf->rs->anchors; c != NULL; c = c->next) {
		if (strncmp(c->path, a->path, len) != 0 || c->path[len] != '/' ||
		    strchr(c->path + len + 1, '/') != NULL)
			continue;
		if ((nk = realloc(kid, (n + 1) * sizeof(*kid))) == NULL)
			break;
		kid = nk;
		kid[n++] = c;
	}
	if (n > 0)
		qsort(kid, n, sizeof(*kid), child_cmp);
	for (i = 0; i < n; i++) {
		indent(fp, depth, opts);
		fprintf(fp, "anchor \"%s\" all {\n", kid[i]->name);
		filter_list(pf, fp, kid[i], depth + 1, 0, opts);
		indent(fp, depth, opts);
		fprintf(fp, "}\n");
	}
	free(kid);
}

/* pfctl_show_rules for one ruleset: scrub rules, then filter rules. */
static void
filter_list(struct pfm *pf, FILE *fp, const struct pfm_anchor *a, int depth,
    int wildcard, int opts)
{
	struct pfm_clist *cl;
	const struct pfm_rule *r;
	char buf[2048];
	int i;

	if (wildcard && (opts & PFM_SHOW_RECURSE)) {
		children(pf, fp, a, depth, opts);
		return;
	}
	/* scrub rules are never indented nor expanded; only the main ruleset has them */
	if ((cl = clist_of(pf, a, PFM_L_SCRUB)) != NULL && !(opts & PFM_SHOW_LABELS))
		for (i = 0; i < cl->n; i++) {
			r = cl->r[i].r;
			if (opts & (PFM_SHOW_VV | PFM_SHOW_DEBUG))
				fprintf(fp, "@%d ", r->nr);
			fprintf(fp, "%s\n", rule_text(pf, r, buf, sizeof(buf), opts));
			counters(fp, r, opts);
			zero(cl, i, opts);
		}
	if ((cl = clist_of(pf, a, PFM_L_FILTER)) == NULL)
		return;
	for (i = 0; i < cl->n; i++) {
		r = cl->r[i].r;
		if (r->expired && !(opts & (PFM_SHOW_VV | PFM_SHOW_DEBUG)))
			continue;	/* 15's print_rule: PFRULE_EXPIRED unless -vv */
		if (opts & PFM_SHOW_LABELS) {
			/* pfctl_show_rules, PFCTL_SHOW_LABELS: the rule's labels, then
			 * the anchor it calls as -sr would expand it (an unnamed one, or
			 * any under -a '*'), at the same depth. FreeBSD 14.1's pfctl
			 * (stable/14, as the 2024 snapshot this model follows); 14.0's
			 * listed the labels of the ruleset named only. */
			label_line(fp, r);
			zero(cl, i, opts);
			if (braced(r, opts))
				filter_list(pf, fp, r->anchor, depth, r->anchor_wildcard, opts);
			continue;
		}
		indent(fp, depth, opts);
		if (opts & (PFM_SHOW_VV | PFM_SHOW_DEBUG))
			fprintf(fp, "@%d ", r->nr);
		fputs(rule_text(pf, r, buf, sizeof(buf), opts), fp);
		if (!braced(r, opts)) {
			fputc('\n', fp);
			counters(fp, r, opts);
			zero(cl, i, opts);
			continue;
		}
		fputs(" {\n", fp);
		counters(fp, r, opts);
		zero(cl, i, opts);
		filter_list(pf, fp, r->anchor, depth + 1, r->anchor_wildcard, opts);
		indent(fp, depth, opts);
		fputs("}\n", fp);
	}
}

/* pfctl_show_nat for one ruleset: nat, rdr, then binat rules. */
static void
nat_list(struct pfm *pf, FILE *fp, const struct pfm_anchor *a, int depth, int opts)
{
	static const enum pfm_list kind[] = { PFM_L_NAT, PFM_L_RDR, PFM_L_BINAT };
	const struct pfm_clist *cl;
	const struct pfm_rule *r;
	char buf[2048];
	int i, k, brace;

	for (k = 0; k < 3; k++) {
		if ((cl = clist_of(pf, a, kind[k])) == NULL)
			continue;
		for (i = 0; i < cl->n; i++) {
			r = cl->r[i].r;
			brace = braced(r, opts);
			indent(fp, depth, opts);
			if (opts & PFM_SHOW_VV)
				fprintf(fp, "@%d ", r->nr);
			fprintf(fp, "%s%s\n", rule_text(pf, r, buf, sizeof(buf), opts),
			    brace ? " {" : "");
			counters(fp, r, opts);
			if (brace) {
				nat_list(pf, fp, r->anchor, depth + 1, opts);
				indent(fp, depth, opts);
				fputs("}\n", fp);
			}
		}
	}
}

int
pfm_show_list(struct pfm *pf, FILE *fp, const char *anchor, int opts)
{
	const struct pfm_anchor *a = NULL;

	if (anchor != NULL && anchor[0] != '\0' && (pf->rs == NULL ||
	    (a = pfm_anchor_find(pf->rs, anchor)) == NULL))
		return (-1);
	pfm_purge_expired(pf);
	sync_counters(pf);
	if (opts & PFM_SHOW_NAT)
		nat_list(pf, fp, a, 0, opts);
	else
		filter_list(pf, fp, a, 0, 0, opts);
	return (0);
}

void
pfm_show_rules(struct pfm *pf, FILE *fp, int vv)
{
	(void)pfm_show_list(pf, fp, NULL, PFM_SHOW_RECURSE |
	    (vv ? PFM_SHOW_V | PFM_SHOW_VV : 0));
}

void
pfm_show_nat(struct pfm *pf, FILE *fp, int vv)
{
	(void)pfm_show_list(pf, fp, NULL, PFM_SHOW_NAT | PFM_SHOW_RECURSE |
	    (vv ? PFM_SHOW_V | PFM_SHOW_VV : 0));
}
