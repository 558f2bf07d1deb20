/* pfm_load.c: a pf's life cycle: create for a host, load a ruleset (parse, compile the
 * rule lists with skip steps, resolve interfaces), tunables, flush and expire states. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_impl.h"

const char *const pfm_res_name[PFM_RES_MAX] = {
	"match", "bad-offset", "fragment", "short", "normalize", "memory",
	"bad-timestamp", "congestion", "ip-option", "proto-cksum", "state-mismatch",
	"state-insert", "state-limit", "src-limit", "synproxy", "map-failed"
};

/* pf's default timeouts (seconds), PFTM_* order. */
static const uint32_t default_timeout[PFM_TM_MAX] = {
	120, 30, 86400, 900, 45, 90,	/* tcp */
	60, 30, 60,			/* udp */
	20, 10,				/* icmp */
	60, 30, 60,			/* other */
	30, 10,				/* frag, interval */
	60000, 120000,			/* adaptive start/end */
	0, 30				/* src.track, ts diff */
};

uint32_t
pfm_random(struct pfm *pf)
{
	/* xorshift64*: the model's arc4random, seeded per pf */
	pf->rng ^= pf->rng >> 12;
	pf->rng ^= pf->rng << 25;
	pf->rng ^= pf->rng >> 27;
	return ((uint32_t)((pf->rng * 0x2545f4914f6cdd1dULL) >> 32));
}

uint16_t
pfm_tag_id(struct pfm *pf, const char *name)
{
	char (*nt)[64];
	int i;

	if (name == NULL || name[0] == '\0')
		return (0);
	for (i = 0; i < pf->ntag; i++)
		if (strcmp(pf->tagname[i], name) == 0)
			return ((uint16_t)(i + 1));
	/* pf's TAGID_MAX is 50000 */
	if (pf->ntag >= 50000 ||
	    (nt = realloc(pf->tagname, (size_t)(pf->ntag + 1) * sizeof(*nt))) == NULL)
		return (0);
	pf->tagname = nt;
	snprintf(nt[pf->ntag], sizeof(nt[0]), "%s", name);
	return ((uint16_t)++pf->ntag);
}

const char *
pfm_tag_name(const struct pfm *pf, uint16_t id)
{
	if (id == 0 || id > pf->ntag)
		return ("");
	return (pf->tagname[id - 1]);
}

struct pfm *
pfm_new(const struct pfm_host *host)
{
	struct pfm *pf;
	int i;

	if ((pf = calloc(1, sizeof(*pf))) == NULL)
		return (NULL);
	if (host != NULL)
		pf->host = *host;
	else
		pfm_host_default(&pf->host);
	if (pfm_stab_init(&pf->st) == -1) {
		free(pf);
		return (NULL);
	}
	for (i = 0; i < pf->host.niface; i++)
		pfm_if_index(pf, pf->host.iface[i].name);
	pf->limit_states = 100000;
	pf->limit_src_nodes = 10000;
	pf->limit_frags = 5000;
	memcpy(pf->timeout, default_timeout, sizeof(pf->timeout));
	pf->block_policy = PFM_BLOCK_DROP;
	pf->rng = 0x9e3779b97f4a7c15ULL;
	pf->last_kif = -1;
	return (pf);
}

