/* target_pfctl.c: what the targets share about pfctl runs: their results. */
#include <stdlib.h>

#include "target.h"

void
target_pfctl_free(struct target_pfctl *r)
{
	if (r == NULL)
		return;
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}
