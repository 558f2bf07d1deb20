#!/bin/sh
# run.sh: every test of pfharness, group by group, summed into one closing line
# `N passed, N failed, N skipped`. Each group prints its own results; a group that
# cannot run here (no root) is counted as skipped, with its reason.
cd "$(dirname "$0")/.." || exit 2

pass=0 fail=0 skip=0 groups_failed=
log=$(mktemp "${TMPDIR:-/tmp}/pfh-test.XXXXXX")
trap 'rm -f "$log"' EXIT INT TERM

# Add the counts a group printed, the last of: CUnit's "tests" summary row (columns
# Total Ran Passed Failed Inactive; an inactive test is a skipped one) or a line
# "N passed, N failed[, N skipped]" (the unit tests close with one).
tally() {
	set -- $(awk '
	/^ *tests +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+/ { p = $4; f = $5; s = $6; hit = 1 }
	/^([A-Za-z_-]+: )?[0-9]+ passed, [0-9]+ failed/ {
		sub(/^[A-Za-z_-]+: /, "")
		p = $1; f = $3; s = 0
		if (match($0, /[0-9]+ skipped/)) s = substr($0, RSTART, RLENGTH) + 0
		hit = 1
	}
	END { if (hit) print p, f, s; else print "x" }' "$log")
	if [ "$1" = x ]; then
		return 1
	fi
	pass=$((pass + $1)); fail=$((fail + $2)); skip=$((skip + $3))
	return 0
}

group() {
	name=$1; shift
	printf '\n=== %s: %s\n' "$name" "$*"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	if ! tally; then
		# No count printed: the group is one test, judged by its exit status.
		if [ $rc -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	elif [ $rc -ne 0 ] && ! grep -q '^[0-9]* passed, [1-9]' "$log" &&
	    ! awk '/^ *tests +[0-9]+/ { if ($5 > 0) bad = 1 } END { exit !bad }' "$log"; then
		fail=$((fail + 1))	# exit status says failure though counts did not
	fi
	[ $rc -eq 0 ] || groups_failed="$groups_failed $name"
}

skipped() {
	printf '\n=== %s: SKIPPED: %s\n' "$1" "$2"
	skip=$((skip + 1))
}

# The system's own target: linux here, freebsd on FreeBSD (a throwaway machine,
# vagrant/provision.sh: the Vagrant VM or CI).
os=$(uname -s)
case $os in FreeBSD) target=freebsd ;; *) target=linux ;; esac

group unit ./build/san/bin/unit
for t in tests/*.sh; do
	case $t in tests/run.sh|tests/conformance.sh) continue ;; esac
	if [ "$os" = FreeBSD ] && [ "$t" = tests/bench_smoke.sh ]; then
		skipped bench_smoke "bench smoke is Linux-only (it needs every drop counted)"
		continue
	fi
	group "$(basename "$t" .sh)" sh "$t"
done
group scenarios-model ./pfharness run --no-color --target model scenarios
if [ "$(id -u)" = 0 ]; then
	group scenarios-$target ./pfharness run --no-color --target $target scenarios
else
	skipped scenarios-$target "not root: the $target target changes the system's network"
fi
# A minute of fuzzing (make fuzz-smoke): libFuzzer needs clang; tried on Linux only.
if [ "$os" != Linux ]; then
	skipped fuzz-smoke "fuzz-smoke has been tried on Linux only"
elif command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	group fuzz-smoke sh -c "${MAKE:-make} -s build-fuzz >/dev/null && sh tools/fuzz.sh --smoke"
else
	skipped fuzz-smoke "no ${FUZZ_CC:-clang}: the fuzz targets need libFuzzer"
fi

printf '\n'
[ -n "$groups_failed" ] && printf 'groups that failed:%s\n' "$groups_failed"
printf '%d passed, %d failed, %d skipped\n' "$pass" "$fail" "$skip"
[ "$fail" -eq 0 ] && [ -z "$groups_failed" ]
