/* work_pts.h: a bench run's points as both platforms run them (work_linux.c on Linux,
 * bench_run_freebsd.c on FreeBSD): a trial's counts, the loss-free rate, the
 * generator alone, full offer and the search, progress, rows, the run over the
 * workloads. The generator and the counters are reached through struct bench_io
 * (the FreeBSD tests put fakes there); the platform opens them for a point and keeps
 * its world, its ruleset switching and the state table's points. */
#ifndef BENCH_WORK_PTS_H
#define BENCH_WORK_PTS_H

#include <stddef.h>
#include <stdint.h>

#include "gen.h"
#include "recv.h"
#include "work.h"
#include "work_def.h"

/* The CSV's modes, in bench_mode_name's order. */
enum bench_mode { BENCH_M_GEN, BENCH_M_NOPF, BENCH_M_PF };

/* The generator's and the counters' functions (gen.h, recv.h, or fakes). */
struct bench_io {
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

/* A run's points: the run's settings and output, and the platform's side. */
struct bench_pts {
	const struct bench_cfg	*cfg;
	struct bench_csv	*csv;		/* NULL: no rows (smoke) */
	const struct bench_io	*io;
	char			*err;
	size_t			 errlen;
	int			 done, total;	/* progress: runs */
	void			*arg;		/* the platform's world */
	/* The generator of workload wl on `port`, cycling through `flows` flows. */
	struct bench_gen	*(*gen_for)(void *arg, const struct bench_wl *wl, int port,
				    uint64_t flows);
	/* The counter of workload wl. */
	struct recv_counter	*(*recv_for)(void *arg, const struct bench_wl *wl);
	/* Drops counted so far beside the counter's packets (NULL: none are). */
	uint64_t		 (*drops)(void *arg, struct recv_counter *, enum recv_kind);
	int			 gen_alone;	/* the port the generator alone sends on */
	const int		*side_wire;	/* each side's wire end (generator, counter) */
};

struct bench_sample {
	uint64_t	sent, recv, drops;
	double		secs;
};

/* The progress line of run `run` of a point (nothing unless cfg->progress). */
void	bench_pts_progress(struct bench_pts *, const struct bench_wl *, int mode,
	    long size, int run);
/* One row of a point (none without a csv). 0, or -1 with err. */
int	bench_pts_row(struct bench_pts *, const struct bench_wl *, int mode, long size,
	    int run, const char *metric, double v);
/* Wait until packets stop arriving and being dropped (three looks 20 ms apart, at
 * most 2 s): what is still in a queue (the hook's, an epair's, a socket's, BPF's
 * buffer) is neither yet. */
void	bench_pts_settle(struct bench_pts *, struct recv_counter *, enum recv_kind);
/* One trial: offer pps (0: full) for secs; count what arrived and what was dropped.
 * 0, or -1 with err. */
int	bench_pts_measure(struct bench_pts *, struct bench_gen *, struct recv_counter *,
	    enum recv_kind, double pps, double secs, struct bench_sample *);
/* The loss-free rate: that of the full-offer run `full` when it lost nothing, else
 * the RFC 2544 search below its rate. 0 with *out, or -1 with err. */
int	bench_pts_lossfree(struct bench_pts *, struct bench_gen *, struct recv_counter *,
	    enum recv_kind, const struct bench_sample *full, double *out);
/* A workload's sizes into sz (their count returned, up to 8) and into *base the size
 * of its points without pf: 0 for rules and states, whose size only pf has. */
int	bench_pts_sizes(const struct bench_pts *, const struct bench_wl *, long sz[8],
	    long *base);
/* After the full-offer run `full` of run r of a point: the loss-free rate's row (when
 * cfg->steps). 0, or -1 with err. */
int	bench_pts_lossfree_row(struct bench_pts *, struct bench_gen *,
	    struct recv_counter *, const struct bench_wl *, int mode, long size, int run,
	    const struct bench_sample *full);
/* A state-table point's rows for run r after its fill: the table's n states, the
 * insert rate (states a second), memory per state (mem bytes over n, when n > 0),
 * then a full-offer run over the states (rx_pps, tx_pps; its counts in *s). 0, or -1
 * with err. */
int	bench_pts_state_rows(struct bench_pts *, struct bench_gen *, struct recv_counter *,
	    const struct bench_wl *, long size, int run, uint64_t n, double insert_rate,
	    double mem, struct bench_sample *s);
/* A point's generator (on wl's side of the wire, cycling through `flows` flows) and
 * counter. 0, or -1 with err (nothing left open). */
int	bench_pts_open(struct bench_pts *, const struct bench_wl *, uint64_t flows,
	    struct bench_gen **, struct recv_counter **);
/* Close what bench_pts_open opened. */
void	bench_pts_close(struct bench_pts *, struct bench_gen *, struct recv_counter *);
/* The generator alone, `runs` times: its rate on the spare port, where the frames die
 * unprocessed. 0, or -1 with err. */
int	bench_pts_gen(struct bench_pts *, const struct bench_wl *, long size);
/* Full offer, then the loss-free search (when cfg->steps), `runs` times. 0, or -1. */
int	bench_pts_traffic(struct bench_pts *, const struct bench_wl *, int mode,
	    long size);

/* Fill the state table with `size` flows: a first pass at full offer, then passes
 * paced just below what the previous pass got through (a queue overflows at full
 * offer), until every flow has its state or passes stop helping. states(arg, &n)
 * reads how many states the table holds (0, or -1 with err). *t1: when the last
 * packet was handled. 0 or -1. */
int	bench_pts_fill(struct bench_pts *, struct bench_gen *, struct recv_counter *,
	    enum recv_kind, long size, int (*states)(void *arg, uint64_t *n), double *t1);

/* A run: the workloads cfg->only selects counted into total, up(), each workload run
 * in order (workload(arg, wl, 0)) until one fails or *cfg->stop is set, down(arg, rc)
 * on every path after up. With count_only, workload returns its number of runs. 0, or
 * -1 with err ("interrupted" when *cfg->stop ended it). */
int	bench_pts_run(struct bench_pts *,
	    int (*workload)(void *arg, const struct bench_wl *, int count_only),
	    int (*up)(void *arg), void (*down)(void *arg, int rc));

#endif
