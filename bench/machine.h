/* machine.h: the machine's state beside each bench run: load average, the CPU other
 * processes took while it ran, the hypervisor's steal, the CPU clock; whether that
 * makes the run one on a loaded machine; and where the bench's threads are pinned. */
#ifndef BENCH_MACHINE_H
#define BENCH_MACHINE_H

#include <sys/types.h>

/* A run on a loaded machine: other processes took more than this percent of one CPU,
 * or the hypervisor stole more than BENCH_LOADED_STEAL percent of the CPUs' time. */
#define BENCH_LOADED_OTHERS	20.0
#define BENCH_LOADED_STEAL	5.0

#define BENCH_MACHINE_OURS	8	/* our processes besides ourselves (hooks) */

/* A snapshot taken before a run, to be compared with one taken after it. */
struct bench_machine {
	double	t;			/* monotonic seconds */
	double	others_s;		/* CPU seconds used by other processes so far */
	double	steal_s, total_s;	/* the CPUs' steal and total time so far */
	pid_t	ours[BENCH_MACHINE_OURS];	/* not counted as others (0: unused) */
};

/* What a run saw, from two snapshots. */
struct bench_load {
	double	load1;		/* the 1-minute load average at the end */
	double	others;		/* percent of one CPU other processes used */
	double	steal;		/* percent of the CPUs' time the hypervisor stole */
	double	mhz;		/* the CPUs' mean clock (MHz); 0 when unknown */
	int	loaded;		/* others or steal above the BENCH_LOADED_* limits */
};

/* Take a snapshot (m->ours kept as the caller set it). 0, or -1 when the system's
 * counters cannot be read (the fields are then 0). */
int	bench_machine_snap(struct bench_machine *);
/* The load of a run between snapshots a (before) and b (after). */
void	bench_machine_load(const struct bench_machine *a, const struct bench_machine *b,
	    struct bench_load *);

/* The CPUs this process may run on, and the placement the bench uses: the generator
 * on gen, the hook on hook, the counters on recv (-1: not pinned). Returns the number
 * of CPUs available. */
int	bench_machine_cpus(int *gen, int *hook, int *recv);
/* Pin the calling thread to cpu (nothing when cpu < 0). 0 or -1. */
int	bench_machine_pin(int cpu);
/* The CPU model's name into buf ("" when unknown). */
void	bench_machine_cpu_name(char *buf, size_t len);

#endif
