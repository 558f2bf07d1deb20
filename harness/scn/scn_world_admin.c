/* scn_world_admin.c: `world from rc.conf FILE...` and `jails from FILE...` (`jails from
 * bastille PREFIX`): the world an admin's files describe (harness/admin), read when the
 * scenario is. The statements those files make are parsed once every line of the
 * scenario is read, as if written at the first of these lines; Bastille's pfctl steps
 * run before the scenario's probes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/adm.h"
#include "scn_impl.h"

#define ADMIN_MAX	32	/* files, overrides of each kind */

struct scn_admin {
	char	*rc[ADMIN_MAX], *jails[ADMIN_MAX], *ifs[ADMIN_MAX], *groups[ADMIN_MAX];
	char	*jail[ADMIN_MAX], *listen[ADMIN_MAX];
	int	 nrc, njails, nifs, ngroups, njail, nlisten;
	char	*bastille, *root;
	int	 world, line;	/* a `world from` was given; the first line */
};

static int
push(struct parser *p, char **list, int *n, const char *s, int rel)
{
	if (*n == ADMIN_MAX) {
		scn_perr(p, p->line, "more than %d of a kind", ADMIN_MAX);
		return (-1);
	}
	if ((list[*n] = rel ? scn_relpath(p->s->path, s) : strdup(s)) == NULL) {
		scn_perr(p, p->line, "out of memory");
		return (-1);
	}
	(*n)++;
	return (0);
}

static struct scn_admin *
state(struct parser *p)
{
	if (p->admin == NULL && (p->admin = calloc(1, sizeof(*p->admin))) == NULL)
		scn_perr(p, p->line, "out of memory");
	else if (p->admin->line == 0)
		p->admin->line = p->line;
	return (p->admin);
}

/* The words after `world from rc.conf` or `jails from`: files, then KEYWORD VALUE
 * pairs. jails: which statement. */
static void
words(struct parser *p, struct scn_admin *a, struct words *w, int from, int jails)
{
	const char *k, *v;
	int i, files = 0;

	for (i = from; i < w->n; i++) {
		k = w->w[i];
		v = i + 1 < w->n ? w->w[i + 1] : NULL;
		if (strcmp(k, "root") == 0 || strcmp(k, "if") == 0 ||
		    strcmp(k, "group") == 0 || strcmp(k, "jail") == 0 ||
		    strcmp(k, "listen") == 0 || strcmp(k, "bastille") == 0) {
			if (v == NULL) {
				scn_perr(p, p->line, "%s: a value is wanted", k);
				return;
			}
			i++;
			if (strcmp(k, "root") == 0 && !jails) {
				free(a->root);
				a->root = scn_relpath(p->s->path, v);
			} else if (strcmp(k, "if") == 0 && !jails)
				(void)push(p, a->ifs, &a->nifs, v, 0);
			else if (strcmp(k, "group") == 0 && !jails)
				(void)push(p, a->groups, &a->ngroups, v, 0);
			else if (strcmp(k, "jail") == 0 && jails)
				(void)push(p, a->jail, &a->njail, v, 0);
			else if (strcmp(k, "listen") == 0 && jails)
				(void)push(p, a->listen, &a->nlisten, v, 0);
			else if (strcmp(k, "bastille") == 0 && jails && i == from + 1) {
				free(a->bastille);
				a->bastille = scn_relpath(p->s->path, v);
				files++;
			} else {
				scn_perr(p, p->line, "\"%s\" does not go with `%s from`", k,
				    jails ? "jails" : "world");
				return;
			}
			continue;
		}
		if (push(p, jails ? a->jails : a->rc, jails ? &a->njails : &a->nrc, k,
		    1) == -1)
			return;
		files++;
	}
	if (files == 0 && !(a->root != NULL && !jails))
		scn_perr(p, p->line, "usage: world from rc.conf FILE... [root DIR] [if "
		    "NAME=ADDR/LEN]... [group NAME=IF,...]... | jails from FILE...|bastille "
		    "PREFIX [jail NAME=[IF|]ADDR[/LEN]]... [listen NAME=PROTO/PORT,...]...");
}

void
scn_admin_statement(struct parser *p, struct words *w)
{
	struct scn_admin *a;

	if (w->n >= 3 && strcmp(w->w[0], "world") == 0 && strcmp(w->w[1], "from") == 0 &&
	    strcmp(w->w[2], "rc.conf") == 0) {
		if ((a = state(p)) == NULL)
			return;
		a->world = 1;
		words(p, a, w, 3, 0);
	} else if (w->n >= 3 && strcmp(w->w[0], "jails") == 0 &&
	    strcmp(w->w[1], "from") == 0) {
		if ((a = state(p)) == NULL)
			return;
		words(p, a, w, 2, 1);
	} else
		scn_perr(p, p->line, "usage: world from rc.conf FILE... | jails from FILE...");
}

/* ` listen PORTS` of jail name (--listen NAME=PORTS), or "". */
static const char *
listen_of(const struct scn_admin *a, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; i < a->nlisten; i++)
		if (strncmp(a->listen[i], name, n) == 0 && a->listen[i][n] == '=')
			return (a->listen[i] + n + 1);
	return ("");
}

