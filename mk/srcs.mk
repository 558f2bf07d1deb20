# srcs.mk: every source file, by folder, one per line (harness/README.md says what each
# folder is). Platform files are listed in mk/Linux.mk and mk/FreeBSD.mk.

# Diagnostics, the bounded file reader and the Internet checksum: libc only (libbase.a).
BASE_SRCS = \
	harness/base/diag.c \
	harness/base/rdfile.c \
	harness/base/cksum.c

# The pf model (libpfm.a): conf/ reads and prints pf.conf, eval/ runs packets.
PF_SRCS = \
	harness/pf/conf/pfm_buf.c \
	harness/pf/conf/pfm_pctx.c \
	harness/pf/conf/pfm_lex.c \
	harness/pf/conf/pfm_tok.c \
	harness/pf/conf/pfm_host.c \
	harness/pf/conf/pfm_ruleset.c \
	harness/pf/conf/pfm_parse.c \
	harness/pf/conf/pfm_parse_opt.c \
	harness/pf/conf/pfm_parse_table.c \
	harness/pf/conf/pfm_parse_filter.c \
	harness/pf/conf/pfm_parse_pool.c \
	harness/pf/conf/pfm_parse_item.c \
	harness/pf/conf/pfm_parse_filteropt.c \
	harness/pf/conf/pfm_parse_fb15.c \
	harness/pf/conf/pfm_parse_scrub.c \
	harness/pf/conf/pfm_parse_state.c \
	harness/pf/conf/pfm_parse_nat.c \
	harness/pf/conf/pfm_parse_anchor.c \
	harness/pf/conf/pfm_parse_ether.c \
	harness/pf/conf/pfm_parse_altq.c \
	harness/pf/conf/pfm_parse_addr.c \
	harness/pf/conf/pfm_addr.c \
	harness/pf/conf/pfm_expand.c \
	harness/pf/conf/pfm_services.c \
	harness/pf/conf/pfm_print.c \
	harness/pf/conf/pfm_print_eth.c \
	harness/pf/conf/pfm_print_ruleset.c \
	harness/pf/conf/pfm_opt_rule.c \
	harness/pf/conf/pfm_opt_skip.c \
	harness/pf/conf/pfm_optimize.c \
	harness/pf/eval/pfm_core.c \
	harness/pf/eval/pfm_frag.c \
	harness/pf/eval/pfm_pkt.c \
	harness/pf/eval/pfm_state.c \
	harness/pf/eval/pfm_tcp.c \
	harness/pf/eval/pfm_afto.c \
	harness/pf/eval/pfm_hit.c \
	harness/pf/eval/pfm_count15.c \
	harness/pf/eval/pfm_afto_icmp.c \
	harness/pf/eval/pfm_fb15.c \
	harness/pf/eval/pfm_nat.c \
	harness/pf/eval/pfm_compile.c \
	harness/pf/eval/pfm_load.c \
	harness/pf/eval/pfm_keep.c \
	harness/pf/eval/pfm_rt.c \
	harness/pf/eval/pfm_rt_kill.c \
	harness/pf/eval/pfm_tstats.c \
	harness/pf/eval/pfm_life.c \
	harness/pf/eval/pfm_eval.c \
	harness/pf/eval/pfm_match.c \
	harness/pf/eval/pfm_anchor.c \
	harness/pf/eval/pfm_eth.c \
	harness/pf/eval/pfm_batch.c \
	harness/pf/eval/pfm_reply.c \
	harness/pf/eval/pfm_synproxy.c \
	harness/pf/eval/pfm_syncookie.c \
	harness/pf/eval/pfm_udpmap.c \
	harness/pf/eval/pfm_show.c \
	harness/pf/eval/pfm_show_rules.c \
	harness/pf/eval/pfm_src.c \
	harness/pf/eval/pfm_src15.c \
	harness/pf/ctl/pfm_ctl_util.c \
	harness/pf/ctl/pfm_ctl.c \
	harness/pf/ctl/pfm_ctl_show.c \
	harness/pf/ctl/pfm_ctl_table.c \
	harness/pf/ctl/pfm_ctl_kill.c

