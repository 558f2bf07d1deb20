/* paired.h: the verdict of an A/B measured in pairs (each pair run close together, in
 * random order): the ratio B/A with its confidence interval from a paired t test on
 * the log ratios, or from Wilcoxon's signed-rank test and the Hodges-Lehmann estimate
 * when Shapiro-Wilk rejects their normality; the noise floor (the smallest difference
 * the pairs could detect); and the distributions these need. */
#ifndef BENCH_PAIRED_H
#define BENCH_PAIRED_H

#define PAIRED_ALPHA	0.05	/* two-sided: 95% confidence */
#define PAIRED_POWER	0.80	/* the noise floor is detected this often */
#define PAIRED_MAX	64	/* pairs at most */

/* The standard normal distribution function and its inverse (0 < p < 1). */
double	paired_pnorm(double x);
double	paired_qnorm(double p);
/* Student's t distribution function with df degrees of freedom, and its inverse. */
double	paired_pt(double t, double df);
double	paired_qt(double p, double df);

/* Shapiro-Wilk's W of x[0..n-1] (3 <= n <= 5000; x is not changed) and its p value
 * (Royston 1995, as R's shapiro.test). 0, or -1 when n is out of range or every value
 * is the same. */
int	paired_shapiro(const double *x, int n, double *w, double *p);

/* Wilcoxon's signed-rank test of d[0..n-1] against 0 (zeros dropped, ties ranked by
 * their mean rank): the exact two-sided p value, the Hodges-Lehmann estimate (median
 * of the Walsh averages) and its exact confidence interval at 1 - PAIRED_ALPHA
 * (the widest one when too few values allow no narrower). 0, or -1 when no nonzero
 * value is left or n > PAIRED_MAX. */
int	paired_wilcoxon(const double *d, int n, double *p, double *est, double *lo,
	    double *hi);

/* The smallest true difference (in log ratio) a paired test of n pairs whose log
 * ratios have standard deviation sd detects with PAIRED_POWER at PAIRED_ALPHA:
 * (t(1 - alpha/2) + t(power)) * sd / sqrt(n), t with n - 1 degrees of freedom. */
double	paired_mde(double sd, int n);

enum paired_verdict {
	PAIRED_UNTESTED,	/* fewer than 3 pairs */
	PAIRED_SAME,		/* no difference shown: any is below the floor */
	PAIRED_BELOW,		/* a difference shown, but smaller than the noise floor */
	PAIRED_LOWER,		/* B is lower than A, above the floor */
	PAIRED_HIGHER		/* B is higher than A, above the floor */
};

struct paired_result {
	int	n;		/* pairs */
	double	ratio;		/* B/A: exp of the mean (or Hodges-Lehmann) log ratio */
	double	lo, hi;		/* its confidence interval */
	double	p;		/* two-sided p value of "no difference" */
	double	sd;		/* standard deviation of the log ratios */
	double	dz;		/* effect size: mean log ratio / sd (Cohen's d_z) */
	double	sw_w, sw_p;	/* Shapiro-Wilk of the log ratios (p -1: not run) */
	int	wilcoxon;	/* 1: Wilcoxon and Hodges-Lehmann, 0: paired t */
	double	floor;		/* noise floor, as a ratio's distance from 1 (0.03: 3%) */
	enum paired_verdict verdict;
};

/* Compare b[i] with a[i] (positive values; pair i measured together). The noise floor
 * is paired_mde of floor_sd (the log ratios' sd of an A/A of the same design) or, when
 * floor_sd < 0, of these pairs' own sd. 0, or -1 when a value is not positive or n is
 * out of range (r->verdict then PAIRED_UNTESTED). */
int	paired_compare(const double *a, const double *b, int n, double floor_sd,
	    struct paired_result *r);

/* r's noise floor and verdict again, the floor from floor_sd (a standard deviation of
 * log ratios, e.g. pooled over several comparisons of one run); nothing when r holds
 * fewer than 3 pairs. */
void	paired_judge(struct paired_result *r, double floor_sd);

/* The verdict in a few words ("lower", "higher", "no verdict: below the noise floor"
 * for PAIRED_SAME and PAIRED_BELOW alike, ...). */
const char *paired_verdict_name(enum paired_verdict);

#endif