/* One generated line, as the parser's: ` listen PORTS` put into a jail's line. */
static char *
with_listen(const struct scn_admin *a, const char *line)
{
	char name[64], *out, *hash;
	const char *l, *s = line;
	size_t n;

	if (strncmp(s, "vnet ", 5) == 0)
		s += 5;
	if (strncmp(s, "jail ", 5) != 0 || sscanf(s + 5, "%63s", name) != 1 ||
	    (l = listen_of(a, name))[0] == '\0')
		return (strdup(line));
	n = strlen(line) + strlen(l) + 16;
	if ((out = malloc(n)) == NULL)
		return (NULL);
	snprintf(out, n, "%s", line);
	if ((hash = strchr(out, '#')) != NULL)
		*hash = '\0';
	snprintf(out + strlen(out), n - strlen(out), " listen %s", l);
	return (out);
}

/* Parse the generated text as the scenario's statements at line (the `pf` the scenario
 * has of its own wins over pf_rules). */
static void
parse_generated(struct parser *p, const struct scn_admin *a, const char *text, int line)
{
	struct words *w;
	const char *q = text, *eol;
	char *raw, *l, *st;
	size_t len;

	if ((w = malloc(sizeof(*w))) == NULL) {
		scn_perr(p, line, "out of memory");
		return;
	}
	while (*q != '\0') {
		eol = strchr(q, '\n');
		len = eol != NULL ? (size_t)(eol - q) : strlen(q);
		raw = strndup(q, len);
		q = eol != NULL ? eol + 1 : q + len;
		p->line = line;
		if (raw == NULL || (l = with_listen(a, raw)) == NULL) {
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
}

/* The admin's messages that are errors (not warnings) as the scenario's, at line; the
 * command line's overrides they name are this statement's words (--if em0=... is
 * `if em0=...`). */
static void
messages(struct parser *p, const char *msgs, int line)
{
	static const char *const opts[] = { "--if ", "--group ", "--jail " };
	const char *q = msgs, *eol, *o;
	char m[2048], *x;
	size_t len, i;

	while (*q != '\0') {
		eol = strchr(q, '\n');
		len = eol != NULL ? (size_t)(eol - q) : strlen(q);
		o = strstr(q, ": warning: ");
		if (o == NULL || o > q + len) {
			if (strncmp(q, "pfharness: ", 11) == 0)
				q += 11, len -= 11;
			snprintf(m, sizeof(m), "%.*s", (int)len, q);
			for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
				while ((x = strstr(m, opts[i])) != NULL)
					memmove(x, x + 2, strlen(x + 2) + 1);
			scn_perr(p, line, "%s", m);
		}
		q = eol != NULL ? eol + 1 : q + len;
	}
}

void
scn_admin_finish(struct parser *p)
{
	struct scn_admin *a = p->admin;
	struct adm_world *w;
	struct scn_probe *moved;
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *f;
	int i, before, after, line;

	if (a == NULL)
		return;
	line = a->line;
	if ((w = adm_world_new(a->root)) == NULL) {
		scn_perr(p, line, "out of memory");
		return;
	}
	for (i = 0; i < a->nrc; i++)
		(void)adm_read_rc(w, a->rc[i]);
	if (a->world && a->nrc == 0)
		(void)adm_read_root(w, 1, 0);
	for (i = 0; i < a->njails; i++)
		(void)adm_read_jails(w, a->jails[i]);
	if (a->bastille != NULL)
		(void)adm_read_bastille(w, a->bastille);
	for (i = 0; i < a->nifs; i++)
		if (adm_world_if(w, a->ifs[i], err, sizeof(err)) == -1)
			scn_perr(p, line, "if %s: %s", a->ifs[i], err);
	for (i = 0; i < a->ngroups; i++)
		if (adm_world_group(w, a->groups[i], err, sizeof(err)) == -1)
			scn_perr(p, line, "group %s: %s", a->groups[i], err);
	for (i = 0; i < a->njail; i++)
		if (adm_world_jail(w, a->jail[i], err, sizeof(err)) == -1)
			scn_perr(p, line, "jail %s: %s", a->jail[i], err);
	if ((f = open_memstream(&text, &len)) == NULL) {
		scn_perr(p, line, "out of memory");
		adm_world_free(w);
		return;
	}
	(void)adm_world_scn(w, f);
	fclose(f);
	messages(p, adm_world_messages(w), line);
	before = p->s->nprobe;
	parse_generated(p, a, text, line);
	/* Bastille's steps (its table, its rdr anchors) happen as it starts the jails:
	 * before the scenario's probes */
	after = p->s->nprobe;
	if (after > before && before > 0 && (moved = malloc((size_t)(after - before) *
	    sizeof(*moved))) != NULL) {
		memcpy(moved, &p->s->probe[before], (size_t)(after - before) *
		    sizeof(*moved));
		memmove(&p->s->probe[after - before], &p->s->probe[0], (size_t)before *
		    sizeof(*moved));
		memcpy(&p->s->probe[0], moved, (size_t)(after - before) * sizeof(*moved));
		free(moved);
	}
	if (a->root != NULL && (p->s->root = strdup(a->root)) == NULL)
		scn_perr(p, line, "out of memory");
	free(text);
	adm_world_free(w);
}

void
scn_admin_free(struct parser *p)
{
	struct scn_admin *a = p->admin;
	int i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nrc; i++)
		free(a->rc[i]);
	for (i = 0; i < a->njails; i++)
		free(a->jails[i]);
	for (i = 0; i < a->nifs; i++)
		free(a->ifs[i]);
	for (i = 0; i < a->ngroups; i++)
		free(a->groups[i]);
	for (i = 0; i < a->njail; i++)
		free(a->jail[i]);
	for (i = 0; i < a->nlisten; i++)
		free(a->listen[i]);
	free(a->bastille);
	free(a->root);
	free(a);
	p->admin = NULL;
}
