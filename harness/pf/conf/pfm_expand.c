/* pfm_expand.c: one rule per combination of the lists a rule names, in pfctl's order,
 * with its address family decisions, consistency checks and label macros. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"

/* The anchor whose own tables a table statement or a rule's <name> names: under
 * FreeBSD 15 an inline anchor's (braces) when a table is declared in them; else NULL
 * (the file's tables, as the model keeps them). */
static const char *
table_scope(const struct pfm_pctx *c)
{
	return (c->fb15 && c->anchor != NULL && c->anchor->is_inline ? c->anchor->path :
	    NULL);
}

/* The table (scope, name) of the file; NULL when missing. */
static struct pfm_table **
table_find(struct pfm_pctx *c, const char *scope, const char *name)
{
	struct pfm_table **tp;

	for (tp = &c->rs->tables; *tp != NULL; tp = &(*tp)->next)
		if (strcmp((*tp)->name, name) == 0 && (scope == NULL ?
		    (*tp)->anchor == NULL : (*tp)->anchor != NULL &&
		    strcmp((*tp)->anchor, scope) == 0))
			return (tp);
	return (tp);
}

struct pfm_table *
pfm_table_get(struct pfm_pctx *c, const char *name)
{
	struct pfm_table *t, **tp;
	const char *scope = table_scope(c);

	/* a rule in an inline anchor names the anchor's table when the braces
	 * declared one (pf attaches the rule to the anchor's table; an inactive one
	 * stands for the main ruleset's, pfr_attach_table's root) */
	if (scope != NULL && *(tp = table_find(c, scope, name)) != NULL)
		return (*tp);
	if ((t = *(tp = table_find(c, NULL, name))) != NULL)
		return (t);
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return (NULL);
	snprintf(t->name, sizeof(t->name), "%s", name);
	*tp = t;
	return (t);
}

struct pfm_table *
pfm_table_define(struct pfm_pctx *c, const char *name)
{
	struct pfm_table *t, **tp;
	const char *scope = table_scope(c);

	if (scope == NULL)
		return (pfm_table_get(c, name));
	/* a table declared in braces is the anchor's (OpenBSD's process_tabledef
	 * defines it in pf->anchor's ruleset), apart from the main ruleset's */
	if ((t = *(tp = table_find(c, scope, name))) != NULL)
		return (t);
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return (NULL);
	snprintf(t->name, sizeof(t->name), "%s", name);
	if ((t->anchor = strdup(scope)) == NULL) {
		free(t);
		return (NULL);
	}
	*tp = t;
	return (t);
}

const char *
pfm_intern(struct pfm_pctx *c, const char *name)
{
	struct pfm_ruleset *rs = c->rs;
	char **nn;
	int i;

	for (i = 0; i < rs->nfnames; i++)
		if (strcmp(rs->fnames[i], name) == 0)
			return (rs->fnames[i]);
	if ((nn = realloc(rs->fnames, sizeof(*nn) * (size_t)(rs->nfnames + 1))) == NULL)
		return (NULL);
	rs->fnames = nn;
	if ((nn[rs->nfnames] = strdup(name)) == NULL)
		return (NULL);
	return (nn[rs->nfnames++]);
}

