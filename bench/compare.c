/* compare.c: per-point Student's t comparison of two results CSVs, and ministat's
 * summary of plain sample files. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "csv.h"
#include "pairs.h"
#include "stats.h"

/* One point's samples gathered from a table. */
struct point {
	const struct bench_row	*key;	/* first row of the point */
	double			*v;
	int			 n;
};

/* Gather the points of t in order of first appearance. Returns the count, -1 on
 * allocation failure; *pts is malloc'd (free each v, then the array). */
static int
gather(const struct bench_table *t, struct point **pts)
{
	struct point *p;
	int i, j, np = 0;

	if ((p = calloc(t->nrow ? t->nrow : 1, sizeof(*p))) == NULL)
		return (-1);
	for (i = 0; i < t->nrow; i++) {
		for (j = 0; j < np; j++)
			if (bench_row_same_point(p[j].key, &t->row[i]))
				break;
		if (j == np) {
			p[np].key = &t->row[i];
			if ((p[np].v = calloc(t->nrow, sizeof(double))) == NULL)
				goto fail;
			np++;
		}
		p[j].v[p[j].n++] = t->row[i].value;
	}
	*pts = p;
	return (np);
fail:
	for (j = 0; j < np; j++)
		free(p[j].v);
	free(p);
	return (-1);
}

static void
points_free(struct point *p, int n)
{
	int i;

	for (i = 0; p != NULL && i < n; i++)
		free(p[i].v);
	free(p);
}

static void
point_name(const struct bench_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s %ld %s %s", r->workload, r->mode, r->size, r->size_unit,
	    r->metric);
}

/* Judge and print one point; returns 1 when it is a regression beyond threshold. */
static int
judge(const struct point *b, const struct point *n, const struct bench_cmp_opts *o,
    FILE *out, int *noisy)
{
	struct stats_summary sb, sn;
	struct stats_diff d;
	char name[400];
	const char *verdict;
	double fl;
	int worse, bad = 0;

	point_name(n->key, name, sizeof(name));
	stats_summarize(b->v, b->n, &sb);
	stats_summarize(n->v, n->n, &sn);
	fprintf(out, "%-40s %12.6g -> %-12.6g %s", name, sb.median, sn.median,
	    n->key->unit);
	if (stats_compare(&sb, &sn, o->ci, &d) == -1) {
		fprintf(out, "  (not tested: needs 2 runs each, has %d and %d)\n", sb.n,
		    sn.n);
		return (0);
	}
	worse = n->key->higher_better ? d.diff < 0 : d.diff > 0;
	/* The smallest difference these samples detect, and the machine's own drift
	 * between the two files (what the generator alone gained or lost). */
	fl = fmax(100 * bench_pairs_point_floor(sb.mean != 0 ? sb.stddev / fabs(sb.mean) :
	    0, sb.n), 100 * bench_pairs_point_floor(sn.mean != 0 ? sn.stddev /
	    fabs(sn.mean) : 0, sn.n));
	fl = fmax(fl, o->drift);
	if (100 * bench_pairs_point_floor(sb.mean != 0 ?
	    sb.stddev / fabs(sb.mean) : 0, sb.n) > o->threshold)
		(*noisy)++;
	if (!d.significant)
		verdict = "no difference proven";
	else if (fabs(d.rel) < fl)
		verdict = "no verdict: below the noise floor";
	else if (!worse)
		verdict = "better";
	else if (fabs(d.rel) > o->threshold) {
		verdict = "WORSE: regression";
		bad = 1;
	} else
		verdict = "worse, within threshold";
	fprintf(out, "  %+.4g +/- %.4g (%+.2f%% +/- %.2f%%, floor %.1f%%) %s\n", d.diff,
	    d.ci, d.rel, d.rel_ci, fl, verdict);
	return (bad);
}

/* The machine's drift between two files in percent: how much the generator alone's
 * median moved (the same frames on the same veth: only the machine changed). */
static double
drift(const struct point *pb, int nb, const struct point *pn, int nn)
{
	struct stats_summary a, b;
	int i, j;

	for (i = 0; i < nb; i++)
		if (strcmp(pb[i].key->mode, "gen") == 0)
			for (j = 0; j < nn; j++)
				if (bench_row_same_point(pb[i].key, pn[j].key) &&
				    stats_summarize(pb[i].v, pb[i].n, &a) == 0 &&
				    stats_summarize(pn[j].v, pn[j].n, &b) == 0 && a.median > 0)
					return (100 * fabs(b.median / a.median - 1));
	return (0);
}

