# FreeBSD: the freebsd target (real pf, jails, epair); no NFQUEUE.
PLATFORM_SRCS = \
	harness/wire/wire_netns_freebsd.c \
	harness/target/sink_freebsd.c \
	harness/target/freebsd/target_freebsd.c \
	harness/target/freebsd/target_freebsd_cmd.c \
	harness/target/freebsd/target_freebsd_host.c \
	harness/target/freebsd/target_freebsd_ctl.c \
	harness/target/freebsd/target_freebsd_probe.c \
	harness/target/freebsd/target_freebsd_world.c
# Packages (libnet, cunit) live under /usr/local; libjail (jail_getid) is in base.
PLATFORM_CFLAGS = -I/usr/local/include
PLATFORM_LIBS = -L/usr/local/lib -ljail
TARGETS_SRC = harness/cli/targets_freebsd.c
# The bench's workloads on real pf: BPF generator and wire counter, the UDP sink in a
# jail, the world built with the freebsd target's code (bench_world_freebsd.c).
# No netmap (epairs have none); `bench smoke` is not implemented here (it says so).
PLATFORM_BENCH_SRCS = \
	bench/gen_freebsd.c \
	bench/recv_freebsd.c \
	bench/bench_world_freebsd.c \
	bench/bench_run_freebsd.c \
	bench/work_freebsd.c \
	bench/ab_freebsd.c
# The unit tests: the FreeBSD bench's suite (tests/bench_freebsd_test.c, with the world
# and the workloads) is common (TEST_SRCS): it runs on Linux too, against tests/fake;
# here it needs the portable bench files Linux links with its bench.
TEST_PLATFORM_SRCS = \
	tests/suites_freebsd.c \
	tests/gen_freebsd_test.c \
	bench/gen_freebsd.c \
	bench/gen_tmpl.c \
	bench/csv.c \
	bench/work_def.c \
	bench/work_pts.c
