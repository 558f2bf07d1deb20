/* tests.h: every CUnit suite's registration function; test_main.c calls them all. */
#ifndef TESTS_H
#define TESTS_H

/* Each returns 0, or -1 when CUnit could not register the suite. */
int	diag_test_register(void);
int	pkt_test_register(void);
int	scn_test_register(void);
int	wire_test_register(void);
int	client_test_register(void);
int	hoststack_test_register(void);
int	pcapfile_test_register(void);
int	target_model_test_register(void);
int	pfctl_out_test_register(void);
int	target_freebsd_test_register(void);
int	target_linux_test_register(void);
int	bench_stats_test_register(void);
int	pfm_eval_test_register(void);
int	pfm_state_test_register(void);
int	pfm_parse_test_register(void);

#endif
