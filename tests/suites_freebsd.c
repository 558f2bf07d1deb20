/* suites_freebsd.c: the CUnit suites that exist only on FreeBSD; mk/FreeBSD.mk links this
 * list into build/san/bin/unit: the BPF generator's count (gen_freebsd_test.c). The freebsd
 * target's suite (target_freebsd_test.c) and the FreeBSD bench's (bench_freebsd_test.c)
 * run on every platform, against the fakes of tests/fake and tests/tfb_fakeio.c, so
 * test_main.c registers them. */
#include <stddef.h>

#include "tests.h"

int (*const tests_platform_suites[])(void) = {
	gen_freebsd_test_register,
	NULL
};
