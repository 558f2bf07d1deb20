/* scn_ctl.c: the steps of format v2 that act on pf at run time (pfctl, sysctl, wait)
 * and the expectations that read pf's bookkeeping (tables, counters, rule counters,
 * source nodes, the text of a pfctl view, a runtime load's error). */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_impl.h"

/* N or LOW-HIGH (decimal) into r; 0 or -1. */
int
scn_range_parse(const char *s, struct pkt_range *r)
{
	unsigned long long lo, hi;
	char *end;

	if (!isdigit((unsigned char)*s))
		return (-1);
	lo = strtoull(s, &end, 10);
	hi = lo;
	if (*end == '-') {
		if (!isdigit((unsigned char)end[1]))
			return (-1);
		hi = strtoull(end + 1, &end, 10);
	}
	if (*end != '\0' || hi < lo || hi > UINT32_MAX)
		return (-1);
	r->set = 1;
	r->lo = (uint32_t)lo;
	r->hi = (uint32_t)hi;
	return (0);
}

/* [!]ADDR[/LEN] into x; 0 or -1. */
int
scn_prefix_word(const char *s, struct scn_prefix *x)
{
	memset(x, 0, sizeof(*x));
	if (*s == '!') {
		x->neg = 1;
		s++;
	}
	if (strchr(s, '/') != NULL)
		return (scn_prefix_parse(s, &x->addr, &x->plen));
	if (pkt_addr_parse(s, &x->addr) == -1)
		return (-1);
	x->plen = scn_plen_max(x->addr.af);
	return (0);
}

/* The text pfctl reads: a `<<WORD` word's heredoc (consumed from *next) or a -f file
 * read now; in argv the word becomes "-" (standard input). 0 or -1 (said). */
static int
pfctl_input(struct parser *p, struct scn_pfctl *c, int i, const char **next)
{
	char err[512], *path;
	int closed, line = p->line;

	if (strncmp(c->argv[i], "<<", 2) == 0 && c->argv[i][2] != '\0') {
		c->input = scn_heredoc(p, c->argv[i] + 2, next, &closed);
		if (c->input == NULL || !closed) {
			scn_perr(p, line, "pfctl %s: no closing %s line", c->argv[i],
			    c->argv[i] + 2);
			return (-1);
		}
		c->input_name = strdup(p->s->path);
		c->input_line0 = line;
	} else if (strcmp(c->argv[i], "-") != 0) {
		if ((path = scn_relpath(p->s->path, c->argv[i])) == NULL ||
		    (c->input = scn_slurp(path, err, sizeof(err))) == NULL) {
			scn_perr(p, line, "pfctl -f \"%s\": %s", path ? path : c->argv[i],
			    path ? err : "out of memory");
			free(path);
			return (-1);
		}
		c->input_name = path;
	} else {
		scn_perr(p, line, "pfctl -f -: standard input is the step's <<EOF text");
		return (-1);
	}
	free(c->argv[i]);
	c->argv[i] = strdup("-");
	return (0);
}

/* `pfctl ARGS`: the words as pfctl's argv; one `-f` (or -T's file) may read a heredoc
 * or a file. 0 or -1 (said). */
static int
st_pfctl(struct parser *p, struct words *w, struct scn_step *t, const char **next)
{
	struct scn_pfctl *c = &t->pfctl;
	int i, files = 0;

	if (w->n < 2) {
		scn_perr(p, p->line, "usage: pfctl ARGS (pfctl's own options)");
		return (-1);
	}
	if ((c->argv = calloc((size_t)w->n + 1, sizeof(*c->argv))) == NULL)
		return (-1);
	for (i = 0; i < w->n; i++)
		if ((c->argv[i] = strdup(w->w[i])) == NULL)
			return (-1);
	c->argc = w->n;
	for (i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "-f") != 0 || i + 1 == c->argc)
			continue;
		if (files++ > 0) {
			scn_perr(p, p->line, "pfctl: one -f at a time");
			return (-1);
		}
		if (pfctl_input(p, c, i + 1, next) == -1)
			return (-1);
	}
	for (i = 1; i < c->argc; i++)
		if (strncmp(c->argv[i], "<<", 2) == 0) {
			scn_perr(p, p->line, "pfctl: %s belongs after -f", c->argv[i]);
			return (-1);
		}
	return (0);
}

/* `wait N s` or `wait N ms`. */
static int
st_wait(struct parser *p, struct words *w, struct scn_step *t)
{
	struct pkt_range r;

	if (w->n != 3 || scn_range_parse(w->w[1], &r) == -1 || r.lo != r.hi ||
	    (strcmp(w->w[2], "s") != 0 && strcmp(w->w[2], "ms") != 0)) {
		scn_perr(p, p->line, "usage: wait N s|ms");
		return (-1);
	}
	t->wait_ms = (uint64_t)r.lo * (w->w[2][0] == 's' ? 1000 : 1);
	return (0);
}

