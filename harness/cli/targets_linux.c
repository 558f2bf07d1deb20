/* targets_linux.c: the targets a Linux build offers, and the default among them. */
#include <stddef.h>
#include <unistd.h>

#include "targets.h"

const struct target_ops *const target_all[] = {
	&target_linux_ops, &target_model_ops, &target_freebsd_ops, NULL
};

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