void
pfm_append_rule(struct pfm_pctx *c, struct pfm_rule *r)
{
	struct pfm_rule *n;
	int rs, rs2;

	switch (r->action) {
	case PFM_R_SCRUB:
	case PFM_R_NOSCRUB:
		rs = RS_SCRUB;
		break;
	case PFM_R_NAT:
	case PFM_R_NONAT:
		rs = RS_NAT;
		break;
	case PFM_R_RDR:
	case PFM_R_NORDR:
		rs = RS_RDR;
		break;
	case PFM_R_BINAT:
	case PFM_R_NOBINAT:
		rs = RS_BINAT;
		break;
	case PFM_R_PASS:
	case PFM_R_BLOCK:
	case PFM_R_MATCH:
	default:
		rs = RS_FILTER;
		break;
	}
	if (rs == RS_SCRUB && c->anchor != NULL) {
		/* pf keeps scrub rulesets per anchor; the model only the main one */
		pfm_yyerror(c, "scrub rules inside anchors are not modelled");
		free(r->rpool.addr);
		free(r->rpool.ifname);
		return;
	}
	if ((n = malloc(sizeof(*n))) == NULL) {
		free(r->rpool.addr);
		free(r->rpool.ifname);
		return;
	}
	*n = *r;
	n->next = NULL;
	n->owner = c->anchor;
	n->fb15 = c->fb15;
	n->file = pfm_intern(c, c->file ? c->file->name : "stdin");
	n->line = c->toklineno;
	/* pfctl expands label macros when it loads the rule */
	pfm_expand_label(n->label, sizeof(n->label), n);
	for (rs2 = 0; rs2 < 4; rs2++)
		pfm_expand_label(n->xlabel[rs2], sizeof(n->xlabel[0]), n);
	pfm_expand_label(n->tag, sizeof(n->tag), n);
	pfm_expand_label(n->tagged, sizeof(n->tagged), n);
	*c->tail[rs] = n;
	c->tail[rs] = &n->next;
	c->nr[rs]++;
}

void
pfm_decide_af(struct node_host *n, int *af)
{
	if (*af != 0 || n == NULL)
		return;
	*af = n->af;
	while ((n = n->next) != NULL)
		if (n->af != *af) {
			*af = 0;
			return;
		}
}

void
pfm_remove_invalid_hosts(struct node_host **nh, int *af)
{
	struct node_host *n = *nh, *prev = NULL;

	while (n != NULL) {
		if (*af && n->af && n->af != *af) {
			struct node_host *next = n->next;

			if (n == (*nh)->tail)
				(*nh)->tail = prev;
			if (prev == NULL) {
				if (next != NULL)
					next->tail = (*nh)->tail;
				*nh = next;
			} else
				prev->next = next;
			n = next;
		} else {
			if (n->af && !*af)
				*af = n->af;
			prev = n;
			n = n->next;
		}
	}
}

int
pfm_invalid_redirect(struct pfm_pctx *c, struct node_host *nh, int af)
{
	struct node_host *n;

	if (!af)
		for (n = nh; n != NULL; n = n->next)
			if (n->addr.type != PFM_ADDR_TABLE &&
			    n->addr.type != PFM_ADDR_DYNIFTL) {
				pfm_yyerror(c, "address family not given and translation "
				    "address expands to multiple address families");
				return (1);
			}
	if (nh == NULL) {
		pfm_yyerror(c, "no translation address with matching address family "
		    "found.");
		return (1);
	}
	return (0);
}

int
pfm_disallow_table(struct pfm_pctx *c, struct node_host *h, const char *fmt)
{
	for (; h != NULL; h = h->next)
		if (h->addr.type == PFM_ADDR_TABLE) {
			pfm_yyerror(c, fmt, h->tblname);
			return (1);
		}
	return (0);
}

int
pfm_disallow_alias(struct pfm_pctx *c, struct node_host *h, const char *fmt)
{
	for (; h != NULL; h = h->next)
		if (DYNIF_MULTIADDR(h->addr)) {
			pfm_yyerror(c, fmt, h->addr.ifname);
			return (1);
		}
	return (0);
}

/* What FreeBSD 15's filter_consistent adds to 14's (parse.y bc0f7b9): af-to's limits,
 * no route-to on block rules (14 accepts it: its check names match rules only), and
 * nat-to/rdr-to's need of state and a direction. The problems found. */
