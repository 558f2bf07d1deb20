/* pfm_parse_ether.c: FreeBSD 14's layer 2 rules, `ether pass|block|match ...` and
 * `ether anchor`, as 14's pfctl reads them (sbin/pfctl/parse.y: etherrule,
 * etheranchorrule, etherproto, etherfromto, mac, l3fromto, etherfilter_opts and
 * expand_eth_rule; node_mac_from_string*). harness/pf/eval/pfm_eth.c evaluates them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

#define ETH_ALEN	6
#define ETHERTYPE_IP	0x0800
#define ETHERTYPE_IPV6	0x86dd

struct node_mac {
	uint8_t		 mac[ETH_ALEN], mask[ETH_ALEN];
	int		 neg, isset;
	struct node_mac	*next, *tail;
};

struct node_eproto {
	uint16_t	 proto;
	struct node_eproto *next, *tail;
};

/* What etherfilter_opts collects. */
struct eth_opts {
	char		*label[5];
	int		 nlabel;
	uint32_t	 ridentifier;
	char		*qname, *tag, *match_tag;
	int		 match_tag_not;
	uint16_t	 dnpipe;
	int		 dn_is_pipe;
};

/* The part of a rule shared by `ether <action>` and `ether anchor`. */
struct eth_spec {
	struct node_if	*ifs;
	struct node_eproto *protos;
	struct node_mac	*src, *dst;
	struct node_host *ipsrc, *ipdst;
};

static int parse_statement(struct pfm_pctx *);

/* node_mac_from_string: six hex bytes with ':' (sscanf's reading), mask all ones. */
static struct node_mac *
mac_from_string(struct pfm_pctx *c, const char *s)
{
	struct node_mac *m;

	if ((m = pfm_nalloc(c, sizeof(*m))) == NULL)
		return (NULL);
	if (sscanf(s, "%02hhx:%02hhx:%02hhx:%02hhx:%02hhx:%02hhx", &m->mac[0],
	    &m->mac[1], &m->mac[2], &m->mac[3], &m->mac[4], &m->mac[5]) != 6) {
		pfm_yyerror(c, "invalid MAC address");
		return (NULL);
	}
	memset(m->mask, 0xff, sizeof(m->mask));
	m->isset = 1;
	m->tail = m;
	return (m);
}

/* mac: string '/' NUMBER | string (with "&mask" or not). */
static int
parse_mac(struct pfm_pctx *c, struct node_mac **out)
{
	struct node_mac *m = NULL;
	char *s, *tok, *mask, *save = NULL;
	int64_t len;
	int i;

	if (pfm_parse_string(c, &s) == -1)
		return (-1);
	if (pfm_accept(c, '/')) {
		if (pfm_peek(c) != T_NUMBER)
			return (pfm_syntax(c));
		len = c->tok.num;
		pfm_next(c);
		/* node_mac_from_string_masklen: bit i of the mask is bit i % 8 of
		 * byte i / 8 */
		if (len < 0 || len > ETH_ALEN * 8) {
			pfm_yyerror(c, "invalid MAC mask length");
			return (-1);
		}
		if ((m = mac_from_string(c, s)) == NULL)
			return (-1);
		memset(m->mask, 0, sizeof(m->mask));
		for (i = 0; i < len; i++)
			m->mask[i / 8] |= (uint8_t)(1 << (i % 8));
	} else if (strchr(s, '&') != NULL) {
		/* mac&mask, split as strtok splits it */
		tok = strtok_r(s, "&", &save);
		mask = strtok_r(NULL, "&", &save);
		if (tok == NULL || (m = mac_from_string(c, tok)) == NULL)
			return (-1);
		if (mask == NULL || sscanf(mask, "%02hhx:%02hhx:%02hhx:%02hhx:%02hhx:%02hhx",
		    &m->mask[0], &m->mask[1], &m->mask[2], &m->mask[3], &m->mask[4],
		    &m->mask[5]) != 6) {
			pfm_yyerror(c, "invalid MAC mask");
			return (-1);
		}
	} else if ((m = mac_from_string(c, s)) == NULL)
		return (-1);
	*out = m;
	return (0);
}

