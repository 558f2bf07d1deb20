/* pfm_parse_filter.c: pass/block/match rules (action, direction, log, quick, route)
 * and antispoof, built into rules as pfctl builds them. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

static int
parseicmpspec(struct pfm_pctx *c, const char *w, int af, uint16_t *out)
{
	const struct pfm_icmpcode *p;
	unsigned long ul;
	char *ep;
	int type = af == AF_INET ? c->reticmp >> 8 : c->reticmp6 >> 8;

	errno = 0;
	ul = strtoul(w, &ep, 0);
	if (w[0] == '\0' || *ep != '\0') {
		if ((p = pfm_icmpcode_byname(type, w, af)) == NULL) {
			pfm_yyerror(c, "unknown icmp code %s", w);
			return (-1);
		}
		ul = (unsigned long)p->code;
	}
	if (ul > 255) {
		pfm_yyerror(c, "invalid icmp code %lu", ul);
		return (-1);
	}
	*out = (uint16_t)(type << 8 | ul);
	return (0);
}

static int
reticmpspec(struct pfm_pctx *c, int af, uint16_t *out)
{
	if (pfm_peek(c) == T_STRING) {
		char *s = pfm_take_string(c);
		int rv = parseicmpspec(c, s, af, out);

		free(s);
		return (rv);
	}
	if (pfm_peek(c) == T_NUMBER) {
		int64_t v = c->tok.num;
		int type = af == AF_INET ? c->reticmp >> 8 : c->reticmp6 >> 8;

		pfm_next(c);
		if (v < 0 || v > 255) {
			pfm_yyerror(c, "invalid icmp code %lld", (long long)v);
			return (-1);
		}
		*out = (uint16_t)(type << 8 | v);
		return (0);
	}
	return (pfm_syntax(c));
}

/* block's return spec into r. */
int
pfm_parse_blockspec(struct pfm_pctx *c, struct pfm_rule *r)
{
	r->block = (enum pfm_block)c->blockpolicy;
	r->return_icmp = c->reticmp;
	r->return_icmp6 = c->reticmp6;
	switch (pfm_peek(c)) {
	case K_DROP:
		pfm_next(c);
		r->block = PFM_BLOCK_DROP;
		r->return_icmp = r->return_icmp6 = 0;
		return (0);
	case K_RETURNRST:
		pfm_next(c);
		r->block = PFM_BLOCK_RETURN_RST;
		r->return_icmp = r->return_icmp6 = 0;
		if (pfm_accept(c, '(')) {
			int64_t ttl;

			if (!pfm_accept(c, K_TTL) || pfm_peek(c) != T_NUMBER)
				return (pfm_syntax(c));
			ttl = c->tok.num;
			pfm_next(c);
			if (!pfm_accept(c, ')'))
				return (pfm_syntax(c));
			if (ttl < 0 || ttl > 255) {
				pfm_yyerror(c, "illegal ttl value %lld", (long long)ttl);
				return (-1);
			}
			r->return_ttl = (int)ttl;
		}
		return (0);
	case K_RETURNICMP:
		pfm_next(c);
		r->block = PFM_BLOCK_RETURN_ICMP;
		if (pfm_accept(c, '(')) {
			if (reticmpspec(c, AF_INET, &r->return_icmp) == -1)
				return (-1);
			r->return_icmp6 = c->reticmp;	/* as pfctl does */
			if (pfm_peek(c) != ')') {
				pfm_comma(c);
				if (reticmpspec(c, AF_INET6, &r->return_icmp6) == -1)
					return (-1);
			}
			if (!pfm_accept(c, ')'))
				return (pfm_syntax(c));
		}
		return (0);
	case K_RETURNICMP6:
		pfm_next(c);
		r->block = PFM_BLOCK_RETURN_ICMP;
		if (pfm_accept(c, '(')) {
			if (reticmpspec(c, AF_INET6, &r->return_icmp6) == -1)
				return (-1);
			if (!pfm_accept(c, ')'))
				return (pfm_syntax(c));
		}
		return (0);
	case K_RETURN:
		pfm_next(c);
		r->block = PFM_BLOCK_RETURN;
		return (0);
	default:
		return (0);
	}
}

