/* pfm_parse_pool.c: address pools: route-to/reply-to/dup-to hosts and the pool options
 * (bitmask, random, source-hash key, round-robin, static-port, sticky, map-e). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

static int
route_host(struct pfm_pctx *c, struct node_host **out)
{
	struct node_host *h, *n;

	if (pfm_peek(c) == T_STRING) {
		char *s = pfm_take_string(c);

		if ((h = pfm_nalloc(c, sizeof(*h))) == NULL) {
			free(s);
			return (-1);
		}
		if (strlen(s) >= PFM_IFNAMSIZ) {
			free(s);
			pfm_yyerror(c, "interface name too long");
			return (-1);
		}
		h->ifname = pfm_nstrdup(c, s);
		free(s);
		pfm_set_ipmask(h, 128);
		h->tail = h;
		*out = h;
		return (0);
	}
	if (!pfm_accept(c, '(') || pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	{
		char *ifn = pfm_take_string(c);

		if (pfm_parse_host(c, &h) == -1 || !pfm_accept(c, ')')) {
			free(ifn);
			return (h == NULL ? -1 : pfm_syntax(c));
		}
		for (n = h; n != NULL; n = n->next) {
			if (strlen(ifn) >= PFM_IFNAMSIZ) {
				free(ifn);
				pfm_yyerror(c, "interface name too long");
				return (-1);
			}
			n->ifname = pfm_nstrdup(c, ifn);
		}
		free(ifn);
	}
	*out = h;
	return (0);
}

static int	parse_pool_opts(struct pfm_pctx *, struct pool_opts *);

/* source-hash [key]: a 0x hex key, a string (hashed), or a random key. */
int
pfm_parse_hashkey(struct pfm_pctx *c, struct pool_opts *po)
{
	char *s;
	unsigned int k[4];
	int i;

	po->has_key = 1;
	if (pfm_peek(c) != T_STRING) {
		for (i = 0; i < 4; i++)
			po->key[i] = (uint32_t)random();
		return (0);
	}
	if (pfm_parse_string(c, &s) == -1)
		return (-1);
	if (strncmp(s, "0x", 2) == 0) {
		if (strlen(s) != 34) {
			pfm_yyerror(c, "hex key must be 128 bits (32 hex digits) long");
			return (-1);
		}
		if (sscanf(s, "0x%8x%8x%8x%8x", &k[0], &k[1], &k[2], &k[3]) != 4) {
			pfm_yyerror(c, "invalid hex key");
			return (-1);
		}
		for (i = 0; i < 4; i++)
			po->key[i] = k[i];
		return (0);
	}
	/* pfctl takes the MD5 of the string; a 32-bit FNV spread stands in for it */
	{
		uint32_t h = 2166136261u;
		const char *p;

		for (i = 0; i < 4; i++) {
			for (p = s; *p; p++)
				h = (h ^ (uint8_t)*p) * 16777619u;
			po->key[i] = h;
		}
	}
	return (0);
}

/* route: route-to, reply-to, dup-to (fastroute is accepted and ignored). */
int
pfm_parse_route(struct pfm_pctx *c, struct node_host **hosts, int *rt, struct pool_opts *po)
{
	int t = pfm_peek(c), braced;
	struct node_host *h = NULL, *list = NULL;

	*hosts = NULL;
	*rt = PFM_RT_NONE;
	memset(po, 0, sizeof(*po));
	if (t == K_FASTROUTE) {
		pfm_next(c);
		return (0);
	}
	if (t != K_ROUTETO && t != K_REPLYTO && t != K_DUPTO)
		return (0);
	pfm_next(c);
	*rt = t == K_ROUTETO ? PFM_RT_ROUTETO : t == K_REPLYTO ? PFM_RT_REPLYTO :
	    PFM_RT_DUPTO;
	braced = pfm_list_open(c);
	do {
		if (route_host(c, &h) == -1)
			return (-1);
		if (list != NULL) {
			/* pfctl checks the family once it has read the item's newlines */
			pfm_optnl(c);
			if (list->af == 0)
				list->af = h->af;
			if (list->af != h->af) {
				pfm_yyerror(c, "all pool addresses must be in the "
				    "same address family");
				return (-1);
			}
		}
		PFM_LIST_APPEND(list, h);
	} while (pfm_list_more(c, braced));
	*hosts = list;
	return (parse_pool_opts(c, po));
}

