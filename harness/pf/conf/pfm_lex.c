/* pfm_lex.c: pf.conf tokens as pfctl's lexer cuts them: macros, quotes, continuation
 * lines, include files, keywords. */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rdfile.h"
#include "pfm_grammar.h"

#define MAXSTR	8096

static const char *const keywords[] = {
	"af-to", "all", "allow-opts", "altq", "anchor", "antispoof", "any",
	"bandwidth", "binat", "binat-anchor", "binat-to", "bitmask", "block",
	"block-policy",
	"bridge-to", "buckets", "cbq", "code", "codelq", "debug", "divert-reply",
	"divert-to", "dnpipe", "dnqueue", "drop", "dup-to", "endpoint-independent",
	"ether", "fail-policy",
	"fairq", "fastroute", "file", "fingerprints", "flags", "floating",
	"flush", "for", "fragment", "from", "global", "group", "hfsc", "hogs",
	"hostid", "icmp-type", "icmp6-type", "if-bound", "in", "include", "inet",
	"inet6", "interval", "keep", "keepcounters", "l3", "label", "limit",
	"linkshare", "load", "log", "loginterface", "map-e-portset", "match",
	"matches", "max", "max-mss", "max-pkt-rate", "max-pkt-size", "max-src-conn",
	"max-src-conn-rate", "max-src-nodes",
	"max-src-states", "min-ttl", "modulate", "nat", "nat-anchor", "nat-to", "no",
	"no-df", "no-route", "no-sync", "on", "once", "optimization", "os", "out",
	"overload", "pass", "pflow", "port", "prefer-ipv6-nexthop", "prio",
	"priority", "priq", "probability", "proto",
	"qlimit", "queue", "quick", "random", "random-id", "rdr", "rdr-anchor",
	"rdr-to", "realtime", "reassemble", "received-on", "reply-to",
	"require-order", "return",
	"return-icmp", "return-icmp6", "return-rst", "ridentifier", "round-robin",
	"route", "route-to", "rtable", "rule", "ruleset-optimization", "scrub",
	"set", "set-tos", "skip", "sloppy", "source-hash", "source-track", "state",
	"state-defaults", "state-policy", "static-port", "sticky-address",
	"syncookies", "synproxy", "table", "tag", "tagged", "target", "tbrsize",
	"timeout", "to", "tos", "ttl", "upperlimit", "urpf-failed", "user",
};

/* The keywords FreeBSD 15's lexer has and 14's has not (freebsd-src parse.y at
 * bc0f7b9, lookup()): af-to, binat-to, matches, max-pkt-rate, max-pkt-size, nat-to,
 * once, prefer-ipv6-nexthop, rdr-to. For 14 each is a plain STRING, so 14's grammar
 * answers them with its syntax error, as 14's pfctl does. */
static int
kw_is15(int tok)
{
	switch (tok) {
	case K_AFTO: case K_BINATTO: case K_MATCHES: case K_NATTO: case K_RDRTO:
	case K_ONCE: case K_MAXPKTRATE: case K_MAXPKTSIZE: case K_PREFER6:
		return (1);
	default:
		return (0);
	}
}

int
pfm_kw_lookup(const char *s)
{
	int lo = 0, hi = (int)(sizeof(keywords) / sizeof(keywords[0])) - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(s, keywords[mid]);

		if (c == 0)
			return (K_FIRST + mid);
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return (T_STRING);
}

const char *
pfm_kw_name(int tok)
{
	if (tok >= K_FIRST && tok < K_LAST)
		return (keywords[tok - K_FIRST]);
	return (NULL);
}

static struct pfm_lfile *
lfile_new(const char *name, char *buf, size_t len)
{
	struct pfm_lfile *f;

	if ((f = calloc(1, sizeof(*f))) == NULL || (f->name = strdup(name)) == NULL) {
		free(f);
		return (NULL);
	}
	f->buf = buf;
	f->len = len;
	f->lineno = 1;
	return (f);
}