static int
consistent15(struct pfm_pctx *c, const struct pfm_rule *r)
{
	int problems = 0;

	if (r->afto && r->rt && r->rt != PFM_RT_ROUTETO && r->rt != PFM_RT_REPLYTO) {
		pfm_yyerror(c, "dup-to must not be used on af-to rules");
		problems++;
	}
	if (r->action == PFM_R_MATCH && r->afto) {
		pfm_yyerror(c, "af-to is not supported on match rules");
		problems++;
	}
	if (r->action == PFM_R_BLOCK && r->rt) {
		pfm_yyerror(c, "route-to, reply-to and dup-to are not supported on block "
		    "rules");
		problems++;
	}
	if (r->natpool.naddr || r->rdrpool.naddr) {
		if (r->action != PFM_R_MATCH && r->keep == PFM_KEEP_NONE) {
			pfm_yyerror(c, "nat-to and rdr-to require keep state");
			problems++;
		}
		if (r->direction == PFM_RDIR_ANY) {
			pfm_yyerror(c, "nat-to and rdr-to require a direction");
			problems++;
		}
	}
	/* a warning only */
	if (r->keep == PFM_KEEP_SYNPROXY && r->direction != PFM_RDIR_IN)
		pfm_raw(c, "%s:%d: warning: synproxy used for inbound rules only, "
		    "ignored for outbound", c->file ? c->file->name : "stdin",
		    c->toklineno);
	/* said (an error of the file), but not counted as the rule's problem */
	if (r->rpool.sticky && r->rt && r->keep == PFM_KEEP_NONE)
		pfm_yyerror(c, "'sticky-address' requires 'keep state'");
	return (problems);
}

static int
filter_consistent(struct pfm_pctx *c, const struct pfm_rule *r)
{
	int problems = 0;

	if (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP &&
	    !(c->fb15 && r->proto == IPPROTO_SCTP) &&
	    (r->src.port_op || r->dst.port_op)) {
		/* 15's wording (parse.y bc0f7b9) names SCTP */
		pfm_yyerror(c, c->fb15 ? "port only applies to tcp/udp/sctp" :
		    "port only applies to tcp/udp");
		problems++;
	}
	if (r->proto != IPPROTO_ICMP && r->proto != IPPROTO_ICMPV6 &&
	    (r->type || r->code)) {
		pfm_yyerror(c, "icmp-type/code only applies to icmp");
		problems++;
	}
	if (!r->af && (r->type || r->code)) {
		pfm_yyerror(c, "must indicate address family with icmp-type/code");
		problems++;
	}
	if (r->overload[0] && r->max_src_conn == 0 && r->max_src_conn_rate[1] == 0) {
		pfm_yyerror(c, "'overload' requires 'max-src-conn' or "
		    "'max-src-conn-rate'");
		problems++;
	}
	if ((r->proto == IPPROTO_ICMP && r->af == AF_INET6) ||
	    (r->proto == IPPROTO_ICMPV6 && r->af == AF_INET)) {
		pfm_yyerror(c, "proto %s doesn't match address family %s",
		    r->proto == IPPROTO_ICMP ? "icmp" : "icmp6",
		    r->af == AF_INET ? "inet" : "inet6");
		problems++;
	}
	if (c->fb15 && r->afto && r->af == r->naf) {
		pfm_yyerror(c, "must indicate different address family with af-to");
		problems++;
	}
	if (c->fb15 && r->allow_opts && r->action != PFM_R_PASS &&
	    r->action != PFM_R_MATCH) {
		/* 15's match rules take allow-opts (parse.y bc0f7b9) */
		pfm_yyerror(c, "allow-opts can only be specified for pass or match rules");
		problems++;
	} else if (!c->fb15 && r->allow_opts && r->action != PFM_R_PASS) {
		pfm_yyerror(c, "allow-opts can only be specified for pass rules");
		problems++;
	}
	if (r->fragment && (r->src.port_op || r->dst.port_op || r->flagset ||
	    r->type || r->code)) {
		pfm_yyerror(c, "fragments can be filtered only on IP header fields");
		problems++;
	}
	if (r->action == PFM_R_BLOCK && r->block == PFM_BLOCK_RETURN_RST &&
	    r->proto != IPPROTO_TCP) {
		pfm_yyerror(c, "return-rst can only be applied to TCP rules");
		problems++;
	}
	if (r->max_src_nodes && r->srctrack != 2) {
		pfm_yyerror(c, "max-src-nodes requires 'source-track rule'");
		problems++;
	}
	if (r->action != PFM_R_PASS && r->keep != PFM_KEEP_NONE) {
		pfm_yyerror(c, "keep state is great, but only for pass rules");
		problems++;
	}
	if (r->sloppy && (r->keep == PFM_KEEP_MODULATE || r->keep == PFM_KEEP_SYNPROXY)) {
		pfm_yyerror(c, "sloppy state matching cannot be used with synproxy "
		    "state or modulate state");
		problems++;
	}
	if (r->action == PFM_R_MATCH) {
		if (r->divert_port) {
			pfm_yyerror(c, "divert is not supported on match rules");
			problems++;
		}
		if (r->rt) {
			pfm_yyerror(c, "route-to, reply-to, dup-to and fastroute must "
			    "not be used on match rules");
			problems++;
		}
	}
	if (c->fb15)
		problems += consistent15(c, r);
	return (-problems);
}