/* xmac: not mac. */
static int
parse_xmac(struct pfm_pctx *c, struct node_mac **list)
{
	struct node_mac *m = NULL;
	int not = pfm_accept(c, '!');

	if (parse_mac(c, &m) == -1)
		return (-1);
	m->neg = not;
	PFM_LIST_APPEND(*list, m);
	return (0);
}

/* macspec: xmac | '{' optnl mac_list '}'; mac_list takes newlines after its first
 * item only, as pfctl's grammar does. */
static int
parse_macspec(struct pfm_pctx *c, struct node_mac **list)
{
	*list = NULL;
	if (!pfm_accept(c, '{'))
		return (parse_xmac(c, list));
	pfm_optnl(c);
	if (parse_xmac(c, list) == -1)
		return (-1);
	pfm_optnl(c);
	while (!pfm_accept(c, '}')) {
		pfm_comma(c);
		if (parse_xmac(c, list) == -1)
			return (-1);
	}
	return (0);
}

/* etherproto_item: a number up to 65565 or "0x" and four hex digits. */
static int
eproto_item(struct pfm_pctx *c, struct node_eproto **list)
{
	struct node_eproto *n;
	unsigned int x;
	int64_t v;
	char *s;

	if (pfm_peek(c) == T_NUMBER) {
		v = c->tok.num;
		pfm_next(c);
		if (v < 0 || v > 65565) {
			pfm_yyerror(c, "protocol outside range");
			return (-1);
		}
	} else if (pfm_peek(c) == T_STRING) {
		s = pfm_take_string(c);
		if (strncmp(s, "0x", 2) == 0) {
			if (sscanf(s, "0x%4x", &x) != 1) {
				free(s);
				pfm_yyerror(c, "invalid EtherType hex");
				return (-1);
			}
			v = x;
		} else {
			/* pfctl reports it and goes on with the rule (an error all the
			 * same: nothing loads) */
			pfm_yyerror(c, "Symbolic EtherType not yet supported");
			v = 1;
		}
		free(s);
	} else
		return (pfm_syntax(c));
	if ((uint16_t)v == 0) {
		pfm_yyerror(c, "proto 0 cannot be used");
		return (-1);
	}
	if ((n = pfm_nalloc(c, sizeof(*n))) == NULL)
		return (-1);
	n->proto = (uint16_t)v;
	n->tail = n;
	PFM_LIST_APPEND(*list, n);
	return (0);
}

static int
parse_eproto(struct pfm_pctx *c, struct node_eproto **list)
{
	int braced;

	*list = NULL;
	if (!pfm_accept(c, K_PROTO))
		return (0);
	braced = pfm_list_open(c);
	do {
		if (eproto_item(c, list) == -1)
			return (-1);
	} while (pfm_list_more(c, braced));
	return (0);
}

/* etherproto etherfromto l3fromto. */
static int
parse_spec(struct pfm_pctx *c, struct eth_spec *sp)
{
	struct node_port *p1, *p2;
	struct node_os *os;

	if (parse_eproto(c, &sp->protos) == -1)
		return (-1);
	if (!pfm_accept(c, K_ALL)) {
		if (pfm_accept(c, K_FROM) && parse_macspec(c, &sp->src) == -1)
			return (-1);
		if (pfm_accept(c, K_TO) && parse_macspec(c, &sp->dst) == -1)
			return (-1);
	}
	if (!pfm_accept(c, K_L3))
		return (0);
	if (pfm_parse_fromto(c, &sp->ipsrc, &p1, &os, &sp->ipdst, &p2) == -1)
		return (-1);
	/* l3fromto looks at the first address of each side only */
	if (sp->ipsrc != NULL && sp->ipsrc->addr.type != PFM_ADDR_MASK &&
	    sp->ipsrc->addr.type != PFM_ADDR_ANY &&
	    sp->ipsrc->addr.type != PFM_ADDR_TABLE) {
		pfm_yyerror(c, "from must be an address or table");
		return (-1);
	}
	if (sp->ipdst != NULL && sp->ipdst->addr.type != PFM_ADDR_MASK &&
	    sp->ipdst->addr.type != PFM_ADDR_ANY &&
	    sp->ipdst->addr.type != PFM_ADDR_TABLE) {
		pfm_yyerror(c, "to must be an address or table");
		return (-1);
	}
	return (0);
}