/* The first line of buf that ends in CR LF, 0: none. */
static int
crlf_line(const char *buf, size_t n)
{
	const char *p = buf;
	int line = 1;

	for (; (size_t)(p - buf) + 1 < n; p++)
		if (p[0] == '\r' && p[1] == '\n')
			return (line);
		else if (p[0] == '\n')
			line++;
	return (0);
}

static void
lfile_free(struct pfm_lfile *f)
{
	if (f == NULL)
		return;
	free(f->name);
	free(f->buf);
	free(f);
}

int
pfm_lex_init(struct pfm_pctx *c, const char *name, const char *text, size_t n)
{
	struct stat st;
	char *buf;

	if ((buf = malloc(n + 1)) == NULL)
		return (-1);
	memcpy(buf, text, n + 1);
	if ((c->file = lfile_new(name, buf, n)) == NULL) {
		free(buf);
		return (-1);
	}
	c->file->crlf_line = crlf_line(buf, n);
	/* the main file's identity, when it is one, so that including it is a loop */
	if (stat(name, &st) == 0 && S_ISREG(st.st_mode)) {
		c->file->dev = (unsigned long long)st.st_dev;
		c->file->ino = (unsigned long long)st.st_ino;
	}
	if (c->opts != NULL && c->opts->line0 > 0)
		c->file->lineno += c->opts->line0;
	return (0);
}

void
pfm_lex_path(struct pfm_pctx *c, const char *path, char *full, size_t len)
{
	if (path[0] != '/' && c->opts != NULL && c->opts->basedir != NULL)
		snprintf(full, len, "%s/%s", c->opts->basedir, path);
	else
		snprintf(full, len, "%s", path);
}

/* Open an include file (relative names from opts->basedir): 0, or -1 after pfctl's
 * warning (the caller reports the include failure). Only regular files, at most
 * RDFILE_MAX bytes, PFM_INCLUDE_DEPTH deep, and never a file that is already being
 * read (an include loop would read forever). */
int
pfm_lex_pushfile(struct pfm_pctx *c, const char *path)
{
	char full[4096], err[4200];
	struct pfm_lfile *f, *o;
	struct rdfile rf;
	int depth = 0;

	pfm_lex_path(c, path, full, sizeof(full));
	for (o = c->file; o != NULL; o = o->prev)
		depth++;
	if (depth > PFM_INCLUDE_DEPTH) {
		pfm_raw(c, "pfctl: %s: includes nested deeper than %d", path,
		    PFM_INCLUDE_DEPTH);
		return (-1);
	}
	if (rdfile_read(full, 0, 0, &rf, err, sizeof(err)) == -1) {
		pfm_raw(c, "pfctl: %s", err);
		return (-1);
	}
	for (o = c->file; o != NULL; o = o->prev)
		if (o->ino != 0 && o->dev == rf.dev && o->ino == rf.ino) {
			if (strcmp(o->name, path) == 0)
				pfm_raw(c, "pfctl: %s: include loop: the file is already "
				    "being read", path);
			else
				pfm_raw(c, "pfctl: %s: include loop: the file is already "
				    "being read as %s", path, o->name);
			rdfile_free(&rf);
			return (-1);
		}
	if ((f = lfile_new(path, rf.buf, rf.len)) == NULL) {
		rdfile_free(&rf);
		return (-1);
	}
	f->dev = rf.dev;
	f->ino = rf.ino;
	f->crlf_line = rf.crlf_line;
	f->lineno = 0;	/* the include pushes back a newline that counts as line 0 */
	f->prev = c->file;
	c->file = f;
	return (0);
}

void
pfm_lex_done(struct pfm_pctx *c)
{
	struct pfm_lfile *f;
	struct pfm_sym *s;

	while ((f = c->file) != NULL) {
		c->file = f->prev;
		lfile_free(f);
	}
	while ((s = c->syms) != NULL) {
		c->syms = s->next;
		free(s->nam);
		free(s->val);
		free(s);
	}
	free(c->tok.str);
	c->tok.str = NULL;
	free(c->parsecopy);
	c->parsecopy = NULL;
	c->parsebuf = NULL;
}

