/* pfm_parse_opt.c: "set" options, printed as pfctl -v prints them while it parses
 * (table definitions: pfm_parse_table.c). */
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"
#include "pfm_parse_rule.h"

struct hint { const char *name; int tm; uint32_t v; };

static const struct hint hint_normal[] = {
	{ "tcp.first", PFM_TM_TCP_FIRST, 120 }, { "tcp.opening", PFM_TM_TCP_OPENING, 30 },
	{ "tcp.established", PFM_TM_TCP_ESTABLISHED, 86400 },
	{ "tcp.closing", PFM_TM_TCP_CLOSING, 900 }, { "tcp.finwait", PFM_TM_TCP_FINWAIT, 45 },
	{ "tcp.closed", PFM_TM_TCP_CLOSED, 90 }, { "tcp.tsdiff", PFM_TM_TS_DIFF, 30 },
	{ NULL, 0, 0 }
}, hint_satellite[] = {
	{ "tcp.first", PFM_TM_TCP_FIRST, 3 * 60 },
	{ "tcp.opening", PFM_TM_TCP_OPENING, 30 + 5 },
	{ "tcp.established", PFM_TM_TCP_ESTABLISHED, 86400 },
	{ "tcp.closing", PFM_TM_TCP_CLOSING, 15 * 60 + 5 },
	{ "tcp.finwait", PFM_TM_TCP_FINWAIT, 45 + 5 },
	{ "tcp.closed", PFM_TM_TCP_CLOSED, 90 + 5 }, { "tcp.tsdiff", PFM_TM_TS_DIFF, 60 },
	{ NULL, 0, 0 }
}, hint_conservative[] = {
	{ "tcp.first", PFM_TM_TCP_FIRST, 60 * 60 },
	{ "tcp.opening", PFM_TM_TCP_OPENING, 15 * 60 },
	{ "tcp.established", PFM_TM_TCP_ESTABLISHED, 5 * 24 * 60 * 60 },
	{ "tcp.closing", PFM_TM_TCP_CLOSING, 60 * 60 },
	{ "tcp.finwait", PFM_TM_TCP_FINWAIT, 10 * 60 },
	{ "tcp.closed", PFM_TM_TCP_CLOSED, 3 * 90 }, { "tcp.tsdiff", PFM_TM_TS_DIFF, 60 },
	{ NULL, 0, 0 }
}, hint_aggressive[] = {
	{ "tcp.first", PFM_TM_TCP_FIRST, 30 }, { "tcp.opening", PFM_TM_TCP_OPENING, 5 },
	{ "tcp.established", PFM_TM_TCP_ESTABLISHED, 5 * 60 * 60 },
	{ "tcp.closing", PFM_TM_TCP_CLOSING, 60 }, { "tcp.finwait", PFM_TM_TCP_FINWAIT, 30 },
	{ "tcp.closed", PFM_TM_TCP_CLOSED, 30 }, { "tcp.tsdiff", PFM_TM_TS_DIFF, 10 },
	{ NULL, 0, 0 }
};

static const struct { const char *name; const struct hint *h; } hints[] = {
	{ "normal", hint_normal }, { "satellite", hint_satellite },
	{ "high-latency", hint_satellite }, { "conservative", hint_conservative },
	{ "aggressive", hint_aggressive },
};

static int
set_timeout(struct pfm_pctx *c, const char *name, int64_t v, int quiet)
{
	int i;

	for (i = 0; pfm_timeouts[i].name != NULL; i++)
		if (strcasecmp(name, pfm_timeouts[i].name) == 0)
			break;
	if (pfm_timeouts[i].name == NULL) {
		pfm_raw(c, "pfctl: Bad timeout name.");
		return (-1);
	}
	c->rs->timeout[pfm_timeouts[i].tm] = (uint32_t)v;
	c->rs->timeout_set |= 1u << pfm_timeouts[i].tm;
	if (!quiet)
		pfm_pre(c, "set timeout %s %d\n", name, (int)v);
	return (0);
}

/* The number after a timeout's or limit's name, with the option order and range
 * checks: 0, or -1 with name freed. */
static int
spec_value(struct pfm_pctx *c, char *name, int64_t *v)
{
	if (pfm_peek(c) != T_NUMBER) {
		free(name);
		return (pfm_syntax(c));
	}
	*v = c->tok.num;
	pfm_next(c);
	if (pfm_check_rulestate(c, PFCTL_STATE_OPTION)) {
		free(name);
		return (-1);
	}
	if (*v < 0 || *v > UINT32_MAX) {
		pfm_yyerror(c, "only positive values permitted");
		free(name);
		return (-1);
	}
	return (0);
}

