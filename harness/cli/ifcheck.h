/* ifcheck.h: warn about interfaces a ruleset names that were not declared (ifcheck.c). */
#ifndef IFCHECK_H
#define IFCHECK_H

#include <stdio.h>

#include "pf/pfm_rule.h"

/* Write to out one warning per interface name the ruleset uses (on IF, (IF), set skip,
 * route-to) that is neither an interface nor a group of the host h, as
 * `PROG: FILE:LINE: warning: ...` naming the --if option that declares it. Returns
 * the number of names warned about. */
int	ifcheck_ruleset(const struct pfm_ruleset *rs, const struct pfm_host *h,
	    const char *prog, const char *file, FILE *out);

/* The names ifcheck_ruleset would warn about, into names (at most max); how many. */
int	ifcheck_missing(const struct pfm_ruleset *rs, const struct pfm_host *h,
	    char (*names)[PFM_IFNAMSIZ], int max);

#endif
