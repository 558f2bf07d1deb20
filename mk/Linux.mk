# Linux: the linux target (namespaces, NFQUEUE) and the freebsd target's code, which is
# tested here against recorded command plans.
PLATFORM_SRCS = \
	harness/netns.c \
	harness/nfq.c \
	harness/nfq_out.c \
	harness/sink_linux.c \
	harness/wire_netns_linux.c \
	harness/target_linux.c \
	harness/target_linux_settle.c \
	harness/target_freebsd.c \
	harness/target_freebsd_cmd.c \
	harness/target_freebsd_probe.c
PLATFORM_CFLAGS =
PLATFORM_LIBS = -lnetfilter_queue -lnfnetlink
TARGETS_SRC = harness/targets_linux.c
# The bench's workloads: AF_PACKET generator and receivers, namespaces, the hook.
PLATFORM_BENCH_SRCS = \
	bench/gen.c \
	bench/recv.c \
	bench/bench_net.c \
	bench/bench_pf.c \
	bench/work.c
# tests/unit: the suites that need Linux (namespaces, NFQUEUE, the bench's generator).
TEST_PLATFORM_SRCS = \
	tests/suites_linux.c \
	tests/wire_test.c \
	tests/target_linux_test.c \
	tests/bench_stats_test.c \
	tests/target_freebsd_wire_test.c \
	${BENCH_SRCS}
