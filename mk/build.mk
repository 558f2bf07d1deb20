# build.mk: compile pfharness's objects in a build folder and link its programs.
# Run by the top Makefile inside build/release, build/san or build/fuzz, never by hand:
#   cd build/release && make -f ../../mk/build.mk TOP=../.. OPT="-O2 -g" TARGET
# Objects mirror the source tree under the build folder (build/release/harness/pf/eval/
# pfm_eval.o); sources are found through VPATH, so one suffix rule serves every folder
# in GNU make and FreeBSD make alike. -MMD -MP writes each object's header list beside
# it (.d), read back below: a header edit rebuilds what includes it, nothing else.
# Programs go to bin/: a name VPATH would also find at the top (./pfharness) must not
# be a target here.

OS	!= uname -s
include ${TOP}/mk/${OS}.mk
include ${TOP}/mk/srcs.mk

VPATH	 = ${TOP}
CC	?= cc
OPT	?= -O2 -g
WARN	 = -Wall -Wextra -Werror -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE
CPPFLAGS = -I${TOP}/harness -I${TOP} ${PLATFORM_CFLAGS}
LIBS	 = -lnet -lpcap -lpthread ${PLATFORM_LIBS} -lm

BASE_OBJS	= ${BASE_SRCS:.c=.o}
PF_OBJS		= ${PF_SRCS:.c=.o} gen/pfm_svcdata.o
HARNESS_OBJS	= ${HARNESS_SRCS:.c=.o} ${PLATFORM_SRCS:.c=.o}
CLI_OBJS	= ${CLI_SRCS:.c=.o} ${TARGETS_SRC:.c=.o}
BENCH_OBJS	= ${BENCH_SRCS:.c=.o} ${PLATFORM_BENCH_SRCS:.c=.o}
TEST_OBJS	= ${TEST_SRCS:.c=.o} ${TEST_PLATFORM_SRCS:.c=.o}
FUZZ_OBJS	= tests/fuzz/driver.o tests/fuzz/fuzz_text.o tests/fuzz/fuzz_pfconf.o \
		  tests/fuzz/fuzz_scn.o tests/fuzz/fuzz_pkt.o tests/fuzz/fuzz_pftest.o \
		  tests/fuzz/fuzz_pfctl.o tests/fuzz/fuzz_csv.o tests/fuzz/fuzz_pcap.o \
		  tests/fuzz/fuzz_ctl.o tests/fuzz/fuzz_admin.o
ALL_OBJS	= ${BASE_OBJS} ${PF_OBJS} ${HARNESS_OBJS} ${CLI_OBJS} ${BENCH_OBJS} \
		  ${TEST_OBJS} ${FUZZ_OBJS} bench/model.o

.SUFFIXES: .c .o
.c.o:
	@mkdir -p ${@D}
	${CC} ${OPT} ${WARN} ${CPPFLAGS} -MMD -MP -c ${<} -o ${@}

# The bundled services list (port names as pfctl prints them), made from the data file.
gen/pfm_svcdata.c: ${TOP}/harness/pf/conf/freebsd-services ${TOP}/tools/services2c.sh
	@mkdir -p gen
	sh ${TOP}/tools/services2c.sh ${TOP}/harness/pf/conf/freebsd-services > ${@}

# The two libraries: base (diagnostics, file reader, checksum; libc only) and the pf
# model, which needs nothing but base and libc (tests/layers.sh checks it).
libbase.a: ${BASE_OBJS}
	rm -f ${@}
	${AR} rcs ${@} ${BASE_OBJS}

libpfm.a: ${PF_OBJS}
	rm -f ${@}
	${AR} rcs ${@} ${PF_OBJS}

bin/pfharness: ${CLI_OBJS} ${HARNESS_OBJS} ${BENCH_OBJS} libpfm.a libbase.a
	@mkdir -p bin
	${CC} ${OPT} -o ${@} ${CLI_OBJS} ${HARNESS_OBJS} ${BENCH_OBJS} libpfm.a libbase.a \
	    ${LIBS}

# `make install`'s program: the release objects, with datadir.c compiled again for
# DATADIR, where the installed pfharness finds its scenario library (the top Makefile
# removes datadir-inst.o first: DATADIR follows PREFIX, which make cannot watch).
DATADIR	?= /usr/local/share/pfharness
INST_OBJS = ${CLI_OBJS:datadir.o=datadir-inst.o}

harness/cli/datadir-inst.o: ${TOP}/harness/cli/datadir.c
	@mkdir -p ${@D}
	${CC} ${OPT} ${WARN} ${CPPFLAGS} -DPFH_DATADIR='"${DATADIR}"' \
	    -c ${TOP}/harness/cli/datadir.c -o ${@}

