/* scn_parse.c: scenario files into struct scn, every error as `file:line:`: the file's
 * statements, the ruleset, the defines; the world's statements are scn_world.c's. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_impl.h"



static void
st_loopback(struct parser *p, struct words *w)
{
	struct scn *s = p->s;
	struct pkt_addr m;
	int i;

	if (s->lo_line) {
		scn_perr(p, p->line, "loopback already declared at line %d", s->lo_line);
		return;
	}
	if (w->n != 3) {
		scn_perr(p, p->line, "usage: loopback IF NET/LEN");
		return;
	}
	if (!scn_ifname_ok(p, w->w[1]))
		return;
	if (scn_prefix_parse(w->w[2], &s->lo_net, &s->lo_plen) == -1) {
		scn_perr(p, p->line, "bad network \"%s\" (expected NET/LEN)", w->w[2]);
		return;
	}
	m = s->lo_net;
	for (i = s->lo_plen; i < scn_plen_max(m.af); i++)
		m.a[i / 8] &= (uint8_t)~(1 << (7 - i % 8));
	if (!pkt_addr_eq(&m, &s->lo_net))
		scn_perr(p, p->line, "%s has host bits set", w->w[2]);
	snprintf(s->lo_if, sizeof(s->lo_if), "%s", w->w[1]);
	s->lo_line = p->line;
}

static void
st_kv(struct parser *p, struct words *w, struct scn_kv **arr, int *n)
{
	struct scn_kv *na, *kv;
	const char *eq;
	size_t i, vl;
	const char *v;

	if (w->n != 2 || (eq = strchr(w->w[1], '=')) == NULL || eq == w->w[1]) {
		scn_perr(p, p->line, "usage: %s NAME=VALUE", w->w[0]);
		return;
	}
	for (i = 0; w->w[1] + i < eq; i++)
		if (!isalnum((unsigned char)w->w[1][i]) && w->w[1][i] != '_' &&
		    w->w[1][i] != '.')
			break;
	if (w->w[1] + i < eq) {
		scn_perr(p, p->line, "bad %s name \"%.*s\"", w->w[0], (int)(eq - w->w[1]),
		    w->w[1]);
		return;
	}
	if ((na = scn_grow(*arr, n, sizeof(*na))) == NULL) {
		scn_perr(p, p->line, "out of memory");
		return;
	}
	*arr = na;
	kv = &na[*n - 1];
	kv->line = p->line;
	v = eq + 1;
	vl = strlen(v);
	kv->name = strndup(w->w[1], (size_t)(eq - w->w[1]));
	kv->value = strndup(v, vl);
}

static int
is_heredoc(const struct words *w)
{
	return (w->n == 2 && strncmp(w->w[1], "<<", 2) == 0 && w->w[1][2] != '\0');
}

/* `pf <<WORD` (consumes the heredoc from *next) or `pf file PATH`. */
static void
st_pf(struct parser *p, struct words *w, const char **next)
{
	struct scn *s = p->s;
	int line = p->line, closed;
	char *text, *path, err[4200];

	if (p->pf_seen) {
		scn_perr(p, p->line, "a ruleset was already given");
		if (is_heredoc(w))
			free(scn_heredoc(p, w->w[1] + 2, next, &closed));
		return;
	}
	p->pf_seen = 1;
	if (w->n == 3 && strcmp(w->w[1], "file") == 0) {
		if ((path = scn_relpath(s->path, w->w[2])) == NULL) {
			scn_perr(p, p->line, "out of memory");
			return;
		}
		if ((s->pf_text = scn_slurp(path, err, sizeof(err))) == NULL) {
			scn_perr(p, p->line, "pf file \"%s\": %s", path, err);
			free(path);
			return;
		}
		free(s->pf_file);
		s->pf_file = path;
		s->pf_line0 = 0;
		return;
	}
	if (!is_heredoc(w)) {
		scn_perr(p, p->line, "usage: pf <<WORD (lines, then WORD) or pf file PATH");
		return;
	}
	text = scn_heredoc(p, w->w[1] + 2, next, &closed);
	if (text == NULL || !closed) {
		scn_perr(p, line, text == NULL ? "out of memory" :
		    "pf %s: no closing %s line", w->w[1], w->w[1] + 2);
		free(text);
		return;
	}
	s->pf_text = text;
	free(s->pf_file);
	s->pf_file = strdup(s->path);
	s->pf_line0 = line;
}

/* `freebsd 14|15`: the release the scenario is written for (the model parses and
 * evaluates its ruleset as that release's pfctl and pf). */
static void
st_freebsd(struct parser *p, struct words *w)
{
	struct scn *s = p->s;

	if (s->freebsd_line) {
		scn_perr(p, p->line, "freebsd already given at line %d", s->freebsd_line);
		return;
	}
	if (w->n != 2 || (strcmp(w->w[1], "14") != 0 && strcmp(w->w[1], "15") != 0)) {
		scn_perr(p, p->line, "usage: freebsd 14|15");
		return;
	}
	s->freebsd = w->w[1][1] == '4' ? 14 : 15;
	s->freebsd_line = p->line;
}

