/* pfm_optimize.c: pfctl's ruleset optimizer at its default level, `basic` (FreeBSD 14
 * sbin/pfctl/pfctl_optimize.c): the filter rules of each ruleset cut into superblocks
 * of rules that may change places; in each, rules that another makes redundant go,
 * six or more that differ in one address only become one rule on an automatic table,
 * and the rest are ordered so that skip steps jump far. */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"

#define TABLE_THRESHOLD	6	/* the size at which a table beats rules */
#define OPT_PREFIX	"__automatic_"	/* PF_OPT_TABLE_PREFIX */
#define NSKIP		8	/* PF_SKIP_COUNT: ifp dir af proto saddr sport daddr dport */
/* pf_opt_create_table's identifier: pfctl draws it with arc4random() (again when the
 * name is taken by any table of pf); the model's is fixed, so that runs repeat. */
#define OPT_IDENT	0x6f5e3d2cu

/* An automatic table being filled (pf_opt_tbl). */
struct otbl {
	char		name[32];
	struct pfm_table_entry *ent;
	int		nent, rulecount, generated;
	struct otbl	*next;		/* every table of the run, to free */
};

/* A rule in the optimizer (pf_opt_rule) and the tables it takes part in. */
struct por {
	struct pfm_rule	*r;
	struct otbl	*src_tbl, *dst_tbl;
	int		kept;		/* still in the list once optimized */
};

/* A list of rules: a superblock, or one skip step's group. */
struct plist {
	struct por	**p;
	int		n, cap;
};

/* A group of rules sharing one skip step field (pf_skip_step): the rules, and the
 * count it is ranked by (made 0 where the field cannot help). */
struct group {
	struct plist	l;
	int		count;
};

/* One skip step field's groups, the largest first. */
struct groups {
	struct group	*g;
	int		n, cap;
};

struct optctx {
	const struct pfm_host *host;
	struct pfm_ruleset *rs;
	int		noaction;	/* -n: pfctl keeps its temporary names */
	uint32_t	ident;		/* pf_opt_create_table's identifier */
	int		ntemp, nmade;	/* add_opt_table's, pf_opt_create_table's count */
	struct otbl	*tables;
	int		failed;
};

static int
plist_add(struct optctx *o, struct plist *l, struct por *p)
{
	struct por **np;

	if (l->n == l->cap) {
		if ((np = realloc(l->p, (size_t)(l->cap * 2 + 8) * sizeof(*np))) == NULL) {
			o->failed = 1;
			return (-1);
		}
		l->p = np;
		l->cap = l->cap * 2 + 8;
	}
	l->p[l->n++] = p;
	return (0);
}

static void
plist_del(struct plist *l, int i)
{
	memmove(&l->p[i], &l->p[i + 1], (size_t)(l->n - i - 1) * sizeof(*l->p));
	l->n--;
}

static int
plist_find(const struct plist *l, const struct por *p)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->p[i] == p)
			return (i);
	return (-1);
}

static int
azero(const uint8_t *a, int n)
{
	while (n-- > 0)
		if (*a++)
			return (0);
	return (1);
}

/* pf's PF_ADDR_ADDRMASK: the model's any is one with a zero mask. */
static int
addrmask(const struct pfm_addr *a)
{
	return (a->type == PFM_ADDR_MASK || a->type == PFM_ADDR_ANY);
}

/* The address wraps compared as pf_addr_wrap bytes (addrs_equal, without neg). */
static int
wrap_eq(const struct pfm_addr *a, const struct pfm_addr *b)
{
	if (addrmask(a) && addrmask(b))
		return (memcmp(a->addr, b->addr, 16) == 0 &&
		    memcmp(a->mask, b->mask, 16) == 0 && strcmp(a->scope, b->scope) == 0);
	if (a->type != b->type)
		return (0);
	switch (a->type) {
	case PFM_ADDR_DYNIFTL:
		return (strcmp(a->ifname, b->ifname) == 0 && a->iflags == b->iflags &&
		    memcmp(a->mask, b->mask, 16) == 0);
	case PFM_ADDR_TABLE:
		return (a->table == b->table || (a->table != NULL && b->table != NULL &&
		    strcmp(a->table->name, b->table->name) == 0));
	case PFM_ADDR_RANGE:
		return (memcmp(a->addr, b->addr, 16) == 0 &&
		    memcmp(a->mask, b->mask, 16) == 0);
	case PFM_ADDR_NOROUTE:
	case PFM_ADDR_URPFFAILED:
	case PFM_ADDR_ANY:
	case PFM_ADDR_MASK:
		return (1);
	}
	return (0);
}

