/* stats.h: summary statistics and Student's t comparison of two samples, computed
 * exactly as ministat(1) does (so `bench compare` and ministat agree). */
#ifndef STATS_H
#define STATS_H

/* Confidence levels ministat knows, in percent. */
#define STATS_NCONF	6
extern const double stats_conf_levels[STATS_NCONF];	/* 80 90 95 98 99 99.5 */

struct stats_summary {
	int	n;
	double	min, max;
	double	median;		/* ministat's: the sorted sample's element n/2 */
	double	mean;
	double	stddev;		/* sample standard deviation (n - 1); 0 when n < 2 */
};

/* The two-sample comparison of `new` against `base` (ministat's "Relative"). */
struct stats_diff {
	int	df;		/* degrees of freedom, n1 + n2 - 2 */
	double	t;		/* Student's t quantile used */
	double	spool;		/* pooled standard deviation */
	double	diff;		/* mean(new) - mean(base) */
	double	ci;		/* half width of the confidence interval of diff */
	double	rel;		/* diff in percent of mean(base) */
	double	rel_ci;		/* ci in percent of mean(base) */
	int	significant;	/* |diff| > ci: "Difference at C% confidence" */
};

/* Summarise v[0..n-1] (the array is not changed) into s. 0, or -1 when n < 1. */
int	stats_summarize(const double *v, int n, struct stats_summary *s);

/* Index of confidence level `conf` (percent) in stats_conf_levels, or -1. */
int	stats_conf_index(double conf);

/* Two-sided Student's t quantile for `df` degrees of freedom at confidence level index
 * ci, from ministat's table (df > 100 uses the normal quantile, as ministat). -1 when
 * df < 1 or ci is out of range. */
double	stats_student_t(int df, int ci);

/* Compare `new` with `base` at confidence level index ci. 0, or -1 when either sample
 * has fewer than 2 values or ci is out of range (d is then untouched). */
int	stats_compare(const struct stats_summary *base, const struct stats_summary *new,
	    int ci, struct stats_diff *d);

#endif
