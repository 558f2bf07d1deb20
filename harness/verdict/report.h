/* report.h: results of a run, as they come: a human summary (colour on a tty),
 * TAP (--tap) and JUnit XML (--junit FILE). */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

enum rep_status { REP_PASS, REP_FAIL, REP_ERROR, REP_SKIP };

struct report;

struct report_opts {
	int		 tap;		/* TAP on stdout instead of the human summary */
	const char	*junit;		/* JUnit XML file, or NULL */
	int		 color;		/* -1: when stdout is a tty */
	int		 verbose;
};

/* A new report writing to stdout. NULL on allocation failure. */
struct report *report_new(const struct report_opts *);
/* A scenario starts on a target. */
void	report_scn_begin(struct report *, const char *name, const char *path,
	    const char *title, const char *target);
/* One probe's verdict; detail (may be NULL) holds the mismatches, one per line. */
void	report_probe(struct report *, const char *title, int line, enum rep_status,
	    const char *detail, double ms);
/* The scenario could not run (parse error, setup failure): msg holds why. */
void	report_scn_error(struct report *, const char *msg);
/* Text attached to the scenario's last failure (ruleset, states, counters). */
void	report_scn_attach(struct report *, const char *label, const char *text);
void	report_scn_end(struct report *, double ms);
/* A note about the run (target choice, disagreement between targets). */
void	report_note(struct report *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Write the totals (and the JUnit file). Returns the exit status: 0 all passed,
 * 1 a probe failed, 2 a scenario could not be run. Frees the report. */
int	report_finish(struct report *);

#endif