/* -1, with pfctl's message, when state option name was already given. */
static int
state_opt_twice(struct pfm_pctx *c, const char *name, int isset)
{
	if (isset) {
		pfm_yyerror(c, "state option '%s' multiple definitions", name);
		return (-1);
	}
	return (0);
}

/* -1, with pfctl's message, when a source-node limit is 0. */
static int
state_opt_zero(struct pfm_pctx *c, const char *name, uint32_t v)
{
	if (v == 0) {
		pfm_yyerror(c, "'%s' must be > 0", name);
		return (-1);
	}
	return (0);
}

/* One of the per-source limits (max-src-states, -conn, -conn-rate, -nodes) into r;
 * all but max-src-states make the source tracking per rule. */
static int
apply_src_limit(struct pfm_pctx *c, struct pfm_rule *r, const struct node_state_opt *o)
{
	switch (o->type) {
	case SO_MAX_SRC_STATES:
		if (state_opt_twice(c, "max-src-states", r->max_src_states != 0) ||
		    state_opt_zero(c, "max-src-states", o->v[0]))
			return (-1);
		r->max_src_states = o->v[0];
		if (!r->srctrack)
			r->srctrack = 1;
		return (0);
	case SO_MAX_SRC_CONN:
		if (state_opt_twice(c, "max-src-conn", r->max_src_conn != 0) ||
		    state_opt_zero(c, "max-src-conn", o->v[0]))
			return (-1);
		r->max_src_conn = o->v[0];
		break;
	case SO_MAX_SRC_CONN_RATE:
		if (state_opt_twice(c, "max-src-conn-rate",
		    r->max_src_conn_rate[0] != 0))
			return (-1);
		if (!o->v[0] || !o->v[1]) {
			pfm_yyerror(c, "'max-src-conn-rate' values must be > 0");
			return (-1);
		}
		if (o->v[0] > 4294967) {
			pfm_yyerror(c, "'max-src-conn-rate' maximum rate must be < %u",
			    4294967);
			return (-1);
		}
		r->max_src_conn_rate[0] = o->v[0];
		r->max_src_conn_rate[1] = o->v[1];
		break;
	case SO_MAX_SRC_NODES:
		if (state_opt_twice(c, "max-src-nodes", r->max_src_nodes != 0) ||
		    state_opt_zero(c, "max-src-nodes", o->v[0]))
			return (-1);
		r->max_src_nodes = o->v[0];
		break;
	}
	r->srctrack = 2;
	return (0);
}

/* A per-rule state timeout into r; *adaptive when it sets an adaptive bound. */
static int
apply_state_timeout(struct pfm_pctx *c, struct pfm_rule *r,
    const struct node_state_opt *o, int *adaptive)
{
	if (o->v[0] == PFM_TM_ADAPTIVE_START || o->v[0] == PFM_TM_ADAPTIVE_END)
		*adaptive = 1;
	if (r->timeout[o->v[0]]) {
		int i;

		/* pfctl indexes its name table by the timeout number */
		i = (int)o->v[0];
		pfm_yyerror(c, "state timeout %s multiple definitions",
		    pfm_timeouts[i].name);
		return (-1);
	}
	r->timeout[o->v[0]] = o->v[1];
	return (0);
}