static int
rdr_consistent(struct pfm_pctx *c, const struct pfm_rule *r)
{
	int problems = 0;

	/* 15 (parse.y bc0f7b9) takes SCTP ports and names the pool "rdr" */
	if (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP &&
	    !(c->fb15 && r->proto == IPPROTO_SCTP)) {
		if (r->src.port_op) {
			pfm_yyerror(c, c->fb15 ? "src port only applies to tcp/udp/sctp" :
			    "src port only applies to tcp/udp");
			problems++;
		}
		if (r->dst.port_op) {
			pfm_yyerror(c, c->fb15 ? "dst port only applies to tcp/udp/sctp" :
			    "dst port only applies to tcp/udp");
			problems++;
		}
		if (r->rpool.proxy_port[0]) {
			pfm_yyerror(c, c->fb15 ? "rdr port only applies to tcp/udp/sctp" :
			    "rpool port only applies to tcp/udp");
			problems++;
		}
	}
	if (r->dst.port_op && r->dst.port_op != PFM_OP_EQ &&
	    r->dst.port_op != PFM_OP_RRG) {
		pfm_yyerror(c, "invalid port operator for rdr destination port");
		problems++;
	}
	return (-problems);
}

static int
rule_consistent(struct pfm_pctx *c, const struct pfm_rule *r)
{
	switch (r->action) {
	case PFM_R_PASS:
	case PFM_R_MATCH:
	case PFM_R_BLOCK:
	case PFM_R_SCRUB:
	case PFM_R_NOSCRUB:
		return (filter_consistent(c, r));
	case PFM_R_RDR:
	case PFM_R_NORDR:
		return (rdr_consistent(c, r));
	case PFM_R_NAT:
	case PFM_R_NONAT:
	case PFM_R_BINAT:
	case PFM_R_NOBINAT:
		return (0);
	}
	return (0);
}

/* A list as an array, with one zeroed element for an empty list (LOOP_THROUGH). */
#define LIST_ARRAY(type, head, arr, n, zero) do {			\
	type *_p;							\
	n = 0;								\
	for (_p = (head); _p != NULL; _p = _p->next)			\
		n++;							\
	if (n == 0) {							\
		arr = &(zero);						\
		n = 1;							\
	} else if ((arr = calloc((size_t)n, sizeof(*arr))) != NULL) {	\
		int _i = 0;						\
		for (_p = (head); _p != NULL; _p = _p->next)		\
			arr[_i++] = _p;					\
	}								\
} while (0)

