/* rounds.h: a workload's arms (generator alone, pf off, pf on at each size; or an A/B's
 * A, A again and B) measured in rounds: every round runs each arm once, in a random
 * order, so that pairs of arms of one round saw the same machine. Each run offers
 * traffic for a warm-up that is not counted, then counts what arrives during its
 * window; the machine's load is recorded beside it. Rows go to the CSV with the
 * round as the run, so that `bench stats` and `bench compare` pair them again. */
#ifndef BENCH_ROUNDS_H
#define BENCH_ROUNDS_H

#include "machine.h"
#include "work_pts.h"

/* One arm of a workload. */
struct bench_arm {
	const char	*mode;		/* the CSV's mode: gen, nopf, nohook, pf; a, a2, b */
	long		 size;
	int		 gen_alone;	/* the generator alone, on the spare port */
	int		 states;	/* fill the state table first (states, pf on) */
	const uint8_t	*dst;		/* the generator's destination (NULL: the workload's) */
	int		 id;		/* the platform's: which hook, ruleset, ... */
};

#define BENCH_ARMS_MAX	16

struct bench_rounds {
	struct bench_pts	*p;
	int			 rounds;
	double			 warmup;	/* seconds, not counted */
	unsigned long		 seed;		/* the order's random seed */
	unsigned long		 rng;		/* its state */
	int			 loaded;	/* runs on a loaded machine so far */
	int			 runs;		/* runs so far */
	/* Ready the world for arm a: 0, 1 (the arm cannot run: skip it), -1 error. */
	int	(*setup)(void *arg, const struct bench_wl *, const struct bench_arm *a);
	/* A states arm's run after setup: fill, rows of the table, then the lookups'
	 * counts into *s. 0 or -1. */
	int	(*states)(void *arg, const struct bench_wl *, const struct bench_arm *a,
		    struct bench_gen *, struct recv_counter *, int round,
		    struct bench_sample *s);
	/* The CPU seconds and packets so far of the hook serving arm a (NULL, or -1: no
	 * hook there): each run's hook_ns, the hook's CPU per packet. */
	int	(*hook_cost)(void *arg, const struct bench_arm *a, double *cpu,
		    uint64_t *pkts);
	double	 hook_ns;		/* the last run's, -1: none */
	/* pf's own time (ns) and the packets it tested so far in the hook serving arm a
	 * (NULL, or -1: not known): each run's pf_ns, pf's time per packet. */
	int	(*pf_time)(void *arg, const struct bench_arm *a, uint64_t *ns,
		    uint64_t *pkts);
	double	 pf_ns;			/* the last run's, -1: none */
	const struct bench_arm *arm;	/* the arm being run */
	/* The machine snapshot (its `ours` filled); NULL: no load recorded. */
	int	(*snap)(void *arg, struct bench_machine *);
};

/* Seed the order (0: from the clock) into r->seed and r->rng. */
void	bench_rounds_seed(struct bench_rounds *, unsigned long seed);
/* A random permutation of 0..n-1 into order (Fisher-Yates on r's generator). */
void	bench_rounds_shuffle(struct bench_rounds *, int *order, int n);
/* Measure wl's arms r->rounds times, each round in a fresh random order. 0, or -1
 * with p->err. */
int	bench_rounds_run(struct bench_rounds *, const struct bench_wl *wl,
	    const struct bench_arm *arms, int narms);
/* One run: warm-up, then full offer for secs, counted from the window's start to its
 * end (rx), then drained (loss). 0, or -1 with p->err. */
int	bench_rounds_measure(struct bench_rounds *, struct bench_gen *,
	    struct recv_counter *, enum recv_kind, double secs, struct bench_sample *s,
	    uint64_t *rx_window);

#endif