/* The state options of a pass rule into r (pfctl's loop over node_state_opt). */
static int
apply_state_opts(struct pfm_pctx *c, struct pfm_rule *r, struct node_state_opt *o,
    int *srctrack, int *statelock, int *adaptive)
{
	for (; o != NULL; o = o->next) {
		switch (o->type) {
		case SO_MAX:
			if (state_opt_twice(c, "max", r->max_states != 0))
				return (-1);
			r->max_states = o->v[0];
			break;
		case SO_NOSYNC:
			if (state_opt_twice(c, "sync", r->nosync))
				return (-1);
			r->nosync = 1;
			break;
		case SO_SRCTRACK:
			if (state_opt_twice(c, "source-track", *srctrack))
				return (-1);
			*srctrack = (int)o->v[0];
			if (!r->srctrack)
				r->srctrack = 1;
			break;
		case SO_MAX_SRC_STATES:
		case SO_MAX_SRC_CONN:
		case SO_MAX_SRC_CONN_RATE:
		case SO_MAX_SRC_NODES:
			if (apply_src_limit(c, r, o) == -1)
				return (-1);
			break;
		case SO_OVERLOAD:
			if (r->overload[0]) {
				pfm_yyerror(c, "multiple 'overload' table definitions");
				return (-1);
			}
			snprintf(r->overload, sizeof(r->overload), "%s", o->tbl);
			r->flush = (int)o->v[0];
			break;
		case SO_STATELOCK:
			if (*statelock) {
				pfm_yyerror(c, "state locking option: multiple definitions");
				return (-1);
			}
			*statelock = 1;
			r->if_bound = (int)o->v[0];
			break;
		case SO_SLOPPY:
			if (r->sloppy) {
				pfm_yyerror(c, "state sloppy option: multiple definitions");
				return (-1);
			}
			r->sloppy = 1;
			break;
		case SO_PFLOW:
			if (r->pflow) {
				pfm_yyerror(c, "state pflow option: multiple definitions");
				return (-1);
			}
			r->pflow = 1;
			break;
		case SO_TIMEOUT:
			if (apply_state_timeout(c, r, o, adaptive) == -1)
				return (-1);
			break;
		}
	}
	return (0);
}

static void
copy_filter_opts(struct pfm_pctx *c, struct pfm_rule *r, const struct filter_opts *fo)
{
	r->prob = fo->prob;
	r->rtableid = fo->rtableid;
	if (fo->nodf)
		r->scrub_flags |= PFM_SCRUB_NODF;
	if (fo->randomid)
		r->scrub_flags |= PFM_SCRUB_RANDOM_ID;
	if (fo->marker & FOM_SCRUB_TCP)
		r->scrub_flags |= PFM_SCRUB_REASSEMBLE_TCP;
	r->min_ttl = fo->minttl;
	r->max_mss = fo->max_mss;
	if (fo->marker & FOM_SETTOS) {
		r->has_set_tos = 1;
		r->set_tos = fo->settos;
	}
	(void)pfm_rule_marks(c, r, fo);
	r->ridentifier = fo->ridentifier;
	r->tos = fo->tos;
	if (fo->qname)
		snprintf(r->qname, sizeof(r->qname), "%s", fo->qname);
	if (fo->pqname)
		snprintf(r->pqname, sizeof(r->pqname), "%s", fo->pqname);
	r->divert_port = fo->divert_port;
	if (fo->rcv != NULL) {
		snprintf(r->rcv_ifname, sizeof(r->rcv_ifname), "%s", fo->rcv);
		r->rcvifnot = fo->rcvnot;
	}
	if (fo->dn_set) {
		r->dnpipe = fo->dnpipe;
		r->dnrpipe = fo->dnrpipe;
		r->dn_is_pipe = fo->dn_is_pipe;
	}
}

int
pfm_parse_filter_tail(struct pfm_pctx *c, struct pfm_rule *r, struct pfm_expand *e,
    struct filter_opts *fo)
{
	r->af = pfm_parse_af(c);
	if (pfm_parse_proto(c, &e->protos) == -1 ||
	    pfm_parse_fromto(c, &e->src, &e->sport, &e->oses, &e->dst, &e->dport) == -1 ||
	    pfm_parse_filter_opts(c, fo) == -1)
		return (-1);
	return (0);
}