static int
af_mismatch(const struct pfm_rule *r, const struct node_host *s,
    const struct node_host *d, const struct node_if *i)
{
	return ((r->af && s->af && r->af != s->af) ||
	    (r->af && d->af && r->af != d->af) ||
	    (s->af && d->af && s->af != d->af) ||
	    (s->ifindex[0] && d->ifindex[0] && strcmp(s->ifindex, d->ifindex)) ||
	    (s->ifindex[0] && i->ifname[0] && strcmp(s->ifindex, i->ifname)) ||
	    (d->ifindex[0] && i->ifname[0] && strcmp(d->ifindex, i->ifname)));
}

static void
set_addr(struct pfm_pctx *c, struct pfm_rule_addr *ra, const struct node_host *h,
    const struct node_port *p)
{
	ra->addr = h->addr;
	ra->addr.af = h->af;
	ra->addr.neg = h->not;
	memcpy(ra->addr.scope, h->ifindex, sizeof(ra->addr.scope));
	if (h->addr.type == PFM_ADDR_TABLE)
		ra->addr.table = pfm_table_get(c, h->tblname);
	ra->port[0] = p->port[0];
	ra->port[1] = p->port[1];
	ra->port_op = (enum pfm_op)p->op;
}

static void
dynif_v4(struct pfm_addr *a, int af)
{
	if (af == AF_INET && a->type == PFM_ADDR_DYNIFTL && pfm_unmask(a->mask) > 32) {
		memset(a->mask, 0, sizeof(a->mask));
		memset(a->mask, 0xff, 4);
	}
}

/* Pool p of an expanded rule gets its own copy of the addresses of hosts. */
static void
set_pool(struct pfm_pctx *c, struct pfm_pool *p, struct node_host *hosts)
{
	struct node_host *h;
	int n = 0, i = 0;

	for (h = hosts; h != NULL; h = h->next)
		n++;
	p->addr = NULL;
	p->ifname = NULL;
	p->naddr = 0;
	if (n == 0)
		return;
	p->addr = calloc((size_t)n, sizeof(*p->addr));
	p->ifname = calloc((size_t)n, sizeof(*p->ifname));
	if (p->addr == NULL || p->ifname == NULL)
		return;
	for (h = hosts; h != NULL; h = h->next, i++) {
		p->addr[i] = h->addr;
		p->addr[i].af = h->af;
		if (h->addr.type == PFM_ADDR_TABLE)
			p->addr[i].table = pfm_table_get(c, h->tblname);
		if (h->ifname != NULL)
			snprintf(p->ifname[i], PFM_IFNAMSIZ, "%s", h->ifname);
	}
	p->naddr = n;
}

struct combo {
	struct node_if *i;
	struct node_proto *p;
	struct node_icmp *ic;
	struct node_host *s, *d;
	struct node_port *sp, *dp;
	struct node_os *os;
	struct node_uid *u, *g;
};

static int
expand_one(struct pfm_pctx *c, struct pfm_rule *r, const struct pfm_rule *tmpl,
    struct combo *k, const struct pfm_expand *e)
{
	int error = 0;

