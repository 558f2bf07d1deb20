/* paired.c: paired A/B statistics (paired.h): t and normal distributions, Shapiro-Wilk
 * (Royston's algorithm AS R94, as R), Wilcoxon's signed-rank test with the
 * Hodges-Lehmann estimate, the noise floor, and the verdict on log ratios. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "paired.h"

double
paired_pnorm(double x)
{
	return (0.5 * erfc(-x / sqrt(2.0)));
}

/* Acklam's rational approximation, then one Halley step on erfc: |error| < 1e-15. */
double
paired_qnorm(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
	    -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
	    2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
	    -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
	    -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
	    2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
	    2.445134137142996e+00, 3.754408661907416e+00 };
	double q, r, x, e, u;

	if (p <= 0)
		return (-HUGE_VAL);
	if (p >= 1)
		return (HUGE_VAL);
	if (p < 0.02425 || p > 1 - 0.02425) {
		q = sqrt(-2 * log(p < 0.5 ? p : 1 - p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
		if (p > 0.5)
			x = -x;
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) *
		    q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	e = paired_pnorm(x) - p;
	u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return (x - u / (1 + x * u / 2));
}

/* The continued fraction of the incomplete beta function (modified Lentz). */
static double
betacf(double a, double b, double x)
{
	double c = 1, d, h, del, aa;
	int m, m2;

	d = 1 - (a + b) * x / (a + 1);
	d = 1 / (fabs(d) < 1e-300 ? 1e-300 : d);
	h = d;
	for (m = 1; m <= 300; m++) {
		m2 = 2 * m;
		aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		d = 1 / (fabs(d) < 1e-300 ? 1e-300 : d);
		c = 1 + aa / c;
		c = fabs(c) < 1e-300 ? 1e-300 : c;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		d = 1 / (fabs(d) < 1e-300 ? 1e-300 : d);
		c = 1 + aa / c;
		c = fabs(c) < 1e-300 ? 1e-300 : c;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return (h);
}

/* The regularized incomplete beta function I_x(a, b). */
static double
betai(double a, double b, double x)
{
	double bt;

	if (x <= 0)
		return (0);
	if (x >= 1)
		return (1);
	bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return (bt * betacf(a, b, x) / a);
	return (1 - bt * betacf(b, a, 1 - x) / b);
}

double
paired_pt(double t, double df)
{
	double tail = 0.5 * betai(df / 2, 0.5, df / (df + t * t));

	return (t >= 0 ? 1 - tail : tail);
}

double
paired_qt(double p, double df)
{
	double lo = -1, hi = 1, mid;
	int i;

	if (p <= 0)
		return (-HUGE_VAL);
	if (p >= 1)
		return (HUGE_VAL);
	while (paired_pt(lo, df) > p && lo > -1e12)
		lo *= 2;
	while (paired_pt(hi, df) < p && hi < 1e12)
		hi *= 2;
	for (i = 0; i < 200 && hi - lo > 1e-12 * (1 + fabs(lo)); i++) {
		mid = (lo + hi) / 2;
		if (paired_pt(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return ((lo + hi) / 2);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static double
poly(const double *c, int nord, double x)
{
	double r = 0;
	int i;

	for (i = nord - 1; i >= 0; i--)
		r = r * x + c[i];
	return (r);
}

/* Royston's coefficients a[0..n/2-1] (for the largest minus the smallest, ...). */
static void
sw_coef(int n, double *a)
{
	static const double c1[] = { 0, 0.221157, -0.147981, -2.07119, 4.434685,
	    -2.706056 };
	static const double c2[] = { 0, 0.042981, -0.293762, -1.752461, 5.682633,
	    -3.582633 };
	double m[2500], summ2 = 0, ssumm2, rsn, a1, a2, fac;
	int i, nn2 = n / 2, i1;

	if (n == 3) {
		a[0] = sqrt(0.5);
		return;
	}
	for (i = 0; i < nn2; i++) {
		m[i] = paired_qnorm((i + 1 - 0.375) / (n + 0.25));
		summ2 += m[i] * m[i];
	}
	summ2 *= 2;
	ssumm2 = sqrt(summ2);
	rsn = 1 / sqrt((double)n);
	a1 = poly(c1, 6, rsn) - m[0] / ssumm2;
	if (n > 5) {
		i1 = 2;
		a2 = -m[1] / ssumm2 + poly(c2, 6, rsn);
		fac = sqrt((summ2 - 2 * m[0] * m[0] - 2 * m[1] * m[1]) /
		    (1 - 2 * a1 * a1 - 2 * a2 * a2));
		a[1] = a2;
	} else {
		i1 = 1;
		fac = sqrt((summ2 - 2 * m[0] * m[0]) / (1 - 2 * a1 * a1));
	}
	a[0] = a1;
	for (i = i1; i < nn2; i++)
		a[i] = -m[i] / fac;
}

/* The p value of W for n values (Royston 1995). */
static double
sw_pvalue(double w, int n)
{
	static const double c3[] = { 0.544, -0.39978, 0.025054, -6.714e-4 };
	static const double c4[] = { 1.3822, -0.77857, 0.062767, -0.0020322 };
	static const double c5[] = { -1.5861, -0.31082, -0.083751, 0.0038915 };
	static const double c6[] = { -0.4803, -0.082676, 0.0030302 };
	double y, m, s, gamma, pw;

	if (n == 3) {
		pw = 6 / M_PI * (asin(sqrt(w)) - M_PI / 3);
		return (pw < 0 ? 0 : pw);
	}
	y = log(1 - w);
	if (n <= 11) {
		gamma = -2.273 + 0.459 * n;
		if (y >= gamma)
			return (1e-99);
		y = -log(gamma - y);
		m = poly(c3, 4, n);
		s = exp(poly(c4, 4, n));
	} else {
		m = poly(c5, 4, log((double)n));
		s = exp(poly(c6, 3, log((double)n)));
	}
	return (1 - paired_pnorm((y - m) / s));
}

int
paired_shapiro(const double *x, int n, double *w, double *p)
{
	double *s, a[2500], mean = 0, ss = 0, num = 0;
	int i;

	if (n < 3 || n > 5000 || (s = malloc(n * sizeof(*s))) == NULL)
		return (-1);
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	if (s[n - 1] - s[0] <= 1e-19 * fabs(s[0])) {
		free(s);
		return (-1);
	}
	sw_coef(n, a);
	for (i = 0; i < n; i++)
		mean += s[i];
	mean /= n;
	for (i = 0; i < n; i++)
		ss += (s[i] - mean) * (s[i] - mean);
	for (i = 0; i < n / 2; i++)
		num += a[i] * (s[n - 1 - i] - s[i]);
	free(s);
	*w = num * num / ss;
	if (*w > 1)
		*w = 1;
	*p = sw_pvalue(*w, n);
	return (0);
}

/* count[s]: sign assignments of the ranks r[0..n-1] whose positive ranks sum to s
 * (0 <= s <= total); count has total + 1 entries. */
static void
signrank_dist(const int *r, int n, int total, double *count)
{
	int i, s;

	memset(count, 0, (total + 1) * sizeof(*count));
	count[0] = 1;
	for (i = 0; i < n; i++)
		for (s = total; s >= r[i]; s--)
			count[s] += count[s - r[i]];
}

/* Doubled mid-ranks of |d[0..n-1]| into r2 (integers also with ties). */
static void
midranks2(const double *d, int n, int *r2)
{
	int i, j, lt, eq;

	for (i = 0; i < n; i++) {
		for (lt = eq = 0, j = 0; j < n; j++)
			if (fabs(d[j]) < fabs(d[i]))
				lt++;
			else if (fabs(d[j]) == fabs(d[i]))
				eq++;
		r2[i] = 2 * lt + eq + 1;	/* 2 * (lt + (eq + 1) / 2) */
	}
}

/* The Walsh averages' order statistics: estimate and interval (untied ranks). */
static void
hodges_lehmann(const double *d, int n, double *est, double *lo, double *hi)
{
	double walsh[PAIRED_MAX * (PAIRED_MAX + 1) / 2], count[PAIRED_MAX *
	    (PAIRED_MAX + 1) / 2 + 1], total, cum = 0;
	int r[PAIRED_MAX], m = 0, i, j, c, tot = n * (n + 1) / 2;

	for (i = 0; i < n; i++)
		for (j = i; j < n; j++)
			walsh[m++] = (d[i] + d[j]) / 2;
	qsort(walsh, m, sizeof(*walsh), cmp_double);
	*est = m % 2 ? walsh[m / 2] : (walsh[m / 2 - 1] + walsh[m / 2]) / 2;
	for (i = 0; i < n; i++)
		r[i] = i + 1;
	signrank_dist(r, n, tot, count);
	total = ldexp(1, n);
	/* c: the largest with P(W+ <= c - 1) <= alpha / 2 (at least 1: the widest). */
	for (c = 1; c < tot; c++) {
		cum += count[c - 1];
		if (cum / total > PAIRED_ALPHA / 2)
			break;
	}
	if (c > 1)
		c--;
	*lo = walsh[c - 1];
	*hi = walsh[m - c];
}

int
paired_wilcoxon(const double *d, int n, double *p, double *est, double *lo, double *hi)
{
	double nz[PAIRED_MAX], count[PAIRED_MAX * (PAIRED_MAX + 1) + 1], total, le = 0,
	    ge = 0;
	int r2[PAIRED_MAX] = { 0 }, m = 0, i, w = 0, tot;

	if (n > PAIRED_MAX)
		return (-1);
	for (i = 0; i < n; i++)
		if (d[i] != 0)
			nz[m++] = d[i];
	if (m == 0)
		return (-1);
	midranks2(nz, m, r2);
	for (tot = 0, i = 0; i < m; i++) {
		tot += r2[i];
		if (nz[i] > 0)
			w += r2[i];
	}
	signrank_dist(r2, m, tot, count);
	total = ldexp(1, m);
	for (i = 0; i <= tot; i++) {
		if (i <= w)
			le += count[i];
		if (i >= w)
			ge += count[i];
	}
	*p = 2 * (le < ge ? le : ge) / total;
	if (*p > 1)
		*p = 1;
	hodges_lehmann(nz, m, est, lo, hi);
	return (0);
}

double
paired_mde(double sd, int n)
{
	if (n < 2)
		return (HUGE_VAL);
	return ((paired_qt(1 - PAIRED_ALPHA / 2, n - 1) + paired_qt(PAIRED_POWER, n - 1)) *
	    sd / sqrt((double)n));
}

/* 1.4826 times the median absolute deviation: the standard deviation of a normal
 * sample, unmoved by a few outliers. */
static double
robust_sd(const double *x, int n)
{
	double s[PAIRED_MAX], m;
	int i;

	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	for (i = 0; i < n; i++)
		s[i] = fabs(x[i] - m);
	qsort(s, n, sizeof(*s), cmp_double);
	return (1.4826 * (n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2));
}

/* The paired t test's estimate, interval and p value on the log ratios l. */
static void
t_test(const double *l, int n, double mean, struct paired_result *r)
{
	double se = r->sd / sqrt((double)n), tq = paired_qt(1 - PAIRED_ALPHA / 2, n - 1);

	(void)l;
	r->ratio = exp(mean);
	if (se == 0) {
		r->lo = r->hi = r->ratio;
		r->p = mean != 0 ? 0 : 1;
		return;
	}
	r->lo = exp(mean - tq * se);
	r->hi = exp(mean + tq * se);
	r->p = 2 * (1 - paired_pt(fabs(mean) / se, n - 1));
}

int
paired_compare(const double *a, const double *b, int n, double floor_sd,
    struct paired_result *r)
{
	double l[PAIRED_MAX], mean = 0, ss = 0, est, lo, hi;
	int i;

	memset(r, 0, sizeof(*r));
	r->n = n;
	r->sw_p = -1;
	r->verdict = PAIRED_UNTESTED;
	if (n < 1 || n > PAIRED_MAX)
		return (-1);
	for (i = 0; i < n; i++) {
		if (!(a[i] > 0) || !(b[i] > 0))
			return (-1);
		l[i] = log(b[i] / a[i]);
		mean += l[i];
	}
	mean /= n;
	r->ratio = r->lo = r->hi = exp(mean);
	if (n < 3)
		return (0);
	for (i = 0; i < n; i++)
		ss += (l[i] - mean) * (l[i] - mean);
	r->sd = sqrt(ss / (n - 1));
	r->dz = r->sd > 0 ? mean / r->sd : 0;
	if (paired_shapiro(l, n, &r->sw_w, &r->sw_p) == -1)
		r->sw_p = -1;
	t_test(l, n, mean, r);
	if (r->sw_p >= 0 && r->sw_p < PAIRED_ALPHA &&
	    paired_wilcoxon(l, n, &r->p, &est, &lo, &hi) == 0) {
		r->wilcoxon = 1;
		r->ratio = exp(est);
		r->lo = exp(lo);
		r->hi = exp(hi);
	}
	/* Not normal: the spread of the bulk (1.4826 MAD), not the outliers'. */
	paired_judge(r, floor_sd >= 0 ? floor_sd : r->wilcoxon ? robust_sd(l, n) : r->sd);
	return (0);
}

void
paired_judge(struct paired_result *r, double floor_sd)
{
	double fl;

	if (r->n < 3)
		return;
	fl = paired_mde(floor_sd, r->n);
	r->floor = exp(fl) - 1;
	if (r->lo <= 1 && r->hi >= 1)
		r->verdict = PAIRED_SAME;
	else if (fabs(log(r->ratio)) < fl)
		r->verdict = PAIRED_BELOW;
	else
		r->verdict = r->ratio < 1 ? PAIRED_LOWER : PAIRED_HIGHER;
}

const char *
paired_verdict_name(enum paired_verdict v)
{
	switch (v) {
	case PAIRED_UNTESTED:
		return ("not tested (fewer than 3 pairs)");
	/* One verdict for both: an interval that holds 1 and a difference shown but
	 * smaller than the floor are both "nothing above the floor" (the report's
	 * next line tells them apart). Two names flipped from run to run on the
	 * same point wherever its difference sat near the floor. */
	case PAIRED_SAME:
	case PAIRED_BELOW:
		return ("no verdict: below the noise floor");
	case PAIRED_LOWER:
		return ("lower");
	case PAIRED_HIGHER:
		return ("higher");
	}
	return ("?");
}