static int
timeout_spec(struct pfm_pctx *c)
{
	int64_t v;
	char *name;

	if (pfm_accept(c, K_INTERVAL))
		name = strdup("interval");
	else if (pfm_peek(c) == T_STRING)
		name = pfm_take_string(c);
	else
		return (pfm_syntax(c));
	if (spec_value(c, name, &v) == -1)
		return (-1);
	if (set_timeout(c, name, v, 0) == -1) {
		if (strcmp(name, "interval") != 0)
			pfm_yyerror(c, "unknown timeout %s", name);
		free(name);
		return (-1);
	}
	free(name);
	return (0);
}

static int
limit_spec(struct pfm_pctx *c)
{
	static const char *const names[] = { "states", "src-nodes", "frags",
	    "table-entries" };
	char *name;
	int64_t v;
	size_t i;

	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	name = pfm_take_string(c);
	if (spec_value(c, name, &v) == -1)
		return (-1);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i]) == 0)
			break;
	if (i == sizeof(names) / sizeof(names[0])) {
		pfm_raw(c, "pfctl: Bad pool name.");
		pfm_yyerror(c, "unable to set limit %s %u", name, (unsigned)v);
		free(name);
		return (-1);
	}
	if (i == 0) {
		c->rs->limit_states = (uint32_t)v;
		c->rs->limit_states_set = 1;
	}
	else if (i == 1)
		c->rs->limit_src_nodes = (uint32_t)v;
	else if (i == 2)
		c->rs->limit_frags = (uint32_t)v;
	else
		c->rs->limit_table_entries = (uint32_t)v;
	pfm_pre(c, "set limit %s %d\n", name, (int)v);
	free(name);
	return (0);
}

/* spec, or '{' optnl spec optnl [, spec optnl]... '}' */
static int
spec_list(struct pfm_pctx *c, int (*spec)(struct pfm_pctx *))
{
	int braced = pfm_list_open(c);

	do {
		if (spec(c) == -1)
			return (-1);
	} while (pfm_list_more(c, braced));
	return (0);
}

static int
yesno(struct pfm_pctx *c, int *v)
{
	char *s;

	if (pfm_accept(c, K_NO)) {
		*v = 0;
		return (0);
	}
	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	s = pfm_take_string(c);
	if (strcmp(s, "yes") != 0) {
		pfm_yyerror(c, "invalid value '%s', expected 'yes' or 'no'", s);
		free(s);
		return (-1);
	}
	free(s);
	*v = 1;
	return (0);
}

static int
opt_skip(struct pfm_pctx *c)
{
	struct node_if *ifs, *i;
	int errs = 0;

	if (pfm_parse_interface(c, &ifs) == -1)
		return (-1);
	if (pfm_peek(c) != '\n' && pfm_peek(c) != T_EOF)
		return (pfm_syntax(c));
	if (ifs == NULL || (ifs->next == NULL && !ifs->not &&
	    strcmp(ifs->ifname, "none") == 0)) {
		pfm_pre(c, "set skip on none\n");
		c->rs->nskip = 0;
		return (0);
	}
	pfm_pre(c, "set skip on {");
	for (i = ifs; i != NULL; i = i->next) {
		pfm_pre(c, " %s", i->ifname);
		if (i->not) {
			pfm_yyerror(c, "skip on ! <interface> is not supported");
			errs++;
		} else if (c->rs->nskip < 16)
			snprintf(c->rs->skip[c->rs->nskip++], PFM_IFNAMSIZ, "%s",
			    i->ifname);
	}
	pfm_pre(c, " }\n");
	if (errs) {
		pfm_yyerror(c, "error setting skip interface(s)");
		return (-1);
	}
	return (0);
}

/* A "set" option's STRING (or, with all, "all"), then pfctl's option order check:
 * 0 with *s the caller's to free, or -1. */
static int
opt_arg(struct pfm_pctx *c, int all, char **s)
{
	if (all && pfm_accept(c, K_ALL))
		*s = strdup("all");
	else if (pfm_peek(c) == T_STRING)
		*s = pfm_take_string(c);
	else
		return (pfm_syntax(c));
	if (pfm_check_rulestate(c, PFCTL_STATE_OPTION)) {
		free(*s);
		return (-1);
	}
	return (0);
}

