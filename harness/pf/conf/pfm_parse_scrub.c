/* pfm_parse_scrub.c: scrub rules and the scrub options (also inside a filter rule's
 * `scrub (...)`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

/* scrub_once: a scrub flag without a value (no-df, random-id), given at most once. */
static int
scrub_once(struct pfm_pctx *c, int *flag, const char *name)
{
	pfm_next(c);
	if (*flag) {
		pfm_yyerror(c, "%s cannot be respecified", name);
		return (-1);
	}
	*flag = 1;
	return (0);
}

/* scrub_ttl_mss: "min-ttl n" or "max-mss n". */
static int
scrub_ttl_mss(struct pfm_pctx *c, struct scrub_opts *so)
{
	int mss = pfm_peek(c) == K_MAXMSS;
	int64_t v;

	pfm_next(c);
	if (pfm_peek(c) != T_NUMBER)
		return (pfm_syntax(c));
	v = c->tok.num;
	pfm_next(c);
	if (so->marker & (mss ? FOM_MAXMSS : FOM_MINTTL)) {
		pfm_yyerror(c, "%s cannot be respecified", mss ? "max-mss" : "min-ttl");
		return (-1);
	}
	if (v < 0 || v > (mss ? 65535 : 255)) {
		pfm_yyerror(c, "illegal %s value %lld", mss ? "max-mss" : "min-ttl",
		    (long long)v);
		return (-1);
	}
	so->marker |= mss ? FOM_MAXMSS : FOM_MINTTL;
	if (mss)
		so->maxmss = (int)v;
	else
		so->minttl = (int)v;
	return (0);
}

/* scrub_settos: "set-tos n", n a number or a 0x hex string. */
static int
scrub_settos(struct pfm_pctx *c, struct scrub_opts *so)
{
	int tos;

	pfm_next(c);
	if (pfm_peek(c) == T_NUMBER) {
		tos = (int)c->tok.num;
		pfm_next(c);
	} else if (pfm_peek(c) == T_STRING) {
		char *s = pfm_take_string(c), *end;

		tos = (int)strtol(s, &end, 16);
		if (s[0] != '0' || s[1] != 'x' || *end != '\0')
			tos = 256;
		if (tos < 0 || tos > 255) {
			pfm_yyerror(c, "illegal tos value %s", s);
			free(s);
			return (-1);
		}
		free(s);
	} else
		return (pfm_syntax(c));
	if (pfm_mark_once(c, &so->marker, FOM_SETTOS,
	    "set-tos cannot be respecified") == -1)
		return (-1);
	so->settos = tos;
	return (0);
}

/* scrub_fragment: "fragment [no] reassemble". */
static int
scrub_fragment(struct pfm_pctx *c, struct scrub_opts *so)
{
	int no;

	pfm_next(c);
	no = pfm_accept(c, K_NO);
	if (!pfm_accept(c, K_REASSEMBLE))
		return (pfm_syntax(c));
	if (pfm_mark_once(c, &so->marker, FOM_FRAGCACHE,
	    "fragcache cannot be respecified") == -1)
		return (-1);
	so->fragcache = no;
	return (0);
}

/* scrub_reassemble: "reassemble tcp", the only protocol pfctl accepts. */
static int
scrub_reassemble(struct pfm_pctx *c, struct scrub_opts *so)
{
	char *s;

	pfm_next(c);
	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	s = pfm_take_string(c);
	if (strcasecmp(s, "tcp") != 0) {
		pfm_yyerror(c, "scrub reassemble supports only tcp, not '%s'", s);
		free(s);
		return (-1);
	}
	free(s);
	if (so->reassemble_tcp) {
		pfm_yyerror(c, "reassemble tcp cannot be respecified");
		return (-1);
	}
	so->reassemble_tcp = 1;
	return (0);
}