static int
popfile(struct pfm_pctx *c)
{
	struct pfm_lfile *prev;

	if ((prev = c->file->prev) == NULL)
		return (EOF);
	lfile_free(c->file);
	c->file = prev;
	return (0);
}

static int
fgetch(struct pfm_pctx *c)
{
	struct pfm_lfile *f = c->file;

	if (f->ungetpos > 0)
		return ((unsigned char)f->ungetbuf[--f->ungetpos]);
	if (f->pos >= f->len)
		return (EOF);
	if (f->buf[f->pos] == '\0') {
		/* not text: pf.conf's lexer would read past it as a character; say so
		 * once and skip it */
		if (!f->nul_seen) {
			f->nul_seen = 1;
			c->toklineno = f->lineno;
			pfm_yyerror(c, "NUL byte in the file: not a text file");
		}
		f->pos++;
		return (' ');
	}
	return ((unsigned char)f->buf[f->pos++]);
}

static int
lgetc(struct pfm_pctx *c, int quotec)
{
	int ch, next;

	if (c->parsebuf != NULL) {
		if (c->parseindex >= 0) {
			ch = (unsigned char)c->parsebuf[c->parseindex++];
			if (ch != '\0')
				return (ch);
			c->parsebuf = NULL;
		} else
			c->parseindex++;
	}
	if (quotec) {
		if ((ch = fgetch(c)) == EOF) {
			pfm_yyerror(c, "reached end of file while parsing quoted string");
			if (popfile(c) == EOF)
				return (EOF);
			return (quotec);
		}
		return (ch);
	}
	while ((ch = fgetch(c)) == '\\') {
		next = fgetch(c);
		if (next != '\n') {
			ch = next;
			break;
		}
		c->toklineno = c->file->lineno;
		c->file->lineno++;
	}
	while (ch == EOF) {
		if (popfile(c) == EOF)
			return (EOF);
		ch = fgetch(c);
	}
	return (ch);
}

static int
lungetc(struct pfm_pctx *c, int ch)
{
	if (ch == EOF)
		return (EOF);
	if (c->parsebuf != NULL) {
		c->parseindex--;
		if (c->parseindex >= 0)
			return (ch);
	}
	if (c->file->ungetpos < (int)sizeof(c->file->ungetbuf) - 1)
		return (c->file->ungetbuf[c->file->ungetpos++] = (char)ch);
	return (EOF);
}

/* The include action pushes back the newline its rule needs. */
void
pfm_lex_unget_nl(struct pfm_pctx *c)
{
	lungetc(c, '\n');
}

static int
findeol(struct pfm_pctx *c)
{
	int ch;

	c->parsebuf = NULL;
	for (;;) {
		ch = lgetc(c, 0);
		if (ch == '\n') {
			c->file->lineno++;
			break;
		}
		if (ch == EOF)
			break;
	}
	return (T_ERROR);
}

static const char *
symget(struct pfm_pctx *c, const char *nam)
{
	struct pfm_sym *s;

	for (s = c->syms; s != NULL; s = s->next)
		if (strcmp(nam, s->nam) == 0) {
			s->used = 1;
			return (s->val);
		}
	return (NULL);
}

