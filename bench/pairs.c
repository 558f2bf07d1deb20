/* pairs.c: a results file's A/B verdicts (pairs.h): runs paired again by round, the
 * verdicts against the noise floor in plain words, the loaded runs, the per-point CSV
 * with each point's coefficient of variation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "pairs.h"
#include "stats.h"

/* The figures compared: what arrives, the hook's CPU per packet, which other
 * processes' load moves far less, and pf's own time per packet in the hook, which
 * leaves out the hook's queue work (a few microseconds a packet, whose spread hides
 * most of pf's cost in the other two). */
static const char *const metrics[] = { "rx_pps", "hook_ns", "pf_ns" };
#define NMETRIC	3

/* 1 when less is better (a time per packet). */
static int
per_packet(const char *metric)
{
	return (strcmp(metric, "rx_pps") != 0);
}
#define METRIC	"rx_pps"

/* The values of one point by run (NaN: no such run). */
struct runs {
	double	v[PAIRED_MAX + 1];
	int	n;
};

static void
runs_of(const struct bench_table *t, const char *w, const char *mode, long size,
    const char *metric, struct runs *r)
{
	int i;

	for (i = 0; i <= PAIRED_MAX; i++)
		r->v[i] = NAN;
	r->n = 0;
	for (i = 0; i < t->nrow; i++) {
		const struct bench_row *x = &t->row[i];

		if (strcmp(x->workload, w) != 0 || strcmp(x->mode, mode) != 0 ||
		    x->size != size || strcmp(x->metric, metric) != 0 || x->run > PAIRED_MAX)
			continue;
		if (isnan(r->v[x->run]))
			r->n++;
		r->v[x->run] = x->value;
	}
}

/* The size of workload w's first point in mode `mode`, or -1. */
static long
size_of(const struct bench_table *t, const char *w, const char *mode)
{
	int i;

	for (i = 0; i < t->nrow; i++)
		if (strcmp(t->row[i].workload, w) == 0 && strcmp(t->row[i].mode, mode) == 0 &&
		    strcmp(t->row[i].metric, METRIC) == 0)
			return (t->row[i].size);
	return (-1);
}

static double
median(double *v, int n)
{
	struct stats_summary s;

	if (n < 1 || stats_summarize(v, n, &s) == -1)
		return (0);
	return (s.median);
}

/* Pair mode b (bsize) with mode a (asize) of workload w into p. 0, or -1 when fewer
 * than one round has both. */
static int
pair(const struct bench_table *t, const char *w, const char *a, long asize,
    const char *b, long bsize, double floor_sd, const char *metric,
    struct bench_pair *p)
{
	struct runs ra, rb;
	double va[PAIRED_MAX], vb[PAIRED_MAX];
	int i, n = 0;

	runs_of(t, w, a, asize, metric, &ra);
	runs_of(t, w, b, bsize, metric, &rb);
	for (i = 1; i <= PAIRED_MAX; i++)
		if (!isnan(ra.v[i]) && !isnan(rb.v[i]) && ra.v[i] > 0 && rb.v[i] > 0) {
			va[n] = ra.v[i];
			vb[n++] = rb.v[i];
		}
	if (n == 0)
		return (-1);
	memset(p, 0, sizeof(*p));
	snprintf(p->workload, sizeof(p->workload), "%s", w);
	snprintf(p->a, sizeof(p->a), "%s", a);
	snprintf(p->b, sizeof(p->b), "%s", b);
	p->asize = asize;
	p->bsize = bsize;
	p->metric = metric;
	paired_compare(va, vb, n, floor_sd, &p->r);
	p->amed = median(va, n);
	p->bmed = median(vb, n);
	return (0);
}

/* The pf on / pf off comparisons of workload w (and the hook's own cost); for pf's
 * own time, its sizes against the smallest. */
static int
find_pf(const struct bench_table *t, const char *w, const char *metric,
    struct bench_pair *out, int k)
{
	long off = size_of(t, w, "nopf"), kern = size_of(t, w, "nohook");
	long seen[16];
	int i, j, ns = 0;

