/* report.c: the run's results as a human summary, TAP or JUnit XML. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

struct rep_probe {
	char		*title, *detail;
	char		*attach;	/* dumps taken when this probe failed */
	int		 line;
	enum rep_status	 st;
	double		 ms;
};

struct rep_scn {
	char		*name, *path, *title, *target, *error, *attach;
	struct rep_probe *probe;
	int		 nprobe;
	double		 ms;
};

struct report {
	struct report_opts o;
	int		 color;
	struct rep_scn	*scn;
	int		 nscn;
	int		 ntap;
	int		 pass, fail, error, skip;
};

static char *
xstrdup(const char *s)
{
	return (s != NULL ? strdup(s) : NULL);
}

struct report *
report_new(const struct report_opts *o)
{
	struct report *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return (NULL);
	r->o = *o;
	r->color = o->color >= 0 ? o->color : isatty(STDOUT_FILENO);
	if (o->tap)
		r->color = 0;
	return (r);
}

static struct rep_scn *
cur(struct report *r)
{
	return (r->nscn > 0 ? &r->scn[r->nscn - 1] : NULL);
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
	if (r->o.tap)
		printf("# %s (%s): %s\n", name, target, title ? title : "");
	else
		printf("%s%s%s (%s)%s%s\n", r->color ? "\033[1m" : "", name,
		    r->color ? "\033[0m" : "", target, title ? ": " : "",
		    title ? title : "");
	fflush(stdout);
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
print_indented(FILE *f, const char *pre, const char *text)
{
	const char *p = text, *nl;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		fprintf(f, "%s%.*s\n", pre, (int)(nl ? nl - p : (long)strlen(p)), p);
		p = nl ? nl + 1 : NULL;
	}
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

/* A TAP description: `#` would start a directive (a title saying "#todo" would turn a
 * failure into a TODO), so it is written `\\#`. */
static void
tap_text(const char *t)
{
	for (; t != NULL && *t != '\0'; t++) {
		if (*t == '#' || *t == '\\')
			putchar('\\');
		putchar(*t == '\n' ? ' ' : *t);
	}
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
	if (r->o.tap) {
		printf("%s %d - ", st == REP_PASS || st == REP_SKIP ? "ok" : "not ok",
		    ++r->ntap);
		tap_text(s ? s->name : "?");
		printf(": ");
		tap_text(title);
		printf(" # %s%s\n", st == REP_SKIP ? "SKIP " : "", s ? s->target : "");
		if (detail != NULL && st != REP_PASS)
			print_indented(stdout, "#   ", detail);
	} else {
		printf("  %s%-5s%s %s  (%.2f ms)\n", r->color ? st_color(st) : "",
		    st_word(st), r->color ? "\033[0m" : "", title, ms);
		if (detail != NULL && (st != REP_PASS || r->o.verbose))
			print_indented(stdout, "        ", detail);
	}
	fflush(stdout);
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
		printf("not ok %d - ", ++r->ntap);
		tap_text(s ? s->name : "?");
		printf(": could not run # %s\n", s ? s->target : "");
		print_indented(stdout, "#   ", msg);
	} else {
		printf("  %s%-5s%s could not run:\n", r->color ? st_color(REP_ERROR) : "",
		    "ERROR", r->color ? "\033[0m" : "");
		print_indented(stdout, "        ", msg);
	}
	fflush(stdout);
}

