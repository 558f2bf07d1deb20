/* targets_linux.c: the targets a Linux build offers, and the default among them. */
#include <string.h>
#include <unistd.h>

#include "target.h"

static const struct target_ops *const all[] = {
	&target_linux_ops, &target_model_ops, &target_freebsd_ops,
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
		return ("linux");
	}
	*why = "not root: the linux target needs network namespaces, using the model target";
	return ("model");
}
