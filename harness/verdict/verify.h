/* verify.h: one `expect` step checked against what a probe observed. */
#ifndef VERIFY_H
#define VERIFY_H

#include "base/diag.h"
#include "scn/scn.h"
#include "target/target.h"

#define VERIFY_VIEWS	2	/* views one step reads at most */
#define VERIFY_ARGS	12	/* words of one view's pfctl command, NULL included */

struct verify_obs {
	const struct target_frame	*frame;
	int				 nframe;
	const struct target_delivery	*deliv;
	int				 ndeliv;
	int				 outcome;	/* SCN_CONN_*, -1: none */
	const char			*states;	/* pfctl -ss text, NULL: not fetched */
	/* the pfctl views the step reads (verify_views), NULL: not fetched */
	const struct target_pfctl	*view[VERIFY_VIEWS];
	/* the probe's last pfctl step, NULL: none (expect load error) */
	const struct target_pfctl	*last_pfctl;
	/* the scenario's `$NAME` variables on this target: an expectation that holds
	 * binds the ones it met first (NULL: none kept) */
	struct pkt_vars			*vars;
};

/* 1 when the step holds; 0 with the reasons added to d as `file:line: ...`
 * (the scenario's path and the step's line), field by field where packets differ. */
int	verify_step(const struct scn *, const struct scn_probe *, const struct scn_step *,
	    const struct verify_obs *, struct diag *d);

/* 1 when the step needs the state table. */
int	verify_needs_states(const struct scn_step *);
/* The pfctl commands whose output the step reads, as argv arrays (argv[0] "pfctl",
 * NULL-terminated) in av; how many (0: none). */
int	verify_views(const struct scn_step *, const char *av[VERIFY_VIEWS][VERIFY_ARGS]);

#endif