void
report_scn_attach(struct report *r, const char *label, const char *text)
{
	struct rep_scn *s = cur(r);
	char **at, *na;
	size_t n;

	if (s == NULL || text == NULL)
		return;
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
		printf("        %s:\n", label);
		print_indented(stdout, "          ", text);
	} else {
		printf("#   %s:\n", label);
		print_indented(stdout, "#     ", text);
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

	printf("%s", r->o.tap ? "# " : "note: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Length of the valid UTF-8 sequence at s, 0 when it is not one. */
static int
utf8_len(const unsigned char *s)
{
	int n, i;

	n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 :
	    (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return (0);
	return (n);
}

static void
xml_esc(FILE *f, const char *s)
{
	int n;

	for (; s != NULL && *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80) {
			if ((n = utf8_len((const unsigned char *)s)) == 0)
				fputc('?', f);	/* not UTF-8: XML would be invalid */
			else {
				fwrite(s, 1, (size_t)n, f);
				s += n - 1;
			}
			continue;
		}
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

static void
junit_scn(FILE *f, const struct rep_scn *s)
{
	int i, nf = 0, ns = 0;

	for (i = 0; i < s->nprobe; i++) {
		nf += s->probe[i].st == REP_FAIL || s->probe[i].st == REP_ERROR;
		ns += s->probe[i].st == REP_SKIP;
	}
	fprintf(f, "  <testsuite name=\"");
	xml_esc(f, s->name);
	fprintf(f, ".%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" "
	    "time=\"%.3f\">\n", s->target, s->nprobe + (s->error != NULL), nf,
	    s->error != NULL, ns, s->ms / 1000);
	for (i = 0; i < s->nprobe; i++) {
		const struct rep_probe *p = &s->probe[i];

		fprintf(f, "    <testcase classname=\"");
		xml_esc(f, s->name);
		fprintf(f, ".%s\" name=\"", s->target);
		xml_esc(f, p->title);
		fprintf(f, "\" time=\"%.3f\">", p->ms / 1000);
		if (p->st == REP_FAIL || p->st == REP_ERROR) {
			fprintf(f, "<failure message=\"");
			xml_esc(f, s->path);
			fprintf(f, ":%d\">", p->line);
			xml_esc(f, p->detail);
			xml_esc(f, p->attach);
			fprintf(f, "</failure>");
		} else if (p->st == REP_SKIP) {
			fprintf(f, "<skipped message=\"");
			xml_esc(f, p->detail);
			fprintf(f, "\"/>");
		}
		fprintf(f, "</testcase>\n");
	}
	if (s->error != NULL) {
		fprintf(f, "    <testcase classname=\"");
		xml_esc(f, s->name);
		fprintf(f, ".%s\" name=\"setup\"><error message=\"could not run\">",
		    s->target);
		xml_esc(f, s->error);
		xml_esc(f, s->attach);
		fprintf(f, "</error></testcase>\n");
	}
	fprintf(f, "  </testsuite>\n");
}

static int
junit_write(const struct report *r)
{
	FILE *f;
	int i;

	if ((f = fopen(r->o.junit, "w")) == NULL) {
		fprintf(stderr, "pfharness: %s: cannot write the JUnit file\n", r->o.junit);
		return (-1);
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pfharness\">\n");
	for (i = 0; i < r->nscn; i++)
		junit_scn(f, &r->scn[i]);
	fprintf(f, "</testsuites>\n");
	return (fclose(f) == 0 ? 0 : -1);
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
}

int
report_finish(struct report *r)
{
	int i, status;

	if (r->o.tap)
		printf("1..%d\n", r->ntap);	/* 1..0: nothing selected, a valid plan */
	else if (r->nscn == 0 && r->pass + r->fail + r->error + r->skip == 0)
		;	/* nothing ran (a usage error): no totals to print */
	else
		printf("\n%d passed, %d failed%s", r->pass, r->fail + r->error,
		    r->skip ? "" : "\n");
	if (!r->o.tap && r->skip && r->nscn > 0)
		printf(", %d skipped\n", r->skip);
	if (!r->o.tap && r->error)
		printf("(%d scenario%s could not run)\n", r->error, r->error > 1 ? "s" : "");
	status = r->error ? 2 : r->fail ? 1 : 0;
	if (r->o.junit != NULL && junit_write(r) == -1)
		status = 2;	/* CI must not pass with no results file */
	for (i = 0; i < r->nscn; i++)
		scn_free_one(&r->scn[i]);
	free(r->scn);
	free(r);
	fflush(stdout);
	return (status);
}