/* etherqname: queue NAME | queue ( NAME ). */
static int
eth_qname(struct pfm_pctx *c, struct eth_opts *o)
{
	char *q;
	int paren;

	pfm_next(c);
	paren = pfm_accept(c, '(');
	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	q = pfm_take_string(c);
	if (paren && !pfm_accept(c, ')')) {
		free(q);
		return (pfm_syntax(c));
	}
	if (o->qname != NULL) {
		free(q);
		pfm_yyerror(c, "queue cannot be redefined");
		return (-1);
	}
	o->qname = pfm_nstrdup(c, q);
	free(q);
	return (0);
}

/* etherfilter_opts: options one after the other, no commas. */
static int
parse_eth_opts(struct pfm_pctx *c, struct eth_opts *o)
{
	int64_t v;
	char *s;

	memset(o, 0, sizeof(*o));
	for (;;) {
		switch (pfm_peek(c)) {
		case K_QUEUE:
			if (eth_qname(c, o) == -1)
				return (-1);
			break;
		case K_RIDENTIFIER:
			pfm_next(c);
			if (pfm_parse_number(c, &v) == -1)
				return (-1);
			o->ridentifier = (uint32_t)v;
			break;
		case K_LABEL:
			pfm_next(c);
			if (pfm_peek(c) != T_STRING)
				return (pfm_syntax(c));
			s = pfm_take_string(c);
			if (o->nlabel >= 5) {
				free(s);
				pfm_yyerror(c, "label can only be used %d times", 5);
				return (-1);
			}
			o->label[o->nlabel++] = pfm_nstrdup(c, s);
			free(s);
			break;
		case K_TAG:
			pfm_next(c);
			if (pfm_parse_string(c, &o->tag) == -1)
				return (-1);
			break;
		case '!':
		case K_TAGGED:
			o->match_tag_not = pfm_accept(c, '!');
			if (!pfm_accept(c, K_TAGGED))
				return (pfm_syntax(c));
			if (pfm_parse_string(c, &o->match_tag) == -1)
				return (-1);
			break;
		case K_DNPIPE:
		case K_DNQUEUE:
			o->dn_is_pipe = pfm_peek(c) == K_DNPIPE;
			pfm_next(c);
			if (pfm_parse_number(c, &v) == -1)
				return (-1);
			o->dnpipe = (uint16_t)v;
			break;
		default:
			return (0);
		}
	}
}

/* Where the rules being parsed go: an inline anchor's, a loaded anchor's (the file
 * of a `load anchor`) or the main ruleset's. */
static struct pfm_eth_rule **
eth_head(struct pfm_pctx *c)
{
	if (c->ehead != NULL)
		return (c->ehead);
	return (c->anchor != NULL ? &c->anchor->ether : &c->rs->ether);
}

/* pfctl's pf_af_to_proto: the EtherType an l3 address implies. */
static uint16_t
af_to_proto(int af)
{
	return (af == AF_INET ? ETHERTYPE_IP : af == AF_INET6 ? ETHERTYPE_IPV6 : 0);
}

static void
set_l3(struct pfm_pctx *c, struct pfm_rule_addr *ra, const struct node_host *h)
{
	memset(ra, 0, sizeof(*ra));
	ra->addr = h->addr;
	ra->addr.af = h->af;
	ra->addr.neg = h->not;
	if (h->addr.type == PFM_ADDR_TABLE)
		ra->addr.table = pfm_table_get(c, h->tblname);
}

