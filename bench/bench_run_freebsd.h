/* bench_run_freebsd.h: the FreeBSD bench's workloads (bench_run_freebsd.c) over a
 * table of the generator's and the counters' functions: gen_freebsd.c's and
 * recv_freebsd.c's in pfharness (bench_freebsd.c), fakes that log into the command
 * plan in the tests (tests/bench_freebsd_test.c). */
#ifndef BENCH_RUN_FREEBSD_H
#define BENCH_RUN_FREEBSD_H

#include "gen.h"
#include "recv.h"
#include "work.h"

struct bench_fbsd_io {
	struct bench_gen *(*gen_open)(const char *, const struct gen_spec *, char *,
			    size_t);
	int		 (*gen_send)(struct bench_gen *, uint64_t, double, double,
			    volatile sig_atomic_t *, struct gen_result *, char *, size_t);
	void		 (*gen_rewind)(struct bench_gen *);
	void		 (*gen_close)(struct bench_gen *);
	struct recv_counter *(*recv_start)(const struct recv_spec *, char *, size_t);
	uint64_t	 (*recv_count)(struct recv_counter *);
	void		 (*recv_stop)(struct recv_counter *);
};

/* bench_work_run on FreeBSD: build the world (its files in dir), run the workloads
 * through io, write rows to csv, tear the world down on every path (an error, *stop).
 * 0, or -1 with err (rows written so far stay). */
int	bench_fbsd_run(const struct bench_cfg *, struct bench_csv *csv,
	    const struct bench_fbsd_io *io, const char *dir, char *err, size_t errlen);

#endif
