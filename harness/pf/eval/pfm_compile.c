/* pfm_compile.c: a parsed ruleset into the lists pfm_test walks: addresses resolved
 * against the host, port ranges, each rule's hot first cache line, skip steps. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

void
pfm_compile_sync(struct pfm *pf)
{
	int l, i;

	for (l = 0; l < PFM_L_MAX * (1 + pf->nalist); l++) {
		struct pfm_clist *cl = l < PFM_L_MAX ? &pf->list[l] :
		    &pf->alist[l - PFM_L_MAX];

		for (i = 0; i < cl->n; i++)
			cl->r[i].r->evaluations = cl->evaluations[i];
	}
}

void
pfm_compile_free(struct pfm *pf)
{
	int l, i;

	for (l = 0; l < PFM_L_MAX * (1 + pf->nalist); l++) {
		struct pfm_clist *cl = l < PFM_L_MAX ? &pf->list[l] :
		    &pf->alist[l - PFM_L_MAX];	/* the anchors' lists follow */

		for (i = 0; i < cl->n; i++) {
			/* the count goes back to its rule: a recompile (an anchor
			 * loaded at run time) keeps the other rules' counters */
			cl->r[i].r->evaluations = cl->evaluations[i];
			free(cl->r[i].src.list);
			free(cl->r[i].dst.list);
			free(cl->r[i].xdst.list);
		}
		free(cl->r);
		free(cl->evaluations);
		cl->r = NULL;
		cl->evaluations = NULL;
		cl->n = 0;
	}
	free(pf->alist);
	pf->alist = NULL;
	pf->nalist = 0;
}

/* Resolve one rule address against the host. */
static int
compile_addr(struct pfm *pf, const struct pfm_rule_addr *ra, int raf,
    struct pfm_caddr *ca)
{
	const struct pfm_addr *a = &ra->addr;
	int i, j, af;

	memset(ca, 0, sizeof(*ca));
	ca->neg = a->neg ? 1 : 0;
	ca->port_op = ra->port_op;
	ca->port[0] = ra->port[0];
	ca->port[1] = ra->port[1];
	af = pfm_af46(a->af ? a->af : raf);
	switch (a->type) {
	case PFM_ADDR_ANY:
		ca->type = PFM_CA_ANY;
		break;
	case PFM_ADDR_MASK:
		ca->type = PFM_CA_MASK;
		ca->af = af;
		memcpy(ca->addr, a->addr, 16);
		memcpy(ca->mask, a->mask, 16);
		for (i = 0; i < 4; i++)
			ca->addr[i] &= ca->mask[i];
		if (af == 0)
			ca->type = PFM_CA_ANY;
		break;
	case PFM_ADDR_DYNIFTL:
		ca->type = PFM_CA_LIST;
		ca->list = calloc(PFM_MAXIF * 16, sizeof(*ca->list));
		if (ca->list == NULL)
			return (-1);
		for (i = 0; i < pf->host.niface; i++) {
			const struct pfm_if *ifp = &pf->host.iface[i];
			int g, member = strcmp(a->ifname, "self") == 0 ||
			    strcmp(ifp->name, a->ifname) == 0 ||
			    (strcmp(a->ifname, "lo") == 0 && pfm_if_loopback(ifp->name));

			for (g = 0; g < ifp->ngroup; g++)
				member |= strcmp(ifp->group[g], a->ifname) == 0;
			if (!member)
				continue;
			for (j = 0; j < ifp->naddr; j++) {
				struct pfm_prefix *p = &ca->list[ca->nlist];
				int aaf = pfm_af46(ifp->addr[j].af), plen, k, bits;

				if (af != 0 && aaf != af)
					continue;
				p->af = aaf;
				plen = a->iflags & PFM_IFTL_NETWORK ? ifp->addr[j].plen :
				    aaf == 4 ? 32 : 128;
				for (k = 0, bits = plen; k < 4; k++, bits -= 32)
					p->mask[k] = bits >= 32 ? 0xffffffff : bits <= 0 ? 0 :
					    htonl(~0u << (32 - bits));
				memcpy(p->addr, ifp->addr[j].addr, 16);
				for (k = 0; k < 4; k++)
					p->addr[k] &= p->mask[k];
				ca->nlist++;
				if (a->iflags & PFM_IFTL_NOALIAS)
					break;
			}
		}
		break;
	case PFM_ADDR_TABLE:
		ca->type = PFM_CA_TABLE;
		ca->table = a->table;
		break;
	case PFM_ADDR_RANGE:
		ca->type = PFM_CA_RANGE;
		ca->af = af;
		memcpy(ca->addr, a->addr, 16);
		memcpy(ca->mask, a->mask, 16);
		break;
	case PFM_ADDR_NOROUTE:
	case PFM_ADDR_URPFFAILED:
		ca->type = PFM_CA_NEVER;
		break;
	}
	return (0);
}