	if (off < 0)
		return (k);
	if (kern >= 0 && k < BENCH_PAIRS_MAX &&
	    pair(t, w, "nohook", kern, "nopf", off, -1, metric, &out[k]) == 0)
		k++;
	for (i = 0; i < t->nrow && k < BENCH_PAIRS_MAX; i++) {
		const struct bench_row *x = &t->row[i];

		if (strcmp(x->workload, w) != 0 || strcmp(x->mode, "pf") != 0 ||
		    strcmp(x->metric, METRIC) != 0)
			continue;
		for (j = 0; j < ns && seen[j] != x->size; j++)
			;
		if (j < ns || ns == 16)
			continue;
		seen[ns++] = x->size;
		if (pair(t, w, "nopf", off, "pf", x->size, -1, metric, &out[k]) == 0)
			k++;
	}
	/* pf's own time has no pf off to compare with: each size against the smallest */
	for (i = 1, j = 0; strcmp(metric, "pf_ns") == 0 && i < ns; i++)
		if (seen[i] < seen[j])
			j = i;
	for (i = 0; strcmp(metric, "pf_ns") == 0 && i < ns && k < BENCH_PAIRS_MAX; i++)
		if (i != j && pair(t, w, "pf", seen[j], "pf", seen[i], -1, metric,
		    &out[k]) == 0)
			k++;
	return (k);
}

/* The pf on / pf off comparisons of one figure judged against one noise floor: that
 * of their log ratios' pooled standard deviation (sum of (n - 1) sd^2 over sum of
 * n - 1). With 8 pairs a comparison's own sd is off by a quarter either way, so its
 * floor moved between 9% and 28% from run to run and with it the verdicts; the
 * pooled one rests on all the run's pairs. The intervals stay each comparison's own. */
static void
pool_floor(struct bench_pair *p, int n, const char *metric)
{
	double ss = 0;
	int i, df = 0, k = 0;

	for (i = 0; i < n; i++)
		if (p[i].metric == metric && strcmp(p[i].a, "nopf") == 0 && p[i].r.n >= 3) {
			ss += (p[i].r.n - 1) * p[i].r.sd * p[i].r.sd;
			df += p[i].r.n - 1;
			k++;
		}
	if (k < 2)
		return;
	for (i = 0; i < n; i++)
		if (p[i].metric == metric && strcmp(p[i].a, "nopf") == 0 && p[i].r.n >= 3) {
			paired_judge(&p[i].r, sqrt(ss / df));
			p[i].pooled = k;
		}
}

int
bench_pairs_find(const struct bench_table *t, struct bench_pair *out)
{
	const char *seen[16], *w;
	int i, j, k = 0, ns = 0, m;
	long sa;

	for (i = 0; i < t->nrow && ns < 16; i++) {
		for (j = 0; j < ns && strcmp(seen[j], t->row[i].workload) != 0; j++)
			;
		if (j < ns)
			continue;
		w = seen[ns++] = t->row[i].workload;
		for (m = 0; m < NMETRIC; m++) {
			if ((sa = size_of(t, w, "a")) < 0) {
				k = find_pf(t, w, metrics[m], out, k);
				continue;
			}
			/* A against itself first: its spread is B's noise floor. */
			if (k < BENCH_PAIRS_MAX && pair(t, w, "a", sa, "a2", sa, -1,
			    metrics[m], &out[k]) == 0)
				k++;
			if (k < BENCH_PAIRS_MAX && pair(t, w, "a", sa, "b", sa, k > 0 &&
			    out[k - 1].r.n >= 3 && strcmp(out[k - 1].b, "a2") == 0 &&
			    out[k - 1].metric == metrics[m] ? out[k - 1].r.sd : -1,
			    metrics[m], &out[k]) == 0)
				k++;
		}
	}
	for (m = 0; m < NMETRIC; m++)
		pool_floor(out, k, metrics[m]);
	for (i = 0; i < k; i++)
		snprintf(out[i].unit, sizeof(out[i].unit), "%s",
		    per_packet(out[i].metric) ? "ns/pkt" : "pps");
	return (k);
}

