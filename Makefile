# pfharness: build, run the scenarios, test, benchmark.
# Portable: GNU make and FreeBSD make (no pattern rules, no conditionals).
# Objects are compiled by mk/build.mk in a build folder, with header dependencies:
# build/release (pfharness, the model's micro-benchmark) and build/san (the unit tests,
# under AddressSanitizer and UBSan) share no object. `make -j2` works.

all: pfharness

OS	!= uname -s
include mk/${OS}.mk

# Release flags; CFLAGS from the command line or the environment come after them (make's
# own default CFLAGS differ between GNU make and FreeBSD make, so none is relied on).
CC	?= cc
RELEASE	 = -O2 -g ${CFLAGS}
SAN	 = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

# A build folder's make (run from inside it), then OPT=<flags> and the targets to make.
BUILD_MK = -f ../../mk/build.mk TOP=../.. CC="${CC}"
QUIET	 = GNUMAKEFLAGS=--no-print-directory

SCENARIOS = scenarios

# The program, built in build/release and linked to ./pfharness.
pfharness: build-release
build-release:
	@mkdir -p build/release
	@(cd build/release && ${QUIET} ${MAKE} ${BUILD_MK} OPT="${RELEASE}" bin/pfharness)
	@cmp -s build/release/bin/pfharness pfharness || \
	    { cp build/release/bin/pfharness pfharness.new && mv pfharness.new pfharness; }

# The unit tests and the fuzz targets' regression runners, under ASan and UBSan:
# build/san/bin/unit, build/san/bin/fuzz_*.
unit: build-san
build-san:
	@mkdir -p build/san
	@(cd build/san && ${QUIET} ${MAKE} ${BUILD_MK} OPT="${SAN}" \
	    FUZZ_DRIVER=tests/fuzz/driver.o bin/unit fuzz)

# The fuzz targets with libFuzzer (clang): build/fuzz/bin/fuzz_*. make fuzz runs each for
# FUZZ_TIME seconds (default 600), make fuzz-smoke all of them in 60 s.
FUZZ_CC	?= clang
FUZZ_SAN = -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	   -fno-sanitize-recover=undefined -fno-omit-frame-pointer
build-fuzz:
	@mkdir -p build/fuzz
	@(cd build/fuzz && ${QUIET} ${MAKE} -f ../../mk/build.mk TOP=../.. CC="${FUZZ_CC}" \
	    OPT="${FUZZ_SAN}" FUZZ_LDFLAGS=-fsanitize=fuzzer fuzz)
fuzz: build-fuzz
	@sh tools/fuzz.sh ${FUZZ_TIME}
fuzz-smoke: build-fuzz
	@sh tools/fuzz.sh --smoke

# The pf model's micro-benchmark (no I/O, one core): build/release/bin/bench-model.
build-bench-model:
	@mkdir -p build/release
	@(cd build/release && ${QUIET} ${MAKE} ${BUILD_MK} OPT="${RELEASE}" bin/bench-model)

deps:
	@sh tools/deps.sh

# make install [PREFIX=/usr/local] [DESTDIR=staging folder]: the program, its manual
# pages, the scenario library (PREFIX/share/pfharness/scenarios: what the installed
# program runs and lists when given no scenario) and the Kyua test suite
# (PREFIX/tests/pfharness: kyua test -k PREFIX/tests/pfharness/Kyuafile).
# port/pkg-plist lists these files; tests/install.sh checks that it does.
PREFIX	?= /usr/local
MANDIR	?= ${PREFIX}/share/man
DATADIR	 = ${PREFIX}/share/pfharness
TESTSDIR = ${PREFIX}/tests/pfharness
INSTALL	?= install

build-install:
	@mkdir -p build/release
	@rm -f build/release/harness/cli/datadir-inst.o build/release/bin/pfharness-inst
	@(cd build/release && ${QUIET} ${MAKE} ${BUILD_MK} OPT="${RELEASE}" \
	    DATADIR="${DATADIR}" bin/pfharness-inst)

