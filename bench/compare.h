/* compare.h: `bench compare` (baseline vs new results, Student's t per point) and
 * `bench stats` (ministat's summary and test on plain sample files). */
#ifndef BENCH_COMPARE_H
#define BENCH_COMPARE_H

#include <stdio.h>

#include "base/diag.h"

struct bench_cmp_opts {
	double	threshold;	/* percent; a significant change worse than this fails */
	int	ci;		/* confidence level index (stats_conf_index(95)) */
	double	drift;		/* set by bench_compare_files: the machine's drift, % */
};

/* Compare every point of `newpath` with the same point of `basepath`, writing one
 * line per point to out. 0 when no point is significantly worse by more than the
 * threshold, 1 when one is, -1 when a file cannot be read (messages in d). */
int	bench_compare_files(const char *basepath, const char *newpath,
	    const struct bench_cmp_opts *, FILE *out, struct diag *d);

/* ministat -A: read each file (one number a line, `#` comments), print N Min Max
 * Median Avg Stddev for each and the comparison of each with the first, worded and
 * formatted as ministat prints them. 0, or -1 with d (a file needs 3 values, as for
 * ministat). */
int	bench_stats_files(char *const *paths, int npaths, int ci, FILE *out,
	    struct diag *d);

/* Print a per-point summary (median, mean, stddev, CV, N) of one results CSV, then its
 * paired verdicts (pairs.h). With points non-NULL, write the per-point CSV there too.
 * Returns the number of A/B comparisons where B is lower than A by more than
 * threshold percent, above the noise floor; -1 on error (messages in d). */
int	bench_summary_file(const char *path, const char *points, double threshold,
	    FILE *out, struct diag *d);

#endif
