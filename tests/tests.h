/* tests.h: every CUnit suite's registration function; test_main.c calls them all. */
#ifndef TESTS_H
#define TESTS_H

/* Each returns 0, or -1 when CUnit could not register the suite. */
int	diag_test_register(void);
int	admin_test_register(void);
int	admin_world_test_register(void);
int	cksum_test_register(void);
int	pkt_test_register(void);
int	pkt_field_test_register(void);
int	pkt_tcpdump_test_register(void);
int	pkt_var_test_register(void);
int	scn_test_register(void);
int	scn_world_test_register(void);
int	wire_test_register(void);
int	client_test_register(void);
int	sink_maker_test_register(void);
int	hoststack_test_register(void);
int	wire_pcap_test_register(void);
int	target_model_test_register(void);
int	pfctl_out_test_register(void);
int	target_freebsd_test_register(void);
int	target_freebsd_ctl_test_register(void);
int	target_freebsd_world_test_register(void);
int	target_linux_test_register(void);
int	bench_stats_test_register(void);
int	pfm_eval_test_register(void);
int	pfm_opts_test_register(void);
int	pfm_fb15_test_register(void);
int	pfm_afto_test_register(void);
int	pfm_optimize_test_register(void);
int	pfm_frag_test_register(void);
int	pfm_act_test_register(void);
int	pfm_state_test_register(void);
int	pfm_synproxy_test_register(void);
int	pfm_parse_test_register(void);
int	pfm_parse15_test_register(void);
int	pfm_anchor_test_register(void);
int	pfm_eth_test_register(void);
int	pfm_src_test_register(void);
int	pfm_src15_test_register(void);
int	pfm_nat_review_test_register(void);
int	pfm_eval_review_test_register(void);
int	pfm_tcp_review_test_register(void);
int	pfm_show_review_test_register(void);
int	pfm_hostile_test_register(void);
int	pfm_ctl_test_register(void);
int	pfm_tstats_test_register(void);
int	probe_test_register(void);
int	target_freebsd_wire_test_register(void);
int	gen_freebsd_test_register(void);	/* FreeBSD only */
int	bench_freebsd_test_register(void);

/* This platform's own suites, NULL-terminated (tests/suites_<os>.c, chosen by mk/<OS>.mk);
 * test_main.c registers them after the common ones. */
extern int (*const tests_platform_suites[])(void);

#endif
