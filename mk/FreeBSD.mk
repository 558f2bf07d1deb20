# FreeBSD: the freebsd target (real pf, jails, epair); no NFQUEUE.
PLATFORM_SRCS =
PLATFORM_LIBS =
CFLAGS += -I/usr/local/include
LDFLAGS += -L/usr/local/lib
