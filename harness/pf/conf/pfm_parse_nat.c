/* pfm_parse_nat.c: nat, rdr and binat rules, with pfctl's pool and port checks. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

#define NAT_PORT_LOW	50001
#define NAT_PORT_HIGH	65535

/* natpasslog: [pass] [log]; *pass set. */
static int
natpasslog(struct pfm_pctx *c, int *pass, int *log, int *logif)
{
	*pass = pfm_accept(c, K_PASS);
	*log = *logif = 0;
	if (pfm_peek(c) == K_LOG)
		return (pfm_parse_log(c, log, logif));
	return (0);
}

/* tag_tagged_rtable: the optional "tag", "[!] tagged" and "rtable" of a nat rule. */
static int
tag_tagged_rtable(struct pfm_pctx *c, struct pfm_rule *r, int tag)
{
	char *s;
	int rv;

	if (tag && pfm_accept(c, K_TAG)) {
		if (pfm_peek(c) != T_STRING)
			return (pfm_syntax(c));
		s = pfm_take_string(c);
		rv = pfm_set_tag(c, r->tag, s);
		free(s);
		if (rv == -1)
			return (-1);
	}
	if (pfm_peek(c) == '!' || pfm_peek(c) == K_TAGGED) {
		r->match_tag_not = pfm_accept(c, '!');
		if (!pfm_accept(c, K_TAGGED) || pfm_parse_string(c, &s) == -1)
			return (pfm_peek(c) == T_ERROR ? -1 : pfm_syntax(c));
		if (pfm_set_tag(c, r->tagged, s) == -1)
			return (-1);
	}
	r->rtableid = -1;
	if (pfm_accept(c, K_RTABLE))
		return (pfm_parse_rtable(c, &r->rtableid));
	return (0);
}

/* redirpool / redirection: "-> host(s) [port a[:b|:*]]". */
static int
redirpool(struct pfm_pctx *c, int list, struct node_host **hosts, int *ra, int *rb,
    int *rt, int *given)
{
	struct node_host *h;
	int braced;

	*hosts = NULL;
	*ra = *rb = *rt = *given = 0;
	if (!pfm_accept(c, T_ARROW))
		return (0);
	*given = 1;
	braced = list && pfm_list_open(c);
	do {
		if (pfm_parse_host(c, &h) == -1)
			return (-1);
		PFM_LIST_APPEND(*hosts, h);
	} while (pfm_list_more(c, braced));
	if (pfm_accept(c, K_PORT))
		return (pfm_parse_portstar(c, ra, rb, rt));
	return (0);
}

static int
nat_pool(struct pfm_pctx *c, struct pfm_rule *r, struct node_host **hosts, int ra,
    int rb, int rt, struct node_port *dport, const struct pool_opts *po)
{
	if (!r->af && !(*hosts)->ifindex[0])
		r->af = (*hosts)->af;
	pfm_remove_invalid_hosts(hosts, &r->af);
	if (pfm_invalid_redirect(c, *hosts, r->af))
		return (-1);
	if (pfm_check_netmask(c, *hosts, r->af))
		return (-1);
	r->rpool.proxy_port[0] = (uint16_t)ra;
	if (r->action == PFM_R_RDR && c->fb15 && !(!rb && rt) &&
	    pfm_port_range_bad(rt, ra, rb)) {
		/* FreeBSD 15 (parse.y bc0f7b9 apply_rdr_ports); 14 takes 500:100 */
		pfm_yyerror(c, "invalid rdr-to port range");
		pfm_yyerror(c, "skipping rule due to errors");
		pfm_yyerror(c, "rule expands to no valid combination");
		return (-1);
	}
	if (r->action == PFM_R_RDR) {
		if (!rb && rt && dport != NULL)
			r->rpool.proxy_port[1] = (uint16_t)(ra + (dport->port[1] -
			    dport->port[0]));
		else
			r->rpool.proxy_port[1] = (uint16_t)rb;
	} else if (r->action == PFM_R_NAT) {
		r->rpool.proxy_port[1] = (uint16_t)rb;
		if (!r->rpool.proxy_port[0] && !r->rpool.proxy_port[1]) {
			r->rpool.proxy_port[0] = NAT_PORT_LOW;
			r->rpool.proxy_port[1] = NAT_PORT_HIGH;
		} else if (!r->rpool.proxy_port[1])
			r->rpool.proxy_port[1] = r->rpool.proxy_port[0];
	}
	r->rpool.type = (enum pfm_pool_type)po->type;
	return (pfm_pool_check(c, r, *hosts, "redirection",
	    "only round-robin valid for multiple redirection addresses"));
}