static int
add_tag(struct scn *s, const char *t)
{
	char **nt;

	if (scn_has_tag(s, t))
		return (0);
	if ((nt = realloc(s->tag, (size_t)(s->ntag + 1) * sizeof(*nt))) == NULL)
		return (-1);
	s->tag = nt;
	if ((s->tag[s->ntag] = strdup(t)) == NULL)
		return (-1);
	s->ntag++;
	return (0);
}

void
scn_statement(struct parser *p, const char *stripped, struct words *w, const char **next)
{
	struct scn *s = p->s;
	const char *k = w->w[0];
	int i;

	p->probe = NULL;
	if (strcmp(k, "scenario") == 0) {
		if (w->n != 2)
			scn_perr(p, p->line, "usage: scenario \"title\"");
		else if (s->title != NULL)
			scn_perr(p, p->line, "scenario title given twice");
		else
			s->title = strdup(w->w[1]);
	} else if (strcmp(k, "tag") == 0) {
		if (w->n < 2)
			scn_perr(p, p->line, "usage: tag WORD...");
		for (i = 1; i < w->n; i++)
			if (add_tag(s, w->w[i]) == -1)
				scn_perr(p, p->line, "out of memory");
	} else if (strcmp(k, "host") == 0)
		scn_st_host(p, w);
	else if (strcmp(k, "loopback") == 0)
		st_loopback(p, w);
	else if (strcmp(k, "jail") == 0)
		scn_st_jail(p, w);
	else if (strcmp(k, "vnet") == 0)
		scn_st_vnet(p, w);
	else if (strcmp(k, "client") == 0)
		scn_st_client(p, w);
	else if (strcmp(k, "group") == 0)
		scn_st_group(p, w);
	else if (strcmp(k, "bridge") == 0)
		scn_st_bridge(p, w);
	else if (strcmp(k, "router") == 0)
		scn_st_router(p, w);
	else if (strcmp(k, "route") == 0)
		scn_st_route(p, w);
	else if (strcmp(k, "pf") == 0)
		st_pf(p, w, next);
	else if (strcmp(k, "freebsd") == 0)
		st_freebsd(p, w);
	else if (strcmp(k, "define") == 0)
		st_kv(p, w, &s->define, &s->ndefine);
	else if (strcmp(k, "sysctl") == 0)
		st_kv(p, w, &s->sysctl, &s->nsysctl);
	else if (strcmp(k, "expect") == 0 && w->n >= 2 && strcmp(w->w[1], "load") == 0) {
		if (w->n != 4 || strcmp(w->w[2], "error") != 0)
			scn_perr(p, p->line, "usage: expect load error \"TEXT\"");
		else if (s->load_error != NULL)
			scn_perr(p, p->line, "expect load error given twice");
		else {
			s->load_error = strdup(w->w[3]);
			s->load_error_line = p->line;
		}
	} else if (strcmp(k, "probe") == 0)
		scn_probe(p, w);
	else if (strcmp(k, "pfctl") == 0 || strcmp(k, "wait") == 0)
		scn_control(p, stripped, w, next);
	else if (strcmp(k, "world") == 0 || strcmp(k, "jails") == 0)
		scn_admin_statement(p, w);
	else if (strcmp(k, "send") == 0 || strcmp(k, "connect") == 0 ||
	    strcmp(k, "expect") == 0)
		scn_perr(p, p->line, "\"%s\" belongs to a probe: indent it under `probe`", k);
	else
		scn_perr(p, p->line, "unknown statement \"%s\"", k);
}

/* results/<run>/<name>/: the file name without directory and `.scn`. */
static char *
scn_name_of(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b != NULL ? b + 1 : path;
	n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".scn") == 0)
		n -= 4;
	return (strndup(b, n));
}

static struct scn *parse(const char *, const char *, struct diag *, int, int *);

/* `world from`, `jails from`: the statements of the admin's files parsed as the
 * scenario's, at the first of those lines (the `pf` the scenario has of its own wins
 * over pf_rules); checked alone first, so that their errors are told where each
 * statement comes from. */
