/* test_main.c: the CUnit runner for every module's suite (tests/<module>_test.c): the
 * common ones below, then the platform's (tests/suites_<os>.c); all of them, one suite
 * or one test, closed by one line `unit: N passed, N failed, N skipped`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "tests.h"
#include "tutil.h"

static int (*const suites[])(void) = {
	diag_test_register,
	pkt_test_register,
	scn_test_register,
	client_test_register,
	hoststack_test_register,
	pcapfile_test_register,
	target_model_test_register,
	pfctl_out_test_register,
	target_freebsd_test_register,
	bench_freebsd_test_register,
	pfm_eval_test_register,
	pfm_opts_test_register,
	pfm_frag_test_register,
	pfm_state_test_register,
	pfm_synproxy_test_register,
	pfm_parse_test_register,
	pfm_anchor_test_register,
	pfm_src_test_register,
	pfm_nat_review_test_register,
	pfm_eval_review_test_register,
	pfm_tcp_review_test_register,
	pfm_show_review_test_register,
	pfm_hostile_test_register,
};

static void
usage(void)
{
	fprintf(stderr, "usage: unit [-lrv] [-s suite [-t test]]\n"
	    "  -l        list the suites and their tests, run nothing\n"
	    "  -r        run the suites in the reverse order\n"
	    "  -s suite  run this suite only (names as -l prints them)\n"
	    "  -t test   run this test of the suite only\n"
	    "  -v        CUnit's verbose output: one line per test\n");
}

/* Every suite in the registry, in order or reversed (a test that needs another to run
 * first shows). 0 or -1. */
static int
register_all(int reverse)
{
	size_t nc = sizeof(suites) / sizeof(suites[0]), np, i, k;
	int (*fn)(void);

	for (np = 0; tests_platform_suites[np] != NULL; np++)
		;
	for (i = 0; i < nc + np; i++) {
		k = reverse ? nc + np - 1 - i : i;
		fn = k < nc ? suites[k] : tests_platform_suites[k - nc];
		if (fn() != 0) {
			fprintf(stderr, "unit: cannot register suite %zu: %s\n", k,
			    CU_get_error_msg());
			return (-1);
		}
	}
	return (0);
}

static void
list(void)
{
	CU_pSuite s;
	CU_pTest t;

	for (s = CU_get_registry()->pSuite; s != NULL; s = s->pNext)
		for (t = s->pTest; t != NULL; t = t->pNext)
			printf("%s\t%s\n", s->pName, t->pName);
}

/* Run what was asked for; how many tests that is (0: nothing by that name). */
static unsigned int
run(const char *sname, const char *tname)
{
	CU_pSuite s = NULL;
	CU_pTest t = NULL;

	if (sname == NULL) {
		CU_basic_run_tests();
		tut_skips_print(stdout, NULL, NULL);
		return (CU_get_registry()->uiNumberOfTests);
	}
	if ((s = CU_get_suite(sname)) == NULL) {
		fprintf(stderr, "unit: no suite \"%s\" (unit -l lists them)\n", sname);
		return (0);
	}
	if (tname != NULL && (t = CU_get_test(s, tname)) == NULL) {
		fprintf(stderr, "unit: no test \"%s\" in suite %s (unit -l lists them)\n",
		    tname, sname);
		return (0);
	}
	if (t != NULL)
		CU_basic_run_test(s, t);
	else
		CU_basic_run_suite(s);
	tut_skips_print(stdout, s, t);
	return (t != NULL ? 1 : s->uiNumberOfTests);
}

int
main(int argc, char **argv)
{
	const char *sname = NULL, *tname = NULL;
	unsigned int n, failed, passed, skipped, lost;
	int ch, lflag = 0, rflag = 0, vflag = 0;

	while ((ch = getopt(argc, argv, "lrs:t:v")) != -1)
		switch (ch) {
		case 'l':
			lflag = 1;
			break;
		case 'r':
			rflag = 1;
			break;
		case 's':
			sname = optarg;
			break;
		case 't':
			tname = optarg;
			break;
		case 'v':
			vflag = 1;
			break;
		default:
			usage();
			return (2);
		}
	if (optind != argc || (tname != NULL && sname == NULL)) {
		usage();
		return (2);
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return (2);
	if (register_all(rflag) == -1) {
		CU_cleanup_registry();
		return (2);
	}
	if (lflag) {
		list();
		CU_cleanup_registry();
		return (0);
	}
	/* an inactive test is a skipped one, not a failure (the reason comes after the run) */
	CU_set_fail_on_inactive(CU_FALSE);
	CU_basic_set_mode(vflag ? CU_BRM_VERBOSE : CU_BRM_NORMAL);
	if ((n = run(sname, tname)) == 0) {
		CU_cleanup_registry();
		return (2);
	}
	skipped = CU_get_number_of_tests_inactive();
	failed = CU_get_number_of_tests_failed();
	passed = CU_get_number_of_tests_run() - failed;
	/* the tests of a suite whose initialization failed neither ran nor were skipped */
	lost = n - CU_get_number_of_tests_run() - skipped;
	printf("unit: %u passed, %u failed, %u skipped\n", passed, failed + lost, skipped);
	failed += lost + CU_get_number_of_failures();
	CU_cleanup_registry();
	return (failed ? 1 : 0);
}
