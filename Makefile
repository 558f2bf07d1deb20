# pfharness: build, run the scenarios, test, benchmark.
# Portable: GNU make and FreeBSD make (no pattern rules, no ifeq/.if).
# Everything is compiled from sources in one cc call per program: the tree is small,
# and it lets the sanitizer test build share no objects with the release build.

CC	?= cc
CFLAGS	?= -O2 -g
WARN	 = -Wall -Wextra -Werror -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE
SAN	 = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

OS	!= uname -s
include mk/${OS}.mk
include mk/vm.mk

# The pf model: no I/O but the files a ruleset names, no external library.
MODEL_SRCS = \
	harness/diag.c \
	harness/pfm_lex.c \
	harness/pfm_parse.c \
	harness/pfm_parse_opt.c \
	harness/pfm_parse_table.c \
	harness/pfm_parse_filter.c \
	harness/pfm_parse_pool.c \
	harness/pfm_parse_rule.c \
	harness/pfm_parse_state.c \
	harness/pfm_parse_nat.c \
	harness/pfm_parse_anchor.c \
	harness/pfm_parse_altq.c \
	harness/pfm_parse_addr.c \
	harness/pfm_addr.c \
	harness/pfm_frag.c \
	harness/pfm_expand.c \
	harness/pfm_services.c \
	harness/pfm_svcdata.c \
	harness/pfm_print.c \
	harness/pfm_pkt.c \
	harness/pfm_state.c \
	harness/pfm_tcp.c \
	harness/pfm_nat.c \
	harness/pfm_load.c \
	harness/pfm_eval.c \
	harness/pfm_match.c \
	harness/pfm_anchor.c \
	harness/pfm_batch.c \
	harness/pfm_reply.c \
	harness/pfm_synproxy.c \
	harness/pfm_show.c \
	harness/pfm_src.c

# The harness around it.
HARNESS_SRCS = \
	harness/client.c \
	harness/hoststack.c \
	harness/pcapfile.c \
	harness/target_model.c \
	harness/pfctl_out.c \
	harness/pkt_text.c \
	harness/pkt_format.c \
	harness/pkt_match.c \
	harness/pkt_decode.c \
	harness/pkt_build.c \
	harness/scn_parse.c \
	harness/scn_addr.c \
	harness/scn_step.c \
	harness/wire.c \
	harness/sink.c \
	harness/obs.c \
	harness/target_wire.c \
	harness/verify.c \
	harness/report.c

MAIN_SRCS = \
	harness/main.c \
	harness/run.c \
	harness/run_files.c \
	${TARGETS_SRC} \
	harness/cmd_parse.c \
	harness/cmd_bench.c \
	harness/cmd_trace.c

# The benchmark (make bench): statistics, CSV, compare; the platform's generator,
# receivers and workloads come from mk/${OS}.mk (PLATFORM_BENCH_SRCS).
BENCH_SRCS = \
	bench/stats.c \
	bench/csv.c \
	bench/compare.c \
	bench/work_def.c \
	bench/work_pts.c \
	bench/gen_tmpl.c \
	bench/recv_match.c \
	${PLATFORM_BENCH_SRCS}

HDRS	 = harness/*.h
LIBS	 = -lnet -lpcap -lpthread ${PLATFORM_LIBS}
TEST_LIBS = -lcunit

TEST_SRCS = \
	tests/test_main.c \
	tests/diag_test.c \
	tests/pkt_test.c \
	tests/scn_test.c \
	tests/client_test.c \
	tests/hoststack_test.c \
	tests/pcapfile_test.c \
	tests/target_model_test.c \
	tests/pfctl_out_test.c \
	tests/target_freebsd_test.c \
	tests/tfb_fakeio.c \
	tests/fake_tutil.c \
	tests/bench_freebsd_test.c \
	bench/bench_world_freebsd.c \
	bench/bench_run_freebsd.c \
	tests/pfm_parse_test.c \
	tests/pfm_anchor_test.c \
	tests/pfm_tutil.c \
	tests/pfm_eval_test.c \
	tests/pfm_opts_test.c \
	tests/pfm_frag_test.c \
	tests/pfm_state_test.c \
	tests/pfm_synproxy_test.c \
	tests/pfm_src_test.c \
	tests/pfm_nat_review_test.c \
	tests/pfm_eval_review_test.c \
	tests/pfm_tcp_review_test.c \
	tests/pfm_show_review_test.c

SCENARIOS = scenarios

all: pfharness

pfharness: ${MODEL_SRCS} ${HARNESS_SRCS} ${PLATFORM_SRCS} ${MAIN_SRCS} ${BENCH_SRCS} ${HDRS}
	${CC} ${CFLAGS} ${WARN} ${PLATFORM_CFLAGS} -Iharness -o pfharness ${MODEL_SRCS} ${HARNESS_SRCS} \
	    ${PLATFORM_SRCS} ${MAIN_SRCS} ${BENCH_SRCS} ${LIBS} -lm

# Unit tests, under AddressSanitizer and UBSan.
# TEST_PLATFORM_SRCS (mk/<OS>.mk): the platform's suites and their list, suites_<os>.c.
tests/unit: ${MODEL_SRCS} ${HARNESS_SRCS} ${PLATFORM_SRCS} ${TEST_SRCS} ${TEST_PLATFORM_SRCS} ${HDRS}
	${CC} ${SAN} ${WARN} ${PLATFORM_CFLAGS} -Iharness -o tests/unit ${MODEL_SRCS} ${HARNESS_SRCS} \
	    ${PLATFORM_SRCS} ${TEST_SRCS} ${TEST_PLATFORM_SRCS} ${LIBS} ${TEST_LIBS} -lm

deps:
	@sh tools/deps.sh

run: deps pfharness
	./pfharness run ${SCENARIOS}

test: deps pfharness tests/unit
	@sh tests/run.sh

# make bench: quick (under 3 minutes); make bench FULL=1: every size, 5 runs.
# Compared with results/baseline-<target>.csv when it exists (exit 1: regression).
BENCH_TARGET ?= linux
bench: pfharness
	@mode=--quick; [ -z "${FULL}" ] || mode=--full; \
	./pfharness bench $$mode --target ${BENCH_TARGET} \
	    --baseline results/baseline-${BENCH_TARGET}.csv; rc=$$?; \
	[ $$rc -eq 2 ] || sh bench/plot.sh results/bench-latest.csv results/plots; \
	exit $$rc

CORPUS	?= ../shared/conformance/pfctl
conformance: pfharness
	@sh tests/conformance.sh ${CORPUS}

# The bundled services list (port names as pfctl prints them), made from the data file.
harness/pfm_svcdata.c: harness/freebsd-services tools/services2c.sh
	sh tools/services2c.sh harness/freebsd-services > harness/pfm_svcdata.c

# The pf model's micro-benchmark (no I/O, one core): make bench-model.
bench/model: bench/model.c ${MODEL_SRCS} ${HDRS}
	${CC} ${CFLAGS} ${WARN} -Iharness -o bench/model bench/model.c ${MODEL_SRCS} -lm

bench-model: bench/model
	./bench/model

# The runner's own speed on linux (root): seed scenario wall time, probe latency, scapy.
bench-runner: pfharness
	@sh bench/runner.sh

.PHONY: bench-runner

clean:
	rm -f pfharness tests/unit bench/model harness/pfm_svcdata.c
	rm -rf results/run-* results/latest

.PHONY: all deps run test conformance clean bench bench-model
