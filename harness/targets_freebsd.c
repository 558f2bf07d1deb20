/* targets_freebsd.c: the targets a FreeBSD build offers, and the default among them. */
#include <string.h>
#include <unistd.h>

#include "target.h"

static const struct target_ops *const all[] = {
	&target_freebsd_ops, &target_model_ops,
};

const struct target_ops *
target_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, name) == 0)
			return (all[i]);
	return (NULL);
}

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
