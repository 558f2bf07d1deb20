#!/bin/sh
# bench_plot.sh: bench/plot.sh draws every plot from a results CSV as a non-empty PNG.
cd "$(dirname "$0")/.." || exit 2
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "bench_plot: SKIPPED: no gnuplot"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/pfh-plot-test.XXXXXX") || exit 2
trap 'rm -rf "$out"' EXIT
pass=0 fail=0
sh bench/plot.sh tests/bench_sample.csv "$out" || { echo "FAIL: plot.sh exited $?"; fail=$((fail + 1)); }
for p in pps_vs_rules pps_vs_states mem_vs_states pf_on_off; do
	f=$out/$p.png
	# A PNG starts with \211PNG.
	if [ -s "$f" ] && [ "$(od -An -c -N4 "$f" | tr -d ' ')" = '211PNG' ]; then
		echo "ok: $p.png ($(wc -c <"$f") bytes)"
		pass=$((pass + 1))
	else
		echo "FAIL: $p.png missing, empty or not a PNG"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