bin/pfharness-inst: ${INST_OBJS} ${HARNESS_OBJS} ${BENCH_OBJS} libpfm.a libbase.a
	@mkdir -p bin
	${CC} ${OPT} -o ${@} ${INST_OBJS} ${HARNESS_OBJS} ${BENCH_OBJS} libpfm.a \
	    libbase.a ${LIBS}

bin/unit: ${TEST_OBJS} ${HARNESS_OBJS} libpfm.a libbase.a
	@mkdir -p bin
	${CC} ${OPT} -o ${@} ${TEST_OBJS} ${HARNESS_OBJS} libpfm.a libbase.a ${LIBS} -lcunit

# The fuzz targets of tests/fuzz/: with libFuzzer (build/fuzz: FUZZ_LDFLAGS=
# -fsanitize=fuzzer, no driver) or, for the regression inputs, with driver.c's main
# (build/san: FUZZ_DRIVER=tests/fuzz/driver.o).
FUZZ_DRIVER ?=
FUZZ_LDFLAGS ?=
FUZZ_LINK = ${FUZZ_DRIVER} tests/fuzz/fuzz_text.o ${HARNESS_OBJS} bench/csv.o libpfm.a \
	    libbase.a
FUZZ_TARGETS = bin/fuzz_pfconf bin/fuzz_scn bin/fuzz_pkt bin/fuzz_pftest \
	       bin/fuzz_pfctl bin/fuzz_csv bin/fuzz_pcap bin/fuzz_ctl bin/fuzz_admin

fuzz: ${FUZZ_TARGETS}

.PHONY: fuzz

bin/fuzz_pfconf: tests/fuzz/fuzz_pfconf.o ${FUZZ_LINK}
	@mkdir -p bin
	${CC} ${OPT} ${FUZZ_LDFLAGS} -o ${@} tests/fuzz/fuzz_pfconf.o ${FUZZ_LINK} ${LIBS}
bin/fuzz_scn: tests/fuzz/fuzz_scn.o ${FUZZ_LINK}
	@mkdir -p bin
	${CC} ${OPT} ${FUZZ_LDFLAGS} -o ${@} tests/fuzz/fuzz_scn.o ${FUZZ_LINK} ${LIBS}
bin/fuzz_pkt: tests/fuzz/fuzz_pkt.o ${FUZZ_LINK}
	@mkdir -p bin
	${CC} ${OPT} ${FUZZ_LDFLAGS} -o ${@} tests/fuzz/fuzz_pkt.o ${FUZZ_LINK} ${LIBS}
bin/fuzz_pftest: tests/fuzz/fuzz_pftest.o ${FUZZ_LINK}
	@mkdir -p bin
	${CC} ${OPT} ${FUZZ_LDFLAGS} -o ${@} tests/fuzz/fuzz_pftest.o ${FUZZ_LINK} ${LIBS}
bin/fuzz_pfctl: tests/fuzz/fuzz_pfctl.o ${FUZZ_LINK}
	@mkdir -p bin
	${CC} ${OPT} ${FUZZ_LDFLAGS} -o ${@} tests/fuzz/fuzz_pfctl.o ${FUZZ_LINK} ${LIBS}
bin/fuzz_csv: tests/fuzz/fuzz_csv.o ${FUZZ_LINK}
	@mkdir -p bin
	${CC} ${OPT} ${FUZZ_LDFLAGS} -o ${@} tests/fuzz/fuzz_csv.o ${FUZZ_LINK} ${LIBS}

bin/fuzz_pcap: tests/fuzz/fuzz_pcap.o ${FUZZ_LINK}
	@mkdir -p bin
	${CC} ${OPT} ${FUZZ_LDFLAGS} -o ${@} tests/fuzz/fuzz_pcap.o ${FUZZ_LINK} ${LIBS}

bin/fuzz_ctl: tests/fuzz/fuzz_ctl.o ${FUZZ_LINK}
	@mkdir -p bin
	${CC} ${OPT} ${FUZZ_LDFLAGS} -o ${@} tests/fuzz/fuzz_ctl.o ${FUZZ_LINK} ${LIBS}
bin/fuzz_admin: tests/fuzz/fuzz_admin.o ${FUZZ_LINK}
	@mkdir -p bin
	${CC} ${OPT} ${FUZZ_LDFLAGS} -o ${@} tests/fuzz/fuzz_admin.o ${FUZZ_LINK} ${LIBS}

bin/bench-model: bench/model.o libpfm.a libbase.a
	@mkdir -p bin
	${CC} ${OPT} -o ${@} bench/model.o libpfm.a libbase.a -lm

-include ${ALL_OBJS:.o=.d}