static int
opt_policy(struct pfm_pctx *c, int fail)
{
	int ret;

	if (pfm_accept(c, K_DROP))
		ret = 0;
	else if (pfm_accept(c, K_RETURN))
		ret = 1;
	else
		return (pfm_syntax(c));
	pfm_pre(c, "set %s %s\n", fail ? "fail-policy" : "block-policy",
	    ret ? "return" : "drop");
	if (pfm_check_rulestate(c, PFCTL_STATE_OPTION))
		return (-1);
	if (fail)
		c->failpolicy = c->rs->fail_policy = ret ? PFM_BLOCK_RETURN :
		    PFM_BLOCK_DROP;
	else
		c->blockpolicy = c->rs->block_policy = ret ? PFM_BLOCK_RETURN :
		    PFM_BLOCK_DROP;
	return (0);
}

static int
opt_optimization(struct pfm_pctx *c)
{
	char *s;
	size_t i;
	int j;

	if (opt_arg(c, 0, &s) == -1)
		return (-1);
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcasecmp(s, hints[i].name) == 0)
			break;
	if (i == sizeof(hints) / sizeof(hints[0])) {
		pfm_raw(c, "pfctl: invalid state timeouts optimization");
		pfm_yyerror(c, "unknown optimization %s", s);
		free(s);
		return (-1);
	}
	for (j = 0; hints[i].h[j].name != NULL; j++) {
		c->rs->timeout[hints[i].h[j].tm] = hints[i].h[j].v;
		c->rs->timeout_set |= 1u << hints[i].h[j].tm;
	}
	pfm_pre(c, "set optimization %s\n", s);
	free(s);
	return (0);
}

/* syncookie_opt: one "start n%" (into *hi) or "end n%" (into *lo) of adaptive mode. */
static int
syncookie_opt(struct pfm_pctx *c, int *lo, int *hi)
{
	char *k, *v, *p;
	double d;

	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	k = pfm_take_string(c);
	if (pfm_peek(c) != T_STRING) {
		free(k);
		return (pfm_syntax(c));
	}
	v = pfm_take_string(c);
	d = strtod(v, &p);
	if (strcmp(p, "%") != 0) {
		free(k);
		free(v);
		return (pfm_syntax(c));
	}
	free(v);
	if (d <= 0 || d > 100) {
		free(k);
		pfm_yyerror(c, "illegal percentage value");
		return (-1);
	}
	if (!strcmp(k, "start"))
		*hi = (int)d;
	else if (!strcmp(k, "end"))
		*lo = (int)d;
	else {
		free(k);
		pfm_yyerror(c, "illegal syncookie option");
		return (-1);
	}
	free(k);
	return (0);
}

static int
opt_syncookies(struct pfm_pctx *c)
{
	char *v;
	int mode, lo = 0, hi = 0, set = 0;

	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	v = pfm_take_string(c);
	mode = !strcmp(v, "never") ? 0 : !strcmp(v, "always") ? 1 :
	    !strcmp(v, "adaptive") ? 2 : -1;
	free(v);
	if (mode == -1) {
		pfm_yyerror(c, "illegal value for syncookies");
		return (-1);
	}
	if (pfm_accept(c, '(')) {
		for (;;) {
			if (syncookie_opt(c, &lo, &hi) == -1)
				return (-1);
			set = 1;
			if (pfm_accept(c, ')'))
				break;
			pfm_comma(c);
		}
	}
	if (mode != 2 && set) {
		pfm_raw(c, "pfctl: syncookies start/end only apply to adaptive");
		pfm_yyerror(c, "error setting syncookies");
		return (-1);
	}
	if (set) {
		if (!hi)
			hi = 25;
		if (!lo)
			lo = hi / 2;
		if (lo >= hi) {
			pfm_raw(c, "pfctl: start must be higher than end");
			pfm_yyerror(c, "error setting syncookies");
			return (-1);
		}
	}
	c->rs->syncookies = mode;	/* PFM_SYNCOOKIES_* in pfctl's order */
	if (set) {
		c->rs->syncookies_hi = hi;
		c->rs->syncookies_lo = lo;
	}
	if (mode == 0)
		pfm_pre(c, "set syncookies never\n");
	else if (mode == 1)
		pfm_pre(c, "set syncookies always\n");
	else if (set)
		pfm_pre(c, "set syncookies adaptive (start %u%%, end %u%%)\n", hi, lo);
	else
		pfm_pre(c, "set syncookies adaptive\n");
	return (0);
}

/* string_to_loglevel: PFM_DEBUG_* for a `set debug` word, -1 unknown. */
static int
debug_level(const char *s)
{
	static const char *const lvl[] = { "none", "urgent", "misc", "loud" };
	int i;

	for (i = 0; i < (int)(sizeof(lvl) / sizeof(lvl[0])); i++)
		if (strcmp(s, lvl[i]) == 0)
			return (i);
	return (-1);
}