int
pfm_rule_marks(struct pfm_pctx *c, struct pfm_rule *r, const struct filter_opts *fo)
{
	int i, rv = 0;

	if (fo->tag)
		snprintf(r->tag, sizeof(r->tag), "%s", fo->tag);
	if (fo->match_tag)
		snprintf(r->tagged, sizeof(r->tagged), "%s", fo->match_tag);
	r->match_tag_not = fo->match_tag_not;
	for (i = 0; i < fo->nlabel; i++) {
		if (strlen(fo->label[i]) >= sizeof(r->label)) {
			pfm_yyerror(c, "rule label too long (max %d chars)",
			    (int)sizeof(r->label) - 1);
			rv = -1;
		}
		if (i == 0)
			snprintf(r->label, sizeof(r->label), "%s", fo->label[i]);
		else
			snprintf(r->xlabel[i - 1], sizeof(r->xlabel[0]), "%s",
			    fo->label[i]);
	}
	if (fo->marker & FOM_PRIO) {
		r->has_prio = 1;
		r->prio = fo->prio;
	}
	if (fo->marker & FOM_SETPRIO) {
		r->has_set_prio = 1;
		r->set_prio[0] = fo->set_prio[0];
		r->set_prio[1] = fo->set_prio[1];
	}
	return (rv);
}

int
pfm_tag_lengths(struct pfm_pctx *c, const struct filter_opts *fo)
{
	if ((fo->tag && strlen(fo->tag) >= 64) ||
	    (fo->match_tag && strlen(fo->match_tag) >= 64)) {
		pfm_yyerror(c, "tag too long, max %u chars", 63);
		return (-1);
	}
	return (0);
}

int
pfm_flags_only_tcp(struct pfm_pctx *c, const struct filter_opts *fo, struct node_proto *protos,
    struct node_os *os)
{
	struct node_proto *p;

	if ((fo->flags & fo->flagset) != fo->flags) {
		pfm_yyerror(c, "flags always false");
		return (-1);
	}
	if (fo->flags || fo->flagset || os) {
		for (p = protos; p != NULL && p->proto != IPPROTO_TCP; p = p->next)
			;
		if (p == NULL && protos != NULL) {
			if (fo->flags || fo->flagset)
				pfm_yyerror(c, "flags only apply to tcp");
			if (os)
				pfm_yyerror(c, "OS fingerprinting only apply to tcp");
			return (-1);
		}
	}
	return (0);
}

static int
state_and_defaults(struct pfm_pctx *c, struct pfm_rule *r, const struct filter_opts *fo)
{
	struct node_state_opt *o = fo->keepopts;
	int srctrack = 0, statelock = 0, adaptive = 0;

	r->keep = (enum pfm_keep)fo->keep;
	r->keep_explicit = (fo->marker & FOM_KEEP) != 0;
	if (r->keep == PFM_KEEP_NONE && r->action == PFM_R_PASS &&
	    !(fo->marker & FOM_KEEP)) {
		r->keep = PFM_KEEP_STATE;
		o = c->state_defaults;
	}
	if (apply_state_opts(c, r, o, &srctrack, &statelock, &adaptive) == -1)
		return (-1);
	if (r->action == PFM_R_PASS && !r->flags && !r->flagset && !fo->fragment &&
	    !(fo->marker & FOM_FLAGS) && r->keep != PFM_KEEP_NONE) {
		r->flags = 0x02;	/* S */
		r->flagset = 0x12;	/* SA */
	}
	if (!adaptive && r->max_states) {
		r->timeout[PFM_TM_ADAPTIVE_START] = (r->max_states / 10) * 6;
		r->timeout[PFM_TM_ADAPTIVE_END] = (r->max_states / 10) * 12;
	}
	if (r->srctrack) {
		if (srctrack == ST_GLOBAL && r->max_src_nodes) {
			pfm_yyerror(c, "'max-src-nodes' is incompatible with "
			    "'source-track global'");
			return (-1);
		}
		if (srctrack == ST_GLOBAL && r->max_src_conn) {
			pfm_yyerror(c, "'max-src-conn' is incompatible with "
			    "'source-track global'");
			return (-1);
		}
		if (srctrack == ST_GLOBAL && r->max_src_conn_rate[1]) {
			pfm_yyerror(c, "'max-src-conn-rate' is incompatible with "
			    "'source-track global'");
			return (-1);
		}
		if (r->timeout[PFM_TM_SRC_NODE] < r->max_src_conn_rate[1])
			r->timeout[PFM_TM_SRC_NODE] = r->max_src_conn_rate[1];
		if (srctrack == ST_RULE)
			r->srctrack = 2;
	}
	if (r->keep != PFM_KEEP_NONE && !statelock)
		r->if_bound = c->default_statelock;
	return (0);
}

