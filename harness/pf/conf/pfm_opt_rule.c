/* pfm_opt_rule.c: the rules of pfctl's optimizer (FreeBSD 14
 * sbin/pfctl/pfctl_optimize.c) and how it compares them: their lists, the fields that
 * keep two rules out of one superblock or out of one merged rule (pf_rule_desc's
 * BARRIER, BREAK and NOMERGE), which rule takes in another, and the addresses that may
 * share a table. pfm_optimize.c and pfm_opt_skip.c run the passes on them. */
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pfm_opt.h"

int
pfm_opt_list_add(struct optctx *o, struct plist *l, struct por *p)
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

void
pfm_opt_list_del(struct plist *l, int i)
{
	memmove(&l->p[i], &l->p[i + 1], (size_t)(l->n - i - 1) * sizeof(*l->p));
	l->n--;
}

int
pfm_opt_list_find(const struct plist *l, const struct por *p)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->p[i] == p)
			return (i);
	return (-1);
}

int
pfm_opt_azero(const uint8_t *a, int n)
{
	while (n-- > 0)
		if (*a++)
			return (0);
	return (1);
}

/* pf's PF_ADDR_ADDRMASK: the model's any is one with a zero mask. */
int
pfm_opt_addrmask(const struct pfm_addr *a)
{
	return (a->type == PFM_ADDR_MASK || a->type == PFM_ADDR_ANY);
}

/* The address wraps compared as pf_addr_wrap bytes (addrs_equal, without neg). */
int
pfm_opt_wrap_eq(const struct pfm_addr *a, const struct pfm_addr *b)
{
	if (pfm_opt_addrmask(a) && pfm_opt_addrmask(b))
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
int
pfm_opt_eq_break(const struct pfm_rule *a, const struct pfm_rule *b)
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
int
pfm_opt_eq_nomerge(const struct pfm_rule *a, const struct pfm_rule *b)
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
int
pfm_opt_inclusive(const struct optctx *o, const struct pfm_rule *first,
    const struct pfm_rule *r)
{
	if (barrier(r) || r->srctrack == 2)	/* PFRULE_RULESRCTRACK: a hard break */
		return (0);
	if ((ifgroup(o, r->ifname) || ifgroup(o, first->ifname)) &&
	    strcasecmp(r->ifname, first->ifname) != 0)
		return (0);
	return (pfm_opt_eq_break(first, r));
}

/* The prefix length of a mask (unmask). */
static int
bits(const uint8_t *mask)
{
	return (pfm_unmask(mask));
}

/* exclude_supersets: what of sub the rule super takes in anyway is made super's. */
void
pfm_opt_exclude_supersets(const struct pfm_rule *super, struct pfm_rule *sub)
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
		if (pfm_opt_addrmask(&pa[i]->addr) && !pa[i]->addr.neg && !sa[i]->addr.neg &&
		    pfm_opt_azero(pa[i]->addr.mask, 16)) {
			memset(&sa[i]->addr, 0, sizeof(sa[i]->addr));
			sa[i]->addr.type = PFM_ADDR_ANY;
			continue;
		}
		if (!pfm_opt_addrmask(&pa[i]->addr) || !pfm_opt_addrmask(&sa[i]->addr) ||
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
int
pfm_opt_eq_dc(const struct pfm_rule *a, const struct pfm_rule *b)
{
	return (pfm_opt_eq_break(a, b) && pfm_opt_eq_nomerge(a, b) &&
	    pfm_opt_wrap_eq(&a->src.addr, &b->src.addr) &&
	    pfm_opt_wrap_eq(&a->dst.addr, &b->dst.addr));
}

/* addrs_combineable: two plain addresses (pf's ADDRMASK) with the same ports. */
int
pfm_opt_combineable(const struct pfm_rule_addr *a, const struct pfm_rule_addr *b)
{
	/* a link-local address's scope (pfctl embeds it in the address) has no place
	 * in the model's table entries: such rules stay apart */
	if (a->addr.scope[0] != '\0' || b->addr.scope[0] != '\0')
		return (0);
	return (pfm_opt_addrmask(&a->addr) && pfm_opt_addrmask(&b->addr) &&
	    a->addr.neg == b->addr.neg && a->port_op == b->port_op &&
	    a->port[0] == b->port[0] && a->port[1] == b->port[1]);
}
