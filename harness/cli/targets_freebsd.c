/* targets_freebsd.c: the targets a FreeBSD build offers, and the default among them. */
#include <stddef.h>
#include <unistd.h>

#include "targets.h"

const struct target_ops *const target_all[] = {
	&target_freebsd_ops, &target_model_ops, NULL
};

const char *
target_default(const char **why)
{
	if (geteuid() == 0) {
		*why = NULL;
		return ("freebsd");
	}
	*why = "not root: the freebsd target loads pf rules, using the model target";
	return ("model");
}