/* scrub_opt: one scrub option; 0 parsed, 1 not a scrub option, -1 error. */
static int
scrub_opt(struct pfm_pctx *c, struct scrub_opts *so)
{
	switch (pfm_peek(c)) {
	case K_NODF:
		return (scrub_once(c, &so->nodf, "no-df"));
	case K_MINTTL:
	case K_MAXMSS:
		return (scrub_ttl_mss(c, so));
	case K_SETTOS:
		return (scrub_settos(c, so));
	case K_FRAGMENT:
		return (scrub_fragment(c, so));
	case K_REASSEMBLE:
		return (scrub_reassemble(c, so));
	case K_RANDOMID:
		return (scrub_once(c, &so->randomid, "random-id"));
	case K_RTABLE:
		pfm_next(c);
		return (pfm_parse_rtable(c, &so->rtableid));
	case '!':
	case K_TAGGED:
		so->match_tag_not = pfm_accept(c, '!');
		if (!pfm_accept(c, K_TAGGED))
			return (pfm_syntax(c));
		return (pfm_parse_string(c, &so->match_tag));
	default:
		return (1);
	}
}

int
pfm_parse_scrub_opts(struct pfm_pctx *c, struct scrub_opts *so)
{
	int rv, n = 0;

	memset(so, 0, sizeof(*so));
	so->rtableid = -1;
	for (;;) {
		if ((rv = scrub_opt(c, so)) == -1)
			return (-1);
		if (rv == 1)
			return (n && pfm_peek(c) == ',' ? pfm_syntax(c) : 0);
		n++;
		pfm_comma(c);
	}
}

int
pfm_parse_scrub(struct pfm_pctx *c)
{
	struct pfm_rule r;
	struct pfm_expand e;
	struct scrub_opts so;
	int log, logif, quick;

	memset(&r, 0, sizeof(r));
	memset(&e, 0, sizeof(e));
	pfm_next(c);	/* scrub */
	r.action = c->no ? PFM_R_NOSCRUB : PFM_R_SCRUB;
	r.direction = pfm_accept(c, K_IN) ? PFM_RDIR_IN :
	    pfm_accept(c, K_OUT) ? PFM_RDIR_OUT : PFM_RDIR_ANY;
	if (pfm_parse_logquick(c, &log, &logif, &quick) == -1 ||
	    pfm_parse_interface(c, &e.ifs) == -1)
		return (-1);
	r.af = pfm_parse_af(c);
	if (pfm_parse_proto(c, &e.protos) == -1 ||
	    pfm_parse_fromto(c, &e.src, &e.sport, &e.oses, &e.dst, &e.dport) == -1 ||
	    pfm_parse_scrub_opts(c, &so) == -1)
		return (-1);
	if (pfm_rule_end(c, PFCTL_STATE_SCRUB) == -1)
		return (-1);
	r.log = log;
	r.logall = (log & 2) != 0;
	r.logif = logif;
	if (quick) {
		pfm_yyerror(c, "scrub rules do not support 'quick'");
		return (-1);
	}
	if (so.nodf)
		r.scrub_flags |= PFM_SCRUB_NODF;
	if (so.randomid)
		r.scrub_flags |= PFM_SCRUB_RANDOM_ID;
	if (so.reassemble_tcp) {
		if (r.direction != PFM_RDIR_ANY) {
			pfm_yyerror(c, "reassemble tcp rules can not specify direction");
			return (-1);
		}
		r.scrub_flags |= PFM_SCRUB_REASSEMBLE_TCP;
	}
	r.min_ttl = so.minttl;
	r.max_mss = so.maxmss;
	if (so.marker & FOM_SETTOS) {
		r.has_set_tos = 1;
		r.set_tos = (uint8_t)so.settos;
	}
	r.fragment_noreass = so.fragcache;
	if (so.match_tag != NULL && pfm_set_tag(c, r.tagged, so.match_tag) == -1)
		return (-1);
	r.match_tag_not = so.match_tag_not;
	r.rtableid = so.rtableid;
	pfm_expand_rule(c, &r, &e);
	return (0);
}