static int
pool_eq(const struct pfm_pool *a, const struct pfm_pool *b)
{
	/* pfctl's copy gives every non-empty pool a list head of its own, so two
	 * rules with pools never compare equal (comparable_rule's memcmp) */
	if (a->naddr > 0 || b->naddr > 0)
		return (0);
	return (a->type == b->type && a->static_port == b->static_port &&
	    a->sticky == b->sticky);
}

/* The fields comparable_rule keeps at NOMERGE: pf_rule_desc's BARRIER and BREAK
 * fields and every field it does not list (which acts as BREAK). */
static int
eq_break(const struct pfm_rule *a, const struct pfm_rule *b)
{
	int i;

	if (strcmp(a->label, b->label) != 0 || a->prob != b->prob ||
	    a->max_states != b->max_states || a->max_src_nodes != b->max_src_nodes ||
	    a->max_src_states != b->max_src_states || a->max_src_conn != b->max_src_conn ||
	    a->max_src_conn_rate[0] != b->max_src_conn_rate[0] ||
	    a->max_src_conn_rate[1] != b->max_src_conn_rate[1] ||
	    (a->anchor != NULL) != (b->anchor != NULL) ||
	    (a->anchor != NULL && a->anchor != b->anchor))
		return (0);
	for (i = 0; i < 4; i++)
		if (strcmp(a->xlabel[i], b->xlabel[i]) != 0)
			return (0);
	/* BREAK: tagname, keep_state, qname, pqname, rt, allow_opts, rule_flag,
	 * action, log, quick, return_ttl, overload, flush, rpool, logif */
	if (strcmp(a->tag, b->tag) != 0 || a->keep != b->keep ||
	    strcmp(a->qname, b->qname) != 0 || strcmp(a->pqname, b->pqname) != 0 ||
	    a->rt != b->rt || a->allow_opts != b->allow_opts || a->block != b->block ||
	    a->fragment != b->fragment || a->fragment_noreass != b->fragment_noreass ||
	    a->nosync != b->nosync || a->srctrack != b->srctrack ||
	    a->if_bound != b->if_bound || a->sloppy != b->sloppy || a->pflow != b->pflow ||
	    a->action != b->action || a->log != b->log || a->logall != b->logall ||
	    a->quick != b->quick || a->return_ttl != b->return_ttl ||
	    strcmp(a->overload, b->overload) != 0 || a->flush != b->flush ||
	    !pool_eq(&a->rpool, &b->rpool) || a->logif != b->logif)
		return (0);
	/* not listed: received-on, prio, set prio, rtable, ridentifier, dnpipe,
	 * divert-to, scrub flags, 15's max-pkt-rate and max-pkt-size */
	return (strcmp(a->rcv_ifname, b->rcv_ifname) == 0 && a->rcvifnot == b->rcvifnot &&
	    a->has_prio == b->has_prio && a->prio == b->prio &&
	    a->has_set_prio == b->has_set_prio && a->set_prio[0] == b->set_prio[0] &&
	    a->set_prio[1] == b->set_prio[1] && a->rtableid == b->rtableid &&
	    a->ridentifier == b->ridentifier && a->dnpipe == b->dnpipe &&
	    a->dnrpipe == b->dnrpipe && a->dn_is_pipe == b->dn_is_pipe &&
	    a->divert_port == b->divert_port && a->scrub_flags == b->scrub_flags &&
	    a->has_set_tos == b->has_set_tos &&
	    /* FreeBSD 15's pktrate, max_pkt_size, once (PFRULE_ONCE in rule_flag):
	     * none listed, each keeps rules apart */
	    a->max_pkt_rate[0] == b->max_pkt_rate[0] &&
	    a->max_pkt_rate[1] == b->max_pkt_rate[1] &&
	    a->max_pkt_size == b->max_pkt_size && a->once == b->once);
}

