/* pfm_parse_fb15.c: the filter options FreeBSD 15's pfctl has and 14's has not:
 * nat-to, rdr-to, binat-to, af-to (OpenBSD's translation on filter rules), once,
 * max-pkt-rate and max-pkt-size, as 15's parse.y reads them and pfrule builds them
 * into a rule. Under 14 none of their keywords exists (pfm_lex.c), so none of this
 * runs. Source read: freebsd-src sbin/pfctl/parse.y at bc0f7b9 (filter_opt NATTO,
 * RDRTO, BINATTO, AFTO, MAXPKTRATE, MAXPKTSIZE, ONCE; the redirspecs; pfrule;
 * apply_nat_ports, apply_rdr_ports, apply_redirspec, check_binat_redirspec). */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

#define NAT_PORT_LOW	50001
#define NAT_PORT_HIGH	65535

/* port_redirspec: redir_host [port portstar] pool_opts, redir_host one host or a
 * braced list. */
static int
redirspec(struct pfm_pctx *c, struct redirspec **out)
{
	struct redirspec *rs;
	struct node_host *h;
	int braced;

	if ((rs = pfm_nalloc(c, sizeof(*rs))) == NULL)
		return (-1);
	braced = pfm_list_open(c);
	do {
		if (pfm_parse_host(c, &h) == -1)
			return (-1);
		PFM_LIST_APPEND(rs->host, h);
	} while (pfm_list_more(c, braced));
	if (pfm_accept(c, K_PORT) && pfm_parse_portstar(c, &rs->ra, &rs->rb, &rs->rt) == -1)
		return (-1);
	if (pfm_parse_pool_opts(c, &rs->po) == -1)
		return (-1);
	*out = rs;
	return (0);
}

/* AFTO af FROM port_redirspec [TO port_redirspec]: the checks come after the whole
 * option is read, as the yacc action runs; addresses of the other family are
 * dropped, and none left is an error. */
static int
afto(struct pfm_pctx *c, struct filter_opts *fo)
{
	struct redirspec *nat, *rdr = NULL;
	int af;

	af = pfm_parse_af(c);
	if (!pfm_accept(c, K_FROM))
		return (pfm_syntax(c));
	if (redirspec(c, &nat) == -1)
		return (-1);
	if (pfm_accept(c, K_TO) && redirspec(c, &rdr) == -1)
		return (-1);
	if (fo->nat != NULL) {
		pfm_yyerror(c, "cannot respecify af-to");
		return (-1);
	}
	if (af == 0) {
		pfm_yyerror(c, "no address family specified");
		return (-1);
	}
	fo->nat = nat;
	nat->af = af;
	pfm_remove_invalid_hosts(&nat->host, &nat->af);
	if (rdr != NULL) {
		fo->rdr = rdr;
		rdr->af = af;
		pfm_remove_invalid_hosts(&rdr->host, &rdr->af);
	}
	if (nat->host == NULL || (rdr != NULL && rdr->host == NULL)) {
		pfm_yyerror(c, "af-to addresses must be in the target address family");
		return (-1);
	}
	fo->marker |= FOM_AFTO;
	return (0);
}

/* MAXPKTRATE NUMBER '/' NUMBER */
static int
pktrate(struct pfm_pctx *c, struct filter_opts *fo)
{
	int64_t a, b;

	if (pfm_peek(c) != T_NUMBER)
		return (pfm_syntax(c));
	a = c->tok.num;
	pfm_next(c);
	if (!pfm_accept(c, '/') || pfm_peek(c) != T_NUMBER)
		return (pfm_syntax(c));
	b = c->tok.num;
	pfm_next(c);
	if (a < 0 || a > UINT32_MAX || b < 0 || b > UINT32_MAX) {
		pfm_yyerror(c, "only positive values permitted");
		return (-1);
	}
	if (fo->pktrate[0]) {
		pfm_yyerror(c, "cannot respecify max-pkt-rate");
		return (-1);
	}
	fo->pktrate[0] = (uint32_t)a;
	fo->pktrate[1] = (uint32_t)b;
	return (0);
}

