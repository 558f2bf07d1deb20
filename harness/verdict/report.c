/* report.c: the run's results as a human summary or TAP, kept for the JUnit writer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "report_impl.h"

static char *
xstrdup(const char *s)
{
	return (s != NULL ? strdup(s) : NULL);
}

/* Colour when nobody said: on a terminal, unless NO_COLOR is set (no-color.org) or the
 * terminal says it has none (TERM=dumb). */
static int
color_default(FILE *out)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc != NULL && nc[0] != '\0')
		return (0);
	if (term == NULL || strcmp(term, "dumb") == 0)
		return (0);
	return (isatty(fileno(out)));
}

struct report *
report_new(const struct report_opts *o)
{
	struct report *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return (NULL);
	r->o = *o;
	/* the JUnit XML alone on standard output when it goes there */
	r->out = o->junit != NULL && strcmp(o->junit, "-") == 0 ? stderr : stdout;
	r->color = o->color >= 0 ? o->color : color_default(r->out);
	if (o->tap)
		r->color = 0;
	return (r);
}

static struct rep_scn *
cur(struct report *r)
{
	return (r->nscn > 0 ? &r->scn[r->nscn - 1] : NULL);
}

/* Append to the current scenario's log (its JUnit system-out). */
static void
logf_scn(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
logf_scn(struct report *r, const char *fmt, ...)
{
	struct rep_scn *s = cur(r);
	va_list ap;
	char *nl;
	int n;

	if (s == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (nl = realloc(s->log, s->loglen + (size_t)n + 1)) == NULL)
		return;
	s->log = nl;
	va_start(ap, fmt);
	vsnprintf(s->log + s->loglen, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->loglen += (size_t)n;
}

/* Each line of text, after pre, to the output and the scenario's log. */
static void
print_indented(struct report *r, const char *pre, const char *text)
{
	const char *p = text, *nl;
	int n;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		n = (int)(nl ? nl - p : (long)strlen(p));
		fprintf(r->out, "%s%.*s\n", pre, n, p);
		logf_scn(r, "%s%.*s\n", pre, n, p);
		p = nl ? nl + 1 : NULL;
	}
}

void
report_scn_begin(struct report *r, const char *name, const char *path,
    const char *title, const char *target)
{
	struct rep_scn *s, *ns;

	if ((ns = realloc(r->scn, (r->nscn + 1) * sizeof(*ns))) == NULL)
		return;
	r->scn = ns;
	s = &r->scn[r->nscn++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->path = xstrdup(path);
	s->title = xstrdup(title);
	s->target = xstrdup(target);
	s->started = time(NULL);
	if (r->o.tap)
		fprintf(r->out, "# %s (%s): %s\n", name, target, title ? title : "");
	else
		fprintf(r->out, "%s%s%s (%s)%s%s\n", r->color ? "\033[1m" : "", name,
		    r->color ? "\033[0m" : "", target, title ? ": " : "",
		    title ? title : "");
	logf_scn(r, "%s (%s)%s%s\n", name, target, title ? ": " : "", title ? title : "");
	fflush(r->out);
}

static const char *
st_word(enum rep_status st)
{
	switch (st) {
	case REP_PASS:
		return ("ok");
	case REP_FAIL:
		return ("FAIL");
	case REP_ERROR:
		return ("ERROR");
	case REP_SKIP:
		return ("skip");
	}
	return ("?");
}

static const char *
st_color(enum rep_status st)
{
	switch (st) {
	case REP_PASS:
		return ("\033[32m");
	case REP_FAIL:
	case REP_ERROR:
		return ("\033[31m");
	case REP_SKIP:
		return ("\033[33m");
	}
	return ("");
}

static void
count(struct report *r, enum rep_status st)
{
	switch (st) {
	case REP_PASS:
		r->pass++;
		break;
	case REP_FAIL:
		r->fail++;
		break;
	case REP_ERROR:
		r->error++;
		break;
	case REP_SKIP:
		r->skip++;
		break;
	}
}

/* 1 when s holds "skip" or "todo" in any case. The TAP specification reads a directive
 * only after an unescaped `#`, but some parsers look for the words anywhere on a
 * result line: Kyua's counts a `not ok` line holding "skip", "SKIP" or "TODO" as
 * passed. */
static int
tap_has_directive_word(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (strncasecmp(s, "skip", 4) == 0 || strncasecmp(s, "todo", 4) == 0)
			return (1);
	return (0);
}

/* A TAP description: `#` would start a directive and `\` escapes, so both are written
 * escaped (`\#`, `\\`), as the TAP specification says; a line end becomes a space. */
static void
tap_text(FILE *f, const char *t)
{
	for (; t != NULL && *t != '\0'; t++) {
		if (*t == '#' || *t == '\\')
			fputc('\\', f);
		fputc(*t == '\n' || *t == '\r' ? ' ' : *t, f);
	}
}

/* One TAP result line: `ok N - NAME (TARGET): WHAT`. When the name or what holds a
 * word a parser could take for a directive, the line says `scenario K probe P
 * (TARGET)` and the name and what follow on a comment line. */
static void
tap_result(struct report *r, int ok, const struct rep_scn *s, const char *what,
    int probe)
{
	const char *name = s != NULL ? s->name : "?";
	const char *target = s != NULL ? s->target : "?";

	fprintf(r->out, "%s %d - ", ok ? "ok" : "not ok", ++r->ntap);
	if (!tap_has_directive_word(name) && !tap_has_directive_word(what) &&
	    !tap_has_directive_word(target)) {
		tap_text(r->out, name);
		fprintf(r->out, " (");
		tap_text(r->out, target);
		fprintf(r->out, "): ");
		tap_text(r->out, what);
		fprintf(r->out, "\n");
		return;
	}
	fprintf(r->out, "scenario %d ", r->nscn);
	if (probe > 0)
		fprintf(r->out, "probe %d ", probe);
	fprintf(r->out, "(");
	tap_text(r->out, target);
	fprintf(r->out, ")\n# %s (%s): %s\n", name, target, what);
}

void
report_probe(struct report *r, const char *title, int line, enum rep_status st,
    const char *detail, double ms)
{
	struct rep_scn *s = cur(r);
	struct rep_probe *p, *np;

	count(r, st);
	if (s != NULL &&
	    (np = realloc(s->probe, (s->nprobe + 1) * sizeof(*np))) != NULL) {
		s->probe = np;
		p = &s->probe[s->nprobe++];
		p->title = xstrdup(title);
		p->detail = xstrdup(detail);
		p->attach = NULL;
		p->line = line;
		p->st = st;
		p->ms = ms;
	}
	logf_scn(r, "  %-5s %s  (%.2f ms)\n", st_word(st), title, ms);
	if (r->o.tap) {
		tap_result(r, st == REP_PASS || st == REP_SKIP, s, title,
		    s != NULL ? s->nprobe : 0);
		if (detail != NULL && st != REP_PASS)
			print_indented(r, "#   ", detail);
	} else {
		fprintf(r->out, "  %s%-5s%s %s  (%.2f ms)\n", r->color ? st_color(st) : "",
		    st_word(st), r->color ? "\033[0m" : "", title, ms);
		if (detail != NULL && (st != REP_PASS || r->o.verbose))
			print_indented(r, "        ", detail);
	}
	fflush(r->out);
}

void
report_scn_error(struct report *r, const char *msg)
{
	struct rep_scn *s = cur(r);

	r->error++;
	if (s != NULL) {
		free(s->error);
		s->error = xstrdup(msg);
	}
	if (r->o.tap) {
		tap_result(r, 0, s, "could not run", 0);
		print_indented(r, "#   ", msg);
	} else {
		fprintf(r->out, "  %s%-5s%s could not run:\n",
		    r->color ? st_color(REP_ERROR) : "", "ERROR",
		    r->color ? "\033[0m" : "");
		logf_scn(r, "  ERROR could not run:\n");
		print_indented(r, "        ", msg);
	}
	fflush(r->out);
}

void
report_scn_attach(struct report *r, const char *label, const char *text)
{
	struct rep_scn *s = cur(r);
	char **at, *na;
	size_t n;

	if (s == NULL || text == NULL)
		return;
	if (text[0] == '\0')
		text = "(none)\n";	/* pfctl prints nothing for an empty list */
	/* the last probe's failure, or the scenario's when no probe ran */
	at = s->nprobe > 0 ? &s->probe[s->nprobe - 1].attach : &s->attach;
	n = (*at ? strlen(*at) : 0) + strlen(label) + strlen(text) + 8;
	if ((na = realloc(*at, n)) == NULL)
		return;
	if (*at == NULL)
		na[0] = '\0';
	*at = na;
	strcat(na, label);
	strcat(na, ":\n");
	strcat(na, text);
	if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
		strcat(na, "\n");
	if (!r->o.tap) {
		fprintf(r->out, "        %s:\n", label);
		logf_scn(r, "        %s:\n", label);
		print_indented(r, "          ", text);
	} else {
		fprintf(r->out, "#   %s:\n", label);
		logf_scn(r, "#   %s:\n", label);
		print_indented(r, "#     ", text);
	}
}

void
report_scn_end(struct report *r, double ms)
{
	struct rep_scn *s = cur(r);

	if (s != NULL)
		s->ms = ms;
}

void
report_note(struct report *r, const char *fmt, ...)
{
	va_list ap;
	char buf[2048];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(r->out, "%s%s\n", r->o.tap ? "# " : "note: ", buf);
	logf_scn(r, "note: %s\n", buf);
	fflush(r->out);
}

void
report_none(struct report *r, const char *why)
{
	free(r->none);
	r->none = xstrdup(why);
}

static void
scn_free_one(struct rep_scn *s)
{
	int i;

	for (i = 0; i < s->nprobe; i++) {
		free(s->probe[i].title);
		free(s->probe[i].detail);
		free(s->probe[i].attach);
	}
	free(s->probe);
	free(s->name);
	free(s->path);
	free(s->title);
	free(s->target);
	free(s->error);
	free(s->attach);
	free(s->log);
}

int
report_finish(struct report *r)
{
	int i, status;

	if (r->o.tap && r->none != NULL)
		fprintf(r->out, "1..0 # SKIP %s\n", r->none);
	else if (r->o.tap)
		fprintf(r->out, "1..%d\n", r->ntap);
	else if (r->nscn == 0 && r->none == NULL &&
	    r->pass + r->fail + r->error + r->skip == 0)
		;	/* nothing ran (a usage error): no totals to print */
	else {
		fprintf(r->out, "\n%d passed, %d failed", r->pass, r->fail + r->error);
		if (r->skip)
			fprintf(r->out, ", %d skipped", r->skip);
		fprintf(r->out, "\n");
		if (r->none != NULL)
			fprintf(r->out, "(no scenario run: %s)\n", r->none);
	}
	if (!r->o.tap && r->error)
		fprintf(r->out, "(%d scenario%s could not run)\n", r->error,
		    r->error > 1 ? "s" : "");
	status = r->error || r->none != NULL ? 2 : r->fail ? 1 : 0;
	fflush(r->out);
	if (r->o.junit != NULL && report_junit_write(r) == -1)
		status = 2;	/* CI must not pass with no results file */
	for (i = 0; i < r->nscn; i++)
		scn_free_one(&r->scn[i]);
	free(r->scn);
	free(r->none);
	free(r);
	fflush(stdout);
	return (status);
}
