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
# bench ab --freebsd reaches each variant's hook: 15 refuses a port range 14 takes
printf 'pass all\n' >"$out.a.conf"
printf 'pass all\npass in proto udp to port 200 >< 100\n' >"$out.b.conf"
trap 'rm -f "$out" "$out.a.conf" "$out.b.conf" "$out.csv" "$out-points.csv"' EXIT
"$pfh" bench ab --pf "$out.a.conf" --pf "$out.b.conf" --rounds 3 --seconds 0.05 \
    --no-progress --freebsd 15 --out "$out.csv" >"$out" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q 'bench hook: bench.pf.conf:2: invalid port range' "$out"; then
	pass=$((pass + 1)); echo "ok    bench ab --freebsd 15: the hook reads the ruleset as 15's"
else
	fail=$((fail + 1)); echo "FAIL  bench ab --freebsd 15: exit $rc, no refusal by the hook"
	cat "$out"
fi
# pf's own time per packet reaches the results from each variant's hook process: a
# thousand rules cost pf more than ten (the hooks' queue work left out)
"$pfh" bench ruleset 10 >"$out.a.conf" && "$pfh" bench ruleset 1000 >"$out.b.conf"
"$pfh" bench ab --workload rules --pf "$out.a.conf" --pf "$out.b.conf" --rounds 3 \
    --seconds 0.1 --no-progress --out "$out.csv" >"$out" 2>&1
rc=$?
na=$(grep -c ',a,.*,pf_ns,' "$out.csv") nb=$(grep -c ',b,.*,pf_ns,' "$out.csv")
ratio=$(sed -n 's/^ *b\/a = \([0-9.]*\) .*/\1/p' "$out" | tail -1)
if [ $rc -le 1 ] && [ "$na" -eq 3 ] && [ "$nb" -eq 3 ] &&
    grep -q ' b .*against a .*pf_ns' "$out" &&
    awk -v r="$ratio" 'BEGIN { exit !(r > 1.5) }'; then
	pass=$((pass + 1)); echo "ok    bench ab: pf_ns from both hooks, 1000 rules cost pf ${ratio}x 10"
else
	fail=$((fail + 1)); echo "FAIL  bench ab: pf_ns rows a $na b $nb, pf_ns b/a '$ratio', exit $rc"
	cat "$out"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
