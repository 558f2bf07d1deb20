/* scn_world_admin.c: `world from rc.conf FILE...` and `jails from FILE...` (`jails from
 * bastille PREFIX`): the world an admin's files describe (harness/admin), read when the
 * scenario is, written as statements that scn_parse.c parses once every line of the
 * scenario is read, as if written at the first of these lines; Bastille's pfctl steps
 * run before the scenario's probes. The messages of the world's checks are told at the
 * admin's file and line each statement comes from. */
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
	char	**raw, **told;	/* the world's checks' messages alone, and as told:
				 * at the file and line the statement comes from */
	int	 nraw;
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

char *
scn_admin_line(const struct parser *p, const char *line)
{
	const struct scn_admin *a = p->admin;
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

/* m without `pfharness: ` before it, the command line's overrides it names as this
 * statement's words (--if em0=... is `if em0=...`). */
static void
as_words(char *m)
{
	static const char *const opts[] = { "--if ", "--group ", "--jail " };
	char *x;
	size_t i;

	if (strncmp(m, "pfharness: ", 11) == 0)
		memmove(m, m + 11, strlen(m + 11) + 1);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		while ((x = strstr(m, opts[i])) != NULL)
			memmove(x, x + 2, strlen(x + 2) + 1);
}

void
scn_admin_told(struct parser *p, const char *text, const char *msgs)
{
	struct scn_admin *a = p->admin;
	const char *q, *eol, *msg;
	char where[1024], told[2048], m[2048], raw[2048], *end, **nr, **nt;
	size_t len;
	long n;

	for (q = msgs; *q != '\0'; q = eol != NULL ? eol + 1 : q + len) {
		eol = strchr(q, '\n');
		len = eol != NULL ? (size_t)(eol - q) : strlen(q);
		if (strncmp(q, SCN_ADMIN_PATH ":", strlen(SCN_ADMIN_PATH) + 1) != 0)
			continue;
		n = strtol(q + strlen(SCN_ADMIN_PATH) + 1, &end, 10);
		msg = end + strspn(end, ": ");
		if (adm_world_origin(text, (int)n, where, sizeof(where)) == -1)
			continue;
		snprintf(m, sizeof(m), "%.*s", (int)(len - (size_t)(msg - q)), msg);
		adm_world_retell(text, m, a->line, raw, sizeof(raw));
		adm_world_retell(text, m, 0, told + snprintf(told, sizeof(told), "%s: ",
		    where), sizeof(told) - strlen(told));
		as_words(told);
		nr = realloc(a->raw, (size_t)(a->nraw + 1) * sizeof(*nr));
		if (nr != NULL)
			a->raw = nr;
		nt = realloc(a->told, (size_t)(a->nraw + 1) * sizeof(*nt));
		if (nt != NULL)
			a->told = nt;
		if (nr == NULL || nt == NULL ||
		    (a->raw[a->nraw] = strdup(raw)) == NULL) {
			scn_perr(p, a->line, "out of memory");
			break;
		}
		if ((a->told[a->nraw] = strdup(told)) == NULL) {
			free(a->raw[a->nraw]);
			scn_perr(p, a->line, "out of memory");
			break;
		}
		a->nraw++;
	}
}

void
scn_admin_relabel(struct parser *p)
{
	struct scn_admin *a = p->admin;
	char *m;
	int i, k;

	if (a == NULL)
		return;
	for (i = 0; i < p->nerr; i++) {
		if (p->err[i].line != a->line)
			continue;
		for (k = 0; k < a->nraw; k++)
			if (a->raw[k] != NULL && strcmp(p->err[i].msg, a->raw[k]) == 0)
				break;
		if (k == a->nraw || (m = strdup(a->told[k])) == NULL)
			continue;
		free(p->err[i].msg);
		p->err[i].msg = m;
		free(a->raw[k]);	/* each message of the checks told once */
		a->raw[k] = NULL;
	}
}

/* The admin's messages that are errors (not warnings) as the scenario's, at line. */
static void
messages(struct parser *p, const char *msgs, int line)
{
	const char *q = msgs, *eol, *o;
	char m[2048];
	size_t len;

	while (*q != '\0') {
		eol = strchr(q, '\n');
		len = eol != NULL ? (size_t)(eol - q) : strlen(q);
		/* within this line only: a search of the rest would make a long list of
		 * messages quadratic */
		o = memmem(q, len, ": warning: ", 11);
		if (o == NULL) {
			snprintf(m, sizeof(m), "%.*s", (int)len, q);
			as_words(m);
			scn_perr(p, line, "%s", m);
		}
		q = eol != NULL ? eol + 1 : q + len;
	}
}

char *
scn_admin_world(struct parser *p)
{
	struct scn_admin *a = p->admin;
	struct adm_world *w;
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *f;
	int i, line;

	if (a == NULL)
		return (NULL);
	line = a->line;
	if ((w = adm_world_new(a->root)) == NULL) {
		scn_perr(p, line, "out of memory");
		return (NULL);
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
		return (NULL);
	}
	(void)adm_world_scn(w, f);
	if (fclose(f) != 0) {
		free(text);
		text = NULL;
		scn_perr(p, line, "out of memory");
	}
	messages(p, adm_world_messages(w), line);
	if (a->root != NULL && (p->s->root = strdup(a->root)) == NULL)
		scn_perr(p, line, "out of memory");
	adm_world_free(w);
	return (text);
}

void
scn_admin_steps_first(struct parser *p, int before)
{
	struct scn_probe *moved;
	int after = p->s->nprobe;

	if (after > before && before > 0 && (moved = malloc((size_t)(after - before) *
	    sizeof(*moved))) != NULL) {
		memcpy(moved, &p->s->probe[before], (size_t)(after - before) *
		    sizeof(*moved));
		memmove(&p->s->probe[after - before], &p->s->probe[0], (size_t)before *
		    sizeof(*moved));
		memcpy(&p->s->probe[0], moved, (size_t)(after - before) * sizeof(*moved));
		free(moved);
	}
}

int
scn_admin_at(const struct parser *p)
{
	return (p->admin != NULL ? p->admin->line : 0);
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
	for (i = 0; i < a->nraw; i++) {
		free(a->raw[i]);
		free(a->told[i]);
	}
	free(a->raw);
	free(a->told);
	free(a->bastille);
	free(a->root);
	free(a);
	p->admin = NULL;
}
