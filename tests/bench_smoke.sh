#!/bin/sh
# bench_smoke.sh: a seconds-long bench run through the real namespaces: for rdr-in,
# forward and nat-out with pf off and on, every packet sent is counted as received or
# as dropped by a counter the kernel or the hook keeps (sent = received + dropped).
cd "$(dirname "$0")/.." || exit 2
pfh=${PFHARNESS:-./pfharness}
if [ "$(id -u)" != 0 ]; then
	echo "bench_smoke: SKIPPED: not root (the bench needs network namespaces)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
out=$(mktemp "${TMPDIR:-/tmp}/pfh-smoke.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT
"$pfh" bench smoke --pps 20000 --seconds 0.5 >"$out" 2>&1
rc=$?
cat "$out"
pass=$(grep -c ': ok$' "$out")
fail=$(grep -c 'MISMATCH' "$out")
skip=$(grep -c 'SKIPPED' "$out")
# a failing exit with no MISMATCH line (exit 2, a crash) is a failure of its own
if { [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; } || [ $((pass + fail + skip)) -eq 0 ]; then
	echo "bench_smoke: the smoke run failed (exit $rc)"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
