/* bench_run_freebsd.h: the FreeBSD bench's workloads (bench_run_freebsd.c) over a
 * table of the generator's and the counters' functions (work_pts.h's struct
 * bench_io): gen_freebsd.c's and recv_freebsd.c's in pfharness (work_freebsd.c),
 * fakes that log into the command plan in the tests (tests/bench_freebsd_test.c). */
#ifndef BENCH_RUN_FREEBSD_H
#define BENCH_RUN_FREEBSD_H

#include "work.h"
#include "work_pts.h"

/* bench_work_run on FreeBSD: build the world (its files in dir), run the workloads
 * through io, write rows to csv, tear the world down on every path (an error, *stop).
 * 0, or -1 with err (rows written so far stay). */
int	bench_fbsd_run(const struct bench_cfg *, struct bench_csv *csv,
	    const struct bench_io *io, const char *dir, char *err, size_t errlen);

#endif
