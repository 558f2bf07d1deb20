#!/bin/sh
# bench_plot.sh: bench/plot.sh draws every plot from a results CSV as a non-empty PNG,
# titled with the target, quick or full, the date and the machine, with SI tick
# labels, axes that fit the data (nothing on the frame, no empty decade) and one
# quantity per axis (checked on the gnuplot scripts it writes, PLOT_SCRIPTS).
cd "$(dirname "$0")/.." || exit 2
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "bench_plot: SKIPPED: no gnuplot"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/pfh-plot-test.XXXXXX") || exit 2
trap 'rm -rf "$out"' EXIT
mkdir "$out/gp"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
PLOT_SCRIPTS=$out/gp sh bench/plot.sh tests/bench_sample.csv "$out" ||
    bad "plot.sh exited $?"
for p in pps_vs_rules pps_vs_states mem_vs_states pf_on_off; do
	f=$out/$p.png gp=$out/gp/$p.gp
	# A PNG starts with \211PNG.
	if [ -s "$f" ] && [ "$(od -An -c -N4 "$f" | tr -d ' ')" = '211PNG' ]; then
		ok "$p.png ($(wc -c <"$f") bytes)"
	else
		bad "$p.png missing, empty or not a PNG"
	fi
	if grep -q '^set title ".*\\nlinux, quick (3 runs), 2000-01-01, fixture (Linux test)"$' "$gp"; then
		ok "$p: titled with target, mode, runs, date and machine"
	else
		bad "$p: titled with target, mode, runs, date and machine: $(grep title "$gp")"
	fi
	# y ticks: SI labels from si(), up to a top above the largest value
	if grep -q '^set ytics (si(0) 0)$' "$gp" && grep -q '^si(v) = ' "$gp" &&
	    ! grep -q "^set yrange \[0:\*\]" "$gp"; then
		ok "$p: SI tick labels on a y axis that fits the data"
	else
		bad "$p: SI tick labels on a y axis that fits the data"
	fi
done
if grep -q "^set format x '%.0s%c'" "$out/gp/pps_vs_rules.gp" &&
    grep -q 'set autoscale xfix' "$out/gp/pps_vs_rules.gp"; then
	ok "pps_vs_rules: SI x labels, x axis from the first size to the last"
else
	bad "pps_vs_rules: SI x labels, x axis from the first size to the last"
fi
# the generator alone (1.5M in the fixture) below the top of the axis, not on the frame
top=$(sed -n 's/^set yrange \[0:\(.*\)\]$/\1/p' "$out/gp/pps_vs_rules.gp")
if awk -v t="$top" 'BEGIN { exit !(t > 1500000 * 1.05) }'; then
	ok "pps_vs_rules: the generator-alone line is below the top of the axis ($top)"
else
	bad "pps_vs_rules: the generator-alone line is below the top of the axis ($top)"
fi
if grep -Eq "states_ins' using 1:2(:3)? axes x1y2" "$out/gp/pps_vs_states.gp" &&
    grep -q "^set y2label 'states inserted/s'" "$out/gp/pps_vs_states.gp" &&
    ! grep -Eq "states_ins' using 1:2(:3)? axes x1y1" "$out/gp/pps_vs_states.gp"; then
	ok "pps_vs_states: inserts/s on an axis of its own"
else
	bad "pps_vs_states: inserts/s on an axis of its own"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