/* expand_eth_rule: one rule per interface, EtherType, source and destination MAC and
 * l3 source and destination, numbered within their ruleset; an empty list counts as
 * one empty item. */
static int
expand_eth(struct pfm_pctx *c, const struct pfm_eth_rule *tmpl, const struct eth_spec *sp,
    struct pfm_eth_rule *anchor_rules)
{
	static struct node_if noif;
	static struct node_eproto noproto;
	static struct node_mac nomac;
	static struct node_host nohost;
	const struct node_if *i;
	const struct node_eproto *p;
	const struct node_mac *s, *d;
	const struct node_host *hs, *hd;
	struct pfm_eth_rule *r, **tail, **head = eth_head(c);
	int nr = 0;

	for (tail = head; *tail != NULL; tail = &(*tail)->next)
		nr++;
	for (i = sp->ifs ? sp->ifs : &noif; i != NULL; i = i->next)
	for (p = sp->protos ? sp->protos : &noproto; p != NULL; p = p->next)
	for (s = sp->src ? sp->src : &nomac; s != NULL; s = s->next)
	for (d = sp->dst ? sp->dst : &nomac; d != NULL; d = d->next)
	for (hs = sp->ipsrc ? sp->ipsrc : &nohost; hs != NULL; hs = hs->next)
	for (hd = sp->ipdst ? sp->ipdst : &nohost; hd != NULL; hd = hd->next) {
		if ((r = malloc(sizeof(*r))) == NULL)
			return (-1);
		*r = *tmpl;
		snprintf(r->ifname, sizeof(r->ifname), "%s", i->ifname);
		r->ifnot = i->not;
		r->proto = p->proto;
		if (r->proto == 0 && hs->af)
			r->proto = af_to_proto(hs->af);
		else if (r->proto == 0 && hd->af)
			r->proto = af_to_proto(hd->af);
		memcpy(r->src.addr, s->mac, ETH_ALEN);
		memcpy(r->src.mask, s->mask, ETH_ALEN);
		r->src.neg = s->neg;
		r->src.isset = s->isset;
		memcpy(r->dst.addr, d->mac, ETH_ALEN);
		memcpy(r->dst.mask, d->mask, ETH_ALEN);
		r->dst.neg = d->neg;
		r->dst.isset = d->isset;
		set_l3(c, &r->ipsrc, hs);
		set_l3(c, &r->ipdst, hd);
		/* print_eth_rule prints the l3 addresses as IPv4 for 0x0800 only */
		r->ipaf = r->proto == ETHERTYPE_IP ? AF_INET : AF_INET6;
		r->anchor_rules = anchor_rules;
		anchor_rules = NULL;	/* one rule owns them: pfctl's anchor is one */
		r->file = pfm_intern(c, c->file ? c->file->name : "stdin");
		r->line = c->toklineno;
		r->nr = nr++;
		r->next = NULL;
		*tail = r;
		tail = &r->next;
	}
	return (0);
}

/* A string into a rule's fixed-size name, as expand_eth_rule copies it: too long is
 * pfctl's errx. */
static int
eth_name(struct pfm_pctx *c, char *dst, size_t len, const char *s, const char *what)
{
	if (s == NULL)
		return (0);
	if (strlen(s) >= len) {
		pfm_raw(c, "pfctl: expand_eth_rule: %s", what);
		c->rs_errors++;
		return (-1);
	}
	snprintf(dst, len, "%s", s);
	return (0);
}

/* ETHER action dir quick interface bridge etherproto etherfromto l3fromto
 * etherfilter_opts */
