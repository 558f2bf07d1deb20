# Linux: the linux target (namespaces, NFQUEUE) and the freebsd target's code, which is
# tested here against recorded command plans.
PLATFORM_SRCS = \
	harness/netns.c \
	harness/nfq.c \
	harness/sink.c \
	harness/target_linux.c \
	harness/target_freebsd.c \
	harness/target_freebsd_cmd.c
PLATFORM_CFLAGS =
PLATFORM_LIBS = -lnetfilter_queue -lnfnetlink
TARGETS_SRC = harness/targets_linux.c
