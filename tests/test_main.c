/* test_main.c: the CUnit runner for every module's suite (tests/<module>_test.c): the
 * common ones below, then the platform's (tests/suites_<os>.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "tests.h"

static int (*const suites[])(void) = {
	diag_test_register,
	cksum_test_register,
	pkt_test_register,
	scn_test_register,
	client_test_register,
	hoststack_test_register,
	wire_pcap_test_register,
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
};

int
main(int argc, char **argv)
{
	unsigned int failed;
	size_t i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return (2);
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (suites[i]() != 0) {
			fprintf(stderr, "unit: cannot register suite %zu: %s\n", i,
			    CU_get_error_msg());
			CU_cleanup_registry();
			return (2);
		}
	for (i = 0; tests_platform_suites[i] != NULL; i++)
		if (tests_platform_suites[i]() != 0) {
			fprintf(stderr, "unit: cannot register platform suite %zu: %s\n", i,
			    CU_get_error_msg());
			CU_cleanup_registry();
			return (2);
		}
	CU_basic_set_mode(argc > 1 && strcmp(argv[1], "-v") == 0 ?
	    CU_BRM_VERBOSE : CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return (failed ? 1 : 0);
}
