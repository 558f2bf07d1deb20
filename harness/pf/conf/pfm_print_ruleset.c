/* pfm_print_ruleset.c: a whole ruleset as `pfctl -o none -nv` prints it: each
 * ruleset's lists in pfctl's load order, inline anchors in braces, the optimizer's
 * tables and the `load anchor` files after the main ruleset. */
#include <stdio.h>

#include "pfm_grammar.h"

/* pfctl_load_ruleset: each rule indented two spaces per anchor level; the anchor
 * rule that gave an inline anchor its rules prints them in braces (l: 0 filter,
 * 1 nat, 2 rdr, 3 binat), any other anchor rule ends its line. */
static void
print_list(struct pfm_buf *b, const struct pfm_ruleset *rs, const struct pfm_rule *r,
    const struct pfm_svc *svc, int l, int depth, int verbose)
{
	const struct pfm_rule *in;

	for (; r != NULL; r = r->next) {
		pfm_buf_printf(b, "%*s", 2 * depth, "");
		pfm_print_rule(b, r, svc);
		in = r->anchor != NULL && r->anchor_inline ?
		    pfm_anchor_list(rs, r->anchor, l) : NULL;
		if (in == NULL) {
			pfm_buf_printf(b, "\n");
			continue;
		}
		pfm_buf_printf(b, " {\n");
		/* pfctl_load_ruleset: the optimizer's tables of the anchor's filter
		 * rules between the brace and its rules, not indented */
		if (verbose && l == 0 && r->anchor->opt_tables != NULL)
			pfm_buf_printf(b, "%s", r->anchor->opt_tables);
		print_list(b, rs, in, svc, l, depth + 1, verbose);
		pfm_buf_printf(b, "%*s}\n", 2 * depth, "");
	}
}

/* The rules of one ruleset (main: a NULL) in pfctl's load order (pfctl_rules:
 * scrub, ether, nat, rdr, binat, filter). */
static void
print_lists(struct pfm_buf *b, const struct pfm_ruleset *rs, const struct pfm_anchor *a,
    const struct pfm_svc *svc, int verbose)
{
	const char *opt = a == NULL ? rs->opt_tables : a->opt_tables;

	if (a == NULL)
		print_list(b, rs, rs->scrub, svc, 0, 0, verbose);
	pfm_print_eth_list(b, a == NULL ? rs->ether : a->ether, svc, 0);
	print_list(b, rs, pfm_anchor_list(rs, a, 1), svc, 1, 0, verbose);
	print_list(b, rs, pfm_anchor_list(rs, a, 2), svc, 2, 0, verbose);
	print_list(b, rs, pfm_anchor_list(rs, a, 3), svc, 3, 0, verbose);
	/* the optimizer runs (and prints its tables) as the filter rules load */
	if (verbose && opt != NULL)
		pfm_buf_printf(b, "%s", opt);
	print_list(b, rs, pfm_anchor_list(rs, a, 0), svc, 0, 0, verbose);
}

void
pfm_ruleset_print(const struct pfm_ruleset *rs, FILE *fp, int verbose, const char *services)
{
	struct pfm_buf b = { 0 };
	struct pfm_svc *own = NULL;
	const struct pfm_svc *svc = rs->svc;
	const struct pfm_anchor *a;
	char err[256];
	int n;

	if (services != NULL && (own = pfm_svc_load(services, err, sizeof(err))) != NULL)
		svc = own;
	if (verbose && rs->preamble != NULL)
		pfm_buf_printf(&b, "%s", rs->preamble);
	print_lists(&b, rs, NULL, svc, verbose);
	/* pfctl_load_anchors: each `load anchor` file as `pfctl -a name -nvf` prints it */
	for (n = 1;; n++) {
		for (a = rs->anchors; a != NULL && a->loaded != n; a = a->next)
			;
		if (a == NULL)
			break;
		if (verbose && a->preamble != NULL)
			pfm_buf_printf(&b, "%s", a->preamble);
		print_lists(&b, rs, a, svc, verbose);
	}
	if (b.s != NULL)
		fputs(b.s, fp);
	pfm_buf_free(&b);
	pfm_svc_free(own);
}
