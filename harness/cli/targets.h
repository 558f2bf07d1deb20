/* targets.h: the targets this platform offers (targets_<os>.c). */
#ifndef TARGETS_H
#define TARGETS_H

#include "target/target.h"

/* The targets this platform offers, NULL-terminated. */
extern const struct target_ops *const target_all[];
/* The default target's name here; *why gets a one-line reason when it is not the
 * platform's real one (NULL otherwise). */
const char *target_default(const char **why);

#endif