/* MAXPKTSIZE NUMBER: given again, the last one counts. */
static int
pktsize(struct pfm_pctx *c, struct filter_opts *fo)
{
	int64_t v;

	if (pfm_peek(c) != T_NUMBER)
		return (pfm_syntax(c));
	v = c->tok.num;
	pfm_next(c);
	if (v < 0 || v > UINT16_MAX) {
		pfm_yyerror(c, "only positive values permitted");
		return (-1);
	}
	fo->max_pkt_size = (uint16_t)v;
	return (0);
}

int
pfm_parse_opt15(struct pfm_pctx *c, struct filter_opts *fo)
{
	struct redirspec *rs;
	int t = pfm_peek(c);

	pfm_next(c);
	switch (t) {
	case K_NATTO:
	case K_BINATTO:
		if (redirspec(c, &rs) == -1)
			return (-1);
		if (fo->nat != NULL) {
			pfm_yyerror(c, "cannot respecify nat-to/binat-to");
			return (-1);
		}
		fo->nat = rs;
		if (t == K_BINATTO) {
			rs->binat = 1;
			rs->po.staticport = 1;
		}
		return (0);
	case K_RDRTO:
		if (redirspec(c, &rs) == -1)
			return (-1);
		if (fo->rdr != NULL) {
			pfm_yyerror(c, "cannot respecify rdr-to");
			return (-1);
		}
		fo->rdr = rs;
		return (0);
	case K_AFTO:
		return (afto(c, fo));
	case K_ONCE:
		fo->marker |= FOM_ONCE;
		return (0);
	case K_MAXPKTRATE:
		return (pktrate(c, fo));
	case K_MAXPKTSIZE:
		return (pktsize(c, fo));
	default:
		return (pfm_syntax(c));
	}
}

/* pfrule's handling of $9.nat and $9.rdr without af-to: the rule takes the family of
 * the first address unless it has one, the others are dropped, a dynamic address of
 * an IPv4 rule is /32 (gen_dynnode). */
static int
rule_hosts(struct pfm_pctx *c, struct pfm_rule *r, struct redirspec *rs)
{
	if (!r->af && !rs->host->ifindex[0])
		r->af = rs->host->af;
	pfm_remove_invalid_hosts(&rs->host, &r->af);
	if (pfm_invalid_redirect(c, rs->host, r->af))
		return (-1);
	if (pfm_check_netmask(c, rs->host, r->af))
		return (-1);
	return (0);
}

/* apply_nat_ports: nat-to's port range (50001:65535 unless given), static-port and
 * map-e-portset as for nat rules. Errors counted. */
static int
nat_ports(struct pfm_pctx *c, struct pfm_pool *p, const struct redirspec *rs)
{
	p->proxy_port[0] = (uint16_t)rs->ra;
	p->proxy_port[1] = (uint16_t)rs->rb;
	if (!p->proxy_port[0] && !p->proxy_port[1]) {
		p->proxy_port[0] = NAT_PORT_LOW;
		p->proxy_port[1] = NAT_PORT_HIGH;
	} else if (!p->proxy_port[1])
		p->proxy_port[1] = p->proxy_port[0];
	if (rs->po.staticport) {
		if (p->proxy_port[0] != NAT_PORT_LOW && p->proxy_port[1] != NAT_PORT_HIGH) {
			pfm_yyerror(c, "the 'static-port' option can't be used when "
			    "specifying a port range");
			return (1);
		}
		p->proxy_port[0] = p->proxy_port[1] = 0;
		p->static_port = 1;
	}
	if (rs->po.mape[0]) {
		if (rs->po.staticport) {
			pfm_yyerror(c, "the 'map-e-portset' option can't be used "
			    "'static-port'");
			return (1);
		}
		if (p->proxy_port[0] != NAT_PORT_LOW && p->proxy_port[1] != NAT_PORT_HIGH) {
			pfm_yyerror(c, "the 'map-e-portset' option can't be used when "
			    "specifying a port range");
			return (1);
		}
		memcpy(p->mape, rs->po.mape, sizeof(p->mape));
	}
	return (0);
}

/* apply_rdr_ports: rdr-to's port; "a:*" keeps the matched range's width, which
 * pfm_expand.c works out for each expanded rule (port_op PFM_OP_IRG marks it). */
