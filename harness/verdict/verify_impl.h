/* verify_impl.h: what verify.c, verify_book.c and verify_view.c share. */
#ifndef VERIFY_IMPL_H
#define VERIFY_IMPL_H

#include "verify.h"

/* verify_book.c: the bookkeeping expectations; 1 holds, 0 with the reasons in d. */
int	verify_book(const struct scn *, const struct scn_step *, const struct verify_obs *,
	    struct diag *d);

/* verify_view.c */
/* The argv of an `expect pfctl` view into av; how many views (1). */
int	verify_view_args(const struct scn_step *, const char **av);
int	verify_view(const struct scn *, const struct scn_step *, const struct verify_obs *,
	    struct diag *d);
int	verify_rule(const struct scn *, const struct scn_step *, const struct verify_obs *,
	    struct diag *d);
int	verify_load_error(const struct scn *, const struct scn_step *,
	    const struct verify_obs *, struct diag *d);

#endif
