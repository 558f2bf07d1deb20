/* pfm_parse.c: the pf.conf grammar's top level: statements, macros, include, error
 * recovery as pfctl's yacc parser does it, and the entry points of a parse. */
#include <sys/socket.h>

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_grammar.h"

/* --- statements --- */

static int
parse_varset(struct pfm_pctx *c)
{
	struct pfm_buf v = { 0 };
	char *name, *s;
	int n = 0;

	name = pfm_take_string(c);
	pfm_next(c);	/* '=' */
	for (;;) {
		int t = pfm_peek(c);

		if (t == T_NUMBER) {
			pfm_buf_printf(&v, "%s%lld", n ? " " : "", (long long)c->tok.num);
			pfm_next(c);
		} else if (t == T_STRING) {
			pfm_buf_printf(&v, "%s%s", n ? " " : "", c->tok.str);
			pfm_next(c);
		} else
			break;
		n++;
	}
	if (n == 0) {
		free(name);
		return (pfm_syntax(c));
	}
	pfm_pre(c, "%s = \"%s\"\n", name, v.s);
	/* parse.y's varset: `while (*s++) if (isspace(*s))`: the first character is
	 * not looked at, and an empty name ("" = ...) has nothing to look at */
	for (s = name; *s++ != '\0';)
		if (isspace((unsigned char)*s)) {
			pfm_yyerror(c, "macro name cannot contain whitespace");
			free(name);
			pfm_buf_free(&v);
			return (-1);
		}
	pfm_symset(c, name, v.s, 0);
	free(name);
	pfm_buf_free(&v);
	return (0);
}

static int
parse_include(struct pfm_pctx *c)
{
	char *path;

	pfm_next(c);
	if (pfm_peek(c) != T_STRING)
		return (pfm_syntax(c));
	path = pfm_take_string(c);
	/* The include reduces without a lookahead; the next token comes from the file. */
	if (pfm_lex_pushfile(c, path) == -1) {
		pfm_yyerror(c, "failed to include file %s", path);
		free(path);
		return (-1);
	}
	free(path);
	pfm_lex_unget_nl(c);
	return (0);
}

static int
parse_statement(struct pfm_pctx *c)
{
	int t = pfm_peek(c);

	switch (t) {
	case K_INCLUDE:
		return (parse_include(c));
	case K_SET:
		return (pfm_parse_option(c));
	case K_TABLE:
		return (pfm_parse_table(c));
	case K_ANTISPOOF:
		return (pfm_parse_antispoof(c));
	case K_PASS:
	case K_BLOCK:
	case K_MATCH:
		return (pfm_parse_pfrule(c));
	case K_SCRUB:
		return (pfm_parse_scrub(c));
	case K_ETHER:
		return (pfm_parse_ether(c));
	case K_NAT:
	case K_RDR:
		return (pfm_parse_natrule(c));
	case K_BINAT:
		return (pfm_parse_binat(c));
	case K_ANCHOR:
	case K_NATANCHOR:
	case K_RDRANCHOR:
	case K_BINATANCHOR:
		return (pfm_parse_anchorrule(c));
	case K_LOAD:
		return (pfm_parse_loadrule(c));
	case K_ALTQ:
		return (pfm_parse_altq(c));
	case K_QUEUE:
		return (pfm_parse_queue(c));
	case K_NO:
		/* "no" starts only scrub, nat, rdr and binat, parsed as without it */
		pfm_next(c);
		c->no = 1;
		t = pfm_peek(c);
		if (t != K_SCRUB && t != K_NAT && t != K_RDR && t != K_BINAT)
			return (pfm_syntax(c));
		return (parse_statement(c));
	case T_STRING:
		pfm_peek(c);
		{
			/* STRING '=' : a macro; anything else is an error */
			struct pfm_tok save = c->tok;
			int t2;

			c->tok.str = NULL;
			c->havetok = 0;
			t2 = pfm_peek(c);
			if (t2 == '=') {
				/* put the name back as the lookahead, '=' next */
				struct pfm_tok eq = c->tok;

				c->tok = save;
				c->pending = eq;
				c->havepending = 1;
				return (parse_varset(c));
			}
			free(save.str);
			if (c->errflag > 0)
				c->errflag--;
			return (pfm_syntax(c));
		}
	default:
		return (pfm_syntax(c));
	}
}

/* After a statement: the newline that ends it. */
static int
expect_eol(struct pfm_pctx *c)
{
	int t = pfm_peek(c);

	if (t == '\n') {
		pfm_next(c);
		return (0);
	}
	if (t == T_EOF)
		return (0);
	return (pfm_syntax(c));
}

static void
recover(struct pfm_pctx *c)
{
	int t;

	c->errflag = 3;
	while ((t = pfm_peek(c)) != '\n' && t != T_EOF)
		pfm_discard(c);
	if (t == '\n')
		pfm_next(c);
}

