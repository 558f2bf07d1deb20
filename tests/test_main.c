/* test_main.c: the CUnit runner for every module's suite (tests/<module>_test.c): the
 * common ones below, then the platform's (tests/suites_<os>.c); all of them, those of
 * a name prefix, one suite or one test, closed by one line `unit: N passed, N failed,
 * N skipped`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "tests.h"
#include "tutil.h"

static int (*const suites[])(void) = {
	diag_test_register,
	cksum_test_register,
	pkt_test_register,
	pkt_field_test_register,
	pkt_tcpdump_test_register,
	pkt_var_test_register,
	scn_test_register,
	scn_world_test_register,
	admin_test_register,
	admin_world_test_register,
	client_test_register,
	sink_maker_test_register,
	hoststack_test_register,
	wire_pcap_test_register,
	target_model_test_register,
	pfctl_out_test_register,
	target_freebsd_test_register,
	target_freebsd_ctl_test_register,
	target_freebsd_world_test_register,
	bench_freebsd_test_register,
	pfm_eval_test_register,
	pfm_opts_test_register,
	pfm_fb15_test_register,
	pfm_afto_test_register,
	pfm_optimize_test_register,
	pfm_frag_test_register,
	pfm_act_test_register,
	pfm_state_test_register,
	pfm_synproxy_test_register,
	pfm_parse_test_register,
	pfm_parse15_test_register,
	pfm_anchor_test_register,
	pfm_eth_test_register,
	pfm_src_test_register,
	pfm_src15_test_register,
	pfm_nat_review_test_register,
	pfm_eval_review_test_register,
	pfm_tcp_review_test_register,
	pfm_show_review_test_register,
	pfm_hostile_test_register,
	pfm_ctl_test_register,
	pfm_tstats_test_register,
	probe_test_register,
};

static void
usage(void)
{
	fprintf(stderr, "usage: unit [-lrv] [-s suite [-t test] | -p prefix ...]\n"
	    "  -l        list the suites and their tests, run nothing\n"
	    "  -p prefix run the suites whose names start with prefix (repeatable)\n"
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

#define PREFIX_MAX	16

/* Only the suites whose names start with one of the n prefixes stay active; how many
 * tests they hold, 0 when a prefix names no suite. */
static unsigned int
select_suites(char **prefix, int n)
{
	CU_pSuite s;
	unsigned int tests = 0;
	int i, used[PREFIX_MAX] = { 0 };

	for (s = CU_get_registry()->pSuite; s != NULL; s = s->pNext) {
		for (i = 0; i < n; i++)
			if (strncmp(s->pName, prefix[i], strlen(prefix[i])) == 0)
				break;
		if (i < n) {
			used[i] = 1;
			tests += s->uiNumberOfTests;
		}
		CU_set_suite_active(s, i < n ? CU_TRUE : CU_FALSE);
	}
	for (i = 0; i < n; i++)
		if (!used[i]) {
			fprintf(stderr, "unit: no suite named %s... (unit -l lists them)\n",
			    prefix[i]);
			return (0);
		}
	return (tests);
}

/* Run what was asked for; how many tests that is (0: nothing by that name). */
static unsigned int
run(const char *sname, const char *tname, char **prefix, int nprefix)
{
	CU_pSuite s = NULL;
	CU_pTest t = NULL;
	unsigned int n;

	if (nprefix > 0) {
		if ((n = select_suites(prefix, nprefix)) > 0) {
			CU_basic_run_tests();
			tut_skips_print(stdout, NULL, NULL);
		}
		return (n);
	}
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
	char *prefix[PREFIX_MAX];
	unsigned int n, failed, passed, skipped, lost;
	int ch, lflag = 0, rflag = 0, vflag = 0, nprefix = 0;

	while ((ch = getopt(argc, argv, "lp:rs:t:v")) != -1)
		switch (ch) {
		case 'l':
			lflag = 1;
			break;
		case 'p':
			if (nprefix == PREFIX_MAX) {
				usage();
				return (2);
			}
			prefix[nprefix++] = optarg;
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
	if (optind != argc || (tname != NULL && sname == NULL) ||
	    (nprefix > 0 && sname != NULL)) {
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
	if ((n = run(sname, tname, prefix, nprefix)) == 0) {
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
