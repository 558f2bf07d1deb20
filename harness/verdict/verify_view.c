/* verify_view.c: a pfctl view held against the lines a scenario expects (word by word,
 * `*` and LOW-HIGH matching a word), a rule's counters by label or number, and the
 * error of a runtime load. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfctl/pfctl_out.h"
#include "verify_impl.h"

#define VIEW_WORDS	64

int
verify_view_args(const struct scn_step *st, const char **av)
{
	static char words[VERIFY_ARGS][64];
	const char *p = st->book.name;
	int n = 0, k;

	av[n++] = "pfctl";
	if (st->book.anchor != NULL) {
		av[n++] = "-a";
		av[n++] = st->book.anchor;
	}
	/* the view's own options, one word each ("-sr -v") */
	for (k = 0; *p != '\0' && n < VERIFY_ARGS - 1 && k < VERIFY_ARGS; k++) {
		size_t len = strcspn(p, " ");

		snprintf(words[k], sizeof(words[k]), "%.*s", (int)len, p);
		av[n++] = words[k];
		p += len;
		p += strspn(p, " ");
	}
	av[n] = NULL;
	return (1);
}

/* Split line into at most VIEW_WORDS blank-separated words (in place); how many. */
static int
split_words(char *line, char **w)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(line, " \t", &save); t != NULL && n < VIEW_WORDS;
	    t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	return (n);
}

/* 1 when the actual word meets the expected one: equal, `*`, or a LOW-HIGH range
 * holding a number. */
static int
word_ok(const char *want, const char *got)
{
	unsigned long long lo, hi, v;
	char *end;

	if (strcmp(want, "*") == 0 || strcmp(want, got) == 0)
		return (1);
	if (!isdigit((unsigned char)want[0]) || !isdigit((unsigned char)got[0]))
		return (0);
	lo = strtoull(want, &end, 10);
	if (*end != '-' || !isdigit((unsigned char)end[1]))
		return (0);
	hi = strtoull(end + 1, &end, 10);
	if (*end != '\0')
		return (0);
	v = strtoull(got, &end, 10);
	return (*end == '\0' && v >= lo && v <= hi);
}

/* 1 when the actual line meets the expected one word by word. */
static int
line_ok(const char *want, const char *got)
{
	char a[2048], b[2048], *wa[VIEW_WORDS], *wb[VIEW_WORDS];
	int na, nb, i;

	snprintf(a, sizeof(a), "%s", want);
	snprintf(b, sizeof(b), "%s", got);
	na = split_words(a, wa);
	nb = split_words(b, wb);
	if (na != nb)
		return (0);
	for (i = 0; i < na; i++)
		if (!word_ok(wa[i], wb[i]))
			return (0);
	return (1);
}

int
verify_view(const struct scn *s, const struct scn_step *st, const struct verify_obs *o,
    struct diag *d)
{
	const struct target_pfctl *v = o->view[0];
	const char *p, *nl;
	char line[2048];
	int i = 0, bad = -1;

	if (v == NULL) {
		diag_add(d, s->path, st->line, "%s: the target gave no pfctl output",
		    st->text);
		return (0);
	}
	for (p = v->out; *p != '\0' && bad < 0; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s", (int)(nl != NULL ? nl - p :
		    (long)strlen(p)), p);
		if (i >= st->book.nline || !line_ok(st->book.line[i], line))
			bad = i;
		i++;
	}
	if (bad < 0 && i == st->book.nline)
		return (1);
	if (bad < 0)
		bad = i;
	diag_add(d, s->path, st->line + 1 + bad, "%s: line %d: expected \"%s\"; pfctl "
	    "printed:", st->text, bad + 1, bad < st->book.nline ? st->book.line[bad] :
	    "(nothing more)");
	diag_raw(d, v->out[0] != '\0' ? v->out : "  (nothing)");
	if (v->err[0] != '\0')
		diag_raw(d, v->err);
	return (0);
}

