/* report.h: results of a run, as they come: a human summary (colour on a terminal that
 * wants it), TAP (--tap) and JUnit XML (--junit FILE, `-`: standard output). */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

enum rep_status { REP_PASS, REP_FAIL, REP_ERROR, REP_SKIP };

struct report;

struct report_opts {
	int		 tap;		/* TAP instead of the human summary */
	const char	*junit;		/* JUnit XML file, "-" for standard output, or NULL */
	int		 color;		/* -1: on a terminal, unless NO_COLOR or TERM=dumb */
	int		 verbose;
};

/* A new report writing the summary (or TAP) to standard output, or to standard error
 * when the JUnit XML goes to standard output. NULL on allocation failure. */
struct report *report_new(const struct report_opts *);
/* A scenario starts on a target. */
void	report_scn_begin(struct report *, const char *name, const char *path,
	    const char *title, const char *target);
/* One probe's verdict; detail (may be NULL) holds the mismatches, one per line. */
void	report_probe(struct report *, const char *title, int line, enum rep_status,
	    const char *detail, double ms);
/* The scenario could not run (parse error, setup failure): msg holds why. */
void	report_scn_error(struct report *, const char *msg);
/* Text attached to the scenario's last failure (ruleset, states, counters); empty text
 * is shown as "(none)". */
void	report_scn_attach(struct report *, const char *label, const char *text);
void	report_scn_end(struct report *, double ms);
/* A note about the run (target choice, disagreement between targets). */
void	report_note(struct report *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* No scenario was selected (a --tag that none has): why, said in the totals. */
void	report_none(struct report *, const char *why);
/* Write the totals (and the JUnit file). Returns the exit status: 0 all passed,
 * 1 a probe failed, 2 a scenario could not be run or none was selected. Frees the
 * report. */
int	report_finish(struct report *);

#endif