/* pf_rule_desc's NOMERGE fields: they may differ inside a superblock, not between
 * rules merged into one. */
static int
eq_nomerge(const struct pfm_rule *a, const struct pfm_rule *b)
{
	return (a->af == b->af && a->ifnot == b->ifnot &&
	    strcmp(a->ifname, b->ifname) == 0 && a->match_tag_not == b->match_tag_not &&
	    strcmp(a->tagged, b->tagged) == 0 && strcmp(a->os, b->os) == 0 &&
	    memcmp(a->timeout, b->timeout, sizeof(a->timeout)) == 0 &&
	    a->return_icmp == b->return_icmp && a->return_icmp6 == b->return_icmp6 &&
	    a->uid.op == b->uid.op && a->uid.v[0] == b->uid.v[0] &&
	    a->uid.v[1] == b->uid.v[1] && a->gid.op == b->gid.op &&
	    a->gid.v[0] == b->gid.v[0] && a->gid.v[1] == b->gid.v[1] &&
	    a->direction == b->direction && a->proto == b->proto && a->type == b->type &&
	    a->code == b->code && a->flags == b->flags && a->flagset == b->flagset &&
	    a->tos == b->tos && a->src.port[0] == b->src.port[0] &&
	    a->src.port[1] == b->src.port[1] && a->dst.port[0] == b->dst.port[0] &&
	    a->dst.port[1] == b->dst.port[1] && a->src.port_op == b->src.port_op &&
	    a->dst.port_op == b->dst.port_op && a->src.addr.neg == b->src.addr.neg &&
	    a->dst.addr.neg == b->dst.addr.neg);
}

static int
barrier(const struct pfm_rule *r)
{
	int i;

	if (r->label[0] || r->prob || r->max_states || r->max_src_nodes ||
	    r->max_src_states || r->max_src_conn || r->max_src_conn_rate[0] ||
	    r->max_src_conn_rate[1] || r->anchor != NULL)
		return (1);
	for (i = 0; i < 4; i++)
		if (r->xlabel[i][0])
			return (1);
	return (0);
}

/* interface_group: a name the host has as an interface group (SIOCGIFGMEMB); every
 * interface is in group "all". */
static int
ifgroup(const struct optctx *o, const char *name)
{
	int i, j;

	if (name[0] == '\0')
		return (0);
	if (strcmp(name, "all") == 0)
		return (1);
	for (i = 0; o->host != NULL && i < o->host->niface; i++)
		for (j = 0; j < o->host->iface[i].ngroup; j++)
			if (strcmp(o->host->iface[i].group[j], name) == 0)
				return (1);
	return (0);
}

/* superblock_inclusive: por may join the block whose first rule is first. */
static int
inclusive(const struct optctx *o, const struct pfm_rule *first, const struct pfm_rule *r)
{
	if (barrier(r) || r->srctrack == 2)	/* PFRULE_RULESRCTRACK: a hard break */
		return (0);
	if ((ifgroup(o, r->ifname) || ifgroup(o, first->ifname)) &&
	    strcasecmp(r->ifname, first->ifname) != 0)
		return (0);
	return (eq_break(first, r));
}

/* The prefix length of a mask (unmask). */
static int
bits(const uint8_t *mask)
{
	return (pfm_unmask(mask));
}