/* nat_pool_extras: the pool's key and sticky-address, and nat's static-port and
 * map-e-portset, which pfctl allows only on nat rules with the default port range. */
static int
nat_pool_extras(struct pfm_pctx *c, struct pfm_rule *r, const struct pool_opts *po)
{
	if (po->has_key) {
		memcpy(r->rpool.key, po->key, sizeof(r->rpool.key));
		r->rpool.has_key = 1;
	}
	r->rpool.sticky = po->sticky;
	r->rpool.endpoint_independent = po->endpi;
	if (po->staticport) {
		if (r->action != PFM_R_NAT) {
			pfm_yyerror(c, "the 'static-port' option is only valid with nat "
			    "rules");
			return (-1);
		}
		if (r->rpool.proxy_port[0] != NAT_PORT_LOW &&
		    r->rpool.proxy_port[1] != NAT_PORT_HIGH) {
			pfm_yyerror(c, "the 'static-port' option can't be used when "
			    "specifying a port range");
			return (-1);
		}
		r->rpool.proxy_port[0] = r->rpool.proxy_port[1] = 0;
		r->rpool.static_port = 1;
	}
	if (po->mape[0]) {
		if (r->action != PFM_R_NAT) {
			pfm_yyerror(c, "the 'map-e-portset' option is only valid with nat "
			    "rules");
			return (-1);
		}
		if (po->staticport) {
			pfm_yyerror(c, "the 'map-e-portset' option can't be used "
			    "'static-port'");
			return (-1);
		}
		if (r->rpool.proxy_port[0] != NAT_PORT_LOW &&
		    r->rpool.proxy_port[1] != NAT_PORT_HIGH) {
			pfm_yyerror(c, "the 'map-e-portset' option can't be used when "
			    "specifying a port range");
			return (-1);
		}
		memcpy(r->rpool.mape, po->mape, sizeof(r->rpool.mape));
	}
	return (0);
}

