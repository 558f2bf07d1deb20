/* pfm_opt_skip.c: pass #3 of pfctl's optimizer (FreeBSD 14 sbin/pfctl/pfctl_optimize.c
 * reorder_rules): a superblock's rules grouped by the skip step fields they share, the
 * largest group first, so that pf's skip steps jump far. */
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "pfm_opt.h"

/* skip_cmp_*: 0 when rule a may share skip step field f with b (the first rule of a
 * group); a field a does not set never groups. */
static int
skip_addr(const struct pfm_rule_addr *a, const struct pfm_rule_addr *b)
{
	if (a->addr.neg != b->addr.neg ||
	    pfm_opt_addrmask(&a->addr) != pfm_opt_addrmask(&b->addr) ||
	    (!pfm_opt_addrmask(&a->addr) && a->addr.type != b->addr.type))
		return (1);
	if (pfm_opt_addrmask(&a->addr))
		return (memcmp(a->addr.addr, b->addr.addr, 16) != 0 ||
		    memcmp(a->addr.mask, b->addr.mask, 16) != 0 || pfm_opt_azero(a->addr.addr, 16));
	switch (a->addr.type) {
	case PFM_ADDR_DYNIFTL:
		return (strcmp(a->addr.ifname, b->addr.ifname) != 0 ||
		    a->addr.iflags != b->addr.iflags ||
		    memcmp(a->addr.mask, b->addr.mask, 16) != 0);
	case PFM_ADDR_NOROUTE:
	case PFM_ADDR_URPFFAILED:
		return (0);
	case PFM_ADDR_TABLE:
		return (a->addr.table == NULL || b->addr.table == NULL ||
		    strcmp(a->addr.table->name, b->addr.table->name) != 0);
	default:
		return (1);
	}
}

static int
skip_port(const struct pfm_rule_addr *a, const struct pfm_rule_addr *b)
{
	return (a->port_op == PFM_OP_NONE || a->port_op != b->port_op ||
	    a->port[0] != b->port[0] || a->port[1] != b->port[1]);
}

static int
skip_cmp(int f, const struct pfm_rule *a, const struct pfm_rule *b)
{
	switch (f) {
	case 0:		/* ifp */
		if (strcmp(a->ifname, b->ifname) != 0 || a->ifname[0] == '\0')
			return (1);
		return (a->ifnot != b->ifnot);
	case 1:		/* dir */
		return (a->direction == PFM_RDIR_ANY || a->direction != b->direction);
	case 2:		/* af */
		return (a->af != b->af || a->af == 0);
	case 3:		/* proto */
		return (a->proto != b->proto || a->proto == 0);
	case 4:
		return (skip_addr(&a->src, &b->src));
	case 5:
		return (skip_port(&a->src, &b->src));
	case 6:
		return (skip_addr(&a->dst, &b->dst));
	default:
		return (skip_port(&a->dst, &b->dst));
	}
}

static int
groups_add(struct optctx *o, struct groups *gs)
{
	struct group *ng;

	if (gs->n == gs->cap) {
		if ((ng = realloc(gs->g, (size_t)(gs->cap * 2 + 4) * sizeof(*ng))) == NULL) {
			o->failed = 1;
			return (-1);
		}
		gs->g = ng;
		gs->cap = gs->cap * 2 + 4;
	}
	memset(&gs->g[gs->n], 0, sizeof(gs->g[0]));
	return (gs->n++);
}

static void
groups_free(struct groups *gs)
{
	int i;

	for (i = 0; i < gs->n; i++)
		free(gs->g[i].l.p);
	free(gs->g);
	memset(gs, 0, sizeof(*gs));
}

/* Group i of gs moved to position j (the others keep their order). */
static void
groups_move(struct groups *gs, int i, int j)
{
	struct group t = gs->g[i];

	if (i < j)
		memmove(&gs->g[i], &gs->g[i + 1], (size_t)(j - i) * sizeof(t));
	else
		memmove(&gs->g[j + 1], &gs->g[j], (size_t)(i - j) * sizeof(t));
	gs->g[j] = t;
}

/* remove_from_skipsteps: a rule placed leaves the first group of every field that
 * holds it (only while the field's first group has more than one rule), and that
 * group sinks behind the larger ones. */