void
pfm_compile_free(struct pfm *pf)
{
	int l, i;

	for (l = 0; l < PFM_L_MAX * (1 + pf->nalist); l++) {
		struct pfm_clist *cl = l < PFM_L_MAX ? &pf->list[l] :
		    &pf->alist[l - PFM_L_MAX];	/* the anchors' lists follow */

		for (i = 0; i < cl->n; i++) {
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

void
pfm_free(struct pfm *pf)
{
	int i;

	if (pf == NULL)
		return;
	pfm_compile_free(pf);
	pfm_ruleset_free(pf->rs);
	for (i = 0; i < pf->nold; i++)
		pfm_ruleset_free(pf->old[i]);
	free(pf->old);
	pfm_stab_free(&pf->st);
	pfm_frag_free(pf);
	pfm_src_free(pf);
	free(pf->tagname);
	free(pf);
}

static int
is_loopback(const char *name)
{
	return (strncmp(name, "lo", 2) == 0 && name[2] >= '0' && name[2] <= '9');
}

/* pfi_kkif_match: the interface itself, or one of its groups. */
static int
if_in(struct pfm *pf, int idx, const char *want)
{
	const char *name = pf->ifn[idx];
	int i, g;

	if (strcmp(name, want) == 0)
		return (1);
	if (strcmp(want, "lo") == 0 && is_loopback(name))
		return (1);
	for (i = 0; i < pf->host.niface; i++) {
		if (strcmp(pf->host.iface[i].name, name) != 0)
			continue;
		for (g = 0; g < pf->host.iface[i].ngroup; g++)
			if (strcmp(pf->host.iface[i].group[g], want) == 0)
				return (1);
	}
	return (0);
}

void
pfm_if_resolve(struct pfm *pf)
{
	int i, j, l;
	uint64_t m;

	pf->ifskip = 0;
	for (i = 0; i < pf->nifn; i++)
		for (j = 0; pf->rs != NULL && j < pf->rs->nskip; j++)
			if (if_in(pf, i, pf->rs->skip[j]))
				pf->ifskip |= 1ULL << i;
	for (l = 0; l < PFM_L_MAX * (1 + pf->nalist); l++) {
		struct pfm_clist *cl = l < PFM_L_MAX ? &pf->list[l] :
		    &pf->alist[l - PFM_L_MAX];	/* the anchors' lists follow */

		for (j = 0; j < cl->n; j++) {
			struct pfm_crule *c = &cl->r[j];

			if (c->r->ifname[0] == '\0') {
				c->ifmask = ~0ULL;
				continue;
			}
			for (i = 0, m = 0; i < PFM_MAXIF; i++)
				if (i < pf->nifn && if_in(pf, i, c->r->ifname))
					m |= 1ULL << i;
			c->ifmask = c->r->ifnot ? ~m : m;
		}
	}
}

int
pfm_if_index(struct pfm *pf, const char *name)
{
	int i;

	/* callers reuse buffers: compare the name, not the pointer */
	if (pf->last_kif >= 0 && strcmp(pf->ifn[pf->last_kif], name) == 0)
		return (pf->last_kif);
	for (i = 0; i < pf->nifn; i++)
		if (strcmp(pf->ifn[i], name) == 0)
			goto found;
	if (pf->nifn == PFM_MAXIF)
		return (PFM_MAXIF - 1);	/* shares the last slot */
	i = pf->nifn++;
	snprintf(pf->ifn[i], sizeof(pf->ifn[i]), "%s", name);
	pfm_if_resolve(pf);
found:
	pf->last_kif = i;
	return (i);
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
			    (strcmp(a->ifname, "lo") == 0 && is_loopback(ifp->name));

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

/* The rule's first cache line: what rule_step in pfm_eval.c reads for every rule. */
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
		c->more = c->tos || c->prio || c->fragment || c->prob || c->match_tag;
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

/* Adopt a parsed ruleset: options become the pf's tunables, the old ruleset stays
 * alive for the states that point at its rules (pf keeps such rules too). */
int
pfm_adopt(struct pfm *pf, struct pfm_ruleset *rs, struct diag *d)
{
	char err[128];
	struct pfm_ruleset *prev = pf->rs, **no;
	int i;

	if ((no = realloc(pf->old, (pf->nold + 1) * sizeof(*no))) == NULL) {
		diag_add(d, NULL, 0, "out of memory");
		return (-1);
	}
	pf->old = no;
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
	pf->limit_states = rs->limit_states ? rs->limit_states : 100000;
	pf->limit_src_nodes = rs->limit_src_nodes ? rs->limit_src_nodes : 10000;
	pf->limit_frags = rs->limit_frags ? rs->limit_frags : 5000;
	pf->reass_opt = pfm_frag_reass_opt(rs->preamble);
	/* A parsed ruleset holds pf's defaults where the file said nothing, so a 0 there
	 * was written and stands (adaptive.start 0 turns adaptive off); a ruleset built
	 * by hand leaves 0 for the default. */
	for (i = 0; i < PFM_TM_MAX; i++)
		pf->timeout[i] = rs->timeout_set & (1u << i) || rs->timeout[i] != 0 ?
		    rs->timeout[i] : default_timeout[i];
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
warn(struct warnctx *wc, const struct pfm_rule *r, const char *opt, const char *what)
{
	struct warned *nw;
	int i;

	for (i = wc->n - 1; i >= 0; i--)
		if (wc->w[i].line == r->line && wc->w[i].opt == opt &&
		    (wc->w[i].file == r->file || (wc->w[i].file != NULL &&
		    r->file != NULL && strcmp(wc->w[i].file, r->file) == 0)))
			return;
	if (wc->n == wc->cap) {
		if ((nw = realloc(wc->w, (size_t)(wc->cap * 2 + 16) * sizeof(*nw))) ==
		    NULL)
			return;
		wc->w = nw;
		wc->cap = wc->cap * 2 + 16;
	}
	wc->w[wc->n].file = r->file;
	wc->w[wc->n].line = r->line;
	wc->w[wc->n++].opt = opt;
	if (r->file != NULL)
		diag_add(wc->d, "pfharness", 0, "%s:%d: '%s' is not modelled: %s", r->file,
		    r->line, opt, what);
	else
		diag_add(wc->d, "pfharness", 0, "line %d: '%s' is not modelled: %s",
		    r->line, opt, what);
}

/* The options of one rule pf acts on and the model does not (pfm_eval.c honours the
 * rest: tag, tagged, tos, prio, probability, allow-opts, fragment, ...). */
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
	if (r->rt == PFM_RT_ROUTETO)
		warn(wc, r, "route-to", "the packet takes the host's routing table");
	else if (r->rt == PFM_RT_REPLYTO)
		warn(wc, r, "reply-to", "replies take the host's routing table");
	else if (r->rt == PFM_RT_DUPTO)
		warn(wc, r, "dup-to", "no duplicate is sent");
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
	if (filter && (r->scrub_flags || r->min_ttl || r->max_mss || r->has_set_tos))
		warn(wc, r, "scrub", "the options of a filter rule's scrub (...) are not "
		    "applied; only scrub rules normalise");
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
pfm_load(struct pfm *pf, const char *text, const struct pfm_load_opts *o, struct diag *d)
{
	struct pfm_ruleset *rs;

	if ((rs = pfm_ruleset_parse(text, o, &pf->host, d)) == NULL)
		return (-1);
	pfm_ruleset_warn(rs, d);
	if (o != NULL && o->services != NULL)
		snprintf(pf->services, sizeof(pf->services), "%s", o->services);
	if (pfm_adopt(pf, rs, d) == -1) {
		pfm_ruleset_free(rs);
		return (-1);
	}
	return (0);
}

int
pfm_sysctl(struct pfm *pf, const char *name, const char *value)
{
	char *end;
	long v;

	v = strtol(value, &end, 10);
	if (*value == '\0' || *end != '\0')
		return (-1);
	if (strcmp(name, "net.pf.filter_local") == 0) {
		pf->filter_local = v != 0;
		return (0);
	}
	if (strcmp(name, "net.pf.states_hashsize") == 0 ||
	    strcmp(name, "net.pf.source_nodes_hashsize") == 0 ||
	    strcmp(name, "net.pf.request_maxcount") == 0 ||
	    strcmp(name, "net.pf.default_to_drop") == 0)
		return (0);	/* accepted; no effect on the model's semantics */
	return (-1);
}

int
pfm_filter_local(const struct pfm *pf)
{
	return (pf->filter_local);
}

void
pfm_flush_states(struct pfm *pf)
{
	while (pf->st.head != NULL)
		pfm_state_unlink(pf, pf->st.head);
}

void
pfm_expire(struct pfm *pf, uint64_t now_ms)
{
	struct pfm_state *s, *next;

	pf->now_ms = now_ms;
	for (s = pf->st.head; s != NULL; s = next) {
		next = s->lnext;
		if (pfm_state_expired(pf, s, now_ms))
			pfm_state_unlink(pf, s);
	}
	pfm_frag_purge(pf, now_ms);
	pfm_src_expire(pf);
}

size_t
pfm_state_count(const struct pfm *pf)
{
	return (pf->st.count);
}

size_t
pfm_state_size(void)
{
	return (sizeof(struct pfm_state));
}

/* Bytes the state table holds now (slabs and buckets), for the bench. */
size_t
pfm_state_bytes(const struct pfm *pf)
{
	return (pf->st.bytes);
}

void
pfm_print_ruleset(struct pfm *pf, FILE *fp, int verbose)
{
	if (pf->rs != NULL)
		pfm_ruleset_print(pf->rs, fp, verbose,
		    pf->services[0] ? pf->services : NULL);
}