static int
eth_rule(struct pfm_pctx *c)
{
	struct pfm_eth_rule r;
	struct pfm_rule act;
	struct eth_spec sp;
	struct eth_opts o;
	char *bridge = NULL;
	int t = pfm_peek(c), i;

	memset(&r, 0, sizeof(r));
	memset(&act, 0, sizeof(act));
	memset(&sp, 0, sizeof(sp));
	if (t != K_PASS && t != K_BLOCK && t != K_MATCH)
		return (pfm_syntax(c));
	pfm_next(c);
	/* the block spec is taken and has no effect on a layer 2 rule */
	if (t == K_BLOCK && pfm_parse_blockspec(c, &act) == -1)
		return (-1);
	r.action = t == K_PASS ? PFM_R_PASS : t == K_MATCH ? PFM_R_MATCH : PFM_R_BLOCK;
	r.direction = pfm_accept(c, K_IN) ? PFM_RDIR_IN :
	    pfm_accept(c, K_OUT) ? PFM_RDIR_OUT : PFM_RDIR_ANY;
	r.quick = pfm_accept(c, K_QUICK);
	if (pfm_parse_interface(c, &sp.ifs) == -1)
		return (-1);
	if (pfm_accept(c, K_BRIDGE_TO)) {
		if (pfm_peek(c) != T_STRING)
			return (pfm_syntax(c));
		bridge = pfm_take_string(c);
		snprintf(r.bridge_to, sizeof(r.bridge_to), "%s", bridge);
		free(bridge);
	}
	if (parse_spec(c, &sp) == -1 || parse_eth_opts(c, &o) == -1)
		return (-1);
	if (pfm_rule_end(c, PFCTL_STATE_ETHER) == -1)
		return (-1);
	if (o.match_tag != NULL && strlen(o.match_tag) >= sizeof(r.tagged)) {
		pfm_yyerror(c, "tag too long, max %u chars",
		    (unsigned)sizeof(r.tagged) - 1);
		return (-1);
	}
	for (i = 0; i < o.nlabel; i++) {
		if (strlen(o.label[i]) >= sizeof(r.label[0])) {
			pfm_yyerror(c, "rule label too long (max %d chars)",
			    (int)sizeof(r.label[0]) - 1);
			return (-1);
		}
		snprintf(r.label[i], sizeof(r.label[i]), "%s", o.label[i]);
	}
	if (eth_name(c, r.tag, sizeof(r.tag), o.tag, "tagname") == -1 ||
	    eth_name(c, r.qname, sizeof(r.qname), o.qname, "qname") == -1)
		return (-1);
	if (o.match_tag != NULL)
		snprintf(r.tagged, sizeof(r.tagged), "%s", o.match_tag);
	r.match_tag_not = o.match_tag_not;
	r.ridentifier = o.ridentifier;
	r.dnpipe = o.dnpipe;
	r.dn_is_pipe = o.dn_is_pipe;
	return (expand_eth(c, &r, &sp, NULL));
}

void
pfm_eth_rules_free(struct pfm_eth_rule *r)
{
	struct pfm_eth_rule *n;

	for (; r != NULL; r = n) {
		n = r->next;
		pfm_eth_rules_free(r->anchor_rules);
		free(r);
	}
}

/* etherpfa_anchor's body: '\n', then ether rules and anchors one a line, then '}'. */
static int
eth_inline_body(struct pfm_pctx *c, struct pfm_eth_rule **list)
{
	struct pfm_eth_rule **save = c->ehead;
	int t, rv = 0;

	pfm_next(c);	/* '{' */
	if (pfm_peek(c) != '\n')
		return (pfm_syntax(c));
	pfm_next(c);
	c->ehead = list;
	for (;;) {
		t = pfm_peek(c);
		if (t == '}') {
			pfm_next(c);
			break;
		}
		if (t == '\n') {
			pfm_next(c);
			continue;
		}
		rv = t == K_ETHER ? parse_statement(c) : pfm_syntax(c);
		if (rv == 0 && pfm_peek(c) != '\n')
			rv = pfm_syntax(c);
		if (rv == -1)
			break;
		pfm_next(c);
	}
	c->ehead = save;
	return (rv);
}

/* The name an anchor prints with: its ruleset's name, the last component of the
 * path (pfctl_eth_anchor_setup; a trailing "/ *" goes). */