static int
route_pool(struct pfm_pctx *c, struct pfm_rule *r, struct node_host **hosts,
    int rt, const struct pool_opts *po)
{
	if (!rt)
		return (0);
	if (r->direction == PFM_RDIR_ANY) {
		pfm_yyerror(c, "direction must be explicit with rules that specify "
		    "routing");
		return (-1);
	}
	r->rt = (enum pfm_rt)rt;
	r->rpool.type = (enum pfm_pool_type)po->type;
	r->rpool.sticky = po->sticky;
	r->rpool.prefer6 = po->prefer6;
	if (po->has_key) {
		memcpy(r->rpool.key, po->key, sizeof(r->rpool.key));
		r->rpool.has_key = 1;
	}
	/* FreeBSD 15 (parse.y bc0f7b9, pfrule): prefer-ipv6-nexthop keeps hosts of
	 * either family, and an af-to rule keeps those of the other (the translated
	 * packet is routed); 14 has neither option */
	if (!po->prefer6) {
		pfm_decide_af(*hosts, &r->af);
		if (!r->afto)
			pfm_remove_invalid_hosts(hosts, &r->af);
		if (*hosts == NULL) {
			pfm_yyerror(c, "no routing address with matching address family "
			    "found.");
			return (-1);
		}
	}
	return (pfm_pool_check(c, r, *hosts, "routing",
	    "r.rpool.opts must be PF_POOL_ROUNDROBIN"));
}

/* FreeBSD 15's binat-to (parse.y bc0f7b9: check_binat_redirspec, add_binat_rdr_rule):
 * the rule goes out with nat-to, and a rule in with source and destination swapped
 * sends what comes back to the original source with rdr-to. */
static int
binat_to(struct pfm_pctx *c, struct pfm_rule *r, struct pfm_expand *e,
    const struct redirspec *nat)
{
	struct pfm_rule in;
	struct pfm_expand ei;
	struct node_host *dst, *rdr;

	r->direction = PFM_RDIR_OUT;
	in = *r;
	pfm_expand_rule(c, r, e);
	if (e->src == NULL)
		return (0);	/* check_binat_redirspec said why (no source) */
	in.direction = PFM_RDIR_IN;
	memset(&in.natpool, 0, sizeof(in.natpool));
	in.rdrpool = r->natpool;
	in.rdrpool.static_port = 0;
	in.rdrpool.proxy_port[0] = (uint16_t)nat->ra;
	in.rdrpool.proxy_port[1] = (uint16_t)nat->rb;
	if ((dst = pfm_nalloc(c, sizeof(*dst))) == NULL ||
	    (rdr = pfm_nalloc(c, sizeof(*rdr))) == NULL)
		return (-1);
	*dst = *nat->host;
	dst->next = NULL;
	dst->tail = dst;
	dst->ifname = NULL;
	*rdr = *e->src;
	rdr->next = NULL;
	rdr->tail = rdr;
	rdr->ifname = NULL;
	ei = *e;
	ei.src = e->dst;
	ei.sport = e->dport;
	ei.dst = dst;
	ei.dport = e->sport;
	ei.nathosts = NULL;
	ei.rdrhosts = rdr;
	pfm_expand_rule(c, &in, &ei);
	return (0);
}

