/* run_cover.c: `pfharness run --coverage`: after each probe the rules' counters, as
 * each target's pfctl op prints them (`pfctl -sn -vv`, `pfctl -sr -vv`: the model's
 * on model and linux, real pfctl's on freebsd); each rule's packets since the
 * previous probe belong to that probe. Per scenario and target: every rule with its
 * packets and probes, the rules never matched, the share; totals, JSON. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfctl/pfctl_out.h"
#include "run_cover.h"

#define COVER_PROBES	6	/* probe titles kept per rule */

/* A rule of one view, as pfctl prints it. */
struct crule {
	char		 view;		/* 'n' -sn, 'r' -sr */
	char		*text;
	int		 nr;
	int		 counted;	/* pass, block, nat, rdr, binat */
	uint64_t	 packets, last;
	char		*probe[COVER_PROBES];	/* the probes' titles */
	int		 nprobe;
};

/* One scenario on one target. */
struct cscn {
	char		*name, *path, *target;
	struct crule	*r;
	int		 nr, cap;
	int		 counted, matched;
	int		 failed;	/* the views could not be read */
};

struct cover {
	int		 tap;
	FILE		*out;
	struct cscn	*s;
	int		 ns, cap;
	struct cscn	*cur;
	const struct target_ops *ops;
	struct target	*t;
};

struct cover *
cover_new(int tap, FILE *out)
{
	struct cover *c = calloc(1, sizeof(*c));

	if (c != NULL) {
		c->tap = tap;
		c->out = out;
	}
	return (c);
}

/* pass, block, nat, rdr and binat decide packets and count them; `no` rules, match,
 * scrub and anchor rules are listed, not counted (pf keeps no packets for `no`). */
static int
counted(const char *text)
{
	static const char *const words[] = { "pass", "block", "nat", "rdr", "binat" };
	size_t i, n;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		if (strncmp(text, words[i], n) == 0 && (text[n] == ' ' || text[n] == '\0'))
			return (1);
	}
	return (0);
}

static struct crule *
find_rule(struct cscn *s, char view, const char *text, int nr)
{
	struct crule *nrl;
	int i;

	for (i = 0; i < s->nr; i++)
		if (s->r[i].view == view && strcmp(s->r[i].text, text) == 0)
			return (&s->r[i]);
	if (s->nr == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		if ((nrl = realloc(s->r, (size_t)s->cap * sizeof(*nrl))) == NULL)
			return (NULL);
		s->r = nrl;
	}
	memset(&s->r[s->nr], 0, sizeof(s->r[0]));
	s->r[s->nr].view = view;
	s->r[s->nr].nr = nr;
	s->r[s->nr].counted = counted(text);
	if ((s->r[s->nr].text = strdup(text)) == NULL)
		return (NULL);
	return (&s->r[s->nr++]);
}

/* Read both views; each rule's new packets go to probe (NULL: the baseline). */
static void
sample(struct cover *c, const char *probe)
{
	static const char *const views[2][4] = {
		{ "pfctl", "-sn", "-vv", NULL }, { "pfctl", "-sr", "-vv", NULL } };
	struct pfctl_rule_stat *st;
	struct target_pfctl out;
	struct scn_pfctl cmd;
	struct crule *r;
	struct diag d = { 0 };
	char err[256];
	uint64_t delta;
	int v, i, n;

	if (c->cur == NULL || c->ops->pfctl == NULL) {
		if (c->cur != NULL)
			c->cur->failed = 1;
		return;
	}
	for (v = 0; v < 2; v++) {
		memset(&cmd, 0, sizeof(cmd));
		memset(&out, 0, sizeof(out));
		cmd.argv = (char **)(uintptr_t)views[v];
		cmd.argc = 3;
		if (c->ops->pfctl(c->t, &cmd, &out, &d) == -1 || out.status != 0 ||
		    pfctl_rules_parse(out.out, &st, &n, err, sizeof(err)) == -1) {
			c->cur->failed = 1;
			target_pfctl_free(&out);
			diag_free(&d);
			continue;
		}
		for (i = 0; i < n; i++) {
			if (!st[i].has_counters ||
			    (r = find_rule(c->cur, "nr"[v], st[i].text, st[i].nr)) == NULL)
				continue;
			/* a reload (pfctl -f) starts the counters again */
			delta = st[i].packets >= r->last ? st[i].packets - r->last :
			    st[i].packets;
			r->last = st[i].packets;
			r->packets += delta;
			if (delta > 0 && probe != NULL && r->nprobe < COVER_PROBES &&
			    (r->probe[r->nprobe] = strdup(probe)) != NULL)
				r->nprobe++;
			else if (delta > 0 && probe != NULL && r->nprobe >= COVER_PROBES)
				r->nprobe++;
		}
		pfctl_rules_free(st, n);
		target_pfctl_free(&out);
		diag_free(&d);
	}
}

void
cover_scn_begin(struct cover *c, const struct scn *s, const struct target_ops *ops,
    struct target *t)
{
	struct cscn *ns;

	c->cur = NULL;
	if (c->ns == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		if ((ns = realloc(c->s, (size_t)c->cap * sizeof(*ns))) == NULL)
			return;
		c->s = ns;
	}
	c->cur = &c->s[c->ns++];
	memset(c->cur, 0, sizeof(*c->cur));
	c->cur->name = strdup(s->name);
	c->cur->path = strdup(s->path);
	c->cur->target = strdup(ops->name);
	c->ops = ops;
	c->t = t;
	sample(c, NULL);
}