static int
pool_opt(struct pfm_pctx *c, struct pool_opts *po)
{
	int t = pfm_peek(c);

	switch (t) {
	case K_BITMASK:
	case K_RANDOM:
	case K_ROUNDROBIN:
	case K_SOURCEHASH:
		pfm_next(c);
		if (po->type) {
			pfm_yyerror(c, "pool type cannot be redefined");
			return (-1);
		}
		po->type = t == K_BITMASK ? PFM_POOL_BITMASK : t == K_RANDOM ?
		    PFM_POOL_RANDOM : t == K_ROUNDROBIN ? PFM_POOL_ROUNDROBIN :
		    PFM_POOL_SRCHASH;
		if (t == K_SOURCEHASH)
			return (pfm_parse_hashkey(c, po));
		return (0);
	case K_STATICPORT:
		pfm_next(c);
		if (po->staticport) {
			pfm_yyerror(c, "static-port cannot be redefined");
			return (-1);
		}
		po->staticport = 1;
		return (0);
	case K_STICKYADDRESS:
		pfm_next(c);
		if (po->sticky) {
			pfm_yyerror(c, "sticky-address cannot be redefined");
			return (-1);
		}
		po->sticky = 1;
		return (0);
	case K_ENDPI:
		/* FreeBSD 14.2 (390dc369ef, stable/14 before releng/14.2): UDP
		 * mappings independent of the destination, PF_POOL_ENDPI */
		pfm_next(c);
		if (po->endpi) {
			pfm_yyerror(c, "endpoint-independent cannot be redefined");
			return (-1);
		}
		po->endpi = 1;
		return (0);
	case K_PREFER6:
		/* FreeBSD 15 (pf.conf(5) of 15.0, pfctl test pf1073): an IPv6 next hop
		 * for IPv4 packets routed with route-to. 14's lexer has no keyword. */
		pfm_next(c);
		if (po->prefer6) {
			pfm_yyerror(c, "prefer-ipv6-nexthop cannot be redefined");
			return (-1);
		}
		po->prefer6 = 1;
		return (0);
	case K_MAPEPORTSET: {
		int64_t a, b, d;

		pfm_next(c);
		if (pfm_parse_number(c, &a) == -1 || !pfm_accept(c, '/') ||
		    pfm_parse_number(c, &b) == -1 || !pfm_accept(c, '/') ||
		    pfm_parse_number(c, &d) == -1)
			return (-1);
		if (po->mape[0]) {
			pfm_yyerror(c, "map-e-portset cannot be redefined");
			return (-1);
		}
		if (po->type) {
			pfm_yyerror(c, "map-e-portset cannot be used with address pools");
			return (-1);
		}
		if (a <= 0 || a >= 16) {
			pfm_yyerror(c, "MAP-E PSID offset must be 1-15");
			return (-1);
		}
		if (b < 0 || b >= 16 || a + b > 16) {
			pfm_yyerror(c, "Invalid MAP-E PSID length");
			return (-1);
		} else if (b == 0) {
			pfm_yyerror(c, "PSID Length = 0: this means you do not need MAP-E");
			return (-1);
		}
		if (d < 0 || d > 65535) {
			pfm_yyerror(c, "Invalid MAP-E PSID");
			return (-1);
		}
		po->mape[0] = (uint16_t)a;
		po->mape[1] = (uint16_t)b;
		po->mape[2] = (uint16_t)d;
		return (0);
	}
	default:
		return (1);
	}
}

static int
parse_pool_opts(struct pfm_pctx *c, struct pool_opts *po)
{
	int rv;

	memset(po, 0, sizeof(*po));
	while ((rv = pool_opt(c, po)) == 0)
		;
	return (rv == -1 ? -1 : 0);
}

int
pfm_parse_pool_opts(struct pfm_pctx *c, struct pool_opts *po)
{
	return (parse_pool_opts(c, po));
}

/* FreeBSD 15's apply_redirspec (parse.y bc0f7b9), for every pool: tables and
 * interfaces of several addresses in any "dynamic" pool type (PF_POOL_DYNTYPE:
 * round-robin, random, source-hash; tests/sys/netpfil/pf/nat64.sh "table" refuses
 * only bitmask), its own wording, and its check of several addresses first. */
int
pfm_pool_check15(struct pfm_pctx *c, struct pfm_pool *p, struct node_host *hosts)
{
	if (p->type == PFM_POOL_NONE && (hosts->next != NULL ||
	    hosts->addr.type == PFM_ADDR_TABLE || DYNIF_MULTIADDR(hosts->addr)))
		p->type = PFM_POOL_ROUNDROBIN;
	if (p->type != PFM_POOL_ROUNDROBIN && p->type != PFM_POOL_RANDOM &&
	    p->type != PFM_POOL_SRCHASH &&
	    (pfm_disallow_table(c, hosts, "tables are not supported by pool type") ||
	    pfm_disallow_alias(c, hosts, "interface (%s) is not supported by pool type")))
		return (-1);
	if (hosts->next != NULL && p->type != PFM_POOL_ROUNDROBIN) {
		pfm_yyerror(c, "r.route.opts must be PF_POOL_ROUNDROBIN");
		return (-1);
	}
	return (0);
}

/* FreeBSD 14's checks (parse.y of releng/14: "only supported in round-robin ... pools",
 * round-robin the only type that takes a table); 15's are pfm_pool_check15's. */
int
pfm_pool_check(struct pfm_pctx *c, struct pfm_rule *r, struct node_host *hosts,
    const char *kind, const char *multi_msg)
{
	char msg[128];

	if (c->fb15) {
		if (pfm_pool_check15(c, &r->rpool, hosts) == 0)
			return (0);
		/* 15 checks a pool in expand_rule, for each rule it expands to */
		pfm_yyerror(c, "skipping rule due to errors");
		pfm_yyerror(c, "rule expands to no valid combination");
		return (-1);
	}
	if (r->rpool.type == PFM_POOL_NONE && (hosts->next != NULL ||
	    hosts->addr.type == PFM_ADDR_TABLE || DYNIF_MULTIADDR(hosts->addr)))
		r->rpool.type = PFM_POOL_ROUNDROBIN;
	if (r->rpool.type == PFM_POOL_ROUNDROBIN)
		return (0);
	snprintf(msg, sizeof(msg), "tables are only supported in round-robin %s pools",
	    kind);
	if (pfm_disallow_table(c, hosts, msg))
		return (-1);
	/* the alias message keeps its %s for the interface name */
	snprintf(msg, sizeof(msg), "interface (%%s) is only supported in round-robin "
	    "%s pools", kind);
	if (pfm_disallow_alias(c, hosts, msg))
		return (-1);
	if (hosts->next != NULL) {
		pfm_yyerror(c, "%s", multi_msg);
		return (-1);
	}
	return (0);
}
