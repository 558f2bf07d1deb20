/* pairs.h: a results file's A/B verdicts: runs of two modes of one round paired again
 * (pf off and pf on at each size for `make bench`; A, A again and B for `bench ab`),
 * each pair's ratio judged by paired.c against the noise floor; the coefficient of
 * variation of every point; the runs made on a loaded machine; the per-point CSV. */
#ifndef BENCH_PAIRS_H
#define BENCH_PAIRS_H

#include <stdio.h>

#include "csv.h"
#include "paired.h"

/* One comparison of a results file: mode b at size bsize against mode a at asize of
 * one workload's rx_pps (or hook_ns, the hook's CPU per packet), run by run. */
struct bench_pair {
	char			 workload[BENCH_CSV_STR], unit[BENCH_CSV_STR];
	char			 a[BENCH_CSV_STR], b[BENCH_CSV_STR];
	const char		*metric;	/* rx_pps or hook_ns */
	long			 asize, bsize;
	double			 amed, bmed;	/* medians of the paired runs */
	int			 pooled;	/* its noise floor is from the spread of
						 * this many comparisons (0: its own) */
	struct paired_result	 r;
};

#define BENCH_PAIRS_MAX	32

/* The comparisons a results table holds, into out (at most BENCH_PAIRS_MAX): pf on
 * (each size) against pf off, with the noise floor of their pooled spread (one floor
 * per figure for the whole run: each comparison's own, from a few pairs, moves from run
 * to run more than the differences it judges), and pf off against the kernel alone
 * (nohook) with its own; B against A with A against itself (a2) as the noise floor, and A
 * against a2 with its own. Returns their count. */
int	bench_pairs_find(const struct bench_table *, struct bench_pair *out);

/* The report of a results table: the comparisons and their verdicts in plain words,
 * the runs on a loaded machine. Returns the number of comparisons that found B lower
 * than A by more than threshold percent (and above the noise floor). */
int	bench_pairs_report(const struct bench_table *, double threshold, FILE *out);

/* Write the per-point CSV: each point's runs, median, mean, standard deviation and
 * coefficient of variation; for a compared point its ratio, interval, noise floor and
 * verdict. 0, or -1 with err. */
int	bench_pairs_write(const struct bench_table *, const char *path, char *err,
	    size_t errlen);

/* The noise floor of a point of n runs with coefficient of variation cv (a fraction):
 * the smallest difference a Student's t test of two such samples detects with
 * PAIRED_POWER at PAIRED_ALPHA, as a fraction. */
double	bench_pairs_point_floor(double cv, int n);

#endif