	*r = *tmpl;
	if (af_mismatch(r, k->s, k->d, k->i))
		return (0);
	if (!r->af && k->s->af)
		r->af = k->s->af;
	else if (!r->af && k->d->af)
		r->af = k->d->af;
	if (k->i->ifname[0])
		snprintf(r->ifname, sizeof(r->ifname), "%s", k->i->ifname);
	else if (k->s->ifindex[0])
		snprintf(r->ifname, sizeof(r->ifname), "%s", k->s->ifindex);
	else if (k->d->ifindex[0])
		snprintf(r->ifname, sizeof(r->ifname), "%s", k->d->ifindex);
	else
		r->ifname[0] = '\0';
	error += pfm_check_netmask_keep(c, k->s, r->af);
	error += pfm_check_netmask_keep(c, k->d, r->af);
	r->ifnot = k->i->not;
	r->proto = k->p->proto;
	set_addr(c, &r->src, k->s, k->sp);
	set_addr(c, &r->dst, k->d, k->dp);
	/* an IPv4 rule's dynamic address is /32 in its own copy only, so that the
	 * IPv6 rule of the same list keeps /128 (pfctl prints `(pppoe0)` for both,
	 * FreeBSD sbin/pfctl/tests/files/pf1018) */
	dynif_v4(&r->src.addr, r->af);
	dynif_v4(&r->dst.addr, r->af);
	r->uid.op = k->u->op;
	r->uid.v[0] = k->u->v[0];
	r->uid.v[1] = k->u->v[1];
	r->gid.op = k->g->op;
	r->gid.v[0] = k->g->v[0];
	r->gid.v[1] = k->g->v[1];
	r->type = k->ic->type;
	r->code = k->ic->code;
	if ((tmpl->keep == PFM_KEEP_MODULATE || tmpl->keep == PFM_KEEP_SYNPROXY) &&
	    r->proto && r->proto != IPPROTO_TCP)
		r->keep = PFM_KEEP_STATE;
	if (r->proto && r->proto != IPPROTO_TCP)
		r->flags = r->flagset = 0;
	if (k->ic->proto && r->proto != k->ic->proto) {
		pfm_yyerror(c, "icmp-type mismatch");
		error++;
	}
	if (k->os != NULL && k->os->os != NULL)
		snprintf(r->os, sizeof(r->os), "%s", k->os->os);
	else
		r->os[0] = '\0';
	/* FreeBSD 15's apply_rdr_ports: rdr-to "port a:*" keeps the width of the
	 * destination port range of this expanded rule (u_int16_t arithmetic) */
	if (r->rdrpool.port_op == PFM_OP_IRG)
		r->rdrpool.proxy_port[1] = (uint16_t)(r->rdrpool.proxy_port[0] +
		    (r->dst.port[1] - r->dst.port[0]));
	r->natpool.naddr = e->nathosts != NULL ? 1 : 0;	/* for the checks only */
	r->rdrpool.naddr = e->rdrhosts != NULL ? 1 : 0;
	if (rule_consistent(c, r) < 0 || error) {
		pfm_yyerror(c, "skipping rule due to errors");
		return (0);
	}
	set_pool(c, &r->rpool, e->rpool);
	set_pool(c, &r->natpool, e->nathosts);
	set_pool(c, &r->rdrpool, e->rdrhosts);
	return (1);
}