int
pfm_parse_natrule(struct pfm_pctx *c)
{
	struct pfm_rule r;
	struct pfm_expand e;
	struct pool_opts po;
	struct node_host *hosts;
	int isnat = pfm_peek(c) == K_NAT, pass, log, logif, ra, rb, rt, given;

	memset(&r, 0, sizeof(r));
	memset(&e, 0, sizeof(e));
	pfm_next(c);
	if (natpasslog(c, &pass, &log, &logif) == -1)
		return (-1);
	if (c->no && pass) {
		pfm_yyerror(c, "\"pass\" not valid with \"no\"");
		return (-1);
	}
	r.action = isnat ? (c->no ? PFM_R_NONAT : PFM_R_NAT) :
	    (c->no ? PFM_R_NORDR : PFM_R_RDR);
	r.pass_trans = pass;
	r.log = log;
	r.logall = (log & 2) != 0;
	r.logif = logif;
	if (pfm_parse_interface(c, &e.ifs) == -1)
		return (-1);
	r.af = pfm_parse_af(c);
	if (pfm_parse_proto(c, &e.protos) == -1 ||
	    pfm_parse_fromto(c, &e.src, &e.sport, &e.oses, &e.dst, &e.dport) == -1 ||
	    tag_tagged_rtable(c, &r, 1) == -1 ||
	    redirpool(c, 1, &hosts, &ra, &rb, &rt, &given) == -1 ||
	    pfm_parse_pool_opts(c, &po) == -1)
		return (-1);
	if (pfm_rule_end(c, PFCTL_STATE_NAT) == -1)
		return (-1);
	if (!r.af) {
		if (e.src && e.src->af && !e.src->ifindex[0])
			r.af = e.src->af;
		else if (e.dst && e.dst->af && !e.dst->ifindex[0])
			r.af = e.dst->af;
	}
	if (r.action == PFM_R_NONAT || r.action == PFM_R_NORDR) {
		if (given) {
			pfm_yyerror(c, "translation rule with 'no' does not need '->'");
			return (-1);
		}
	} else {
		if (!given || hosts == NULL) {
			pfm_yyerror(c, "translation rule requires '-> address'");
			return (-1);
		}
		if (po.prefer6) {	/* FreeBSD 15 (parse.y bc0f7b9 natrule) */
			pfm_yyerror(c, "The prefer-ipv6-nexthop option can't be used for "
			    "nat/rdr/binat pools");
			return (-1);
		}
		if (nat_pool(c, &r, &hosts, ra, rb, rt, e.dport, &po) == -1)
			return (-1);
	}
	if (nat_pool_extras(c, &r, &po) == -1)
		return (-1);
	if (r.action == PFM_R_RDR && r.rpool.proxy_port[0])
		r.rpool.port_op = r.rpool.proxy_port[1] &&
		    r.rpool.proxy_port[1] != r.rpool.proxy_port[0] ? PFM_OP_RRG : PFM_OP_EQ;
	e.rpool = given ? hosts : NULL;
	pfm_expand_rule(c, &r, &e);
	return (0);
}

static int
binat_checks(struct pfm_pctx *c, struct pfm_rule *b, struct node_host *src,
    struct node_host *dst, struct node_host **rhost, int given)
{
	if (src != NULL && pfm_disallow_table(c, src, "invalid use of table <%s> as "
	    "the source address of a binat rule"))
		return (-1);
	if (src != NULL && pfm_disallow_alias(c, src, "invalid use of interface (%s) "
	    "as the source address of a binat rule"))
		return (-1);
	if (given && *rhost != NULL && pfm_disallow_table(c, *rhost, "invalid use of "
	    "table <%s> as the redirect address of a binat rule"))
		return (-1);
	if (given && *rhost != NULL && pfm_disallow_alias(c, *rhost, "invalid use of "
	    "interface (%s) as the redirect address of a binat rule"))
		return (-1);
	if (src != NULL) {
		if (src->next) {
			pfm_yyerror(c, "multiple binat ip addresses");
			return (-1);
		}
		if (src->addr.type == PFM_ADDR_DYNIFTL)
			src->af = b->af;
		if (src->af != b->af) {
			pfm_yyerror(c, "binat ip versions must match");
			return (-1);
		}
		if (pfm_check_netmask(c, src, b->af))
			return (-1);
		b->src.addr = src->addr;
	}
	if (dst != NULL) {
		if (dst->next) {
			pfm_yyerror(c, "multiple binat ip addresses");
			return (-1);
		}
		if (dst->af != b->af && dst->af) {
			pfm_yyerror(c, "binat ip versions must match");
			return (-1);
		}
		if (pfm_check_netmask(c, dst, b->af))
			return (-1);
		b->dst.addr = dst->addr;
		b->dst.addr.neg = dst->not;
	}
	return (0);
}

/* binat_af: the rule's family, when not given, from source, destination or redirect. */
static int
binat_af(struct pfm_pctx *c, struct pfm_rule *b, const struct node_host *src,
    const struct node_host *dst, const struct node_host *rhost)
{
	if (!b->af && src != NULL && src->af)
		b->af = src->af;
	if (!b->af && dst != NULL && dst->af)
		b->af = dst->af;
	if (!b->af && rhost != NULL)
		b->af = rhost->af;
	if (!b->af) {
		pfm_yyerror(c, "address family (inet/inet6) undefined");
		return (-1);
	}
	return (0);
}

