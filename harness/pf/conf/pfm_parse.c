/* pfm_parse.c: the pf.conf grammar's top level (statements, macros, include, error
 * recovery as pfctl's yacc parser does it) and the ruleset's life cycle. */
#include <sys/socket.h>

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfm_parse.h"

void
pfm_buf_printf(struct pfm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->s != NULL && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		{
			size_t cap = b->cap ? b->cap : 256;
			char *ns;

			while (cap < b->len + (size_t)n + 1)
				cap *= 2;
			if ((ns = realloc(b->s, cap)) == NULL)
				return;
			b->s = ns;
			b->cap = cap;
			b->s[b->len] = '\0';
		}
	}
}

void
pfm_buf_free(struct pfm_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

struct arena {
	struct arena	*next;
	max_align_t	 data[];
};

void *
pfm_nalloc(struct pfm_pctx *c, size_t n)
{
	struct arena *a;

	if ((a = calloc(1, sizeof(*a) + n)) == NULL)
		return (NULL);
	a->next = c->arena;
	c->arena = a;
	return (a->data);
}

char *
pfm_nstrdup(struct pfm_pctx *c, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p;

	if ((p = pfm_nalloc(c, n)) != NULL)
		memcpy(p, s, n);
	return (p);
}

static void
arena_free(struct pfm_pctx *c)
{
	struct arena *a, *n;

	for (a = c->arena; a != NULL; a = n) {
		n = a->next;
		free(a);
	}
	c->arena = NULL;
}

/* --- tokens --- */

int
pfm_peek(struct pfm_pctx *c)
{
	if (!c->havetok) {
		pfm_lex(c, &c->tok);
		c->havetok = 1;
	}
	return (c->tok.type);
}

static void
discard(struct pfm_pctx *c)
{
	pfm_peek(c);
	free(c->tok.str);
	c->tok.str = NULL;
	c->havetok = 0;
	if (c->havepending) {
		c->tok = c->pending;
		c->havepending = 0;
		c->havetok = 1;
	}
}

void
pfm_next(struct pfm_pctx *c)
{
	discard(c);
	if (c->errflag > 0)
		c->errflag--;
}

char *
pfm_take_string(struct pfm_pctx *c)
{
	char *s;

	pfm_peek(c);
	s = c->tok.str;
	c->tok.str = NULL;
	pfm_next(c);
	return (s);
}

int
pfm_accept(struct pfm_pctx *c, int type)
{
	if (pfm_peek(c) != type)
		return (0);
	pfm_next(c);
	return (1);
}

static void
pfm_addline(struct pfm_pctx *c, const char *file, int line, const char *msg)
{
	diag_add(c->d, file, line, "%s", msg);
}

/* yyerror: `file:line: message` at the line of the last token read; counts an error. */
int
pfm_yyerror(struct pfm_pctx *c, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->file->errors++;
	c->rs_errors++;
	pfm_addline(c, c->file->name, c->toklineno, msg);
	return (0);
}

/* A parse error: "syntax error" unless yacc would still be recovering. Returns -1. */
int
pfm_syntax(struct pfm_pctx *c)
{
	pfm_peek(c);
	if (c->errflag == 0)
		pfm_yyerror(c, "syntax error");
	else
		c->rs_errors++;
	return (-1);
}

/* A message pfctl writes with warnx/fprintf, without `file:line:`. */
void
pfm_raw(struct pfm_pctx *c, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_raw(c->d, msg);
}

/* What pfctl -v prints while parsing. */
void
pfm_pre(struct pfm_pctx *c, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pfm_buf_printf(&c->pre, "%s", msg);
}

int
pfm_check_rulestate(struct pfm_pctx *c, int desired)
{
	if (c->require_order && c->rulestate > desired) {
		pfm_yyerror(c, "Rules must be in order: options, ethernet, "
		    "normalization, queueing, translation, filtering");
		return (1);
	}
	c->rulestate = desired;
	return (0);
}

void
pfm_optnl(struct pfm_pctx *c)
{
	while (pfm_peek(c) == '\n')
		pfm_next(c);
}

int
pfm_comma(struct pfm_pctx *c)
{
	return (pfm_accept(c, ','));
}

int
pfm_list_open(struct pfm_pctx *c)
{
	if (!pfm_accept(c, '{'))
		return (0);
	pfm_optnl(c);
	return (1);
}

int
pfm_list_more(struct pfm_pctx *c, int braced)
{
	if (!braced)
		return (0);
	pfm_optnl(c);
	if (pfm_accept(c, '}'))
		return (0);
	pfm_comma(c);
	return (1);
}

int
pfm_rule_end(struct pfm_pctx *c, int state)
{
	if (pfm_peek(c) != '\n' && pfm_peek(c) != T_EOF)
		return (pfm_syntax(c));
	return (pfm_check_rulestate(c, state) ? -1 : 0);
}

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
	for (s = name + 1; *s; s++)
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
		discard(c);
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

/* --- the ruleset --- */

void
pfm_host_default(struct pfm_host *h)
{
	struct pfm_if *lo;

	memset(h, 0, sizeof(*h));
	lo = &h->iface[h->niface++];
	snprintf(lo->name, sizeof(lo->name), "lo0");
	snprintf(lo->group[lo->ngroup++], sizeof(lo->group[0]), "lo");
	lo->addr[0].af = AF_INET6;
	lo->addr[0].addr[15] = 1;
	lo->addr[0].plen = 128;
	lo->addr[1].af = AF_INET6;
	lo->addr[1].addr[0] = 0xfe;
	lo->addr[1].addr[1] = 0x80;
	lo->addr[1].addr[15] = 1;
	lo->addr[1].plen = 64;
	lo->addr[2].af = AF_INET;
	lo->addr[2].addr[0] = 127;
	lo->addr[2].addr[3] = 1;
	lo->addr[2].plen = 8;
	lo->naddr = 3;
}

static const uint32_t default_timeouts[PFM_TM_MAX] = {
	120, 30, 86400, 900, 45, 90,	/* tcp */
	60, 30, 60,			/* udp */
	20, 10,				/* icmp */
	60, 30, 60,			/* other */
	30, 10,				/* frag, interval */
	60000, 120000,			/* adaptive */
	0, 30,				/* src.track, tcp.tsdiff */
	120, 30, 86400, 900, 90		/* sctp: pfctl gives them tcp's values */
};

static struct pfm_ruleset *
ruleset_new(void)
{
	struct pfm_ruleset *rs;

	if ((rs = calloc(1, sizeof(*rs))) == NULL)
		return (NULL);
	rs->block_policy = PFM_BLOCK_DROP;
	rs->fail_policy = PFM_BLOCK_DROP;
	rs->limit_states = 100000;
	rs->limit_frags = 5000;
	rs->limit_src_nodes = 10000;
	rs->limit_table_entries = 200000;
	memcpy(rs->timeout, default_timeouts, sizeof(rs->timeout));
	rs->require_order = 1;
	rs->debug = PFM_DEBUG_URGENT;
	return (rs);
}

static void
rules_free(struct pfm_rule *r)
{
	struct pfm_rule *n;

	for (; r != NULL; r = n) {
		n = r->next;
		free(r->rpool.addr);
		free(r->rpool.ifname);
		free(r);
	}
}

void
pfm_ruleset_free(struct pfm_ruleset *rs)
{
	struct pfm_table *t, *nt;
	struct pfm_anchor *a, *na;
	int i;

	if (rs == NULL)
		return;
	for (a = rs->anchors; a != NULL; a = na) {
		na = a->next;
		rules_free(a->rules);
		rules_free(a->nat);
		rules_free(a->rdr);
		rules_free(a->binat);
		free(a->file);
		free(a->preamble);
		free(a);
	}
	rules_free(rs->rules);
	rules_free(rs->nat);
	rules_free(rs->rdr);
	rules_free(rs->binat);
	rules_free(rs->scrub);
	for (t = rs->tables; t != NULL; t = nt) {
		nt = t->next;
		free(t->ent);
		free(t);
	}
	free(rs->preamble);
	pfm_svc_free(rs->svc);
	for (i = 0; i < rs->nfnames; i++)
		free(rs->fnames[i]);
	free(rs->fnames);
	free(rs);
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
	if (host == NULL) {
		pfm_host_default(&defhost);
		host = &defhost;
	}
	c.host = host;
	if ((c.rs = ruleset_new()) == NULL)
		return (NULL);
	if ((c.svc = pfm_svc_load(opts ? opts->services : NULL, err, sizeof(err))) == NULL) {
		diag_add(d, NULL, 0, "%s", err);
		pfm_ruleset_free(c.rs);
		return (NULL);
	}
	c.rs->svc = c.svc;
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
	if (pfm_lex_init(&c, opts && opts->file ? opts->file : "stdin",
	    text) == -1) {
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
	arena_free(&c);
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
	return (c.rs);
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