static void
admin_world(struct parser *p)
{
	struct diag d = { 0 };
	struct words *w;
	struct scn *alone;
	const char *q, *eol;
	char *text, *raw, *l, *st;
	size_t len;
	int line = scn_admin_at(p), before, nerr;

	if ((text = scn_admin_world(p)) == NULL)
		return;
	alone = parse(SCN_ADMIN_PATH, text, &d, 1, &nerr);
	scn_free(alone);
	scn_admin_told(p, text, diag_text(&d));
	diag_free(&d);
	if ((w = malloc(sizeof(*w))) == NULL) {
		scn_perr(p, line, "out of memory");
		free(text);
		return;
	}
	before = p->s->nprobe;
	q = text;
	while (*q != '\0') {
		eol = strchr(q, '\n');
		len = eol != NULL ? (size_t)(eol - q) : strlen(q);
		raw = strndup(q, len);
		q = eol != NULL ? eol + 1 : q + len;	/* a heredoc goes on from here */
		p->line = line;
		if (raw == NULL || (l = scn_admin_line(p, raw)) == NULL) {
			free(raw);
			scn_perr(p, line, "out of memory");
			break;
		}
		st = scn_strip(l);
		if (st != NULL && scn_split(st, w) == 0 && w->n > 0 &&
		    !(strcmp(w->w[0], "pf") == 0 && p->pf_seen))
			scn_statement(p, st, w, &q);
		free(st);
		free(l);
		free(raw);
	}
	free(w);
	scn_admin_steps_first(p, before);
	free(text);
}

/* The scenario of text; world: scn_parse_world's. The scenario even after errors (their
 * number into *nerr), NULL when out of memory. */
static struct scn *
parse(const char *path, const char *text, struct diag *d, int world, int *nerr)
{
	struct parser p = { 0 };
	struct words *w;
	const char *q = text, *eol;
	char *line, *st;
	size_t len;

	*nerr = 1;
	if ((p.s = calloc(1, sizeof(*p.s))) == NULL || (w = malloc(sizeof(*w))) == NULL) {
		free(p.s);
		diag_add(d, path, 0, "out of memory");
		return (NULL);
	}
	p.d = d;
	p.world_only = world;
	p.s->path = strdup(path);
	p.s->name = scn_name_of(path);
	while (*q != '\0') {
		eol = strchr(q, '\n');
		len = eol ? (size_t)(eol - q) : strlen(q);
		p.line++;
		line = strndup(q, len);
		q = eol ? eol + 1 : q + len;
		if (line == NULL || (st = scn_strip(line)) == NULL) {
			free(line);
			scn_perr(&p, p.line, "out of memory");
			break;
		}
		if (scn_split(st, w) == -1)
			scn_perr(&p, p.line, "unterminated string or line too long");
		else if (w->n > 0 && isspace((unsigned char)line[0]))
			scn_step(&p, st, w, &q);
		else if (w->n > 0)
			scn_statement(&p, st, w, &q);
		free(st);
		free(line);
	}
	free(w);
	admin_world(&p);
	scn_validate(&p);
	scn_admin_relabel(&p);
	scn_admin_free(&p);
	scn_flush_errors(&p);
	free(p.pend);
	*nerr = p.errors;
	return (p.s);
}

struct scn *
scn_parse_text(const char *path, const char *text, struct diag *d)
{
	struct scn *s;
	int nerr;

	if ((s = parse(path, text, d, 0, &nerr)) != NULL && nerr > 0) {
		scn_free(s);
		return (NULL);
	}
	return (s);
}

struct scn *
scn_parse_world(const char *path, const char *text, struct diag *d, int *nerr)
{
	return (parse(path, text, d, 1, nerr));
}

struct scn *
scn_parse_file(const char *path, struct diag *d)
{
	struct scn *s;
	char *text, err[4200];

	if ((text = scn_slurp(path, err, sizeof(err))) == NULL) {
		diag_add(d, path, 0, "%s", err);
		return (NULL);
	}
	s = scn_parse_text(path, text, d);
	free(text);
	return (s);
}

void
scn_free(struct scn *s)
{
	int i, j;

	if (s == NULL)
		return;
	for (i = 0; i < s->ntag; i++)
		free(s->tag[i]);
	for (i = 0; i < s->ndefine; i++) {
		free(s->define[i].name);
		free(s->define[i].value);
	}
	for (i = 0; i < s->nsysctl; i++) {
		free(s->sysctl[i].name);
		free(s->sysctl[i].value);
	}
	for (i = 0; i < s->nprobe; i++) {
		for (j = 0; j < s->probe[i].nstep; j++) {
			free(s->probe[i].step[j].text);
			scn_ctl_free(&s->probe[i].step[j]);
		}
		free(s->probe[i].step);
		free(s->probe[i].title);
	}
	free(s->probe);
	free(s->tag);
	free(s->define);
	free(s->sysctl);
	free(s->jail);
	free(s->client);
	free(s->iface);
	free(s->group);
	free(s->bridge);
	free(s->router);
	free(s->route);
	free(s->pf_text);
	free(s->pf_file);
	free(s->load_error);
	free(s->root);
	free(s->title);
	free(s->name);
	free(s->path);
	free(s);
}

int
scn_has_tag(const struct scn *s, const char *t)
{
	int i;

	for (i = 0; i < s->ntag; i++)
		if (strcmp(s->tag[i], t) == 0)
			return (1);
	return (0);
}