static int
caddr_eq(const struct pfm_caddr *a, const struct pfm_caddr *b)
{
	return (a->type == b->type && a->af == b->af && a->neg == b->neg &&
	    memcmp(a->addr, b->addr, 16) == 0 && memcmp(a->mask, b->mask, 16) == 0 &&
	    a->table == b->table && a->nlist == b->nlist &&
	    (a->nlist == 0 || memcmp(a->list, b->list, a->nlist * sizeof(*a->list)) == 0));
}

static int
skip_same(const struct pfm_crule *a, const struct pfm_crule *b, int f)
{
	switch (f) {
	case PFM_SKIP_IFP:
		return (strcmp(a->r->ifname, b->r->ifname) == 0 && a->r->ifnot == b->r->ifnot);
	case PFM_SKIP_DIR:
		return (a->dir == b->dir);
	case PFM_SKIP_AF:
		return (a->af == b->af);
	case PFM_SKIP_PROTO:
		return (a->proto == b->proto);
	case PFM_SKIP_SRC_ADDR:
		return (caddr_eq(&a->src, &b->src));
	case PFM_SKIP_SRC_PORT:
		return (a->src.port_op == b->src.port_op &&
		    a->src.port[0] == b->src.port[0] && a->src.port[1] == b->src.port[1]);
	case PFM_SKIP_DST_ADDR:
		return (caddr_eq(&a->dst, &b->dst));
	case PFM_SKIP_DST_PORT:
		return (a->dst.port_op == b->dst.port_op &&
		    a->dst.port[0] == b->dst.port[0] && a->dst.port[1] == b->dst.port[1]);
	}
	return (0);
}

/* pf_calc_skip_steps: each rule's skip[f] is the first later rule differing in f. */
static void
calc_skip_steps(struct pfm_clist *cl)
{
	int f, i, j;

	for (f = 0; f < PFM_SKIP_COUNT; f++)
		for (i = 0; i < cl->n; i = j) {
			for (j = i + 1; j < cl->n && skip_same(&cl->r[i], &cl->r[j], f); j++)
				;
			for (; i < j; i++) {
				cl->r[i].skip[f] = (uint16_t)j;
				if (j == i + 1)
					cl->r[i].skip1 |= 1u << f;
				cl->r[i].r->skip[f] = j < cl->n ? j : -1;
			}
		}
}

/* A port op as the range [*lo, *lo + *span], negated when the result is 1:
 * pf_match_port's answer for every port 0-65535. */