static void
report_pair(const struct bench_pair *p, FILE *out)
{
	const struct paired_result *r = &p->r;

	fprintf(out, "%-8s %-6s %7ld against %-6s %7ld, %-7s: %2d pairs, medians %.0f "
	    "vs %.0f %s", p->workload, p->b, p->bsize, p->a, p->asize, p->metric, r->n,
	    p->bmed, p->amed, per_packet(p->metric) ? "ns/pkt" : "pps");
	if (r->verdict == PAIRED_UNTESTED) {
		fprintf(out, "\n    %s\n", paired_verdict_name(r->verdict));
		return;
	}
	if (strcmp(p->a, p->b) == 0)
		fprintf(out, "\n    %s %ld/%s %ld", p->b, p->bsize, p->a, p->asize);
	else
		fprintf(out, "\n    %s/%s", p->b, p->a);
	fprintf(out, " = %.3f (95%% CI %.3f-%.3f, %+.1f%%), %s, d_z %.1f; noise "
	    "floor %.1f%%%s: %s\n", r->ratio, r->lo, r->hi,
	    (r->ratio - 1) * 100, r->wilcoxon ? "Wilcoxon signed-rank (not normal)" :
	    "paired t test", r->dz, r->floor * 100, p->pooled > 0 ? " (the run's)" : "",
	    paired_verdict_name(r->verdict));
	if (r->verdict == PAIRED_BELOW)
		fprintf(out, "    (a difference of %.1f%% was measured, but a difference "
		    "this small cannot be told from noise here)\n", (r->ratio - 1) * 100);
	else if (r->verdict == PAIRED_SAME)
		fprintf(out, "    (no difference larger than %.1f%% would have gone "
		    "unseen)\n", r->floor * 100);
}

/* The steal of the run of row x (the row beside its cpu_others), or 0. */
static double
steal_of(const struct bench_table *t, int x)
{
	int i;

	for (i = x + 1; i < t->nrow && i < x + 4; i++)
		if (strcmp(t->row[i].metric, "steal") == 0 &&
		    strcmp(t->row[i].workload, t->row[x].workload) == 0 &&
		    strcmp(t->row[i].mode, t->row[x].mode) == 0 &&
		    t->row[i].size == t->row[x].size && t->row[i].run == t->row[x].run)
			return (t->row[i].value);
	return (0);
}

/* The runs made on a loaded machine, from the context rows. */
static void
report_load(const struct bench_table *t, FILE *out)
{
	double others[4096], steal[4096], most = 0;
	int i, n = 0, loaded = 0;

	for (i = 0; i < t->nrow && n < 4096; i++) {
		if (strcmp(t->row[i].metric, "cpu_others") != 0)
			continue;
		others[n] = t->row[i].value;
		steal[n] = steal_of(t, i);
		most = fmax(most, others[n]);
		loaded += others[n] > BENCH_LOADED_OTHERS || steal[n] > BENCH_LOADED_STEAL;
		n++;
	}
	if (n == 0)
		return;
	fprintf(out, "machine: other processes took %.0f%% of a CPU in the median run "
	    "(%.0f%% at most), the hypervisor stole %.1f%%\n", median(others, n), most,
	    median(steal, n));
	if (loaded > 0)
		fprintf(out, "LOADED: %d of %d runs were made on a loaded machine (other "
		    "processes above %.0f%% of a CPU or steal above %.0f%%): single figures "
		    "are off by what they lost; a pair's two runs shared the load\n", loaded,
		    n, BENCH_LOADED_OTHERS, BENCH_LOADED_STEAL);
}

