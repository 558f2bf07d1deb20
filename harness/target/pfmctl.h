/* pfmctl.h: a scenario's pfctl step run on the pf model (the model and linux targets):
 * pfctl's output captured, its messages placed at the scenario's lines. */
#ifndef TARGET_PFMCTL_H
#define TARGET_PFMCTL_H

#include <stdint.h>

#include "base/diag.h"
#include "pf/pfm.h"
#include "scn/scn.h"
#include "target.h"

/* Run pfctl's argv (and input for `-f -`) on pf at now_ms, as the pfctl of the
 * scenario's release (s->freebsd); files it names resolve from the folder of the
 * scenario (s->path NULL: the current one); services as for loads. 0 with r filled,
 * or -1 with d when memory ran out. */
int	pfmctl_run(struct pfm *pf, const struct scn_pfctl *c, const struct scn *s,
	    const char *services, uint64_t now_ms, struct target_pfctl *r, struct diag *d);

#endif