int
pfm_parse_pfrule(struct pfm_pctx *c)
{
	struct pfm_rule r;
	struct pfm_expand e;
	struct filter_opts fo;
	struct pool_opts po;
	struct node_host *rhosts;
	int t = pfm_peek(c), rt, log, logif, quick;

	memset(&r, 0, sizeof(r));
	memset(&e, 0, sizeof(e));
	pfm_next(c);
	r.action = t == K_PASS ? PFM_R_PASS : t == K_MATCH ? PFM_R_MATCH : PFM_R_BLOCK;
	r.block = (enum pfm_block)c->failpolicy;
	if (t == K_BLOCK && pfm_parse_blockspec(c, &r) == -1)
		return (-1);
	if (t == K_PASS) {
		r.return_icmp = c->reticmp;
		r.return_icmp6 = c->reticmp6;
	}
	r.direction = pfm_accept(c, K_IN) ? PFM_RDIR_IN :
	    pfm_accept(c, K_OUT) ? PFM_RDIR_OUT : PFM_RDIR_ANY;
	if (pfm_parse_logquick(c, &log, &logif, &quick) == -1 ||
	    pfm_parse_interface(c, &e.ifs) == -1 ||
	    pfm_parse_route(c, &rhosts, &rt, &po) == -1)
		return (-1);
	if (pfm_parse_filter_tail(c, &r, &e, &fo) == -1)
		return (-1);
	if (pfm_rule_end(c, PFCTL_STATE_FILTER) == -1)
		return (-1);
	r.log = log;
	r.logall = (log & 0x02) != 0;
	r.logif = logif;
	r.quick = quick;
	copy_filter_opts(c, &r, &fo);
	if (pfm_tag_lengths(c, &fo) == -1)
		return (-1);
	r.flags = (uint8_t)fo.flags;
	r.flagset = (uint8_t)fo.flagset;
	if (pfm_flags_only_tcp(c, &fo, e.protos, e.oses) == -1)
		return (-1);
	if (state_and_defaults(c, &r, &fo) == -1)
		return (-1);
	r.fragment = fo.fragment;
	r.allow_opts = fo.allowopts;
	pfm_decide_af(e.src, &r.af);
	pfm_decide_af(e.dst, &r.af);
	r.afto = (fo.marker & FOM_AFTO) != 0;
	if (route_pool(c, &r, &rhosts, rt, &po) == -1)
		return (-1);
	if (c->fb15 && pfm_rule15(c, &r, &fo, e.src) == -1)
		return (-1);
	e.rpool = rt ? rhosts : NULL;
	e.uids = fo.uids;
	e.gids = fo.gids;
	e.icmp = fo.icmp;
	e.nathosts = fo.nat != NULL ? fo.nat->host : NULL;
	e.rdrhosts = fo.rdr != NULL ? fo.rdr->host : NULL;
	if (fo.nat != NULL && fo.nat->binat)
		return (binat_to(c, &r, &e, fo.nat));
	pfm_expand_rule(c, &r, &e);
	return (0);
}

/* One antispoof interface; "(if)" follows the interface's addresses as they change. */
static int
antispoof_if(struct pfm_pctx *c, struct node_if **i)
{
	int dyn = pfm_accept(c, '(');

	if (pfm_parse_if_item(c, i) == -1)
		return (-1);
	if (dyn && !pfm_accept(c, ')'))
		return (pfm_syntax(c));
	(*i)->dynamic = dyn;
	return (0);
}

/* antispoof's "for" part: one interface or a braced list of them. */
static int
antispoof_ifs(struct pfm_pctx *c, struct node_if **ifs)
{
	struct node_if *i;
	int braced = pfm_list_open(c);

	*ifs = NULL;
	do {
		if (antispoof_if(c, &i) == -1)
			return (-1);
		PFM_LIST_APPEND(*ifs, i);
	} while (pfm_list_more(c, braced));
	return (0);
}

