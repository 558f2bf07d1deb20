/* diag_test.c: diagnostics accumulate as `file:line: message` lines. */
#include <string.h>

#include <CUnit/CUnit.h>

#include "base/diag.h"
#include "tests.h"

static void
test_prefix(void)
{
	struct diag d = { 0 };

	diag_add(&d, "a.scn", 12, "unknown jail \"%s\"", "bob");
	diag_add(&d, "a.scn", 0, "cannot open");
	diag_add(&d, NULL, 0, "plain");
	CU_ASSERT_STRING_EQUAL(diag_text(&d),
	    "a.scn:12: unknown jail \"bob\"\na.scn: cannot open\nplain\n");
	CU_ASSERT_EQUAL(d.count, 3);
	diag_free(&d);
	CU_ASSERT_STRING_EQUAL(diag_text(&d), "");
	diag_free(NULL);
}

static void
test_growth(void)
{
	struct diag d = { 0 };
	int i;

	for (i = 0; i < 1000; i++)
		diag_add(&d, "f", i + 1, "message %d", i);
	CU_ASSERT_EQUAL(d.count, 1000);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_text(&d), "f:1000: message 999\n"));
	diag_free(&d);
}

int
diag_test_register(void)
{
	CU_pSuite s = CU_add_suite("diag", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "file:line prefix", test_prefix) == NULL ||
	    CU_add_test(s, "many messages", test_growth) == NULL)
		return (-1);
	return (0);
}
