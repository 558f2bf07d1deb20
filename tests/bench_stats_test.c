/* bench_stats_test.c: the bench's statistics agree with ministat, its CSV reads back
 * and reports bad lines as file:line, compare flags regressions, and the generator's
 * per-packet patching keeps every checksum right. */
#include <sys/socket.h>

#include <netinet/in.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "bench/compare.h"
#include "bench/csv.h"
#include "bench/gen.h"
#include "bench/paired.h"
#include "bench/pairs.h"
#include "bench/stats.h"
#include "pkt/pkt.h"
#include "tests.h"
#include "tutil.h"

#define NEAR(a, b)	CU_ASSERT(fabs((double)(a) - (b)) <= 1e-5 * fabs((double)(b)) + 1e-9)

/* Figures printed by Debian's ministat 20150715 for the same samples
 * (`ministat -A c d`, `ministat -A -c 99.5 a d`). */
static const double a[] = { 1, 2, 3, 4, 5 };
static const double c[] = { 1, 2, 3, 4 };
static const double d[] = { 10, 11, 12, 13, 14 };

static void
test_summary(void)
{
	struct stats_summary s;

	CU_ASSERT_EQUAL(stats_summarize(c, 4, &s), 0);
	CU_ASSERT_EQUAL(s.n, 4);
	NEAR(s.min, 1);
	NEAR(s.max, 4);
	NEAR(s.median, 3);		/* ministat: element n/2 of the sorted sample */
	NEAR(s.mean, 2.5);
	NEAR(s.stddev, 1.2909944);
	CU_ASSERT_EQUAL(stats_summarize(c, 0, &s), -1);
}

static void
test_student(void)
{
	struct stats_summary sb, sn;
	struct stats_diff df;

	stats_summarize(c, 4, &sb);
	stats_summarize(d, 5, &sn);
	CU_ASSERT_EQUAL(stats_compare(&sb, &sn, stats_conf_index(95), &df), 0);
	CU_ASSERT_EQUAL(df.df, 7);
	NEAR(df.t, 2.365);
	NEAR(df.diff, 9.5);
	NEAR(df.ci, 2.32238);
	NEAR(df.rel, 380);
	NEAR(df.rel_ci, 92.8954);
	NEAR(df.spool, 1.46385);
	CU_ASSERT(df.significant);

	stats_summarize(a, 5, &sb);
	CU_ASSERT_EQUAL(stats_compare(&sb, &sn, stats_conf_index(99.5), &df), 0);
	NEAR(df.ci, 4.499);
	NEAR(df.rel_ci, 149.967);
	NEAR(df.spool, 1.58114);

	/* a vs a shifted by less than the noise: no difference proven. */
	stats_summarize((const double[]){ 2, 3, 4, 5, 7 }, 5, &sn);
	CU_ASSERT_EQUAL(stats_compare(&sb, &sn, 2, &df), 0);
	CU_ASSERT_FALSE(df.significant);

	CU_ASSERT_EQUAL(stats_conf_index(97), -1);
	NEAR(stats_student_t(1, 2), 12.706);
	NEAR(stats_student_t(100, 2), 1.984);
	NEAR(stats_student_t(5000, 2), 1.960);
	CU_ASSERT(stats_student_t(0, 2) < 0);
	stats_summarize(a, 1, &sn);
	CU_ASSERT_EQUAL(stats_compare(&sb, &sn, 2, &df), -1);
}

/* Write a results file whose forward/pf rx_pps runs are `v`. */
static void
write_csv(const char *path, const double *v, int n)
{
	struct bench_csv_ctx ctx;
	struct bench_csv *csv;
	char err[256];
	int i;

	bench_csv_ctx_init(&ctx, "linux");
	csv = bench_csv_create(path, &ctx, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(bench_csv_add(csv, "forward", "pf", 256, "flows", i + 1,
		    "rx_pps", v[i]), 0);
		CU_ASSERT_EQUAL(bench_csv_add(csv, "states", "pf", 1000, "states", i + 1,
		    "state_mem", 300), 0);
	}
	CU_ASSERT_EQUAL(bench_csv_add(csv, "forward", "pf", 256, "flows", 1, "nonsense",
	    1), -1);
	CU_ASSERT_EQUAL(bench_csv_close(csv), 0);
}