/* expand_rule: append one rule per valid combination; pfctl's messages otherwise. */
void
pfm_expand_rule(struct pfm_pctx *c, struct pfm_rule *tmpl, struct pfm_expand *e)
{
	struct node_if zi, **ia;
	struct node_proto zp, **pa;
	struct node_icmp zic, **ica;
	struct node_host zs, zd, **sa, **da;
	struct node_port zsp, zdp, **spa, **dpa;
	struct node_os zo, **oa;
	struct node_uid zu, zg, **ua, **ga;
	int ni, np, nic, ns, nsp, no, nd, ndp, nu, ng, added = 0;
	int a, b, d, f, g, h, i, j, k, l;
	struct pfm_rule r;
	struct combo cb;

	memset(&zi, 0, sizeof(zi)); memset(&zp, 0, sizeof(zp));
	memset(&zic, 0, sizeof(zic)); memset(&zs, 0, sizeof(zs));
	memset(&zd, 0, sizeof(zd)); memset(&zsp, 0, sizeof(zsp));
	memset(&zdp, 0, sizeof(zdp)); memset(&zo, 0, sizeof(zo));
	memset(&zu, 0, sizeof(zu)); memset(&zg, 0, sizeof(zg));
	zi.ifname[0] = '\0';
	{
		struct node_if *zip = &zi;
		struct node_proto *zpp = &zp;
		struct node_icmp *zicp = &zic;
		struct node_host *zsp_ = &zs, *zdp_ = &zd;
		struct node_port *zspp = &zsp, *zdpp = &zdp;
		struct node_os *zop = &zo;
		struct node_uid *zup = &zu, *zgp = &zg;

		LIST_ARRAY(struct node_if, e->ifs, ia, ni, zip);
		LIST_ARRAY(struct node_proto, e->protos, pa, np, zpp);
		LIST_ARRAY(struct node_icmp, e->icmp, ica, nic, zicp);
		LIST_ARRAY(struct node_host, e->src, sa, ns, zsp_);
		LIST_ARRAY(struct node_port, e->sport, spa, nsp, zspp);
		LIST_ARRAY(struct node_os, e->oses, oa, no, zop);
		LIST_ARRAY(struct node_host, e->dst, da, nd, zdp_);
		LIST_ARRAY(struct node_port, e->dport, dpa, ndp, zdpp);
		LIST_ARRAY(struct node_uid, e->uids, ua, nu, zup);
		LIST_ARRAY(struct node_uid, e->gids, ga, ng, zgp);
		if (!ia || !pa || !ica || !sa || !spa || !oa || !da || !dpa || !ua || !ga)
			goto out;
		for (a = 0; a < ni; a++)
		for (b = 0; b < np; b++)
		for (d = 0; d < nic; d++)
		for (f = 0; f < ns; f++)
		for (g = 0; g < nsp; g++)
		for (h = 0; h < no; h++)
		for (i = 0; i < nd; i++)
		for (j = 0; j < ndp; j++)
		for (k = 0; k < nu; k++)
		for (l = 0; l < ng; l++) {
			cb.i = ia[a]; cb.p = pa[b]; cb.ic = ica[d]; cb.s = sa[f];
			cb.sp = spa[g]; cb.os = e->oses ? oa[h] : NULL; cb.d = da[i];
			cb.dp = dpa[j]; cb.u = ua[k]; cb.g = ga[l];
			if (expand_one(c, &r, tmpl, &cb, e)) {
				r.nr = c->nr[r.action == PFM_R_SCRUB ||
				    r.action == PFM_R_NOSCRUB ? RS_SCRUB :
				    r.action == PFM_R_NAT || r.action == PFM_R_NONAT ?
				    RS_NAT : r.action == PFM_R_RDR ||
				    r.action == PFM_R_NORDR ? RS_RDR : RS_FILTER];
				pfm_append_rule(c, &r);
				added++;
			}
		}
out:
		if (ia != &zip) free(ia);
		if (pa != &zpp) free(pa);
		if (ica != &zicp) free(ica);
		if (sa != &zsp_) free(sa);
		if (spa != &zspp) free(spa);
		if (oa != &zop) free(oa);
		if (da != &zdp_) free(da);
		if (dpa != &zdpp) free(dpa);
		if (ua != &zup) free(ua);
		if (ga != &zgp) free(ga);
	}
	if (!added)
		pfm_yyerror(c, "rule expands to no valid combination");
}

static void
label_str(char *label, size_t len, const char *srch, const char *repl)
{
	char tmp[512], *p, *q;

	tmp[0] = '\0';
	p = label;
	while ((q = strstr(p, srch)) != NULL) {
		*q = '\0';
		strncat(tmp, p, sizeof(tmp) - strlen(tmp) - 1);
		strncat(tmp, repl, sizeof(tmp) - strlen(tmp) - 1);
		p = q + strlen(srch);
	}
	strncat(tmp, p, sizeof(tmp) - strlen(tmp) - 1);
	snprintf(label, len, "%s", tmp);
}