# Everything between a scenario file and a verdict, but the command line.
HARNESS_SRCS = \
	harness/admin/adm_msg.c \
	harness/admin/adm_base.c \
	harness/admin/adm_sh.c \
	harness/admin/adm_ifargs.c \
	harness/admin/adm_rc.c \
	harness/admin/adm_jlex.c \
	harness/admin/adm_jconf.c \
	harness/admin/adm_jail.c \
	harness/admin/adm_read.c \
	harness/admin/adm_world.c \
	harness/admin/adm_place.c \
	harness/admin/adm_scn.c \
	harness/admin/adm_origin.c \
	harness/pkt/pkt_name.c \
	harness/pkt/pkt_opt.c \
	harness/pkt/pkt_field.c \
	harness/pkt/pkt_td.c \
	harness/pkt/pkt_tcpdump_icmp.c \
	harness/pkt/pkt_tcpdump.c \
	harness/pkt/pkt_text.c \
	harness/pkt/pkt_format.c \
	harness/pkt/pkt_match.c \
	harness/pkt/pkt_var.c \
	harness/pkt/pkt_decode.c \
	harness/pkt/pkt_build.c \
	harness/scn/scn_text.c \
	harness/scn/scn_parse.c \
	harness/scn/scn_addr.c \
	harness/scn/scn_step.c \
	harness/scn/scn_ctl.c \
	harness/scn/scn_word.c \
	harness/scn/scn_world.c \
	harness/scn/scn_wcheck.c \
	harness/scn/scn_wstep.c \
	harness/scn/scn_world_admin.c \
	harness/wire/wire.c \
	harness/wire/wire_pcap.c \
	harness/wire/wire_read.c \
	harness/pfctl/pfctl_out.c \
	harness/pfctl/pfctl_views.c \
	harness/target/client.c \
	harness/target/sink.c \
	harness/target/sink_child.c \
	harness/target/sink_icmp.c \
	harness/target/sink_maker.c \
	harness/target/obs.c \
	harness/target/target_wire.c \
	harness/target/pfhost.c \
	harness/target/pfmctl.c \
	harness/target/target_pfctl.c \
	harness/target/model/hoststack.c \
	harness/target/model/hoststack_reass.c \
	harness/target/model/target_model.c \
	harness/target/model/target_model_path.c \
	harness/verdict/verify.c \
	harness/verdict/verify_book.c \
	harness/verdict/verify_view.c \
	harness/verdict/report.c \
	harness/verdict/report_junit.c \
	harness/probe/probe_set.c \
	harness/probe/probe_rule.c \
	harness/probe/probe_flat.c \
	harness/probe/probe_gen.c \
	harness/probe/probe_vant.c \
	harness/probe/probe_find.c \
	harness/probe/probe_eval.c \
	harness/probe/probe_world.c \
	harness/probe/probe_wire.c \
	harness/probe/probe_write.c

# The command line: pfharness run, list, parse, trace, bench, probes, diff, world,
# check.
CLI_SRCS = \
	harness/cli/main.c \
	harness/cli/run.c \
	harness/cli/run_probe.c \
	harness/cli/run_opts.c \
	harness/cli/datadir.c \
	harness/cli/run_files.c \
	harness/cli/run_cover.c \
	harness/cli/cmd_parse.c \
	harness/cli/cmd_bench.c \
	harness/cli/cmd_trace.c \
	harness/cli/ifcheck.c \
	harness/cli/cmd_probes.c \
	harness/cli/cmd_diff.c \
	harness/cli/cmd_world.c \
	harness/cli/cmd_check.c \
	harness/cli/worldopt.c

# The benchmark (make bench): statistics, CSV, compare; the platform's generator,
# receivers and workloads are PLATFORM_BENCH_SRCS.
BENCH_SRCS = \
	bench/stats.c \
	bench/csv.c \
	bench/compare.c \
	bench/paired.c \
	bench/pairs.c \
	bench/work_def.c \
	bench/work_pts.c \
	bench/gen.c \
	bench/gen_tmpl.c \
	bench/recv_match.c

# The unit tests (CUnit, under ASan and UBSan); the platform's suites are
# TEST_PLATFORM_SRCS.
TEST_SRCS = \
	tests/test_main.c \
	tests/tutil.c \
	tests/diag_test.c \
	tests/cksum_test.c \
	tests/pkt_test.c \
	tests/pkt_field_test.c \
	tests/pkt_tcpdump_test.c \
	tests/pkt_var_test.c \
	tests/scn_test.c \
	tests/scn_world_test.c \
	tests/admin_tutil.c \
	tests/admin_test.c \
	tests/admin_world_test.c \
	tests/client_test.c \
	tests/sink_maker_test.c \
	tests/hoststack_test.c \
	tests/wire_pcap_test.c \
	tests/target_model_test.c \
	tests/pfctl_out_test.c \
	tests/target_freebsd_test.c \
	tests/target_freebsd_ctl_test.c \
	tests/target_freebsd_world_test.c \
	tests/tfb_fakeio.c \
	tests/fake_tutil.c \
	tests/bench_freebsd_test.c \
	bench/bench_world_freebsd.c \
	bench/bench_run_freebsd.c \
	tests/pfm_parse_test.c \
	tests/pfm_parse15_test.c \
	tests/pfm_anchor_test.c \
	tests/pfm_eth_test.c \
	tests/pfm_tutil.c \
	tests/pfm_eval_test.c \
	tests/pfm_opts_test.c \
	tests/pfm_fb15_test.c \
	tests/pfm_afto_test.c \
	tests/pfm_optimize_test.c \
	tests/pfm_frag_test.c \
	tests/pfm_act_test.c \
	tests/pfm_state_test.c \
	tests/pfm_synproxy_test.c \
	tests/pfm_src_test.c \
	tests/pfm_src15_test.c \
	tests/pfm_nat_review_test.c \
	tests/pfm_eval_review_test.c \
	tests/pfm_tcp_review_test.c \
	tests/pfm_show_review_test.c \
	tests/pfm_ctl_test.c \
	tests/pfm_tstats_test.c \
	tests/pfm_hostile_test.c \
	tests/probe_test.c
