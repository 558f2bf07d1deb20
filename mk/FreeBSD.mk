# FreeBSD: the freebsd target (real pf, jails, epair); no NFQUEUE.
PLATFORM_SRCS = \
	harness/target_freebsd.c \
	harness/target_freebsd_cmd.c
# Packages (libnet, cunit) live under /usr/local.
PLATFORM_CFLAGS = -I/usr/local/include
PLATFORM_LIBS = -L/usr/local/lib
TARGETS_SRC = harness/targets_freebsd.c