/* exclude_supersets: what of sub the rule super takes in anyway is made super's. */
static void
exclude_supersets(const struct pfm_rule *super, struct pfm_rule *sub)
{
	struct pfm_rule_addr *sa[2] = { &sub->src, &sub->dst };
	const struct pfm_rule_addr *pa[2] = { &super->src, &super->dst };
	int i, j, w;

	if (super->ifname[0] == '\0')
		memset(sub->ifname, 0, sizeof(sub->ifname));
	if (super->direction == PFM_RDIR_ANY)
		sub->direction = PFM_RDIR_ANY;
	if ((super->proto == 0 || super->proto == sub->proto) && super->flags == 0 &&
	    super->flagset == 0 && (sub->flags || sub->flagset)) {
		sub->flags = super->flags;
		sub->flagset = super->flagset;
	}
	if (super->proto == 0)
		sub->proto = 0;
	for (i = 0; i < 2; i++) {
		if (pa[i]->port_op == PFM_OP_NONE) {
			sa[i]->port_op = PFM_OP_NONE;
			sa[i]->port[0] = sa[i]->port[1] = 0;
		}
		if (addrmask(&pa[i]->addr) && !pa[i]->addr.neg && !sa[i]->addr.neg &&
		    azero(pa[i]->addr.mask, 16)) {
			memset(&sa[i]->addr, 0, sizeof(sa[i]->addr));
			sa[i]->addr.type = PFM_ADDR_ANY;
			continue;
		}
		if (!addrmask(&pa[i]->addr) || !addrmask(&sa[i]->addr) ||
		    pa[i]->addr.neg != sa[i]->addr.neg || super->af != sub->af ||
		    bits(pa[i]->addr.mask) >= bits(sa[i]->addr.mask))
			continue;
		for (j = 0, w = 1; j < 16; j++)
			if (pa[i]->addr.addr[j] != (sa[i]->addr.addr[j] & pa[i]->addr.mask[j]))
				w = 0;
		if (w)		/* sub's address is inside super's network */
			sa[i]->addr = pa[i]->addr;
	}
}

/* comparable_rule(DC): every field but the kernel's counters and numbers. */
static int
eq_dc(const struct pfm_rule *a, const struct pfm_rule *b)
{
	return (eq_break(a, b) && eq_nomerge(a, b) && wrap_eq(&a->src.addr, &b->src.addr) &&
	    wrap_eq(&a->dst.addr, &b->dst.addr));
}

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
			exclude_supersets(a, &c);
			exclude_supersets(c2, &a2);
			if (eq_dc(a, &c)) {
				plist_del(b, j--);
			} else if (eq_dc(&a2, c2)) {
				plist_del(b, i--);
				break;
			}
		}
}