/* `sysctl NAME=VALUE` as a step. */
static int
st_sysctl(struct parser *p, struct words *w, struct scn_step *t)
{
	char *eq;

	if (w->n != 2 || (eq = strchr(w->w[1], '=')) == NULL || eq == w->w[1]) {
		scn_perr(p, p->line, "usage: sysctl NAME=VALUE");
		return (-1);
	}
	t->name = strndup(w->w[1], (size_t)(eq - w->w[1]));
	t->value = strdup(eq + 1);
	return (0);
}

int
scn_ctl_step(struct parser *p, struct words *w, struct scn_step *t, const char **next)
{
	const char *k = w->w[0];

	if (strcmp(k, "pfctl") == 0) {
		t->kind = SCN_PFCTL;
		return (st_pfctl(p, w, t, next) == -1 ? -1 : 0);
	}
	if (strcmp(k, "wait") == 0) {
		t->kind = SCN_WAIT;
		return (st_wait(p, w, t));
	}
	if (strcmp(k, "sysctl") == 0) {
		t->kind = SCN_SYSCTL;
		return (st_sysctl(p, w, t));
	}
	return (1);
}

/* `expect table [-a ANCHOR] T contains|lacks ADDR... | count N` */
static int
st_table(struct parser *p, struct words *w, struct scn_book *b)
{
	int i = 2, k;

	if (i + 1 < w->n && strcmp(w->w[i], "-a") == 0) {
		b->anchor = strdup(w->w[i + 1]);
		i += 2;
	}
	if (w->n < i + 3)
		goto usage;
	b->name = strdup(w->w[i]);
	if (strcmp(w->w[i + 1], "count") == 0) {
		b->what = SCN_BOOK_COUNT;
		if (w->n != i + 3 || scn_range_parse(w->w[i + 2], &b->value) == -1)
			goto usage;
		return (0);
	}
	if (strcmp(w->w[i + 1], "contains") == 0)
		b->what = SCN_BOOK_CONTAINS;
	else if (strcmp(w->w[i + 1], "lacks") == 0)
		b->what = SCN_BOOK_LACKS;
	else
		goto usage;
	if ((b->addr = calloc((size_t)w->n, sizeof(*b->addr))) == NULL)
		return (-1);
	for (k = i + 2; k < w->n; k++)
		if (scn_prefix_word(w->w[k], &b->addr[b->naddr++]) == -1) {
			scn_perr(p, p->line, "expect table: bad address \"%s\"", w->w[k]);
			return (-1);
		}
	return (0);
usage:
	scn_perr(p, p->line, "usage: expect table [-a ANCHOR] TABLE contains|lacks "
	    "ADDR... | count N");
	return (-1);
}

static const char *const rule_fields[] = { "evaluations", "packets", "bytes", "states" };
static const enum scn_book_kind rule_kinds[] = { SCN_BOOK_EVALUATIONS, SCN_BOOK_PACKETS,
	SCN_BOOK_BYTES, SCN_BOOK_STATES };

/* `expect rule "LABEL"|@N evaluations|packets|bytes|states N` */
static int
st_rule(struct parser *p, struct words *w, struct scn_book *b)
{
	size_t i;
	char *end;
	long nr;

	b->rule_nr = -1;
	if (w->n != 5)
		goto usage;
	if (w->w[2][0] == '@') {
		nr = strtol(w->w[2] + 1, &end, 10);
		if (w->w[2][1] == '\0' || *end != '\0' || nr < 0)
			goto usage;
		b->rule_nr = (int)nr;
	} else
		b->name = strdup(w->w[2]);
	for (i = 0; i < sizeof(rule_fields) / sizeof(rule_fields[0]); i++)
		if (strcmp(w->w[3], rule_fields[i]) == 0)
			break;
	if (i == sizeof(rule_fields) / sizeof(rule_fields[0]) ||
	    scn_range_parse(w->w[4], &b->value) == -1)
		goto usage;
	b->what = rule_kinds[i];
	return (0);
usage:
	scn_perr(p, p->line, "usage: expect rule \"LABEL\"|@N evaluations|packets|bytes|"
	    "states N");
	return (-1);
}

/* 1 when words [from, to) are one view: one -sX or `-t TABLE -T show`, and display
 * flags (-v, -vv, -P, -g). */
static int
view_words(const struct words *w, int from, int to)
{
	int i, views = 0;

	for (i = from; i < to; i++) {
		const char *x = w->w[i];

		if (strcmp(x, "-P") == 0 || strcmp(x, "-g") == 0 ||
		    (x[0] == '-' && x[1] == 'v' && x[strspn(x + 1, "v") + 1] == '\0'))
			continue;
		if (strncmp(x, "-s", 2) == 0 && x[2] != '\0')
			views++;
		else if (strcmp(x, "-s") == 0 && i + 1 < to) {
			views++;	/* -s MODIFIER */
			i++;
		}
		else if (strcmp(x, "-t") == 0 && i + 3 < to && strcmp(w->w[i + 2], "-T") == 0 &&
		    strcmp(w->w[i + 3], "show") == 0) {
			views++;
			i += 3;
		} else
			return (0);
	}
	return (views == 1);
}

