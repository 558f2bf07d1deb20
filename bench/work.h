/* work.h: the benchmark's workloads on this system's target (linux: work_linux.c;
 * freebsd: work_freebsd.c): rdr-in, nat-out, forward, rules, states, each with pf on,
 * pf off and the generator alone, N runs a point (on Linux in rounds of random order,
 * rounds.h), full-offer and loss-free (RFC 2544
 * binary search) throughput, rows to a CSV. */
#ifndef BENCH_WORK_H
#define BENCH_WORK_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "csv.h"

struct bench_cfg {
	int		 runs;		/* runs per point */
	double		 dur;		/* seconds of one full-offer run */
	double		 trial;		/* seconds of one loss-free search trial */
	int		 steps;		/* loss-free search steps (0: no search) */
	int		 full;		/* the complete set of sizes */
	const char	*only;		/* one workload, or NULL for all */
	int		 progress;	/* progress line on stderr */
	volatile sig_atomic_t *stop;	/* set by SIGINT: finish now, tear down */
	double		 smoke_pps;	/* > 0: the smoke check at this rate (no CSV) */
	double		 warmup;	/* seconds of traffic before each run, not counted */
	unsigned long	 seed;		/* the rounds' order (0: from the clock) */
	int		 freebsd;	/* --freebsd: the release the model follows
					 * (0: 14); linux only: FreeBSD runs its own */
};

/* 1 when `name` is a workload (or "all"). */
int	bench_work_known(const char *name);
/* The workloads' names, space separated, for usage messages. */
const char *bench_work_names(void);
/* The target this platform's bench measures ("linux", "freebsd"): the CSV's target. */
const char *bench_work_target(void);

/* Build the world, run the workloads, write rows to csv, tear the world down.
 * 0, or -1 with err (rows written so far stay). */
int	bench_work_run(const struct bench_cfg *, struct bench_csv *csv, char *err,
	    size_t errlen);

/* The smoke check: a second at cfg->smoke_pps through rdr-in and forward with pf off
 * and on, printing `sent received dropped` per point to out. 0 when every point's
 * counts add up (sent = received + dropped), 1 when one does not, -1 on error. */
int	bench_work_smoke(const struct bench_cfg *, FILE *out, char *err, size_t errlen);

/* Two variants of a bench ab: a build of pfharness (NULL: this one), a ruleset file
 * (NULL: the workload's own), a target (NULL: this platform's). */
struct bench_ab {
	const char	*bin[2], *conf[2], *target[2];
	const char	*workload;	/* NULL: forward */
};

/* bench ab: the world once, each variant's hook in a process of its own, then rounds
 * of A, A again and B in random order; rows with modes a, a2 and b. 0, or -1 with
 * err. */
int	bench_work_ab(const struct bench_cfg *, const struct bench_ab *,
	    struct bench_csv *csv, char *err, size_t errlen);
/* `bench hook` (the child of bench ab): the hook on queue of namespace ns with the
 * ruleset of file conf until standard input ends. 0, or -1 with err. */
int	bench_work_hook(const char *ns, int queue, int cpu, const char *conf, int freebsd,
	    char *err, size_t errlen);

/* The generator alone (bench gen, bench/trafgen.sh): the forward workload's frames
 * from ifname in namespace ns (NULL: the caller's) to dst_mac, at pps (0: full offer)
 * for secs. 0 with *sent and *elapsed, or -1 with err. */
int	bench_work_gen(const char *ns, const char *ifname, const uint8_t dst_mac[6],
	    double pps, double secs, volatile sig_atomic_t *stop, uint64_t *sent,
	    double *elapsed, char *err, size_t errlen);

#endif
