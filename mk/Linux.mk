# Linux: the linux target (namespaces, NFQUEUE) and the freebsd target's code, which is
# tested here against recorded command plans.
PLATFORM_SRCS =
PLATFORM_LIBS = -lnetfilter_queue -lnfnetlink
