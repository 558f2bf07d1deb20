/* pfm_anchor.c: the pf model's walk through anchors (pf_step_into_anchor and
 * pf_step_out_of_anchor): an anchor rule that matches has its rules evaluated in
 * place, a wildcard "name/ *" each child in turn, for the filter and translation
 * lists alike (pfm_match.c, pfm_nat.c). */
#include <string.h>

#include "pfm_impl.h"

/* The direct child of anchor `parent` that follows `after` in path order (pf's
 * RB tree of children), the first one when after is NULL; NULL: none left. A child
 * with no compiled rules (made at run time for a table alone) is passed over: its
 * ruleset is empty, so pf evaluates nothing in it. */
static const struct pfm_anchor *
next_child(const struct pfm_ruleset *rs, const struct pfm_anchor *parent,
    const struct pfm_anchor *after)
{
	const struct pfm_anchor *a, *best = NULL;
	size_t n = strlen(parent->path);

	for (a = rs->anchors; a != NULL; a = a->next) {
		if (strncmp(a->path, parent->path, n) != 0 || a->path[n] != '/' ||
		    strchr(a->path + n + 1, '/') != NULL)
			continue;
		if (after != NULL && strcmp(a->path, after->path) <= 0)
			continue;
		if (a->clist == NULL)
			continue;
		if (best == NULL || strcmp(a->path, best->path) < 0)
			best = a;
	}
	return (best);
}

void
pfm_anchor_step_in(struct pfm *pf, struct pfm_astack *as, enum pfm_list l,
    struct pfm_clist **cl, int *i, int *match)
{
	const struct pfm_rule *r = (*cl)->r[*i].r;
	const struct pfm_anchor *a = r->anchor;

	if (match != NULL)
		*match = 0;
	if (as->depth >= PFM_ANCHOR_STACK || a->clist == NULL) {
		/* pf: "anchor stack overflow", the anchor rule is passed over */
		(*i)++;
		return;
	}
	as->f[as->depth].cl = *cl;
	as->f[as->depth].i = *i;
	as->f[as->depth].matched = 0;
	as->f[as->depth].child = NULL;
	as->depth++;
	if (r->anchor_wildcard) {
		if ((a = next_child(pf->rs, a, NULL)) == NULL) {
			*i = (*cl)->n;	/* no child: step out at once */
			return;
		}
		as->f[as->depth - 1].child = a;
	}
	*cl = &a->clist[l];
	*i = 0;
}

int
pfm_anchor_step_out(struct pfm *pf, struct pfm_astack *as, enum pfm_list l,
    struct pfm_clist **cl, int *i, int *match, int *done)
{
	const struct pfm_rule *ar;
	int quick = 0;

	*done = 0;
	do {
		if (as->depth <= 0) {
			*done = 1;
			break;
		}
		ar = as->f[as->depth - 1].cl->r[as->f[as->depth - 1].i].r;
		if (as->f[as->depth - 1].child != NULL) {
			/* a wildcard: a match in any child is a match of "name/ *" */
			if (match != NULL && *match) {
				as->f[as->depth - 1].matched = 1;
				*match = 0;
			}
			as->f[as->depth - 1].child = next_child(pf->rs, ar->anchor,
			    as->f[as->depth - 1].child);
			if (as->f[as->depth - 1].child != NULL) {
				*cl = &as->f[as->depth - 1].child->clist[l];
				*i = 0;
				continue;	/* an empty child: on to the next */
			}
		}
		as->depth--;
		*cl = as->f[as->depth].cl;
		if (as->f[as->depth].matched || (match != NULL && *match))
			quick = ar->quick;
		*i = as->f[as->depth].i + 1;
	} while (*i >= (*cl)->n);
	return (quick);
}
