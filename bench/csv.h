/* csv.h: the benchmark's results file: one CSV per run under results/, one row per
 * measurement, units and direction of improvement on every row. Plots and
 * `bench compare` read only these files. */
#ifndef BENCH_CSV_H
#define BENCH_CSV_H

#include <stdio.h>

#include "base/diag.h"

/* The schema (version 1). A comment line first, then this header, then rows:
 *   host      machine name              kernel   uname -sr of the machine measured
 *   target    linux, freebsd, model     harness  pfharness version
 *   started   run start, UTC ISO 8601   workload rdr-in, nat-out, forward, rules, states
 *   mode      pf (pf on), nopf (pf off: no hook), gen (the generator alone)
 *   size      the point's size (rules, states, flows)   size_unit  its unit
 *   run       1..N                      metric   what was measured (bench_csv_metric)
 *   value     a number in unit          unit     pps, B/state, states/s, %, ...
 *   better    higher or lower: which way is an improvement */
#define BENCH_CSV_HEADER \
	"host,kernel,target,harness,started,workload,mode,size,size_unit,run," \
	"metric,value,unit,better"
#define BENCH_CSV_NCOL	14
#define BENCH_CSV_LINE_MAX	1023	/* characters of one line */

#define BENCH_CSV_STR	64

struct bench_row {
	char	host[BENCH_CSV_STR], kernel[BENCH_CSV_STR];
	char	target[BENCH_CSV_STR], harness[BENCH_CSV_STR], started[BENCH_CSV_STR];
	char	workload[BENCH_CSV_STR], mode[BENCH_CSV_STR];
	long	size;
	char	size_unit[BENCH_CSV_STR];
	int	run;
	char	metric[BENCH_CSV_STR];
	double	value;
	char	unit[BENCH_CSV_STR];
	int	higher_better;		/* 1: "higher", 0: "lower" */
	int	line;			/* line in the file it was read from */
};

/* A metric the bench knows: its unit and which way is better. */
struct bench_metric {
	const char	*name, *unit;
	int		 higher_better;
	const char	*what;
	int		 context;	/* the machine's state beside a run, not a figure */
};

/* The metric named `name`, or NULL. */
const struct bench_metric *bench_csv_metric(const char *name);

/* The context every row of a run carries. */
struct bench_csv_ctx {
	char	host[BENCH_CSV_STR], kernel[BENCH_CSV_STR];
	char	target[BENCH_CSV_STR], harness[BENCH_CSV_STR], started[BENCH_CSV_STR];
};

/* Fill host, kernel (uname), harness version and start time; target as given. */
void	bench_csv_ctx_init(struct bench_csv_ctx *, const char *target);

struct bench_csv;

/* Create (truncate) path and write the comment and header. NULL with err on error.
 * Close with bench_csv_close. */
struct bench_csv *bench_csv_create(const char *path, const struct bench_csv_ctx *,
	    char *err, size_t errlen);
/* Append one measurement (unit and direction from the metric table; the row is
 * flushed). 0, or -1 for an unknown metric or a write error. */
int	bench_csv_add(struct bench_csv *, const char *workload, const char *mode,
	    long size, const char *size_unit, int run, const char *metric, double value);
/* Close the file; 0, or -1 when a write failed. bench_csv_close(NULL) is a no-op. */
int	bench_csv_close(struct bench_csv *);

struct bench_table {
	struct bench_row *row;
	int		 nrow, cap;
};

/* Read a results file into t (appending): a regular file or a FIFO, no NUL byte, lines
 * of at most BENCH_CSV_LINE_MAX characters, finite values. 0 (free t with
 * bench_table_free), or -1 with every malformed line added to d as `file:line:
 * message` and t emptied. */
int	bench_csv_read(const char *path, struct bench_table *t, struct diag *d);
/* The same from size bytes of buf (changed in place), named path in messages. */
int	bench_csv_parse(const char *path, char *buf, size_t size, struct bench_table *t,
	    struct diag *d);
void	bench_table_free(struct bench_table *);

/* 1 when two rows measure the same point (workload, mode, size, metric). */
int	bench_row_same_point(const struct bench_row *, const struct bench_row *);

#endif