/* Warnings on what makes the baseline a poor reference. */
static void
warn_context(const struct bench_table *tb, const struct bench_table *tn,
    const struct bench_cmp_opts *o, FILE *out)
{
	if (tb->nrow == 0 || tn->nrow == 0)
		return;
	if (strcmp(tb->row[0].host, tn->row[0].host) != 0)
		fprintf(out, "WARNING: the baseline was made on another machine (%s, this "
		    "is %s): its figures say nothing of this one\n", tb->row[0].host,
		    tn->row[0].host);
	if (strcmp(tb->row[0].kernel, tn->row[0].kernel) != 0)
		fprintf(out, "WARNING: the baseline was made on another kernel (%s, now "
		    "%s)\n", tb->row[0].kernel, tn->row[0].kernel);
	if (o->drift > 0)
		fprintf(out, "# the generator alone moved %.1f%% since the baseline: the "
		    "machine's own drift, part of every point's noise floor\n", o->drift);
}

int
bench_compare_files(const char *basepath, const char *newpath,
    const struct bench_cmp_opts *o, FILE *out, struct diag *dg)
{
	struct bench_table tb = { 0 }, tn = { 0 };
	struct point *pb = NULL, *pn = NULL;
	struct bench_cmp_opts oo;
	const struct bench_metric *m;
	int nb = 0, nn = 0, i, j, rc = -1, regress = 0, matched = 0, noisy = 0;
	char name[400];

	if (bench_csv_read(basepath, &tb, dg) == -1 ||
	    bench_csv_read(newpath, &tn, dg) == -1)
		goto out;
	if ((nb = gather(&tb, &pb)) == -1 || (nn = gather(&tn, &pn)) == -1) {
		diag_add(dg, NULL, 0, "bench compare: out of memory");
		goto out;
	}
	fprintf(out, "# baseline %s (%s, %s)\n# new      %s (%s, %s)\n"
	    "# Student's t at %g%% confidence, regression threshold %g%%\n",
	    basepath, tb.nrow ? tb.row[0].kernel : "-", tb.nrow ? tb.row[0].started : "-",
	    newpath, tn.nrow ? tn.row[0].kernel : "-", tn.nrow ? tn.row[0].started : "-",
	    stats_conf_levels[o->ci], o->threshold);
	oo = *o;
	oo.drift = drift(pb, nb, pn, nn);
	warn_context(&tb, &tn, &oo, out);
	fprintf(out, "# %-38s %12s    %-12s       difference +/- ci (relative, noise "
	    "floor)\n", "point", "base median", "new median");
	for (i = 0; i < nn; i++) {
		for (j = 0; j < nb; j++)
			if (bench_row_same_point(pb[j].key, pn[i].key))
				break;
		if (j == nb) {
			point_name(pn[i].key, name, sizeof(name));
			fprintf(out, "%-40s only in new\n", name);
			continue;
		}
		if ((m = bench_csv_metric(pn[i].key->metric)) != NULL && m->context)
			continue;	/* the machine's load, not a figure */
		matched++;
		regress |= judge(&pb[j], &pn[i], &oo, out, &noisy);
	}
	for (j = 0; j < nb; j++) {
		for (i = 0; i < nn; i++)
			if (bench_row_same_point(pb[j].key, pn[i].key))
				break;
		if (i == nn) {
			point_name(pb[j].key, name, sizeof(name));
			fprintf(out, "%-40s only in baseline\n", name);
		}
	}
	if (noisy > 0)
		fprintf(out, "WARNING: the baseline's noise floor is above the %g%% "
		    "threshold at %d points: a regression that small cannot be seen there "
		    "(more runs, or bench ab, which pairs its runs)\n", o->threshold, noisy);
	fprintf(out, "# %d points compared: %s\n", matched,
	    regress ? "REGRESSION" : "no significant regression");
	rc = regress;
out:
	points_free(pb, nb);
	points_free(pn, nn);
	bench_table_free(&tb);
	bench_table_free(&tn);
	return (rc);
}

/* Read one ministat-style sample file. Returns the count or -1 (messages in d). */
static int
read_samples(const char *path, double **vp, struct diag *d)
{
	FILE *f;
	char buf[512], *p, *end;
	double *v = NULL, *nv;
	int n = 0, cap = 0, line = 0;
	size_t len;

	if ((f = fopen(path, "r")) == NULL) {
		diag_add(d, path, 0, "%s", strerror(errno));
		return (-1);
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		line++;
		if ((p = strchr(buf, '#')) != NULL)
			*p = '\0';
		len = strlen(buf);
		while (len > 0 && isspace((unsigned char)buf[len - 1]))
			buf[--len] = '\0';
		for (p = buf; isspace((unsigned char)*p); p++)
			;
		if (*p == '\0')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto fail;
			v = nv;
		}
		v[n] = strtod(p, &end);
		if (end == p || *end != '\0') {
			diag_add(d, path, line, "invalid data \"%s\"", p);
			goto fail;
		}
		n++;
	}
	fclose(f);
	if (n < 3) {
		diag_add(d, path, 0, "dataset must contain at least 3 data points");
		free(v);
		return (-1);
	}
	*vp = v;
	return (n);
fail:
	fclose(f);
	free(v);
	return (-1);
}

static void
vitals(FILE *out, char sym, const struct stats_summary *s)
{
	fprintf(out, "%c %3d %13.8g %13.8g %13.8g %13.8g %13.8g\n", sym, s->n, s->min,
	    s->max, s->median, s->mean, s->stddev);
}

