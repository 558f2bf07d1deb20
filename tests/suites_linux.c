/* suites_linux.c: the CUnit suites that exist only on Linux (namespaces, NFQUEUE, the
 * bench's packet generator); mk/Linux.mk links this list into the unit tests
 * (build/san/bin/unit). */
#include <stddef.h>

#include "tests.h"

int (*const tests_platform_suites[])(void) = {
	wire_test_register,
	target_linux_test_register,
	bench_stats_test_register,
	target_freebsd_wire_test_register,
	NULL
};