static void
test_csv(void)
{
	struct bench_table t = { 0 };
	struct diag dg = { 0 };
	const double v[] = { 100000, 101000, 99000 };
	char path[PATH_MAX];
	FILE *f;

	tut_tmp_path(path, sizeof(path), "bench.csv");
	write_csv(path, v, 3);
	CU_ASSERT_EQUAL(bench_csv_read(path, &t, &dg), 0);
	CU_ASSERT_EQUAL(t.nrow, 6);
	CU_ASSERT_STRING_EQUAL(t.row[0].workload, "forward");
	CU_ASSERT_STRING_EQUAL(t.row[0].target, "linux");
	CU_ASSERT_STRING_EQUAL(t.row[0].unit, "pps");
	CU_ASSERT_EQUAL(t.row[0].higher_better, 1);
	CU_ASSERT_EQUAL(t.row[1].higher_better, 0);	/* memory: lower is better */
	CU_ASSERT_EQUAL(t.row[2].run, 2);
	NEAR(t.row[2].value, 101000);
	CU_ASSERT_EQUAL(t.row[0].line, 3);
	CU_ASSERT(bench_row_same_point(&t.row[0], &t.row[2]));
	CU_ASSERT_FALSE(bench_row_same_point(&t.row[0], &t.row[1]));
	bench_table_free(&t);

	/* Bad lines are reported with file:line, all of them. */
	f = fopen(path, "a");
	fprintf(f, "h,k,linux,0.1,now,forward,pf,x,flows,1,rx_pps,1,pps,higher\n");
	fprintf(f, "h,k,linux,0.1,now,forward,pf,1,flows,1,rx_pps,1,pps\n");
	fclose(f);
	CU_ASSERT_EQUAL(bench_csv_read(path, &t, &dg), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&dg), ":9: size \"x\" is not an integer"));
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&dg), ":10: too few columns"));
	bench_table_free(&t);
	diag_free(&dg);
}

static void
test_compare(void)
{
	char base[PATH_MAX], new[PATH_MAX];
	const double b[] = { 100000, 101000, 99000, 100500, 99500 };
	const double same[] = { 100200, 100800, 99300, 100100, 99700 };
	const double slow[] = { 90000, 91000, 89000, 90500, 89500 };
	const double fast[] = { 110000, 111000, 109000, 110500, 109500 };
	struct bench_cmp_opts o = { 5.0, 2, 0 };
	struct diag dg = { 0 };
	FILE *out;

	tut_tmp_path(base, sizeof(base), "base.csv");
	tut_tmp_path(new, sizeof(new), "new.csv");
	out = fopen("/dev/null", "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	write_csv(base, b, 5);
	write_csv(new, same, 5);
	CU_ASSERT_EQUAL(bench_compare_files(base, new, &o, out, &dg), 0);
	write_csv(new, fast, 5);
	CU_ASSERT_EQUAL(bench_compare_files(base, new, &o, out, &dg), 0);
	write_csv(new, slow, 5);
	CU_ASSERT_EQUAL(bench_compare_files(base, new, &o, out, &dg), 1);
	o.threshold = 15;	/* 10% slower, significant, but within 15% */
	CU_ASSERT_EQUAL(bench_compare_files(base, new, &o, out, &dg), 0);
	CU_ASSERT_EQUAL(bench_compare_files(base, "/nonexistent.csv", &o, out, &dg), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&dg), "/nonexistent.csv: "));
	diag_free(&dg);
	fclose(out);
}

/* Every patched frame decodes with good IP and UDP checksums and carries its flow's
 * source address and port. */