int
bench_stats_files(char *const *paths, int npaths, int ci, FILE *out, struct diag *d)
{
	static const char sym[] = "x+*%#@O";
	struct stats_summary base, s;
	struct stats_diff df;
	double *v;
	int i, n;

	if (npaths < 1 || npaths > 7) {
		diag_add(d, NULL, 0, "bench stats: 1 to 7 sample files");
		return (-1);
	}
	for (i = 0; i < npaths; i++)
		fprintf(out, "%c %s\n", sym[i], paths[i]);
	fprintf(out, "    N           Min           Max        Median           Avg"
	    "        Stddev\n");
	for (i = 0; i < npaths; i++) {
		if ((n = read_samples(paths[i], &v, d)) == -1)
			return (-1);
		stats_summarize(v, n, i == 0 ? &base : &s);
		free(v);
		vitals(out, sym[i], i == 0 ? &base : &s);
		if (i == 0)
			continue;
		stats_compare(&base, &s, ci, &df);
		if (df.significant)
			fprintf(out, "Difference at %.1f%% confidence\n\t%g +/- %g\n"
			    "\t%g%% +/- %g%%\n\t(Student's t, pooled s = %g)\n",
			    stats_conf_levels[ci], df.diff, df.ci, df.rel, df.rel_ci,
			    df.spool);
		else
			fprintf(out, "No difference proven at %.1f%% confidence\n",
			    stats_conf_levels[ci]);
	}
	return (0);
}

/* The median of the first point of workload w, mode m, metric k; -1 when none. */
static double
median_of(const struct point *p, int np, const char *w, const char *m, const char *k)
{
	struct stats_summary s;
	int i;

	for (i = 0; i < np; i++)
		if (strcmp(p[i].key->workload, w) == 0 && strcmp(p[i].key->mode, m) == 0 &&
		    strcmp(p[i].key->metric, k) == 0) {
			stats_summarize(p[i].v, p[i].n, &s);
			return (s.median);
		}
	return (-1);
}

static void
fig(FILE *out, double v, const char *sep)
{
	if (v < 0)
		fprintf(out, " %12s%s", "-", sep);
	else
		fprintf(out, " %12.0f%s", v, sep);
}

/* Per workload: the generator alone beside pf off and pf on, and pf's cost. */
static void
ratios(const struct point *p, int np, FILE *out)
{
	const char *seen[32];
	double g, off, on;
	int i, j, ns = 0;

	fprintf(out, "\n# medians: generator alone | pf off | pf on, received pps\n");
	for (i = 0; i < np && ns < 32; i++) {
		for (j = 0; j < ns; j++)
			if (strcmp(seen[j], p[i].key->workload) == 0)
				break;
		if (j < ns)
			continue;
		seen[ns++] = p[i].key->workload;
		g = median_of(p, np, p[i].key->workload, "gen", "tx_pps");
		off = median_of(p, np, p[i].key->workload, "nopf", "rx_pps");
		on = median_of(p, np, p[i].key->workload, "pf", "rx_pps");
		fprintf(out, "%-10s", p[i].key->workload);
		fig(out, g, " |");
		fig(out, off, " |");
		fig(out, on, "");
		fprintf(out, "\n");
	}
}

int
bench_summary_file(const char *path, const char *points, double threshold, FILE *out,
    struct diag *d)
{
	struct bench_table t = { 0 };
	struct point *p = NULL;
	struct stats_summary s;
	const struct bench_metric *m;
	char name[400], err[512];
	int np, i, worse;

	if (bench_csv_read(path, &t, d) == -1)
		return (-1);
	if ((np = gather(&t, &p)) == -1) {
		bench_table_free(&t);
		diag_add(d, NULL, 0, "bench stats: out of memory");
		return (-1);
	}
	fprintf(out, "# %-38s %3s %12s %12s %12s %6s %s\n", "point", "N", "median",
	    "mean", "stddev", "CV", "unit");
	for (i = 0; i < np; i++) {
		if ((m = bench_csv_metric(p[i].key->metric)) != NULL && m->context)
			continue;	/* the machine's load: in the pairs' report */
		point_name(p[i].key, name, sizeof(name));
		stats_summarize(p[i].v, p[i].n, &s);
		fprintf(out, "%-40s %3d %12.6g %12.6g %12.6g %5.1f%% %s\n", name, s.n,
		    s.median, s.mean, s.stddev, s.mean != 0 ? 100 * s.stddev / fabs(s.mean) :
		    0, p[i].key->unit);
	}
	ratios(p, np, out);
	worse = bench_pairs_report(&t, threshold, out);
	points_free(p, np);
	if (points != NULL && bench_pairs_write(&t, points, err, sizeof(err)) == -1) {
		diag_add(d, NULL, 0, "%s", err);
		worse = -1;
	}
	bench_table_free(&t);
	return (worse);
}
