/* hook_linux.h: a pf hook in a process of its own, for `bench ab`: `BIN bench hook`
 * runs the NFQUEUE hook of build BIN with a ruleset on one queue of the bench's host
 * namespace and answers on a pipe; the parent starts one per variant, so that two
 * builds (or two rulesets) take turns on the same world, its generator and counters. */
#ifndef BENCH_HOOK_LINUX_H
#define BENCH_HOOK_LINUX_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct bench_hook;

/* Start `bin bench hook --netns ns --queue queue --cpu cpu -f conf [--freebsd N]` (the
 * option only when freebsd is not 0: builds before it lack it) and wait until it is
 * ready. NULL with err (what the hook said). Stop with bench_hook_stop. */
struct bench_hook *bench_hook_spawn(const char *bin, const char *ns, int queue, int cpu,
	    const char *conf, int freebsd, char *err, size_t errlen);
/* The hook's process id. */
pid_t	bench_hook_pid(const struct bench_hook *);
/* CPU seconds the hook's process has used (every thread, from /proc's schedstat). */
double	bench_hook_cpu(const struct bench_hook *);
/* pf's own time (ns) and the packets it tested so far, asked on the pipe: 0, or -1
 * when the hook does not answer within half a second (a build made before it could;
 * it is not asked again). */
int	bench_hook_pf_time(struct bench_hook *, uint64_t *ns, uint64_t *pkts);
/* Close its pipe (it exits) and reap it; NULL is a no-op. */
void	bench_hook_stop(struct bench_hook *);

/* The child's side (`pfharness bench hook`): the hook on `queue` of namespace ns,
 * pinned to cpu (-1: not), with the ruleset of file conf read as release freebsd's (0:
 * 14); "ready" on stdout, then it runs until its standard input ends, answering
 * each "t" read there with "pf NS PACKETS" (bench_hook_pf_time). 0, or -1 with
 * err (before "ready"). */
int	bench_hook_serve(const char *ns, int queue, int cpu, const char *conf, int freebsd,
	    char *err, size_t errlen);

#endif
