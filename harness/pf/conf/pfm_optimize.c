/* pfm_optimize.c: pfctl's ruleset optimizer at its default level, `basic` (FreeBSD 14
 * sbin/pfctl/pfctl_optimize.c): the filter rules of each ruleset cut into superblocks
 * of rules that may change places; in each, rules that another makes redundant go,
 * six or more that differ in one address only become one rule on an automatic table,
 * and the rest are ordered so that skip steps jump far.
 * Passes #1 and #2 and the superblocks are here; the rules and their comparisons are
 * pfm_opt_rule.c's, pass #3 pfm_opt_skip.c's. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_opt.h"

#define TABLE_THRESHOLD	6	/* the size at which a table beats rules */
#define OPT_PREFIX	"__automatic_"	/* PF_OPT_TABLE_PREFIX */
/* pf_opt_create_table's identifier: pfctl draws it with arc4random() (again when the
 * name is taken by any table of pf); the model's is fixed, so that runs repeat. */
#define OPT_IDENT	0x6f5e3d2cu

/* Optimization pass #1 (remove_identical_rules): a rule another rule of the block
 * takes in (identical, or a subset of it) goes. */
static void
remove_identical(struct plist *b)
{
	struct pfm_rule a2, c;
	const struct pfm_rule *a, *c2;
	int i, j;

	for (i = 0; i < b->n; i++)
		for (j = i + 1; j < b->n; j++) {
			/* exclude_supersets changes its second rule only */
			a = b->p[i]->r;
			c2 = b->p[j]->r;
			a2 = *a;
			c = *c2;
			pfm_opt_exclude_supersets(a, &c);
			pfm_opt_exclude_supersets(c2, &a2);
			if (pfm_opt_eq_dc(a, &c)) {
				pfm_opt_list_del(b, j--);
			} else if (pfm_opt_eq_dc(&a2, c2)) {
				pfm_opt_list_del(b, i--);
				break;
			}
		}
}

/* add_opt_table: the address of ra into *t, made (with pfctl's temporary name) when
 * it is not yet. */
static int
add_opt_table(struct optctx *o, struct otbl **t, int af, const struct pfm_rule_addr *ra)
{
	struct pfm_table_entry *ne;

	if (*t == NULL) {
		if ((*t = calloc(1, sizeof(**t))) == NULL)
			return (-1);
		snprintf((*t)->name, sizeof((*t)->name), "%s%d", OPT_PREFIX, o->ntemp++);
		(*t)->next = o->tables;
		o->tables = *t;
	}
	if ((ne = realloc((*t)->ent, (size_t)((*t)->nent + 1) * sizeof(*ne))) == NULL)
		return (-1);
	(*t)->ent = ne;
	ne = &ne[(*t)->nent++];
	memset(ne, 0, sizeof(*ne));
	ne->af = af;
	memcpy(ne->addr, ra->addr.addr, 16);
	ne->plen = pfm_unmask(ra->addr.mask);
	(*t)->rulecount++;
	return (0);
}

static void
mask_from_plen(uint8_t *m, int plen)
{
	int i;

	memset(m, 0, 16);
	for (i = 0; i < 16 && plen > 0; i++, plen -= 8)
		m[i] = plen >= 8 ? 0xff : (uint8_t)(0xff << (8 - plen));
}

/* pf_opt_create_table (pfctl -f): the table's name made unique with the run's
 * identifier and count; the definition pfctl -v prints (print_tabledef). The table
 * joins the ruleset, constant. */
