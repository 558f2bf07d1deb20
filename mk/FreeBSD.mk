# FreeBSD: the freebsd target (real pf, jails, epair); no NFQUEUE.
PLATFORM_SRCS = \
	harness/sink_freebsd.c \
	harness/wire_netns_freebsd.c \
	harness/target_freebsd.c \
	harness/target_freebsd_cmd.c \
	harness/target_freebsd_probe.c
# Packages (libnet, cunit) live under /usr/local.
PLATFORM_CFLAGS = -I/usr/local/include
PLATFORM_LIBS = -L/usr/local/lib
TARGETS_SRC = harness/targets_freebsd.c
# The bench's workload half is Linux-only so far: this says so (compare/stats work).
PLATFORM_BENCH_SRCS = bench/bench_freebsd.c
# tests/unit: no FreeBSD-only suite yet (the bench is Linux-only, so it is not linked).
TEST_PLATFORM_SRCS = \
	tests/suites_freebsd.c