static int
opt_misc(struct pfm_pctx *c, int t)
{
	char *s = NULL;
	int64_t v;
	int yn, nodf;

	switch (t) {
	case K_REASSEMBLE:
		if (yesno(c, &yn) == -1)
			return (-1);
		nodf = pfm_accept(c, K_NODF);
		if (pfm_check_rulestate(c, PFCTL_STATE_OPTION))
			return (-1);
		pfm_pre(c, "set reassemble %s %s\n", yn ? "yes" : "no", nodf ? "no-df" : "");
		return (0);
	case K_LOGINTERFACE:
		if (opt_arg(c, 1, &s) == -1)
			return (-1);
		pfm_pre(c, "set loginterface %s\n", s);
		free(s);
		return (0);
	case K_HOSTID:
		if (pfm_parse_number(c, &v) == -1)
			return (-1);
		if (v == 0 || v > UINT32_MAX) {
			pfm_yyerror(c, "hostid must be non-zero");
			return (-1);
		}
		pfm_pre(c, "set hostid 0x%08x\n", (unsigned)v);
		c->rs->hostid = (uint32_t)v;
		return (0);
	case K_DEBUG:
		if (opt_arg(c, 0, &s) == -1)
			return (-1);
		if ((v = debug_level(s)) == -1) {
			pfm_raw(c, "pfctl: unknown debug level \"%s\"", s);
			pfm_yyerror(c, "error setting debuglevel %s", s);
			free(s);
			return (-1);
		}
		c->rs->debug = (int)v;
		pfm_pre(c, "set debug %s\n", s);
		free(s);
		return (0);
	case K_FINGERPRINTS:
		if (pfm_peek(c) != T_STRING)
			return (pfm_syntax(c));
		s = pfm_take_string(c);
		pfm_pre(c, "set fingerprints \"%s\"\n", s);
		free(s);
		return (pfm_check_rulestate(c, PFCTL_STATE_OPTION) ? -1 : 0);
	default:
		return (pfm_syntax(c));
	}
}

int
pfm_parse_option(struct pfm_pctx *c)
{
	int t, yn;

	pfm_next(c);	/* set */
	t = pfm_peek(c);
	if (t != K_SKIP && t != K_TIMEOUT && t != K_LIMIT)
		pfm_next(c);
	switch (t) {
	case K_OPTIMIZATION:
		return (opt_optimization(c));
	case K_RULESET_OPTIMIZATION: {
		char *s;

		if (pfm_peek(c) != T_STRING)
			return (pfm_syntax(c));
		s = pfm_take_string(c);
		if (strcmp(s, "none") && strcmp(s, "basic") && strcmp(s, "profile")) {
			pfm_yyerror(c, "unknown ruleset-optimization %s", s);
			free(s);
			return (-1);
		}
		/* parse.y: the first one counts, and pfctl -o over any */
		if (c->rs->optimize == -1)
			c->rs->optimize = strcmp(s, "none") == 0 ? 0 :
			    strcmp(s, "basic") == 0 ? 1 : 2;
		free(s);
		return (0);
	}
	case K_TIMEOUT:
		pfm_next(c);
		return (spec_list(c, timeout_spec));
	case K_LIMIT:
		pfm_next(c);
		return (spec_list(c, limit_spec));
	case K_BLOCKPOLICY:
		return (opt_policy(c, 0));
	case K_FAILPOLICY:
		return (opt_policy(c, 1));
	case K_REQUIREORDER:
		if (yesno(c, &yn) == -1)
			return (-1);
		pfm_pre(c, "set require-order %s\n", yn ? "yes" : "no");
		c->require_order = yn;
		return (0);
	case K_STATEPOLICY:
		if (pfm_accept(c, K_IFBOUND))
			yn = 1;
		else if (pfm_accept(c, K_FLOATING))
			yn = 0;
		else
			return (pfm_syntax(c));
		pfm_pre(c, "set state-policy %s\n", yn ? "if-bound" : "floating");
		c->default_statelock = yn;
		return (0);
	case K_SKIP:
		pfm_next(c);
		return (opt_skip(c));
	case K_STATEDEFAULTS: {
		struct node_state_opt *o;

		if (pfm_parse_state_opt_list(c, &o) == -1)
			return (-1);
		if (c->state_defaults != NULL) {
			pfm_yyerror(c, "cannot redefine state-defaults");
			return (-1);
		}
		c->state_defaults = o;
		return (0);
	}
	case K_KEEPCOUNTERS:
		/* parse.y: pf->keep_counters = true; pfctl_load_options hands it
		 * to pf (DIOCKEEPCOUNTERS) with every load of the main ruleset */
		c->rs->keep_counters = 1;
		return (0);
	case K_SYNCOOKIES:
		return (opt_syncookies(c));
	default:
		return (opt_misc(c, t));
	}
}
