/* run_probe.h: one probe played on one target (run_probe.c). */
#ifndef RUN_PROBE_H
#define RUN_PROBE_H

#include <signal.h>

#include "scn/scn.h"
#include "target/target.h"
#include "verdict/report.h"

/* Play probe pn of s on the target, its pcap and failure dump under dir, the result
 * reported to rep; stops early when *stop is set. vars: the scenario's `$NAME`
 * variables on this target, kept from one probe to the next (the caller zeroes them
 * before the first). Returns the probe's status. */
enum rep_status run_probe(const struct scn *s, int pn, const struct target_ops *ops,
	    struct target *t, const char *dir, struct report *rep, struct pkt_vars *vars,
	    volatile sig_atomic_t *stop);
/* The ruleset, states and counters of a failed probe, into files and the report. */
void	run_dump_failure(struct report *rep, const struct target_ops *ops,
	    struct target *t, const char *dir, int pn);
/* Monotonic milliseconds. */
double	run_now_ms(void);

#endif