install: build-install
	${INSTALL} -d ${DESTDIR}${PREFIX}/bin ${DESTDIR}${DATADIR} ${DESTDIR}${TESTSDIR}
	${INSTALL} -m 0755 build/release/bin/pfharness-inst ${DESTDIR}${PREFIX}/bin/pfharness
	@for m in man/*.[1-9]; do \
	    s=$${m##*.}; \
	    echo "${INSTALL} -m 0644 $$m ${DESTDIR}${MANDIR}/man$$s/"; \
	    ${INSTALL} -d ${DESTDIR}${MANDIR}/man$$s && \
	    ${INSTALL} -m 0644 $$m ${DESTDIR}${MANDIR}/man$$s/ || exit 1; \
	done
	@echo "${INSTALL} -m 0644 scenarios/... ${DESTDIR}${DATADIR}/scenarios/..."
	@find scenarios -type f | sort | while read -r f; do \
	    ${INSTALL} -d "${DESTDIR}${DATADIR}/$${f%/*}" && \
	    ${INSTALL} -m 0644 "$$f" "${DESTDIR}${DATADIR}/$$f" || exit 1; \
	done
	sed -e 's|@PFHARNESS@|${PREFIX}/bin/pfharness|' \
	    -e 's|@SCENARIOS@|${DATADIR}/scenarios|' tests/kyua/scenarios.sh \
	    > build/release/kyua-scenarios
	${INSTALL} -m 0755 build/release/kyua-scenarios ${DESTDIR}${TESTSDIR}/scenarios
	${INSTALL} -m 0644 tests/kyua/Kyuafile ${DESTDIR}${TESTSDIR}/Kyuafile

# make kyua: the scenarios through Kyua, one ATF test case each, on KYUA_TARGET (model,
# linux, freebsd; default model), from this checkout (build/kyua/); then
# build/kyua/junit.xml from `kyua report-junit`. Exit 1 when a case failed.
KYUA_TARGET ?= model
kyua: pfharness
	@command -v kyua >/dev/null 2>&1 || { echo "make kyua: no kyua (apt-get install kyua; FreeBSD has it)"; exit 2; }
	@rm -rf build/kyua && mkdir -p build/kyua
	@top=$$(pwd); sed -e "s|@PFHARNESS@|$$top/pfharness|" \
	    -e "s|@SCENARIOS@|$$top/${SCENARIOS}|" tests/kyua/scenarios.sh \
	    > build/kyua/scenarios
	@chmod 0755 build/kyua/scenarios
	@cp tests/kyua/Kyuafile build/kyua/Kyuafile
	@cd build/kyua && kyua -v test_suites.pfharness.target=${KYUA_TARGET} test; \
	    rc=$$?; kyua report-junit --output=junit.xml && \
	    echo "make kyua: build/kyua/junit.xml"; exit $$rc

# make run / make test: the two commands of the README. Each step in turn (deps must be
# in place before anything compiles, also under -j).
run:
	@sh tools/deps.sh
	@${MAKE} pfharness
	./pfharness run ${SCENARIOS}

test:
	@sh tools/deps.sh
	@${MAKE} pfharness unit
	@sh tests/run.sh

# The long tests: 36 interruptions of linux runs at random moments (make test runs 4).
test-long: pfharness
	@TRIALS=36 sh tests/interrupt.sh

# make bench: quick (under 3 minutes); make bench FULL=1: every size, 5 runs.
# Compared with results/baseline-<target>.csv when it exists (exit 1: regression).
BENCH_TARGET ?= linux
bench: pfharness
	@mode=--quick; [ -z "${FULL}" ] || mode=--full; \
	./pfharness bench $$mode --target ${BENCH_TARGET} \
	    --baseline results/baseline-${BENCH_TARGET}.csv; rc=$$?; \
	[ $$rc -eq 2 ] || sh bench/plot.sh results/bench-latest.csv results/plots; \
	exit $$rc

# make bench-ab A=... B=...: two rulesets (*.conf), programs or git revisions (built
# side by side under build/ab/, with A_CFLAGS and B_CFLAGS) measured in rounds of A, A
# again and B on one world (pfharness bench ab; more options in AB_ARGS).
bench-ab: pfharness
	@A_CFLAGS="${A_CFLAGS}" B_CFLAGS="${B_CFLAGS}" sh bench/ab.sh "${A}" "${B}" ${AB_ARGS}

CORPUS	?= ../shared/conformance/pfctl
FREEBSD	?= 14
conformance: pfharness
	@FREEBSD=${FREEBSD} sh tests/conformance.sh ${CORPUS}

bench-model: build-bench-model
	./build/release/bin/bench-model

# The runner's own speed on linux (root): seed scenario wall time, probe latency, scapy.
bench-runner: pfharness
	@sh bench/runner.sh

# make bench-world: what format v2 costs the runner (a two-wire, two-VNET-jail world,
# a pfctl step, the model target over scenarios/): bench/world.sh.
bench-world: pfharness
	@sh bench/world.sh

# make mutate: each mutation of tests/mutations.txt, applied alone to a scratch copy of
# the tree, must make the unit tests or the model scenarios fail; exit 1 when fewer than
# MIN percent (default 90) do. Usage and output: tools/mutate.sh.
mutate:
	@MIN="${MIN}" sh tools/mutate.sh

clean:
	rm -rf build pfharness
	rm -rf results/run-* results/latest

.PHONY: all build-release build-san build-bench-model build-fuzz unit deps run test \
	test-long fuzz fuzz-smoke bench bench-ab conformance bench-model bench-runner bench-world mutate clean \
	build-install install kyua

# The throwaway FreeBSD VM (make vm-run, vm-test, vm-bench, vm-shell): after `all`, so
# that a plain `make` builds pfharness and nothing else.
include mk/vm.mk