static void
parse_all(struct pfm_pctx *c)
{
	for (;;) {
		int t = pfm_peek(c);

		c->no = 0;
		if (t == T_EOF)
			break;
		if (t == '\n') {
			pfm_next(c);
			continue;
		}
		if (parse_statement(c) == -1 || expect_eol(c) == -1)
			recover(c);
	}
}

/* Parse, keeping what was built even when there were errors (*ok says which). */
struct pfm_ruleset *
pfm_ruleset_parse_all(const char *text, const struct pfm_load_opts *opts,
    const struct pfm_host *host, struct diag *d, int *ok)
{
	struct pfm_pctx c;
	struct pfm_host defhost;
	char err[256];
	int i;

	*ok = 0;
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.opts = opts;
	c.fb15 = opts != NULL && opts->freebsd == PFM_FREEBSD_15;
	c.tabledef = pfm_parse_table;
	if (host == NULL) {
		pfm_host_default(&defhost);
		host = &defhost;
	}
	c.host = host;
	if ((c.rs = pfm_ruleset_new()) == NULL)
		return (NULL);
	if ((c.svc = pfm_svc_load(opts ? opts->services : NULL, err, sizeof(err))) == NULL) {
		diag_add(d, NULL, 0, "%s", err);
		pfm_ruleset_free(c.rs);
		return (NULL);
	}
	c.rs->svc = c.svc;
	c.rs->freebsd = c.fb15 ? PFM_FREEBSD_15 : PFM_FREEBSD_14;
	c.require_order = 1;
	c.blockpolicy = PFM_BLOCK_DROP;
	c.failpolicy = PFM_BLOCK_DROP;
	c.reticmp = (3 << 8) | 3;	/* unreach port */
	c.reticmp6 = (1 << 8) | 4;	/* dst-unreach no-port */
	c.tail[RS_SCRUB] = &c.rs->scrub;
	c.tail[RS_FILTER] = &c.rs->rules;
	c.tail[RS_NAT] = &c.rs->nat;
	c.tail[RS_RDR] = &c.rs->rdr;
	c.tail[RS_BINAT] = &c.rs->binat;
	if (pfm_lex_init(&c, opts && opts->file ? opts->file : "stdin", text,
	    opts != NULL && opts->len != 0 ? opts->len : strlen(text)) == -1) {
		pfm_ruleset_free(c.rs);
		return (NULL);
	}
	for (i = 0; opts != NULL && i < opts->ndefine; i++)
		pfm_symset(&c, opts->define[i].name, opts->define[i].value, 1);
	c.loadtail = &c.loads;
	parse_all(&c);
	if (c.loads != NULL && c.rs_errors == 0) {	/* pfctl stops before loading */
		/* the main ruleset's preamble ends here; each file gets its own */
		c.rs->preamble = c.pre.s != NULL ? c.pre.s : strdup("");
		memset(&c.pre, 0, sizeof(c.pre));
		c.havetok = 0;
		c.errflag = 0;
		pfm_load_anchors(&c, parse_all);
		pfm_buf_free(&c.pre);
	}
	pfm_lex_done(&c);
	pfm_arena_free(&c);
	c.rs->nscrub = c.nr[RS_SCRUB];
	c.rs->nrules = c.nr[RS_FILTER];
	c.rs->nnat = c.nr[RS_NAT];
	c.rs->nrdr = c.nr[RS_RDR];
	c.rs->nbinat = c.nr[RS_BINAT];
	c.rs->require_order = c.require_order;
	c.rs->if_bound = c.default_statelock;
	if (c.rs->preamble == NULL)
		c.rs->preamble = c.pre.s ? c.pre.s : strdup("");
	*ok = (c.rs_errors == 0);
	/* pfctl_load_ruleset: the optimizer on the filter rules, at -o's level, else
	 * `set ruleset-optimization`'s, else basic (pfctl's default) */
	if (*ok && (opts == NULL || !(opts->opts & PFM_OPT_OPTIMIZE_NONE)) &&
	    ((opts != NULL && (opts->opts & PFM_OPT_OPTIMIZE_BASIC)) ||
	    c.rs->optimize != 0) &&
	    pfm_ruleset_optimize(c.rs, host, opts != NULL &&
	    (opts->opts & PFM_OPT_NOACTION)) == -1) {
		diag_add(d, NULL, 0, "pfctl: out of memory");
		*ok = 0;
	}
	return (c.rs);
}

int
pfm_freebsd_parse(const char *s)
{
	if (s != NULL && strcmp(s, "14") == 0)
		return (PFM_FREEBSD_14);
	if (s != NULL && strcmp(s, "15") == 0)
		return (PFM_FREEBSD_15);
	return (-1);
}

struct pfm_ruleset *
pfm_ruleset_parse(const char *text, const struct pfm_load_opts *opts,
    const struct pfm_host *host, struct diag *d)
{
	struct pfm_ruleset *rs;
	int ok;

	rs = pfm_ruleset_parse_all(text, opts, host, d, &ok);
	if (rs != NULL && !ok) {
		pfm_ruleset_free(rs);
		rs = NULL;
	}
	return (rs);
}