static void
test_gen_patch(void)
{
	struct gen_spec sp;
	struct bench_gen *g;
	struct pkt k;
	uint8_t buf[PKT_FRAME_MAX];
	char err[256];
	uint64_t f;

	memset(&sp, 0, sizeof(sp));
	sp.pkt.proto = IPPROTO_UDP;
	sp.pkt.src.af = sp.pkt.dst.af = AF_INET;
	memcpy(sp.pkt.src.a, (uint8_t[]){ 198, 18, 0, 250 }, 4);
	memcpy(sp.pkt.dst.a, (uint8_t[]){ 10, 99, 0, 1 }, 4);
	sp.pkt.sport = 65530;
	sp.pkt.dport = 9;
	sp.pkt.len = 18;
	sp.nsrc = 300;		/* crosses 198.18.0.255 -> 198.18.1.0 */
	sp.nsport = 6;
	sp.nflows = 1800;
	g = gen_open(NULL, &sp, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(gen_frame_len(g), 60);
	for (f = 0; f < sp.nflows; f += 7) {
		gen_patch(g, f, buf);
		CU_ASSERT_EQUAL_FATAL(pkt_decode_frame(buf, gen_frame_len(g), &k), 0);
		CU_ASSERT(k.ip_sum_ok);
		CU_ASSERT(k.l4_sum_ok);
		CU_ASSERT_EQUAL(k.sport, 65530 + f / 300);
		CU_ASSERT_EQUAL((k.src.a[2] << 8 | k.src.a[3]), 250 + f % 300);
	}
	gen_close(g);
}

/* The distributions against R's qt, pt and qnorm. */
static void
test_distributions(void)
{
	CU_ASSERT(fabs(paired_qnorm(0.975) - 1.959964) < 1e-6);
	CU_ASSERT(fabs(paired_qnorm(0.8) - 0.8416212) < 1e-6);
	CU_ASSERT(fabs(paired_qnorm(0.001) + 3.090232) < 1e-6);
	CU_ASSERT(fabs(paired_pt(2.0, 10) - 0.9633062) < 1e-6);
	/* 3 degrees of freedom in closed form: 1/2 + (x/(1+t^2/3) + atan x)/pi, x = t/sqrt 3 */
	CU_ASSERT(fabs(paired_pt(-1.5, 3) - 0.1152919) < 1e-6);
	CU_ASSERT(fabs(paired_qt(0.975, 7) - 2.364624) < 1e-5);
	CU_ASSERT(fabs(paired_qt(0.975, 1) - 12.7062) < 1e-3);
	CU_ASSERT(fabs(paired_qt(0.8, 9) - 0.8834039) < 1e-6);
	/* ministat's table is the same distribution. */
	CU_ASSERT(fabs(paired_qt(0.975, 30) - stats_student_t(30, 2)) < 1e-3);
}

/* A deterministic normal sample (Box-Muller on an LCG). */
static double
gauss(unsigned long long *s)
{
	double u, v;

	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	u = ((*s >> 11) + 1.0) / 9007199254740994.0;
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	v = (*s >> 11) / 9007199254740993.0;
	return (sqrt(-2 * log(u)) * cos(2 * M_PI * v));
}

/* Shapiro-Wilk as R's shapiro.test; about 5% of normal samples rejected at 5%,
 * most exponential ones. */
static void
test_shapiro(void)
{
	const double five[] = { 1, 2, 3, 4, 5 };
	const double ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	unsigned long long seed = 42;
	double x[10], w, p;
	int i, k, rej = 0, rejexp = 0;

	CU_ASSERT_EQUAL_FATAL(paired_shapiro(five, 5, &w, &p), 0);
	CU_ASSERT(fabs(w - 0.98676) < 1e-4);
	CU_ASSERT(fabs(p - 0.9672) < 1e-3);
	CU_ASSERT_EQUAL_FATAL(paired_shapiro(ten, 10, &w, &p), 0);
	CU_ASSERT(fabs(w - 0.97016) < 1e-4);
	CU_ASSERT(fabs(p - 0.8924) < 1e-3);
	CU_ASSERT_EQUAL(paired_shapiro(five, 2, &w, &p), -1);
	CU_ASSERT_EQUAL(paired_shapiro((const double[]){ 3, 3, 3, 3 }, 4, &w, &p), -1);
	for (k = 0; k < 2000; k++) {
		for (i = 0; i < 10; i++)
			x[i] = gauss(&seed);
		paired_shapiro(x, 10, &w, &p);
		rej += p < 0.05;
		for (i = 0; i < 10; i++)	/* exponential: -log of a uniform */
			x[i] = -log(paired_pnorm(gauss(&seed)));
		paired_shapiro(x, 10, &w, &p);
		rejexp += p < 0.05;
	}
	CU_ASSERT(rej > 60 && rej < 140);	/* 5% of 2000: 100 */
	CU_ASSERT(rejexp > 800);
}

/* Wilcoxon's exact p and the Hodges-Lehmann interval, as R's wilcox.test. */
static void
test_wilcoxon(void)
{
	const double d8[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	double p, est, lo, hi;

	CU_ASSERT_EQUAL_FATAL(paired_wilcoxon(d8, 5, &p, &est, &lo, &hi), 0);
	CU_ASSERT(fabs(p - 0.0625) < 1e-12);
	CU_ASSERT(fabs(est - 3) < 1e-12);
	CU_ASSERT_EQUAL_FATAL(paired_wilcoxon(d8, 8, &p, &est, &lo, &hi), 0);
	CU_ASSERT(fabs(p - 0.0078125) < 1e-12);
	CU_ASSERT(fabs(est - 4.5) < 1e-12);
	CU_ASSERT(fabs(lo - 2) < 1e-12);	/* Walsh averages 4 and 33 of 36 */
	CU_ASSERT(fabs(hi - 7) < 1e-12);
	CU_ASSERT_EQUAL(paired_wilcoxon((const double[]){ -1, 2, 3, 4, 5, 6 }, 6, &p,
	    &est, &lo, &hi), 0);
	CU_ASSERT(fabs(p - 0.0625) < 1e-12);
	CU_ASSERT_EQUAL(paired_wilcoxon((const double[]){ 0, 0 }, 2, &p, &est, &lo, &hi),
	    -1);
}

/* The verdicts: A against itself shows nothing, 20% slower is lower, a difference
 * below the noise floor gets none. */
static void
test_paired(void)
{
	unsigned long long seed = 7;
	double a[10], b[10], c[10];
	struct paired_result r;
	int i;

	for (i = 0; i < 10; i++) {
		a[i] = 100000 * (1 + 0.3 * (i % 3)) * (1 + 0.02 * gauss(&seed));
		b[i] = a[i] * (1 + 0.02 * gauss(&seed));
		c[i] = a[i] * 0.8 * (1 + 0.02 * gauss(&seed));
	}
	CU_ASSERT_EQUAL_FATAL(paired_compare(a, b, 10, -1, &r), 0);
	CU_ASSERT_EQUAL(r.verdict, PAIRED_SAME);
	CU_ASSERT(r.lo < 1 && r.hi > 1);
	CU_ASSERT(r.floor > 0.01 && r.floor < 0.05);
	CU_ASSERT_EQUAL_FATAL(paired_compare(a, c, 10, -1, &r), 0);
	CU_ASSERT_EQUAL(r.verdict, PAIRED_LOWER);
	CU_ASSERT(r.ratio > 0.78 && r.ratio < 0.82);
	CU_ASSERT(r.hi < 1 && r.hi - r.lo < 0.05);
	CU_ASSERT(fabs(r.floor - (exp(paired_mde(r.sd, 10)) - 1)) < 1e-12);
	/* The same pairs with an A/A whose spread is 30%: 20% is below its floor. */
	CU_ASSERT_EQUAL(paired_compare(a, c, 10, 0.3, &r), 0);
	CU_ASSERT_EQUAL(r.verdict, PAIRED_BELOW);
	/* A far outlier: not normal, Wilcoxon decides. */
	c[3] = a[3] * 0.2;
	CU_ASSERT_EQUAL(paired_compare(a, c, 10, -1, &r), 0);
	CU_ASSERT(r.wilcoxon);
	CU_ASSERT_EQUAL(r.verdict, PAIRED_LOWER);
	CU_ASSERT(r.ratio > 0.78 && r.ratio < 0.82);
	CU_ASSERT_EQUAL(paired_compare(a, c, 2, -1, &r), 0);
	CU_ASSERT_EQUAL(r.verdict, PAIRED_UNTESTED);
	a[0] = 0;
	CU_ASSERT_EQUAL(paired_compare(a, c, 10, -1, &r), -1);
}

/* A results file of the tests' rows: its path in the temporary folder, open to add. */
static struct bench_csv *
csv_new(const char *name, char *path, size_t len)
{
	struct bench_csv_ctx ctx;
	char err[256];

	tut_tmp_path(path, len, name);
	bench_csv_ctx_init(&ctx, "linux");
	return (bench_csv_create(path, &ctx, err, sizeof(err)));
}

/* Close csv, read its file back into t and find the comparisons into p: their count,
 * -1 when it does not read back. */
static int
csv_pairs(struct bench_csv *csv, const char *path, struct bench_table *t,
    struct bench_pair *p)
{
	struct diag dg = { 0 };
	int rc;

	bench_csv_close(csv);
	rc = bench_csv_read(path, t, &dg);
	diag_free(&dg);
	return (rc == 0 ? bench_pairs_find(t, p) : -1);
}

/* A results file of an A/B pairs its rounds again: A/A no difference, B lower. */
static void
test_pairs_file(void)
{
	struct bench_csv *csv;
	struct bench_table t = { 0 };
	struct bench_pair p[BENCH_PAIRS_MAX];
	char path[PATH_MAX];
	unsigned long long seed = 3;
	double v;
	int i, n;

	csv = csv_new("ab.csv", path, sizeof(path));
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	for (i = 1; i <= 8; i++) {
		v = 100000 * (1 + 0.5 * (i % 2));	/* the machine's drift */
		bench_csv_add(csv, "forward", "a", 256, "flows", i, "rx_pps",
		    v * (1 + 0.01 * gauss(&seed)));
		bench_csv_add(csv, "forward", "a2", 256, "flows", i, "rx_pps",
		    v * (1 + 0.01 * gauss(&seed)));
		bench_csv_add(csv, "forward", "b", 256, "flows", i, "rx_pps",
		    0.7 * v * (1 + 0.01 * gauss(&seed)));
	}
	n = csv_pairs(csv, path, &t, p);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(p[0].b, "a2");
	CU_ASSERT_EQUAL(p[0].r.verdict, PAIRED_SAME);
	CU_ASSERT_STRING_EQUAL(p[1].b, "b");
	CU_ASSERT_EQUAL(p[1].r.n, 8);
	CU_ASSERT_EQUAL(p[1].r.verdict, PAIRED_LOWER);
	CU_ASSERT(fabs(p[1].r.ratio - 0.7) < 0.02);
	/* Its floor is the A/A's: the same as A/A's own. */
	CU_ASSERT(fabs(p[1].r.floor - p[0].r.floor) < 1e-12);
	CU_ASSERT(bench_pairs_point_floor(0.05, 8) > 0.05);
	bench_table_free(&t);
}

/* make bench's pf on / pf off comparisons of one figure share the run's noise floor,
 * from their pooled spread: a quiet comparison gets the noisy one's floor too, and a
 * difference below it gets no verdict although its own pairs show it. */
static void
test_pairs_pooled(void)
{
	struct bench_csv *csv;
	struct bench_table t = { 0 };
	struct bench_pair p[BENCH_PAIRS_MAX];
	char path[PATH_MAX];
	unsigned long long seed = 7;
	double v, own, quiet_sd, loud_sd;
	int i, n, q = -1, l = -1;

	csv = csv_new("pool.csv", path, sizeof(path));
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	for (i = 1; i <= 8; i++) {
		v = 100000 * (1 + 0.3 * (i % 3));
		bench_csv_add(csv, "rules", "nopf", 0, "rules", i, "rx_pps", v);
		/* 10 rules: 8% lower, 1% noise; 1000 rules: 30% lower, 20% noise */
		bench_csv_add(csv, "rules", "pf", 10, "rules", i, "rx_pps",
		    0.92 * v * (1 + 0.01 * gauss(&seed)));
		bench_csv_add(csv, "rules", "pf", 1000, "rules", i, "rx_pps",
		    0.7 * v * (1 + 0.2 * gauss(&seed)));
	}
	n = csv_pairs(csv, path, &t, p);
	for (i = 0; i < n; i++)
		if (strcmp(p[i].metric, "rx_pps") == 0 && p[i].bsize == 10)
			q = i;
		else if (strcmp(p[i].metric, "rx_pps") == 0 && p[i].bsize == 1000)
			l = i;
	CU_ASSERT_FATAL(q >= 0 && l >= 0);
	CU_ASSERT_EQUAL(p[q].pooled, 2);
	CU_ASSERT_EQUAL(p[l].pooled, 2);
	/* one floor for both, from sqrt((7 sd_q^2 + 7 sd_l^2) / 14) */
	CU_ASSERT(fabs(p[q].r.floor - p[l].r.floor) < 1e-12);
	quiet_sd = p[q].r.sd;
	loud_sd = p[l].r.sd;
	CU_ASSERT(fabs(log(1 + p[q].r.floor) - paired_mde(sqrt((quiet_sd * quiet_sd +
	    loud_sd * loud_sd) / 2), 8)) < 1e-9);
	/* the quiet one's own floor would have judged its 8% "lower" */
	own = exp(paired_mde(quiet_sd, 8)) - 1;
	CU_ASSERT(own < 0.05);
	CU_ASSERT(p[q].r.hi < 1);
	CU_ASSERT_EQUAL(p[q].r.verdict, PAIRED_BELOW);
	CU_ASSERT_EQUAL(p[l].r.verdict, PAIRED_LOWER);
	bench_table_free(&t);
}

/* pf's own time has no pf off point: each pf size against the smallest instead. */
static void
test_pairs_pf_ns(void)
{
	struct bench_csv *csv;
	struct bench_table t = { 0 };
	struct bench_pair p[BENCH_PAIRS_MAX];
	char path[PATH_MAX];
	unsigned long long seed = 11;
	int i, n, found = 0;

	csv = csv_new("pfns.csv", path, sizeof(path));
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	for (i = 1; i <= 6; i++) {
		bench_csv_add(csv, "rules", "nopf", 0, "rules", i, "rx_pps", 100000);
		bench_csv_add(csv, "rules", "pf", 1000, "rules", i, "rx_pps", 80000);
		bench_csv_add(csv, "rules", "pf", 1, "rules", i, "rx_pps", 95000);
		bench_csv_add(csv, "rules", "pf", 1000, "rules", i, "pf_ns",
		    880 * (1 + 0.02 * gauss(&seed)));
		bench_csv_add(csv, "rules", "pf", 1, "rules", i, "pf_ns",
		    230 * (1 + 0.02 * gauss(&seed)));
	}
	n = csv_pairs(csv, path, &t, p);
	for (i = 0; i < n; i++) {
		if (strcmp(p[i].metric, "pf_ns") != 0)
			continue;
		found++;
		CU_ASSERT_STRING_EQUAL(p[i].a, "pf");
		CU_ASSERT_EQUAL(p[i].asize, 1);
		CU_ASSERT_EQUAL(p[i].bsize, 1000);
		CU_ASSERT_STRING_EQUAL(p[i].unit, "ns/pkt");
		CU_ASSERT(fabs(p[i].r.ratio - 880.0 / 230) < 0.2);
		CU_ASSERT_EQUAL(p[i].r.verdict, PAIRED_HIGHER);
	}
	CU_ASSERT_EQUAL(found, 1);
	bench_table_free(&t);
}

int
bench_stats_test_register(void)
{
	CU_pSuite s = CU_add_suite_with_setup_and_teardown("bench_stats", NULL, NULL,
	    tut_tmp_setup, tut_tmp_teardown);

	if (s == NULL ||
	    CU_add_test(s, "summary as ministat", test_summary) == NULL ||
	    CU_add_test(s, "Student's t as ministat", test_student) == NULL ||
	    CU_add_test(s, "results CSV round trip and errors", test_csv) == NULL ||
	    CU_add_test(s, "compare flags regressions", test_compare) == NULL ||
	    CU_add_test(s, "generator patches checksums", test_gen_patch) == NULL ||
	    CU_add_test(s, "t and normal distributions", test_distributions) == NULL ||
	    CU_add_test(s, "Shapiro-Wilk as R", test_shapiro) == NULL ||
	    CU_add_test(s, "Wilcoxon signed-rank, Hodges-Lehmann", test_wilcoxon) == NULL ||
	    CU_add_test(s, "paired verdicts and noise floor", test_paired) == NULL ||
	    CU_add_test(s, "make bench's pooled noise floor", test_pairs_pooled) == NULL ||
	    CU_add_test(s, "pf_ns: sizes against the smallest", test_pairs_pf_ns) == NULL ||
	    CU_add_test(s, "a results file's pairs", test_pairs_file) == NULL)
		return (-1);
	return (0);
}