/* Define a macro; a persistent one (-D) is never replaced. 0, or -1 on memory. */
int
pfm_symset(struct pfm_pctx *c, const char *nam, const char *val, int persist)
{
	struct pfm_sym *s, **sp, *n;

	for (sp = &c->syms; (s = *sp) != NULL; sp = &s->next)
		if (strcmp(nam, s->nam) == 0)
			break;
	if (s != NULL) {
		if (s->persist)
			return (0);
		*sp = s->next;
		free(s->nam);
		free(s->val);
		free(s);
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return (-1);
	if ((n->nam = strdup(nam)) == NULL || (n->val = strdup(val)) == NULL) {
		free(n->nam);
		free(n);
		return (-1);
	}
	n->persist = persist;
	for (sp = &c->syms; *sp != NULL; sp = &(*sp)->next)
		;
	*sp = n;
	return (0);
}

/* A `load anchor` file starts with only the -D macros, as a new pfctl -a run. */
void
pfm_sym_clear(struct pfm_pctx *c)
{
	struct pfm_sym *s, **sp;

	for (sp = &c->syms; (s = *sp) != NULL;) {
		if (s->persist) {
			sp = &s->next;
			continue;
		}
		*sp = s->next;
		free(s->nam);
		free(s->val);
		free(s);
	}
}

static int
allowed_to_end_number(int x)
{
	return (isspace(x) || x == ')' || x == ',' || x == '/' || x == '}' || x == '=');
}

static int
allowed_in_string(int x)
{
	return (isalnum(x) || (ispunct(x) && x != '(' && x != ')' &&
	    x != '{' && x != '}' && x != '<' && x != '>' && x != '!' &&
	    x != '=' && x != '/' && x != '#' && x != ','));
}

static int
lex_quoted(struct pfm_pctx *c, int quotec, char *buf, struct pfm_tok *t)
{
	char *p = buf;
	int ch, next;

	for (;;) {
		if ((ch = lgetc(c, quotec)) == EOF)
			return (T_EOF);
		if (ch == '\n') {
			c->file->lineno++;
			continue;
		} else if (ch == '\\') {
			if ((next = lgetc(c, quotec)) == EOF)
				return (T_EOF);
			if (next == quotec)
				ch = next;
			else if (next == '\n') {
				c->file->lineno++;
				continue;
			} else
				lungetc(c, next);
		} else if (ch == quotec) {
			*p = '\0';
			break;
		}
		if (p + 1 >= buf + MAXSTR - 1) {
			pfm_yyerror(c, "string too long");
			return (findeol(c));
		}
		*p++ = (char)ch;
	}
	if ((t->str = strdup(buf)) == NULL)
		return (T_EOF);
	return (T_STRING);
}

static int
lex_number(struct pfm_pctx *c, int ch, char *buf, struct pfm_tok *t, int *isnum)
{
	char *p = buf;
	long long v;
	char *end;

	*isnum = 0;
	do {
		*p++ = (char)ch;
		if (p - buf >= MAXSTR - 1) {
			pfm_yyerror(c, "string too long");
			*isnum = 1;
			return (findeol(c));
		}
	} while ((ch = lgetc(c, 0)) != EOF && isdigit(ch));
	lungetc(c, ch);
	if (!(p == buf + 1 && buf[0] == '-') &&
	    (ch == EOF || allowed_to_end_number(ch))) {
		*p = '\0';
		*isnum = 1;
		errno = 0;
		v = strtoll(buf, &end, 10);
		if (*end != '\0') {
			pfm_yyerror(c, "\"%s\" invalid number: %s", buf, "invalid");
			return (findeol(c));
		}
		if (errno == ERANGE) {
			pfm_yyerror(c, "\"%s\" invalid number: %s", buf,
			    v < 0 ? "too small" : "too large");
			return (findeol(c));
		}
		t->num = v;
		return (T_NUMBER);
	}
	while (p > buf + 1)
		lungetc(c, (unsigned char)*--p);
	ch = (unsigned char)*--p;
	if (ch == '-') {
		*isnum = 1;
		return ('-');
	}
	return (ch);	/* a digit: the caller reads it as a string */
}

/* lex_macro: after '$', a macro's name; 1 when its value is now the input, else 0
 * with the token to return (an error, or the end) in *tok. */
static int
lex_macro(struct pfm_pctx *c, char *buf, int *tok)
{
	const char *val;
	char *p = buf;
	int ch;

	for (;;) {
		if ((ch = lgetc(c, 0)) == EOF) {
			*tok = T_EOF;
			return (0);
		}
		if (p + 1 >= buf + MAXSTR - 1) {
			pfm_yyerror(c, "string too long");
			*tok = findeol(c);
			return (0);
		}
		if (isalnum(ch) || ch == '_') {
			*p++ = (char)ch;
			continue;
		}
		*p = '\0';
		lungetc(c, ch);
		break;
	}
	if ((val = symget(c, buf)) == NULL) {
		pfm_yyerror(c, "macro '%s' not defined", buf);
		*tok = findeol(c);
		return (0);
	}
	/* read from a copy: the statement being parsed may redefine this very macro
	 * (`ports = "443" $ports`), which frees its value mid-expansion */
	free(c->parsecopy);
	if ((c->parsecopy = strdup(val)) == NULL) {
		pfm_yyerror(c, "out of memory");
		*tok = findeol(c);
		return (0);
	}
	c->parsebuf = c->parsecopy;
	c->parseindex = 0;
	return (1);
}

/* lex_operator: the two-character tokens "<>", "><" and "->"; -1 if ch starts none. */
static int
lex_operator(struct pfm_pctx *c, int ch, struct pfm_tok *t)
{
	int next;

	switch (ch) {
	case '<':
		next = lgetc(c, 0);
		if (next == '>') {
			t->num = PFM_OP_XRG;
			return (T_PORTBINARY);
		}
		lungetc(c, next);
		break;
	case '>':
		next = lgetc(c, 0);
		if (next == '<') {
			t->num = PFM_OP_IRG;
			return (T_PORTBINARY);
		}
		lungetc(c, next);
		break;
	case '-':
		next = lgetc(c, 0);
		if (next == '>')
			return (T_ARROW);
		lungetc(c, next);
		break;
	default:
		break;
	}
	return (-1);
}

/* lex_word: an unquoted string starting with ch, or the keyword it spells. */
static int
lex_word(struct pfm_pctx *c, int ch, char *buf, struct pfm_tok *t)
{
	char *p = buf;
	int tok;

	do {
		*p++ = (char)ch;
		if (p - buf >= MAXSTR - 1) {
			pfm_yyerror(c, "string too long");
			return (findeol(c));
		}
	} while ((ch = lgetc(c, 0)) != EOF && allowed_in_string(ch));
	lungetc(c, ch);
	*p = '\0';
	if ((tok = pfm_kw_lookup(buf)) != T_STRING && kw_is15(tok) && !c->fb15)
		tok = T_STRING;
	if (tok == T_STRING && (t->str = strdup(buf)) == NULL)
		return (T_EOF);
	return (tok);
}

/* The next token into t (t->str is then owned by the caller). */
int
pfm_lex(struct pfm_pctx *c, struct pfm_tok *t)
{
	char buf[MAXSTR];
	int ch, isnum, tok;

	memset(t, 0, sizeof(*t));
top:
	while ((ch = lgetc(c, 0)) == ' ' || ch == '\t' || ch == '\f')
		;
	c->toklineno = c->file->lineno;
	t->line = c->toklineno;
	if (ch == '#')
		while ((ch = lgetc(c, 0)) != '\n' && ch != EOF)
			;
	if (ch == '$' && c->parsebuf == NULL) {
		if (lex_macro(c, buf, &tok))
			goto top;
		return (t->type = tok);
	}
	if (ch == '\'' || ch == '"')
		return (t->type = lex_quoted(c, ch, buf, t));
	if ((tok = lex_operator(c, ch, t)) != -1)
		return (t->type = tok);
	if (ch == '-' || (ch != EOF && isdigit(ch))) {
		tok = lex_number(c, ch, buf, t, &isnum);
		if (isnum)
			return (t->type = tok);
		ch = tok;
	}
	if (ch != EOF && (isalnum(ch) || ch == ':' || ch == '_'))
		return (t->type = lex_word(c, ch, buf, t));
	if (ch == '\n') {
		c->toklineno = c->file->lineno;
		t->line = c->toklineno;
		c->file->lineno++;
	}
	if (ch == EOF)
		return (t->type = T_EOF);
	return (t->type = ch);
}