static void
label_addr(const char *name, char *label, size_t len, int af,
    const struct pfm_rule_addr *ra)
{
	char tmp[80], tmp_not[90], a[64];
	const struct pfm_addr *ad = &ra->addr;
	int bits, i, zero = 1;

	if (strstr(label, name) == NULL)
		return;
	switch (ad->type) {
	case PFM_ADDR_DYNIFTL:
		snprintf(tmp, sizeof(tmp), "(%s)", ad->ifname);
		break;
	case PFM_ADDR_TABLE:
		snprintf(tmp, sizeof(tmp), "<%s>", ad->table ? ad->table->name : "");
		break;
	case PFM_ADDR_NOROUTE:
		snprintf(tmp, sizeof(tmp), "no-route");
		break;
	case PFM_ADDR_URPFFAILED:
		snprintf(tmp, sizeof(tmp), "urpf-failed");
		break;
	case PFM_ADDR_ANY:
	case PFM_ADDR_MASK:
		for (i = 0; i < (af == AF_INET ? 4 : 16); i++)
			if (ad->addr[i] || ad->mask[i])
				zero = 0;
		if (!af || zero)
			snprintf(tmp, sizeof(tmp), "any");
		else if (inet_ntop(af, ad->addr, a, sizeof(a)) == NULL)
			snprintf(tmp, sizeof(tmp), "?");
		else {
			bits = pfm_unmask(ad->mask);
			if ((af == AF_INET && bits < 32) || (af == AF_INET6 && bits < 128))
				snprintf(tmp, sizeof(tmp), "%s/%d", a, bits);
			else
				snprintf(tmp, sizeof(tmp), "%s", a);
		}
		break;
	case PFM_ADDR_RANGE:
	default:
		snprintf(tmp, sizeof(tmp), "?");
		break;
	}
	if (ad->neg) {
		snprintf(tmp_not, sizeof(tmp_not), "! %s", tmp);
		label_str(label, len, name, tmp_not);
	} else
		label_str(label, len, name, tmp);
}

static void
label_port(const char *name, char *label, size_t len, const struct pfm_rule_addr *ra)
{
	char a1[8], a2[8], op[20] = "";

	if (strstr(label, name) == NULL)
		return;
	snprintf(a1, sizeof(a1), "%u", ra->port[0]);
	snprintf(a2, sizeof(a2), "%u", ra->port[1]);
	switch (ra->port_op) {
	case PFM_OP_IRG: snprintf(op, sizeof(op), "%s><%s", a1, a2); break;
	case PFM_OP_XRG: snprintf(op, sizeof(op), "%s<>%s", a1, a2); break;
	case PFM_OP_EQ: snprintf(op, sizeof(op), "%s", a1); break;
	case PFM_OP_NE: snprintf(op, sizeof(op), "!=%s", a1); break;
	case PFM_OP_LT: snprintf(op, sizeof(op), "<%s", a1); break;
	case PFM_OP_LE: snprintf(op, sizeof(op), "<=%s", a1); break;
	case PFM_OP_GT: snprintf(op, sizeof(op), ">%s", a1); break;
	case PFM_OP_GE: snprintf(op, sizeof(op), ">=%s", a1); break;
	case PFM_OP_NONE:
	case PFM_OP_RRG:
		break;
	}
	label_str(label, len, name, op);
}

/* The label macros pfctl expands when it loads the rule. */
void
pfm_expand_label(char *label, size_t len, const struct pfm_rule *r)
{
	char n[16];
	const char *pn;

	if (strstr(label, "$if") != NULL)
		label_str(label, len, "$if", r->ifname[0] ? r->ifname : "any");
	label_addr("$srcaddr", label, len, r->af, &r->src);
	label_addr("$dstaddr", label, len, r->af, &r->dst);
	label_port("$srcport", label, len, &r->src);
	label_port("$dstport", label, len, &r->dst);
	if (strstr(label, "$proto") != NULL) {
		if ((pn = pfm_proto_name(r->proto)) != NULL)
			label_str(label, len, "$proto", pn);
		else {
			snprintf(n, sizeof(n), "%u", (unsigned)r->proto);
			label_str(label, len, "$proto", n);
		}
	}
	if (strstr(label, "$nr") != NULL) {
		snprintf(n, sizeof(n), "%u", (unsigned)r->nr);
		label_str(label, len, "$nr", n);
	}
}