/* A rule's line names label "name" (pfctl prints `label "name"`). */
static int
has_label(const char *text, const char *name)
{
	char want[300];

	snprintf(want, sizeof(want), "label \"%s\"", name);
	return (strstr(text, want) != NULL);
}

static uint64_t
field(const struct pfctl_rule_stat *r, enum scn_book_kind k)
{
	switch (k) {
	case SCN_BOOK_EVALUATIONS:
		return (r->evaluations);
	case SCN_BOOK_PACKETS:
		return (r->packets);
	case SCN_BOOK_BYTES:
		return (r->bytes);
	case SCN_BOOK_STATES:
		return (r->states);
	case SCN_BOOK_CONTAINS:
	case SCN_BOOK_LACKS:
	case SCN_BOOK_COUNT:
	case SCN_BOOK_VALUE:
		break;
	}
	return (0);
}

static const char *const field_names[] = {
	[SCN_BOOK_EVALUATIONS] = "evaluations", [SCN_BOOK_PACKETS] = "packets",
	[SCN_BOOK_BYTES] = "bytes", [SCN_BOOK_STATES] = "states"
};

/* The rule the step names in one view: 1 and *r, 0 not there, -1 unreadable. */
static int
find_rule(const struct scn_step *st, const struct target_pfctl *v,
    struct pfctl_rule_stat **all, int *n, const struct pfctl_rule_stat **r)
{
	char err[256];
	int i;

	if (v == NULL || pfctl_rules_parse(v->out, all, n, err, sizeof(err)) == -1)
		return (-1);
	for (i = 0; i < *n; i++)
		if ((st->book.rule_nr >= 0 && (*all)[i].nr == st->book.rule_nr) ||
		    (st->book.rule_nr < 0 && has_label((*all)[i].text, st->book.name))) {
			*r = &(*all)[i];
			return (1);
		}
	return (0);
}

int
verify_rule(const struct scn *s, const struct scn_step *st, const struct verify_obs *o,
    struct diag *d)
{
	struct pfctl_rule_stat *all = NULL;
	const struct pfctl_rule_stat *r = NULL;
	const struct pkt_range *want = &st->book.value;
	char wtext[32];
	uint64_t got;
	int n = 0, i, found = 0, ok;

	for (i = 0; i < VERIFY_VIEWS && !found; i++) {
		pfctl_rules_free(all, n);
		all = NULL;
		n = 0;
		found = find_rule(st, o->view[i], &all, &n, &r) == 1;
	}
	if (!found) {
		pfctl_rules_free(all, n);
		diag_add(d, s->path, st->line, "%s: no such rule; pfctl -sr -vv:", st->text);
		diag_raw(d, o->view[0] != NULL && o->view[0]->out[0] != '\0' ?
		    o->view[0]->out : "  (no rules)");
		return (0);
	}
	got = field(r, st->book.what);
	ok = r->has_counters && got >= want->lo && got <= want->hi;
	if (want->lo == want->hi)
		snprintf(wtext, sizeof(wtext), "%u", want->lo);
	else
		snprintf(wtext, sizeof(wtext), "%u-%u", want->lo, want->hi);
	if (!ok)
		diag_add(d, s->path, st->line, "field %s: expected %s vs actual %llu (%s)",
		    field_names[st->book.what], wtext, (unsigned long long)got, r->text);
	pfctl_rules_free(all, n);
	return (ok);
}

int
verify_load_error(const struct scn *s, const struct scn_step *st,
    const struct verify_obs *o, struct diag *d)
{
	const struct target_pfctl *r = o->last_pfctl;

	if (r == NULL) {
		diag_add(d, s->path, st->line, "%s: no pfctl step before it", st->text);
		return (0);
	}
	if (r->status != 0 && (strstr(r->err, st->value) != NULL ||
	    strstr(r->out, st->value) != NULL))
		return (1);
	if (r->status == 0)
		diag_add(d, s->path, st->line, "%s: but the load succeeded", st->text);
	else {
		diag_add(d, s->path, st->line, "%s: pfctl said otherwise:", st->text);
		diag_raw(d, r->err);
	}
	return (0);
}