static int
port_range(int op, uint16_t a1, uint16_t a2, uint16_t *lo, uint16_t *span)
{
	int l = 0, h = 65535, neg = 0;

	switch ((enum pfm_op)op) {
	case PFM_OP_NONE:
		break;
	case PFM_OP_IRG:
		l = a1 + 1, h = a2 - 1;
		break;
	case PFM_OP_XRG:
		l = a1, h = a2, neg = 1;
		break;
	case PFM_OP_RRG:
		l = a1, h = a2;
		break;
	case PFM_OP_EQ:
		l = h = a1;
		break;
	case PFM_OP_NE:
		l = h = a1, neg = 1;
		break;
	case PFM_OP_LT:
		h = a1 - 1;
		break;
	case PFM_OP_LE:
		h = a1;
		break;
	case PFM_OP_GT:
		l = a1 + 1;
		break;
	case PFM_OP_GE:
		l = a1;
		break;
	}
	if (l > h) {
		/* empty: the negation of all ports */
		l = 0, h = 65535, neg = !neg;
	}
	*lo = (uint16_t)l;
	*span = (uint16_t)(h - l);
	return (neg);
}

/* The rule's first cache line: what rule_step in pfm_match.c reads for every rule. */
static void
compile_hot(struct pfm_crule *c)
{
	c->hot = 0;
	c->src_any = c->src.type == PFM_CA_ANY;
	c->dst_any = c->dst.type == PFM_CA_ANY;
	/* any is mask 0; an IPv4 host/net is a masked word; the rest is slow */
	c->src_a4 = c->src_m4 = c->dst_a4 = c->dst_m4 = 0;
	if (c->src.type == PFM_CA_MASK && c->src.af == 4 && !c->src.neg) {
		c->src_a4 = c->src.addr[0];
		c->src_m4 = c->src.mask[0];
	} else if (!c->src_any)
		c->hot |= PFM_CR_SSLOW4;
	if (c->dst.type == PFM_CA_MASK && c->dst.af == 4 && !c->dst.neg) {
		c->dst_a4 = c->dst.addr[0];
		c->dst_m4 = c->dst.mask[0];
	} else if (!c->dst_any)
		c->hot |= PFM_CR_DSLOW4;
	if (c->src.port_op)
		c->hot |= PFM_CR_SPORT | (port_range(c->src.port_op, c->src.port[0],
		    c->src.port[1], &c->sp_lo, &c->sp_span) ? PFM_CR_SNEG : 0);
	if (c->dst.port_op)
		c->hot |= PFM_CR_DPORT | (port_range(c->dst.port_op, c->dst.port[0],
		    c->dst.port[1], &c->dp_lo, &c->dp_span) ? PFM_CR_DNEG : 0);
	if (c->flags || c->flagset || c->type || c->code)
		c->hot |= PFM_CR_EXTRA;
	if (!c->src_any)
		c->hot |= PFM_CR_SSLOW6;
	if (!c->dst_any)
		c->hot |= PFM_CR_DSLOW6;
}

static int
compile_list(struct pfm *pf, struct pfm_clist *cl, struct pfm_rule *head, int n,
    enum pfm_list l)
{
	struct pfm_rule *r;
	struct pfm_crule *c;
	int i;

