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
	harness/diag.c

# The harness around it.
HARNESS_SRCS = \
	harness/client.c \
	harness/hoststack.c \
	harness/pcapfile.c \
	harness/pfctl_out.c \
	harness/pkt_text.c \
	harness/pkt_decode.c \
	harness/pkt_build.c \
	harness/scn_parse.c \
	harness/scn_step.c

MAIN_SRCS = \
	harness/main.c

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
	tests/pfctl_out_test.c \
	tests/target_freebsd_test.c

SCENARIOS = scenarios

all: pfharness

pfharness: ${MODEL_SRCS} ${HARNESS_SRCS} ${PLATFORM_SRCS} ${MAIN_SRCS} ${HDRS}
	${CC} ${CFLAGS} ${WARN} ${PLATFORM_CFLAGS} -Iharness -o pfharness ${MODEL_SRCS} ${HARNESS_SRCS} \
	    ${PLATFORM_SRCS} ${MAIN_SRCS} ${LIBS}

# Unit tests, under AddressSanitizer and UBSan.
tests/unit: ${MODEL_SRCS} ${HARNESS_SRCS} ${PLATFORM_SRCS} ${TEST_SRCS} ${HDRS}
	${CC} ${SAN} ${WARN} ${PLATFORM_CFLAGS} -Iharness -o tests/unit ${MODEL_SRCS} ${HARNESS_SRCS} \
	    ${PLATFORM_SRCS} ${TEST_SRCS} ${LIBS} ${TEST_LIBS}

deps:
	@sh tools/deps.sh

run: deps pfharness
	./pfharness run ${SCENARIOS}

test: deps pfharness tests/unit
	@sh tests/run.sh

CORPUS	?= ../shared/conformance/pfctl
conformance: pfharness
	@sh tests/conformance.sh ${CORPUS}

clean:
	rm -f pfharness tests/unit
	rm -rf results/run-* results/latest

.PHONY: all deps run test conformance clean