static void
unskip(struct groups *sk, int active, const struct por *p)
{
	int f, k, at = -1;

	for (f = 0; f < NSKIP; f++) {
		if (f == active || sk[f].n == 0 || sk[f].g[0].count <= 1)
			continue;
		for (k = 0; k < sk[f].n; k++)
			if ((at = pfm_opt_list_find(&sk[f].g[k].l, p)) >= 0)
				break;
		if (k == sk[f].n)
			continue;
		pfm_opt_list_del(&sk[f].g[k].l, at);
		sk[f].g[k].count--;
		while (k + 1 < sk[f].n && sk[f].g[k + 1].count > sk[f].g[k].count) {
			groups_move(&sk[f], k, k + 1);
			k++;
		}
	}
}

/* Optimization pass #3 (reorder_rules): the rules of b in the order pfctl gives
 * them, appended to out. The largest group of rules sharing a skip step field comes
 * first (more than two: a superblock of its own, ordered again, placed before the
 * rest); fields all rules or no two rules share count for nothing. */
int
pfm_opt_reorder(struct optctx *o, struct plist *b, struct plist *out)
{
	struct groups sk[NSKIP];
	struct plist head = { 0 }, own = { 0 }, nb;
	int f, i, k, largest, lf = 0, rc = -1;

	memset(sk, 0, sizeof(sk));
	for (f = 0; f < NSKIP; f++)
		for (i = 0; i < b->n; i++) {
			for (k = 0; k < sk[f].n; k++)
				if (skip_cmp(f, b->p[i]->r, sk[f].g[k].l.p[0]->r) == 0)
					break;
			if (k == sk[f].n && (k = groups_add(o, &sk[f])) < 0)
				goto out;
			if (pfm_opt_list_add(o, &sk[f].g[k].l, b->p[i]) == -1)
				goto out;
			sk[f].g[k].count++;
			/* skip_append: larger groups first */
			while (k > 0 && sk[f].g[k - 1].count < sk[f].g[k].count) {
				groups_move(&sk[f], k, k - 1);
				k--;
			}
		}
	/* a field all rules share, or none two share, does not count */
	largest = 0;
	for (f = 0; f < NSKIP; f++) {
		if (sk[f].g[0].count == b->n || sk[f].g[0].count == 1)
			sk[f].g[0].count = 0;
		else if (sk[f].g[0].count > largest)
			largest = sk[f].g[0].count;
	}
	if (largest == 0) {
		for (i = 0; i < b->n; i++)
			if (pfm_opt_list_add(o, out, b->p[i]) == -1)
				goto out;
		rc = 0;
		goto out;
	}
	for (i = 0; i < b->n; i++)
		if (pfm_opt_list_add(o, &head, b->p[i]) == -1)
			goto out;
	while (head.n > 0) {
		largest = 1;
		for (f = 0; f < NSKIP; f++)
			if (sk[f].n > 0 && sk[f].g[0].count > largest) {
				largest = sk[f].g[0].count;
				lf = f;
			}
		if (largest <= 1) {
			for (i = 0; i < head.n; i++)
				if (pfm_opt_list_add(o, &own, head.p[i]) == -1)
					goto out;
			head.n = 0;
			break;
		}
		/* the group leaves its field's list; its rules go together */
		nb = sk[lf].g[0].l;
		memmove(&sk[lf].g[0], &sk[lf].g[1], (size_t)(sk[lf].n - 1) *
		    sizeof(sk[lf].g[0]));
		sk[lf].n--;
		for (i = 0; i < nb.n; i++) {
			if ((k = pfm_opt_list_find(&head, nb.p[i])) >= 0)
				pfm_opt_list_del(&head, k);
			unskip(sk, lf, nb.p[i]);
		}
		if (nb.n > 2) {
			/* a superblock of its own before this one: ordered again */
			if (pfm_opt_reorder(o, &nb, out) == -1) {
				free(nb.p);
				goto out;
			}
		} else
			for (i = 0; i < nb.n; i++)
				if (pfm_opt_list_add(o, &own, nb.p[i]) == -1) {
					free(nb.p);
					goto out;
				}
		free(nb.p);
	}
	for (i = 0; i < own.n; i++)
		if (pfm_opt_list_add(o, out, own.p[i]) == -1)
			goto out;
	rc = 0;
out:
	for (f = 0; f < NSKIP; f++)
		groups_free(&sk[f]);
	free(head.p);
	free(own.p);
	return (rc);
}
