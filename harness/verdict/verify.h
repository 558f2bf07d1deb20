/* verify.h: one `expect` step checked against what a probe observed. */
#ifndef VERIFY_H
#define VERIFY_H

#include "base/diag.h"
#include "scn/scn.h"
#include "target/target.h"

struct verify_obs {
	const struct target_frame	*frame;
	int				 nframe;
	const struct target_delivery	*deliv;
	int				 ndeliv;
	int				 outcome;	/* SCN_CONN_*, -1: none */
	const char			*states;	/* pfctl -ss text, NULL: not fetched */
};

/* 1 when the step holds; 0 with the reasons added to d as `file:line: ...`
 * (the scenario's path and the step's line), field by field where packets differ. */
int	verify_step(const struct scn *, const struct scn_probe *, const struct scn_step *,
	    const struct verify_obs *, struct diag *d);

/* 1 when the step needs the state table. */
int	verify_needs_states(const struct scn_step *);

#endif