static const char *
eth_anchor_name(struct pfm_pctx *c, const char *call)
{
	char path[1024], *p;

	snprintf(path, sizeof(path), "%s", call[0] == '/' ? call + 1 : call);
	if ((p = strrchr(path, '/')) != NULL && strcmp(p, "/*") == 0)
		*p = '\0';
	p = strrchr(path, '/');
	return (pfm_intern(c, p != NULL ? p + 1 : path));
}

/* ETHER ANCHOR anchorname dir quick interface etherproto etherfromto l3fromto
 * etherpfa_anchor */
static int
eth_anchor(struct pfm_pctx *c)
{
	struct pfm_eth_rule r, *rules = NULL, *o;
	struct eth_spec sp;
	char *name = NULL, inl[32], path[1024];
	int isinline = 0;

	memset(&r, 0, sizeof(r));
	memset(&sp, 0, sizeof(sp));
	pfm_next(c);	/* anchor */
	if (pfm_peek(c) == T_STRING) {
		char *s = pfm_take_string(c);

		name = pfm_nstrdup(c, s);
		free(s);
	}
	r.direction = pfm_accept(c, K_IN) ? PFM_RDIR_IN :
	    pfm_accept(c, K_OUT) ? PFM_RDIR_OUT : PFM_RDIR_ANY;
	r.quick = pfm_accept(c, K_QUICK);
	if (pfm_parse_interface(c, &sp.ifs) == -1 || parse_spec(c, &sp) == -1)
		return (-1);
	if (pfm_peek(c) == '{') {
		/* the holding ruleset "_N" shares pfctl's count with filter anchors */
		snprintf(inl, sizeof(inl), "_%d", ++c->bn);
		isinline = 1;
		if (eth_inline_body(c, &rules) == -1) {
			pfm_eth_rules_free(rules);
			return (-1);
		}
	}
	if (pfm_rule_end(c, PFCTL_STATE_ETHER) == -1)
		goto fail;
	if (name != NULL && (name[0] == '_' || strstr(name, "/_") != NULL)) {
		pfm_yyerror(c, "anchor names beginning with '_' are reserved for "
		    "internal use");
		goto fail;
	}
	if (isinline) {
		if (name != NULL && strchr(name, '/') != NULL) {
			pfm_yyerror(c, "anchor paths containing '/' cannot be used for "
			    "inline anchors.");
			goto fail;
		}
		/* a second inline anchor of that name, the first one with rules */
		for (o = *eth_head(c); name != NULL && o != NULL; o = o->next)
			if (o->anchor_rules != NULL && o->anchor_call != NULL &&
			    strcmp(o->anchor_call, name) == 0) {
				pfm_yyerror(c, "inline anchor '%s' already exists", name);
				goto fail;
			}
		r.anchor_call = pfm_intern(c, name != NULL ? name : inl);
	} else {
		if (name == NULL) {
			pfm_yyerror(c, "anchors without explicit rules must specify a "
			    "name");
			return (-1);
		}
		r.anchor_call = eth_anchor_name(c, name);
		/* pf_keth_anchor_setup: the path the kernel's anchor has */
		if (pfm_anchor_resolve(c, name, path, sizeof(path), &r.anchor_wildcard)
		    == -1) {
			pfm_yyerror(c, "anchor setup failed");
			return (-1);
		}
		r.anchor_path = pfm_intern(c, path);
	}
	r.action = PFM_R_PASS;
	return (expand_eth(c, &r, &sp, rules));
fail:
	pfm_eth_rules_free(rules);
	return (-1);
}

static int
parse_statement(struct pfm_pctx *c)
{
	pfm_next(c);	/* ether */
	if (pfm_peek(c) == K_ANCHOR)
		return (eth_anchor(c));
	return (eth_rule(c));
}

int
pfm_parse_ether(struct pfm_pctx *c)
{
	return (parse_statement(c));
}