int
bench_pairs_report(const struct bench_table *t, double threshold, FILE *out)
{
	struct bench_pair p[BENCH_PAIRS_MAX];
	int n = bench_pairs_find(t, p), i, worse = 0;

	if (n == 0)
		return (0);
	fprintf(out, "\n# paired by round (each round ran every arm once, in random "
	    "order); the noise floor is the\n# smallest difference these pairs detect "
	    "(80%% power, 95%% confidence): no verdict below it;\n# \"the run's\": "
	    "from the spread of all its pf on / pf off pairs of that figure\n");
	for (i = 0; i < n; i++) {
		report_pair(&p[i], out);
		if (strcmp(p[i].a, "a") != 0 || strcmp(p[i].b, "b") != 0)
			continue;
		if (per_packet(p[i].metric) ? p[i].r.verdict ==
		    PAIRED_HIGHER && (p[i].r.ratio - 1) * 100 > threshold :
		    p[i].r.verdict == PAIRED_LOWER && (1 - p[i].r.ratio) * 100 > threshold)
			worse++;
	}
	report_load(t, out);
	return (worse);
}

double
bench_pairs_point_floor(double cv, int n)
{
	int df = 2 * n - 2;

	if (n < 2)
		return (HUGE_VAL);
	return ((paired_qt(1 - PAIRED_ALPHA / 2, df) + paired_qt(PAIRED_POWER, df)) * cv *
	    sqrt(2.0 / n));
}

/* The comparison whose B side is point x, or NULL. */
static const struct bench_pair *
pair_of(const struct bench_pair *p, int n, const struct bench_row *x)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].workload, x->workload) == 0 && strcmp(p[i].b, x->mode) == 0 &&
		    p[i].bsize == x->size && strcmp(p[i].metric, x->metric) == 0)
			return (&p[i]);
	return (NULL);
}

static void
write_point(FILE *f, const struct bench_table *t, const struct bench_row *k,
    const struct bench_pair *pr)
{
	double v[4096];
	struct stats_summary s;
	int i, n = 0;

	for (i = 0; i < t->nrow && n < 4096; i++)
		if (bench_row_same_point(k, &t->row[i]))
			v[n++] = t->row[i].value;
	stats_summarize(v, n, &s);
	fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%ld,%s,%s,%d,%.10g,%.10g,%.10g,%.4g,%s", k->host,
	    k->kernel, k->target, k->harness, k->started, k->workload, k->mode, k->size,
	    k->size_unit, k->metric, s.n, s.median, s.mean, s.stddev,
	    s.mean != 0 ? 100 * s.stddev / fabs(s.mean) : 0, k->unit);
	if (pr == NULL || pr->r.verdict == PAIRED_UNTESTED)
		fprintf(f, ",,,,,,,\n");
	else
		fprintf(f, ",%s,%ld,%.6g,%.6g,%.6g,%.4g,%s,%s\n", pr->a, pr->asize,
		    pr->r.ratio, pr->r.lo, pr->r.hi, pr->r.floor * 100,
		    pr->r.wilcoxon ? "wilcoxon" : "t", paired_verdict_name(pr->r.verdict));
}

int
bench_pairs_write(const struct bench_table *t, const char *path, char *err,
    size_t errlen)
{
	struct bench_pair p[BENCH_PAIRS_MAX];
	const struct bench_metric *m;
	FILE *f;
	int n = bench_pairs_find(t, p), i, j;

	if ((f = fopen(path, "w")) == NULL) {
		snprintf(err, errlen, "%s: cannot create", path);
		return (-1);
	}
	fprintf(f, "# pfharness bench points: one row per point; cv_pct = stddev / mean; "
	    "a compared point (B) has its ratio to vs_mode (A), paired by run\n"
	    "host,kernel,target,harness,started,workload,mode,size,size_unit,metric,n,"
	    "median,mean,stddev,cv_pct,unit,vs_mode,vs_size,ratio,ratio_lo,ratio_hi,"
	    "floor_pct,test,verdict\n");
	for (i = 0; i < t->nrow; i++) {
		for (j = 0; j < i && !bench_row_same_point(&t->row[j], &t->row[i]); j++)
			;
		if (j < i || ((m = bench_csv_metric(t->row[i].metric)) != NULL && m->context))
			continue;
		write_point(f, t, &t->row[i], pair_of(p, n, &t->row[i]));
	}
	if (fclose(f) != 0) {
		snprintf(err, errlen, "%s: write error", path);
		return (-1);
	}
	return (0);
}