static struct pfm_table *
create_table(struct optctx *o, struct otbl *ot, struct pfm_buf *print)
{
	struct pfm_table *t, **tp;
	struct pfm_addr a;
	int i;

	if (!o->noaction)
		snprintf(ot->name, sizeof(ot->name), "%s%x_%d", OPT_PREFIX, o->ident,
		    o->nmade++);
	if (print != NULL) {
		pfm_buf_printf(print, "table <%s> const {", ot->name);
		for (i = 0; i < ot->nent; i++) {
			memset(&a, 0, sizeof(a));
			a.type = PFM_ADDR_MASK;
			memcpy(a.addr, ot->ent[i].addr, 16);
			mask_from_plen(a.mask, ot->ent[i].plen);
			pfm_buf_printf(print, " ");
			pfm_print_addr(print, &a, ot->ent[i].af);
		}
		pfm_buf_printf(print, " }\n");
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return (NULL);
	snprintf(t->name, sizeof(t->name), "%s", ot->name);
	t->konst = 1;
	t->defined = t->active = t->listed = 1;
	t->ent = ot->ent;
	t->nent = ot->nent;
	ot->ent = NULL;
	ot->nent = 0;
	for (tp = &o->rs->tables; *tp != NULL; tp = &(*tp)->next)
		;
	*tp = t;
	return (t);
}

/* The rule's address becomes the table; pf keeps `!` apart from the address
 * (pf_rule_addr.neg), the model inside it. */
static void
set_table(struct pfm_addr *a, struct pfm_table *t)
{
	int neg = a->neg;

	memset(a, 0, sizeof(*a));
	a->type = PFM_ADDR_TABLE;
	a->table = t;
	a->neg = neg;
}

/* Optimization pass #2 (combine_rules): rules that differ in one address only share a
 * table of those addresses; from TABLE_THRESHOLD of them, one rule on the table
 * replaces them all. */
static int
combine(struct optctx *o, struct plist *b, struct pfm_buf *print)
{
	struct por *p1, *p2;
	struct pfm_table *t;
	int i, j, src_eq, dst_eq;

	for (i = 0; i < b->n; i++) {
		p1 = b->p[i];
		for (j = i + 1; j < b->n; j++) {
			p2 = b->p[j];
			src_eq = p1->r->src.addr.neg == p2->r->src.addr.neg &&
			    pfm_opt_wrap_eq(&p1->r->src.addr, &p2->r->src.addr);
			dst_eq = p1->r->dst.addr.neg == p2->r->dst.addr.neg &&
			    pfm_opt_wrap_eq(&p1->r->dst.addr, &p2->r->dst.addr);
			if (src_eq && !dst_eq && p1->src_tbl == NULL &&
			    p2->dst_tbl == NULL && p2->src_tbl == NULL &&
			    pfm_opt_eq_break(p1->r, p2->r) && pfm_opt_eq_nomerge(p1->r, p2->r) &&
			    pfm_opt_combineable(&p1->r->dst, &p2->r->dst)) {
				if ((p1->dst_tbl == NULL && add_opt_table(o, &p1->dst_tbl,
				    p1->r->af, &p1->r->dst) == -1) ||
				    add_opt_table(o, &p1->dst_tbl, p1->r->af, &p2->r->dst) == -1)
					return (-1);
				p2->dst_tbl = p1->dst_tbl;
				if (p1->dst_tbl->rulecount >= TABLE_THRESHOLD)
					pfm_opt_list_del(b, j--);
			} else if (!src_eq && dst_eq && p1->dst_tbl == NULL &&
			    p2->src_tbl == NULL && p2->dst_tbl == NULL &&
			    pfm_opt_eq_break(p1->r, p2->r) && pfm_opt_eq_nomerge(p1->r, p2->r) &&
			    pfm_opt_combineable(&p1->r->src, &p2->r->src)) {
				if ((p1->src_tbl == NULL && add_opt_table(o, &p1->src_tbl,
				    p1->r->af, &p1->r->src) == -1) ||
				    add_opt_table(o, &p1->src_tbl, p1->r->af, &p2->r->src) == -1)
					return (-1);
				p2->src_tbl = p1->src_tbl;
				if (p1->src_tbl->rulecount >= TABLE_THRESHOLD)
					pfm_opt_list_del(b, j--);
			}
		}
	}
	/* the first rule of each table large enough takes it; the others go */
	for (i = 0; i < b->n; i++) {
		p1 = b->p[i];
		if (p1->src_tbl != NULL && p1->src_tbl->rulecount >= TABLE_THRESHOLD) {
			if (p1->src_tbl->generated) {
				pfm_opt_list_del(b, i--);
				continue;
			}
			p1->src_tbl->generated = 1;
			if ((t = create_table(o, p1->src_tbl, print)) == NULL)
				return (-1);
			set_table(&p1->r->src.addr, t);
		}
		if (p1->dst_tbl != NULL && p1->dst_tbl->rulecount >= TABLE_THRESHOLD) {
			if (p1->dst_tbl->generated) {
				pfm_opt_list_del(b, i--);
				continue;
			}
			p1->dst_tbl->generated = 1;
			if ((t = create_table(o, p1->dst_tbl, print)) == NULL)
				return (-1);
			set_table(&p1->r->dst.addr, t);
		}
	}
	return (0);
}

/* optimize_superblock: the three passes, rules appended to out. */
static int
optimize_block(struct optctx *o, struct plist *b, struct plist *out, struct pfm_buf *print)
{
	if (b->n == 1)
		return (pfm_opt_list_add(o, out, b->p[0]));
	remove_identical(b);
	if (combine(o, b, print) == -1)
		return (-1);
	return (pfm_opt_reorder(o, b, out));
}

/* pfctl_optimize_ruleset on one filter list: superblocks made, optimized, the
 * rules relinked and numbered in the new order; what pfctl -v prints (the automatic
 * tables) into print. The rules that go (taken in by another, or folded into a
 * table rule) are freed. */
static int
optimize_list(struct optctx *o, struct pfm_rule **list, struct pfm_buf *print)
{
	struct plist block = { 0 }, out = { 0 };
	struct por *pors = NULL;
	struct pfm_rule *r, **tail;
	int n = 0, i, rc = -1;

	for (r = *list; r != NULL; r = r->next)
		n++;
	if (n == 0)
		return (0);
	if ((pors = calloc((size_t)n, sizeof(*pors))) == NULL)
		return (-1);
	for (i = 0, r = *list; r != NULL; r = r->next, i++)
		pors[i].r = r;
	for (i = 0; i < n; i++) {
		/* construct_superblocks: a rule that cannot join ends the block */
		if (block.n > 0 && !pfm_opt_inclusive(o, block.p[0]->r, pors[i].r)) {
			if (optimize_block(o, &block, &out, print) == -1)
				goto out;
			block.n = 0;
		}
		if (pfm_opt_list_add(o, &block, &pors[i]) == -1)
			goto out;
	}
	if (block.n > 0 && optimize_block(o, &block, &out, print) == -1)
		goto out;
	tail = list;
	for (i = 0; i < out.n; i++) {
		out.p[i]->kept = 1;
		out.p[i]->r->nr = i;
		*tail = out.p[i]->r;
		tail = &out.p[i]->r->next;
	}
	*tail = NULL;
	for (i = 0; i < n; i++)
		if (!pors[i].kept)
			pfm_rule_free(pors[i].r);
	rc = 0;
out:
	free(block.p);
	free(out.p);
	free(pors);
	return (rc);
}

/* pfctl_load_ruleset's recursion: a ruleset's filter rules, then (depth first, in
 * the new order) those of the inline anchors they call. */
static int
optimize_tree(struct optctx *o, struct pfm_rule **list, int *nrules, char **print)
{
	struct pfm_buf b = { 0 };
	struct pfm_rule *r;
	int n = 0;

	if (optimize_list(o, list, &b) == -1) {
		pfm_buf_free(&b);
		return (-1);
	}
	free(*print);
	*print = b.s;
	for (r = *list; r != NULL; r = r->next) {
		n++;
		if (r->anchor != NULL && r->anchor_inline &&
		    optimize_tree(o, &r->anchor->rules, &r->anchor->nrules,
		    &r->anchor->opt_tables) == -1)
			return (-1);
	}
	*nrules = n;
	return (0);
}

int
pfm_ruleset_optimize(struct pfm_ruleset *rs, const struct pfm_host *host, int noaction)
{
	struct optctx o;
	struct pfm_anchor *a;
	struct otbl *t, *nt;
	int n, rc;

	memset(&o, 0, sizeof(o));
	o.host = host;
	o.rs = rs;
	o.noaction = noaction;
	o.ident = OPT_IDENT;
	rc = optimize_tree(&o, &rs->rules, &rs->nrules, &rs->opt_tables);
	/* pfctl_load_anchors: each `load anchor` file is a pfctl run of its own */
	for (n = 1; rc == 0; n++) {
		for (a = rs->anchors; a != NULL && a->loaded != n; a = a->next)
			;
		if (a == NULL)
			break;
		rc = optimize_tree(&o, &a->rules, &a->nrules, &a->opt_tables);
	}
	for (t = o.tables; t != NULL; t = nt) {
		nt = t->next;
		free(t->ent);
		free(t);
	}
	return (rc == 0 && !o.failed ? 0 : -1);
}
