/* gen_freebsd_test.c: the FreeBSD generator's count of what it sent (bench/
 * gen_freebsd.c): an epair drops a full queue's frame silently (write(2) succeeds,
 * the interface's output drops grow), so sent is the frames written less those drops.
 * FreeBSD selection only (mk/FreeBSD.mk; vagrant/check-freebsd-build.sh runs it on
 * Linux); reading the counter itself needs FreeBSD and an epair. */
#include <stdint.h>

#include <CUnit/CUnit.h>

#include "bench/gen_freebsd.h"
#include "tests.h"

static void
test_carried(void)
{
	CU_ASSERT_EQUAL(gen_fbsd_carried(1000, 0, 0), 1000);
	/* 300 of 1000 writes dropped by the full queue: 700 sent, not 1000 */
	CU_ASSERT_EQUAL(gen_fbsd_carried(1000, 52, 352), 700);
	/* drops by another writer on the same interface cannot make sent negative */
	CU_ASSERT_EQUAL(gen_fbsd_carried(10, 0, 25), 0);
	/* a counter reset (interface recreated) counts no drop */
	CU_ASSERT_EQUAL(gen_fbsd_carried(10, 40, 3), 10);
}

int
gen_freebsd_test_register(void)
{
	CU_pSuite s = CU_add_suite("gen_freebsd", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "sent: written less the epair's drops", test_carried) == NULL)
		return (-1);
	return (0);
}
