# Linux: the linux target (namespaces, NFQUEUE) and the freebsd target's code, which is
# tested here against recorded command plans.
PLATFORM_SRCS = \
	harness/wire/wire_netns_linux.c \
	harness/target/sink_linux.c \
	harness/target/linux/netns.c \
	harness/target/linux/netns_world.c \
	harness/target/linux/nfq.c \
	harness/target/linux/nfq_out.c \
	harness/target/linux/target_linux.c \
	harness/target/linux/target_linux_settle.c \
	harness/target/linux/target_linux_ctl.c \
	harness/target/freebsd/target_freebsd.c \
	harness/target/freebsd/target_freebsd_cmd.c \
	harness/target/freebsd/target_freebsd_host.c \
	harness/target/freebsd/target_freebsd_ctl.c \
	harness/target/freebsd/target_freebsd_probe.c \
	harness/target/freebsd/target_freebsd_world.c
PLATFORM_CFLAGS =
PLATFORM_LIBS = -lnetfilter_queue -lnfnetlink
TARGETS_SRC = harness/cli/targets_linux.c
# The bench's workloads: AF_PACKET generator and receivers, namespaces, the hook, the
# machine's load, the rounds of random order (portable, used by this half only yet).
PLATFORM_BENCH_SRCS = \
	bench/gen_linux.c \
	bench/recv_linux.c \
	bench/bench_net.c \
	bench/bench_pf.c \
	bench/machine_linux.c \
	bench/hook_linux.c \
	bench/rounds.c \
	bench/work_linux.c
# The unit tests' suites that need Linux (namespaces, NFQUEUE, the bench's generator).
TEST_PLATFORM_SRCS = \
	tests/suites_linux.c \
	tests/wire_test.c \
	tests/target_linux_test.c \
	tests/bench_stats_test.c \
	tests/target_freebsd_wire_test.c \
	${BENCH_SRCS} \
	${PLATFORM_BENCH_SRCS}
