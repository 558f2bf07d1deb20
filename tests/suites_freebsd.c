/* suites_freebsd.c: the CUnit suites that exist only on FreeBSD; mk/FreeBSD.mk links this
 * list into the unit tests (build/san/bin/unit). None yet: the freebsd target's suite
 * (target_freebsd_test.c) and the FreeBSD bench's (bench_freebsd_test.c) run on every
 * platform, against the fakes of tests/fake and tests/tfb_fakeio.c, so test_main.c
 * registers them. */
#include <stddef.h>

#include "tests.h"

int (*const tests_platform_suites[])(void) = {
	NULL
};