/* addrs_combineable: two plain addresses (pf's ADDRMASK) with the same ports. */
static int
addrs_combineable(const struct pfm_rule_addr *a, const struct pfm_rule_addr *b)
{
	/* a link-local address's scope (pfctl embeds it in the address) has no place
	 * in the model's table entries: such rules stay apart */
	if (a->addr.scope[0] != '\0' || b->addr.scope[0] != '\0')
		return (0);
	return (addrmask(&a->addr) && addrmask(&b->addr) && a->addr.neg == b->addr.neg &&
	    a->port_op == b->port_op && a->port[0] == b->port[0] &&
	    a->port[1] == b->port[1]);
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
	ne->plen = bits(ra->addr.mask);
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
			    wrap_eq(&p1->r->src.addr, &p2->r->src.addr);
			dst_eq = p1->r->dst.addr.neg == p2->r->dst.addr.neg &&
			    wrap_eq(&p1->r->dst.addr, &p2->r->dst.addr);
			if (src_eq && !dst_eq && p1->src_tbl == NULL &&
			    p2->dst_tbl == NULL && p2->src_tbl == NULL &&
			    eq_break(p1->r, p2->r) && eq_nomerge(p1->r, p2->r) &&
			    addrs_combineable(&p1->r->dst, &p2->r->dst)) {
				if ((p1->dst_tbl == NULL && add_opt_table(o, &p1->dst_tbl,
				    p1->r->af, &p1->r->dst) == -1) ||
				    add_opt_table(o, &p1->dst_tbl, p1->r->af, &p2->r->dst) == -1)
					return (-1);
				p2->dst_tbl = p1->dst_tbl;
				if (p1->dst_tbl->rulecount >= TABLE_THRESHOLD)
					plist_del(b, j--);
			} else if (!src_eq && dst_eq && p1->dst_tbl == NULL &&
			    p2->src_tbl == NULL && p2->dst_tbl == NULL &&
			    eq_break(p1->r, p2->r) && eq_nomerge(p1->r, p2->r) &&
			    addrs_combineable(&p1->r->src, &p2->r->src)) {
				if ((p1->src_tbl == NULL && add_opt_table(o, &p1->src_tbl,
				    p1->r->af, &p1->r->src) == -1) ||
				    add_opt_table(o, &p1->src_tbl, p1->r->af, &p2->r->src) == -1)
					return (-1);
				p2->src_tbl = p1->src_tbl;
				if (p1->src_tbl->rulecount >= TABLE_THRESHOLD)
					plist_del(b, j--);
			}
		}
	}
	/* the first rule of each table large enough takes it; the others go */
	for (i = 0; i < b->n; i++) {
		p1 = b->p[i];
		if (p1->src_tbl != NULL && p1->src_tbl->rulecount >= TABLE_THRESHOLD) {
			if (p1->src_tbl->generated) {
				plist_del(b, i--);
				continue;
			}
			p1->src_tbl->generated = 1;
			if ((t = create_table(o, p1->src_tbl, print)) == NULL)
				return (-1);
			set_table(&p1->r->src.addr, t);
		}
		if (p1->dst_tbl != NULL && p1->dst_tbl->rulecount >= TABLE_THRESHOLD) {
			if (p1->dst_tbl->generated) {
				plist_del(b, i--);
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

/* skip_cmp_*: 0 when rule a may share skip step field f with b (the first rule of a
 * group); a field a does not set never groups. */
static int
skip_addr(const struct pfm_rule_addr *a, const struct pfm_rule_addr *b)
{
	if (a->addr.neg != b->addr.neg || addrmask(&a->addr) != addrmask(&b->addr) ||
	    (!addrmask(&a->addr) && a->addr.type != b->addr.type))
		return (1);
	if (addrmask(&a->addr))
		return (memcmp(a->addr.addr, b->addr.addr, 16) != 0 ||
		    memcmp(a->addr.mask, b->addr.mask, 16) != 0 || azero(a->addr.addr, 16));
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
			if ((at = plist_find(&sk[f].g[k].l, p)) >= 0)
				break;
		if (k == sk[f].n)
			continue;
		plist_del(&sk[f].g[k].l, at);
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
static int
reorder(struct optctx *o, struct plist *b, struct plist *out)
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
			if (plist_add(o, &sk[f].g[k].l, b->p[i]) == -1)
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
			if (plist_add(o, out, b->p[i]) == -1)
				goto out;
		rc = 0;
		goto out;
	}
	for (i = 0; i < b->n; i++)
		if (plist_add(o, &head, b->p[i]) == -1)
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
				if (plist_add(o, &own, head.p[i]) == -1)
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
			if ((k = plist_find(&head, nb.p[i])) >= 0)
				plist_del(&head, k);
			unskip(sk, lf, nb.p[i]);
		}
		if (nb.n > 2) {
			/* a superblock of its own before this one: ordered again */
			if (reorder(o, &nb, out) == -1) {
				free(nb.p);
				goto out;
			}
		} else
			for (i = 0; i < nb.n; i++)
				if (plist_add(o, &own, nb.p[i]) == -1) {
					free(nb.p);
					goto out;
				}
		free(nb.p);
	}
	for (i = 0; i < own.n; i++)
		if (plist_add(o, out, own.p[i]) == -1)
			goto out;
	rc = 0;
out:
	for (f = 0; f < NSKIP; f++)
		groups_free(&sk[f]);
	free(head.p);
	free(own.p);
	return (rc);
}

/* optimize_superblock: the three passes, rules appended to out. */
static int
optimize_block(struct optctx *o, struct plist *b, struct plist *out, struct pfm_buf *print)
{
	if (b->n == 1)
		return (plist_add(o, out, b->p[0]));
	remove_identical(b);
	if (combine(o, b, print) == -1)
		return (-1);
	return (reorder(o, b, out));
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
		if (block.n > 0 && !inclusive(o, block.p[0]->r, pors[i].r)) {
			if (optimize_block(o, &block, &out, print) == -1)
				goto out;
			block.n = 0;
		}
		if (plist_add(o, &block, &pors[i]) == -1)
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
