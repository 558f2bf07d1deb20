/* bench_pf.h: pf on for the benchmark: the linux target's NFQUEUE hook (nfq.c) in the
 * bench's host namespace running the pf model with a workload's ruleset. */
#ifndef BENCH_PF_H
#define BENCH_PF_H

#include <stddef.h>
#include <stdint.h>

struct bench_pf;

/* Start the hook thread on NFQUEUE `queue` of namespace `host`, pinned to CPU cpu
 * (-1: not pinned), with no ruleset (every packet passes unexamined). NULL with err.
 * Stop with bench_pf_stop. */
struct bench_pf *bench_pf_start(const char *host, int queue, int cpu, char *err,
	    size_t errlen);
/* pf off: the hook passes every packet unexamined (the ruleset is kept for nothing). */
void	bench_pf_off(struct bench_pf *);
void	bench_pf_stop(struct bench_pf *);	/* NULL is a no-op */
/* The release whose pfctl and pf the model follows (--freebsd 14|15; 0: 14), for the
 * rulesets loaded from now on. */
void	bench_pf_freebsd(struct bench_pf *, int freebsd);
/* Give the hook a fresh pf (no states) with ruleset `conf`. 0, or -1 with err
 * (the model's messages). */
int	bench_pf_load(struct bench_pf *, const char *conf, char *err, size_t errlen);
/* UDP packets the hook dropped (pf blocked them) so far: the bench sends only UDP. */
uint64_t bench_pf_dropped(struct bench_pf *);
/* CPU seconds of the hook's thread so far. */
double	bench_pf_cpu(struct bench_pf *);
/* pf's own time so far: ns spent testing, and the packets tested (nfq_stats). */
void	bench_pf_time(struct bench_pf *, uint64_t *ns, uint64_t *pkts);
/* States in the table now. */
size_t	bench_pf_states(struct bench_pf *);
/* Bytes per state by the model's own accounting. */
size_t	bench_pf_state_size(void);

#endif
