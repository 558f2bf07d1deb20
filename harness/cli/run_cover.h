/* run_cover.h: rule coverage of a run (`pfharness run --coverage`, run_cover.c). */
#ifndef RUN_COVER_H
#define RUN_COVER_H

#include <stdio.h>

#include "scn/scn.h"
#include "target/target.h"

struct cover;

/* A new coverage record written to out (tap: lines as TAP comments). NULL: out of
 * memory. */
struct cover *cover_new(int tap, FILE *out);
/* Scenario s starts on target t (rules loaded): the counters read as they are. */
void	cover_scn_begin(struct cover *, const struct scn *s, const struct target_ops *,
	    struct target *t);
/* After a probe: the packets each rule gained since are the probe's. */
void	cover_probe(struct cover *, const char *title);
/* The scenario's rules, their packets and probes, never-matched ones flagged, the
 * share, printed on standard output. */
void	cover_scn_end(struct cover *);
/* The totals printed, JSON written to json (NULL: none); frees c. Returns 0, 1 when
 * the share is below min percent (min < 0: no minimum), 2 when json could not be
 * written. */
int	cover_finish(struct cover *, const char *json, double min);

#endif