static int
rdr_ports(struct pfm_pctx *c, struct pfm_pool *p, const struct redirspec *rs)
{
	p->proxy_port[0] = (uint16_t)rs->ra;
	p->proxy_port[1] = (uint16_t)rs->rb;
	if (!rs->rb && rs->rt)
		p->port_op = PFM_OP_IRG;
	else if (pfm_port_range_bad(rs->rt, rs->ra, rs->rb)) {
		pfm_yyerror(c, "invalid rdr-to port range");
		return (1);
	}
	if (rs->po.staticport) {
		pfm_yyerror(c, "the 'static-port' option is only valid with nat rules");
		return (1);
	}
	if (rs->po.mape[0]) {
		pfm_yyerror(c, "the 'map-e-portset' option is only valid with nat rules");
		return (1);
	}
	return (0);
}

/* apply_redirspec: the pool's type and options (its addresses pfm_expand.c copies
 * into each rule). Errors counted. */
static int
pool_opts(struct pfm_pctx *c, struct pfm_pool *p, const struct redirspec *rs)
{
	p->type = (enum pfm_pool_type)rs->po.type;
	if (pfm_pool_check15(c, p, rs->host) == -1)
		return (1);
	p->sticky = rs->po.sticky;
	p->endpoint_independent = rs->po.endpi;
	p->prefer6 = rs->po.prefer6;
	if (rs->po.has_key) {
		memcpy(p->key, rs->po.key, sizeof(p->key));
		p->has_key = 1;
	}
	return (0);
}

/* check_binat_redirspec's checks that do not depend on the expanded rule. */
static int
binat_checks(struct pfm_pctx *c, struct pfm_rule *r, const struct redirspec *nat,
    const struct node_host *src)
{
	int error = 0;

	if (src != NULL && src->next != NULL) {
		pfm_yyerror(c, "invalid use of table as the source address of a binat-to "
		    "rule");
		error++;
	}
	if (nat->host->next != NULL) {
		pfm_yyerror(c, "tables cannot be used as the redirect address of a "
		    "binat-to rule");
		error++;
	}
	if (r->direction != PFM_RDIR_ANY) {
		pfm_yyerror(c, "binat-to cannot be specified with a direction");
		error++;
	}
	return (error);
}

int
pfm_rule15(struct pfm_pctx *c, struct pfm_rule *r, struct filter_opts *fo,
    struct node_host *src)
{
	int error = 0;

	r->once = (fo->marker & FOM_ONCE) != 0;
	r->max_pkt_rate[0] = fo->pktrate[0];
	r->max_pkt_rate[1] = fo->pktrate[1];
	r->max_pkt_size = fo->max_pkt_size;
	if (r->afto) {
		/* af-to's addresses are of the other family: kept as given, and a
		 * dynamic one as wide as that family's (it prints "(if)") */
		r->naf = fo->nat->af;
		if (r->naf == AF_INET)
			(void)pfm_check_netmask(c, fo->nat->host, AF_INET);
		if (fo->rdr != NULL && r->naf == AF_INET)
			(void)pfm_check_netmask(c, fo->rdr->host, AF_INET);
	} else {
		if (fo->nat != NULL && rule_hosts(c, r, fo->nat) == -1)
			return (-1);
		if (fo->rdr != NULL && rule_hosts(c, r, fo->rdr) == -1)
			return (-1);
	}
	if (fo->nat != NULL) {
		error += nat_ports(c, &r->natpool, fo->nat);
		error += pool_opts(c, &r->natpool, fo->nat);
		if (fo->nat->binat)
			error += binat_checks(c, r, fo->nat, src);
	}
	if (fo->rdr != NULL) {
		error += rdr_ports(c, &r->rdrpool, fo->rdr);
		error += pool_opts(c, &r->rdrpool, fo->rdr);
	}
	if (error) {
		/* 15 applies the redirspecs in expand_rule, for each rule */
		pfm_yyerror(c, "skipping rule due to errors");
		pfm_yyerror(c, "rule expands to no valid combination");
		return (-1);
	}
	return (0);
}