/* binat_redirect: the single redirect address, with the source's mask, as the pool. */
static int
binat_redirect(struct pfm_pctx *c, struct pfm_rule *b, struct node_host *rhost)
{
	int zero = 1, i, n;

	pfm_remove_invalid_hosts(&rhost, &b->af);
	if (pfm_invalid_redirect(c, rhost, b->af))
		return (-1);
	if (rhost->next != NULL) {
		pfm_yyerror(c, "binat rule must redirect to a single address");
		return (-1);
	}
	if (pfm_check_netmask(c, rhost, b->af))
		return (-1);
	n = b->af == AF_INET ? 4 : 16;
	for (i = 0; i < n; i++)
		if (b->src.addr.mask[i])
			zero = 0;
	if (!zero && memcmp(b->src.addr.mask, rhost->addr.mask, (size_t)n) != 0) {
		pfm_yyerror(c, "'binat' source mask and redirect mask must "
		    "be the same");
		return (-1);
	}
	if ((b->rpool.addr = calloc(1, sizeof(*b->rpool.addr))) == NULL)
		return (-1);
	b->rpool.addr[0] = rhost->addr;
	b->rpool.naddr = 1;
	return (0);
}

int
pfm_parse_binat(struct pfm_pctx *c)
{
	struct pfm_rule b;
	struct node_if *ifs;
	struct node_proto *protos;
	struct node_host *src = NULL, *dst = NULL, *rhost = NULL, *h;
	int pass, log, logif, ra, rb, rt, given;

	memset(&b, 0, sizeof(b));
	pfm_next(c);
	if (natpasslog(c, &pass, &log, &logif) == -1 ||
	    pfm_parse_interface(c, &ifs) == -1)
		return (-1);
	b.af = pfm_parse_af(c);
	if (pfm_parse_proto(c, &protos) == -1)
		return (-1);
	if (!pfm_accept(c, K_FROM))
		return (pfm_syntax(c));
	if (pfm_parse_ipspec(c, &src) == -1)
		return (-1);
	if (pfm_accept(c, K_TO) && pfm_parse_ipspec(c, &dst) == -1)
		return (-1);
	if (tag_tagged_rtable(c, &b, 1) == -1 ||
	    redirpool(c, 0, &rhost, &ra, &rb, &rt, &given) == -1)
		return (-1);
	if (pfm_rule_end(c, PFCTL_STATE_NAT) == -1)
		return (-1);
	for (h = dst; h != NULL; h = h->next)
		if (h->addr.type == PFM_ADDR_URPFFAILED) {
			pfm_yyerror(c, "\"urpf-failed\" is not permitted as a binat "
			    "destination");
			return (-1);
		}
	if (c->no && pass) {
		pfm_yyerror(c, "\"pass\" not valid with \"no\"");
		return (-1);
	}
	b.action = c->no ? PFM_R_NOBINAT : PFM_R_BINAT;
	b.pass_trans = pass;
	b.log = log;
	b.logall = (log & 2) != 0;
	b.logif = logif;
	if (binat_af(c, &b, src, dst, given ? rhost : NULL) == -1)
		return (-1);
	if (ifs != NULL) {
		snprintf(b.ifname, sizeof(b.ifname), "%s", ifs->ifname);
		b.ifnot = ifs->not;
	}
	if (protos != NULL)
		b.proto = protos->proto;
	if (binat_checks(c, &b, src, dst, &rhost, given) == -1)
		return (-1);
	if (b.action == PFM_R_NOBINAT) {
		if (given) {
			pfm_yyerror(c, "'no binat' rule does not need '->'");
			return (-1);
		}
	} else {
		if (!given || rhost == NULL) {
			pfm_yyerror(c, "'binat' rule requires '-> address'");
			return (-1);
		}
		if (binat_redirect(c, &b, rhost) == -1)
			return (-1);
	}
	pfm_append_rule(c, &b);
	return (0);
}