	if (n > 65534)
		return (-1);
	cl->r = aligned_alloc(64, (size_t)(n > 0 ? n : 1) * sizeof(*cl->r));
	cl->evaluations = calloc(n > 0 ? n : 1, sizeof(*cl->evaluations));
	if (cl->r == NULL || cl->evaluations == NULL)
		return (-1);
	memset(cl->r, 0, (size_t)(n > 0 ? n : 1) * sizeof(*cl->r));
	for (r = head, i = 0; r != NULL && i < n; r = r->next, i++) {
		c = &cl->r[i];
		c->r = r;
		cl->evaluations[i] = r->evaluations;
		c->action = r->action;
		c->dir = l == PFM_L_FILTER || l == PFM_L_SCRUB ? r->direction : 0;
		c->af = pfm_af46(r->af);
		c->proto = r->proto;
		c->flags = r->flags;
		c->flagset = r->flagset;
		c->type = r->type;
		c->code = r->code;
		/* pf_test_rule's checks after the skip-step fields (rule_more) */
		c->tos = r->tos;
		c->prio = r->has_prio != 0;
		c->fragment = r->fragment != 0;
		c->prob = r->prob;
		c->match_tag_not = r->match_tag_not != 0;
		if ((r->tagged[0] != '\0' &&
		    (c->match_tag = pfm_tag_id(pf, r->tagged)) == 0) ||
		    (r->tag[0] != '\0' && (c->tag = pfm_tag_id(pf, r->tag)) == 0))
			return (-1);
		c->rcv = r->rcv_ifname[0] != '\0';
		c->more = c->tos || c->prio || c->fragment || c->prob || c->match_tag ||
		    c->rcv || r->once || r->max_pkt_rate[0];
		if (compile_addr(pf, &r->src, r->af, &c->src) == -1 ||
		    compile_addr(pf, &r->dst, r->af, &c->dst) == -1)
			return (-1);
		c->dap_want = (uint32_t)c->dir << 16 | (uint32_t)c->af << 8 | c->proto;
		c->dap_mask = (c->dir ? 0xff0000u : 0) | (c->af ? 0xff00u : 0) |
		    (c->proto ? 0xffu : 0);
		compile_hot(c);
		if (l == PFM_L_BINAT && r->rpool.naddr > 0) {
			struct pfm_rule_addr ra;

			memset(&ra, 0, sizeof(ra));
			ra.addr = r->rpool.addr[0];
			if (compile_addr(pf, &ra, r->af, &c->xdst) == -1)
				return (-1);
		}
	}
	cl->n = i;
	calc_skip_steps(cl);
	return (0);
}

int
pfm_compile(struct pfm *pf, struct pfm_ruleset *rs, char *err, size_t errlen)
{
	struct pfm_anchor *a;
	struct pfm_clist *al;
	int n = 0;

	pfm_compile_free(pf);
	if (compile_list(pf, &pf->list[PFM_L_SCRUB], rs->scrub, rs->nscrub,
	    PFM_L_SCRUB) == -1 ||
	    compile_list(pf, &pf->list[PFM_L_FILTER], rs->rules, rs->nrules,
	    PFM_L_FILTER) == -1 ||
	    compile_list(pf, &pf->list[PFM_L_NAT], rs->nat, rs->nnat, PFM_L_NAT) == -1 ||
	    compile_list(pf, &pf->list[PFM_L_RDR], rs->rdr, rs->nrdr, PFM_L_RDR) == -1 ||
	    compile_list(pf, &pf->list[PFM_L_BINAT], rs->binat, rs->nbinat,
	    PFM_L_BINAT) == -1)
		goto fail;
	/* each anchor's filter and translation lists, walked by pfm_anchor_step_in */
	for (a = rs->anchors; a != NULL; a = a->next)
		n++;
	if (n > 0 && (pf->alist = calloc((size_t)n * PFM_L_MAX, sizeof(*al))) == NULL)
		goto fail;
	for (a = rs->anchors; a != NULL; a = a->next) {
		al = a->clist = &pf->alist[pf->nalist++ * PFM_L_MAX];
		if (compile_list(pf, &al[PFM_L_SCRUB], NULL, 0, PFM_L_SCRUB) == -1 ||
		    compile_list(pf, &al[PFM_L_FILTER], a->rules, a->nrules,
		    PFM_L_FILTER) == -1 ||
		    compile_list(pf, &al[PFM_L_NAT], a->nat, a->nnat, PFM_L_NAT) == -1 ||
		    compile_list(pf, &al[PFM_L_RDR], a->rdr, a->nrdr, PFM_L_RDR) == -1 ||
		    compile_list(pf, &al[PFM_L_BINAT], a->binat, a->nbinat,
		    PFM_L_BINAT) == -1)
			goto fail;
	}
	return (0);
fail:
	snprintf(err, errlen, "cannot compile the ruleset: out of memory");
	pfm_compile_free(pf);
	return (-1);
}