/* antispoof's trailing options (label, ridentifier, rtable) into the rule template. */
static int
antispoof_opts(struct pfm_pctx *c, struct pfm_rule *r)
{
	int nlabel = 0;
	int64_t v;

	for (;;) {
		if (pfm_accept(c, K_LABEL)) {
			char *s;

			if (pfm_peek(c) != T_STRING)
				return (pfm_syntax(c));
			if (nlabel >= 5) {
				pfm_yyerror(c, "label can only be used %d times", 5);
				return (-1);
			}
			s = pfm_take_string(c);
			if (nlabel == 0)
				snprintf(r->label, sizeof(r->label), "%s", s);
			else
				snprintf(r->xlabel[nlabel - 1], sizeof(r->xlabel[0]),
				    "%s", s);
			nlabel++;
			free(s);
		} else if (pfm_accept(c, K_RIDENTIFIER)) {
			if (pfm_parse_number(c, &v) == -1)
				return (-1);
			r->ridentifier = (uint32_t)v;
		} else if (pfm_accept(c, K_RTABLE)) {
			if (pfm_parse_rtable(c, &r->rtableid) == -1)
				return (-1);
		} else
			return (0);
	}
}

/* The source of an antispoof rule for interface i: its networks (iflags
 * PFM_IFTL_NETWORK) or its addresses (0), kept dynamic for "(if)". */
static int
antispoof_src(struct pfm_pctx *c, const struct node_if *i, int iflags,
    struct node_host **h)
{
	if (!i->dynamic) {
		*h = pfm_ifa_lookup(c, i->ifname, iflags);
		return (0);
	}
	if ((*h = pfm_nalloc(c, sizeof(**h))) == NULL)
		return (-1);
	(*h)->addr.type = PFM_ADDR_DYNIFTL;
	pfm_set_ipmask(*h, 128);
	snprintf((*h)->addr.ifname, sizeof((*h)->addr.ifname), "%s", i->ifname);
	(*h)->addr.iflags = iflags;
	(*h)->tail = *h;
	return (0);
}

/* antispoof's rules for one interface: block in from its networks on other
 * interfaces ("! if"), and, unless a loopback, from its addresses on any. */
static int
antispoof_rules(struct pfm_pctx *c, const struct pfm_rule *tmpl,
    const struct node_if *i)
{
	struct pfm_rule r;
	struct pfm_expand e;
	struct node_if *j;
	struct node_host *h;
	int k;

	for (k = 0; k < 2; k++) {
		r = *tmpl;
		memset(&e, 0, sizeof(e));
		if (k == 0) {
			if ((j = pfm_nalloc(c, sizeof(*j))) == NULL)
				return (-1);
			snprintf(j->ifname, sizeof(j->ifname), "%s", i->ifname);
			j->not = 1;
			j->tail = j;
			e.ifs = j;
		} else if (i->loopback)
			break;
		if (antispoof_src(c, i, k == 0 ? PFM_IFTL_NETWORK : 0, &h) == -1)
			return (-1);
		e.src = h;
		if (h != NULL)
			pfm_expand_rule(c, &r, &e);
	}
	return (0);
}

/* antispoof: a block rule per interface network, and one for its addresses on
 * other interfaces unless it is a loopback. */
int
pfm_parse_antispoof(struct pfm_pctx *c)
{
	struct node_if *ifs, *i;
	struct pfm_rule tmpl;
	int log, logif, quick;

	pfm_next(c);
	if (pfm_parse_logquick(c, &log, &logif, &quick) == -1)
		return (-1);
	if (!pfm_accept(c, K_FOR))
		return (pfm_syntax(c));
	if (antispoof_ifs(c, &ifs) == -1)
		return (-1);
	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.action = PFM_R_BLOCK;
	tmpl.block = PFM_BLOCK_DROP;
	tmpl.direction = PFM_RDIR_IN;
	tmpl.log = log;
	tmpl.logall = (log & 2) != 0;
	tmpl.logif = logif;
	tmpl.quick = quick;
	tmpl.af = pfm_parse_af(c);
	tmpl.rtableid = -1;
	if (antispoof_opts(c, &tmpl) == -1)
		return (-1);
	if (pfm_rule_end(c, PFCTL_STATE_FILTER) == -1)
		return (-1);
	for (i = ifs; i != NULL; i = i->next)
		if (antispoof_rules(c, &tmpl, i) == -1)
			return (-1);
	return (0);
}