void
cover_probe(struct cover *c, const char *title)
{
	sample(c, title);
}

static void
out_line(const struct cover *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
out_line(const struct cover *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->out, "%s", c->tap ? "# " : "");
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fprintf(c->out, "\n");
}

void
cover_scn_end(struct cover *c)
{
	struct cscn *s = c->cur;
	struct crule *r;
	int i, k;

	if (s == NULL)
		return;
	c->cur = NULL;
	for (i = 0; i < s->nr; i++) {
		s->counted += s->r[i].counted;
		s->matched += s->r[i].counted && s->r[i].packets > 0;
	}
	out_line(c, "coverage %s (%s): %d of %d rules matched probe packets%s%.1f%%%s",
	    s->name, s->target, s->matched, s->counted, s->counted ? " (" : "",
	    s->counted ? 100.0 * s->matched / s->counted : 0.0, s->counted ? ")" : "");
	if (s->failed)
		out_line(c, "  (the %s target's pfctl views could not all be read: the "
		    "counts may be short)", s->target);
	for (i = 0; i < s->nr; i++) {
		r = &s->r[i];
		if (!r->counted)
			out_line(c, "  %8s  %s @%d %s", "-", r->view == 'n' ? "-sn" : "-sr",
			    r->nr, r->text);
		else if (r->packets == 0)
			out_line(c, "  %8s  %s @%d %s", "NEVER", r->view == 'n' ? "-sn" :
			    "-sr", r->nr, r->text);
		else
			out_line(c, "  %8llu  %s @%d %s", (unsigned long long)r->packets,
			    r->view == 'n' ? "-sn" : "-sr", r->nr, r->text);
		for (k = 0; k < r->nprobe && k < COVER_PROBES && r->counted; k++)
			out_line(c, "            by \"%s\"", r->probe[k]);
		if (r->nprobe > COVER_PROBES && r->counted)
			out_line(c, "            and %d more probes", r->nprobe - COVER_PROBES);
	}
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static int
write_json(const struct cover *c, const char *path, int matched, int total)
{
	const struct cscn *s;
	const struct crule *r;
	FILE *f;
	int i, k, p;

	if ((f = fopen(path, "w")) == NULL)
		return (-1);
	fprintf(f, "{\"matched\":%d,\"counted\":%d,\"share\":%.2f,\"scenarios\":[",
	    matched, total, total ? 100.0 * matched / total : 0.0);
	for (i = 0; i < c->ns; i++) {
		s = &c->s[i];
		fprintf(f, "%s{\"scenario\":", i ? "," : "");
		json_str(f, s->name ? s->name : "");
		fprintf(f, ",\"path\":");
		json_str(f, s->path ? s->path : "");
		fprintf(f, ",\"target\":");
		json_str(f, s->target ? s->target : "");
		fprintf(f, ",\"matched\":%d,\"counted\":%d,\"complete\":%s,\"rules\":[",
		    s->matched, s->counted, s->failed ? "false" : "true");
		for (k = 0; k < s->nr; k++) {
			r = &s->r[k];
			fprintf(f, "%s{\"view\":\"%s\",\"nr\":%d,\"rule\":", k ? "," : "",
			    r->view == 'n' ? "-sn" : "-sr", r->nr);
			json_str(f, r->text);
			fprintf(f, ",\"counted\":%s,\"packets\":%llu,\"probes\":[",
			    r->counted ? "true" : "false", (unsigned long long)r->packets);
			for (p = 0; p < r->nprobe && p < COVER_PROBES; p++) {
				fprintf(f, "%s", p ? "," : "");
				json_str(f, r->probe[p]);
			}
			fprintf(f, "],\"nprobes\":%d}", r->nprobe);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "]}\n");
	return (fclose(f));
}

int
cover_finish(struct cover *c, const char *json, double min)
{
	int i, k, matched = 0, total = 0, rc = 0;
	double share;

	for (i = 0; i < c->ns; i++) {
		matched += c->s[i].matched;
		total += c->s[i].counted;
	}
	share = total ? 100.0 * matched / total : 100.0;
	out_line(c, "coverage: %d of %d rules matched probe packets (%.1f%%) in %d "
	    "scenario runs", matched, total, share, c->ns);
	if (json != NULL && write_json(c, json, matched, total) == -1) {
		fprintf(stderr, "pfharness: %s: cannot write the coverage\n", json);
		rc = 2;
	}
	if (min >= 0 && share < min) {
		out_line(c, "coverage %.1f%% is below --min-coverage %g", share, min);
		if (rc == 0)
			rc = 1;
	}
	for (i = 0; i < c->ns; i++) {
		for (k = 0; k < c->s[i].nr; k++) {
			int p;

			free(c->s[i].r[k].text);
			for (p = 0; p < c->s[i].r[k].nprobe && p < COVER_PROBES; p++)
				free(c->s[i].r[k].probe[p]);
		}
		free(c->s[i].r);
		free(c->s[i].name);
		free(c->s[i].path);
		free(c->s[i].target);
	}
	free(c->s);
	free(c);
	return (rc);
}