/* `expect pfctl [-a ANCHOR] -sX [-v] <<EOF` (or `-t TABLE -T show`) and the view's
 * lines. */
static int
st_view(struct parser *p, struct words *w, struct scn_book *b, const char **next)
{
	char *text, *q, *nl, **nline;
	int i = 2, closed, line = p->line;

	if (i + 1 < w->n && strcmp(w->w[i], "-a") == 0) {
		b->anchor = strdup(w->w[i + 1]);
		i += 2;
	}
	/* a view only: -sX, or a table's -T show, with display flags (nothing that
	 * changes pf) */
	if (w->n < i + 2 || strncmp(w->w[w->n - 1], "<<", 2) != 0 ||
	    w->w[w->n - 1][2] == '\0' || !view_words(w, i, w->n - 1)) {
		scn_perr(p, p->line, "usage: expect pfctl [-a ANCHOR] [-v] [-P] -sX | -t TABLE "
		    "-T show <<EOF, the lines, EOF");
		return (-1);
	}
	/* the view's options, as written: "-sr", "-sr -v" */
	for (; i < w->n - 1; i++) {
		size_t n = b->name ? strlen(b->name) : 0;
		char *nn = realloc(b->name, n + strlen(w->w[i]) + 2);

		if (nn == NULL)
			return (-1);
		b->name = nn;
		sprintf(nn + n, "%s%s", n ? " " : "", w->w[i]);
	}
	text = scn_heredoc(p, w->w[w->n - 1] + 2, next, &closed);
	if (text == NULL || !closed) {
		free(text);
		scn_perr(p, line, "expect pfctl: no closing %s line", w->w[w->n - 1] + 2);
		return (-1);
	}
	for (q = text; *q != '\0'; q = nl + 1) {
		nl = strchr(q, '\n');
		*nl = '\0';
		if ((nline = realloc(b->line, (size_t)(b->nline + 1) * sizeof(*nline))) ==
		    NULL)
			break;
		b->line = nline;
		b->line[b->nline++] = strdup(q);
	}
	free(text);
	return (0);
}

/* `expect src-node ADDR states N` */
static int
st_srcnode(struct parser *p, struct words *w, struct scn_book *b)
{
	if (w->n != 5 || strcmp(w->w[3], "states") != 0 ||
	    (b->addr = calloc(1, sizeof(*b->addr))) == NULL ||
	    scn_prefix_word(w->w[2], b->addr) == -1 ||
	    scn_range_parse(w->w[4], &b->value) == -1) {
		scn_perr(p, p->line, "usage: expect src-node ADDR states N");
		return (-1);
	}
	b->naddr = 1;
	b->what = SCN_BOOK_STATES;
	return (0);
}

int
scn_ctl_expect(struct parser *p, const char *st, struct words *w, struct scn_step *t,
    const char **next)
{
	const char *k = w->n > 1 ? w->w[1] : "";

	(void)st;
	if (strcmp(k, "table") == 0) {
		t->kind = SCN_EXPECT_TABLE;
		return (st_table(p, w, &t->book));
	}
	if (strcmp(k, "counter") == 0) {
		t->kind = SCN_EXPECT_COUNTER;
		t->book.what = SCN_BOOK_VALUE;
		if (w->n != 4 || scn_range_parse(w->w[3], &t->book.value) == -1) {
			scn_perr(p, p->line, "usage: expect counter NAME N (NAME as pfctl -si "
			    "prints it, quoted when it has blanks)");
			return (-1);
		}
		t->book.name = strdup(w->w[2]);
		return (0);
	}
	if (strcmp(k, "rule") == 0) {
		t->kind = SCN_EXPECT_RULE;
		return (st_rule(p, w, &t->book));
	}
	if (strcmp(k, "src-node") == 0) {
		t->kind = SCN_EXPECT_SRCNODE;
		return (st_srcnode(p, w, &t->book));
	}
	if (strcmp(k, "pfctl") == 0) {
		t->kind = SCN_EXPECT_VIEW;
		return (st_view(p, w, &t->book, next));
	}
	if (strcmp(k, "load") == 0) {
		t->kind = SCN_EXPECT_LOAD_ERROR;
		if (w->n != 4 || strcmp(w->w[2], "error") != 0) {
			scn_perr(p, p->line, "usage: expect load error \"TEXT\"");
			return (-1);
		}
		t->value = strdup(w->w[3]);
		return (0);
	}
	return (1);
}

void
scn_ctl_free(struct scn_step *t)
{
	int i;

	for (i = 0; i < t->pfctl.argc; i++)
		free(t->pfctl.argv[i]);
	free(t->pfctl.argv);
	free(t->pfctl.input);
	free(t->pfctl.input_name);
	free(t->book.name);
	free(t->book.anchor);
	free(t->book.addr);
	for (i = 0; i < t->book.nline; i++)
		free(t->book.line[i]);
	free(t->book.line);
	free(t->name);
	free(t->value);
}
