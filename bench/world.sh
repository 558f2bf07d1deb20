#!/bin/sh
# world.sh: what format version 2 costs the runner (make bench-world): the wall time of
# the first seed scenario on linux (target: under 250 ms), of a world with two wires and
# two VNET jails behind a bridge brought up, probed once and taken down (under 400 ms),
# of one runtime `pfctl` step on model and on linux (under 1 ms), and of the model
# target running the whole scenarios/ library (under 1 s).
#
# Usage: sh bench/world.sh [-r RUNS] [-n STEPS]
#   -r  runs of each whole-process measurement (default 10)
#   -n  pfctl steps in the step-cost scenario (default 200)
# How: each process is timed from outside (date +%s%N around `pfharness run`), so the
# figures hold everything a user waits for: parsing, building the world, the probes,
# teardown. The world's one probe is a SYN rdr'd to a VNET jail and its SYN|ACK back,
# which costs well under a millisecond, so that the figure is the world's. The pfctl
# step's cost is the per-probe time the report prints for a probe made of one step
# (`pfctl -t T -T add ADDR`) and one bookkeeping expectation that reads the table back:
# an upper bound of the step alone. Needs root for the linux target. Exit 0 when every
# target is met, 1 when one is not, 2 when the benchmark could not run.
cd "$(dirname "$0")/.." || exit 2
runs=10 n=200
while getopts r:n: o; do
	case $o in
	r) runs=$OPTARG ;;
	n) n=$OPTARG ;;
	*) echo "usage: sh bench/world.sh [-r RUNS] [-n STEPS]" >&2; exit 2 ;;
	esac
done
bin=./pfharness
seed=scenarios/seed/three-jails.scn

die() { echo "bench-world: $*" >&2; exit 2; }
[ "$(uname -s)" = Linux ] || die "the linux target only: not on Linux"
[ "$(id -u)" = 0 ] || die "not root: the linux target needs network namespaces"
[ -x "$bin" ] || die "$bin missing: make pfharness"
[ "$n" -ge 1 ] && [ "$n" -le 250 ] || die "-n: 1 to 250 steps (one address each)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-bench-world.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM

now_ns() { date +%s%N; }
# stats FILE: "n median p90 min max" of the numbers in FILE, one a line.
stats() {
	sort -n "$1" | awk '
	{ v[NR] = $1 }
	function pct(p,   k, lo) {
		k = (NR - 1) * p; lo = int(k)
		return v[lo + 1] + (lo + 1 < NR ? (v[lo + 2] - v[lo + 1]) * (k - lo) : 0)
	}
	END { if (NR == 0) print 0, "nan", "nan", "nan", "nan"
	      else printf "%d %.3f %.3f %.3f %.3f\n", NR, pct(0.5), pct(0.9), v[1], v[NR] }'
}
# timed NAME TARGET FILE...: RUNS whole-process wall times of `pfharness run -t TARGET
# FILE...` into $tmp/NAME; the run must pass.
timed() {
	name=$1 tgt=$2
	shift 2
	: > "$tmp/$name"
	i=0
	while [ $i -lt "$runs" ]; do
		t0=$(now_ns)
		$bin run -t "$tgt" --no-color --results "$tmp/res" "$@" > "$tmp/$name.out" 2>&1
		rc=$?
		t1=$(now_ns)
		[ $rc -eq 0 ] || { tail -20 "$tmp/$name.out"; die "$* on $tgt failed (exit $rc)"; }
		echo "$t0 $t1" | awk '{ printf "%.3f\n", ($2 - $1) / 1e6 }' >> "$tmp/$name"
		i=$((i + 1))
	done
}

echo "bench-world: $($bin --version 2>/dev/null | head -1), $(nproc) cpus," \
    "$(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. The seed scenario, whole, on linux.
timed seed linux "$seed"
set -- $(stats "$tmp/seed"); seed_med=$2 seed_p90=$3

# 2. Two wires, a bridge and two VNET jails, one probe.
cat > "$tmp/world.scn" <<'EOF'
scenario "bench-world: two wires, two VNET jails behind a bridge"
host em0 203.0.113.1/24
host em1 192.0.2.1/24
bridge bridge0 10.0.0.1/24
vnet jail web 10.0.0.2/24 on bridge0 listen tcp/80
vnet jail app 10.0.0.3/24 on bridge0 listen tcp/8080
client 198.51.100.7
client 192.0.2.50

pf <<PF
rdr pass on em0 proto tcp to (em0) port 80 -> 10.0.0.2
pass
PF

probe "port 80 reaches the VNET jail"
  send tcp 198.51.100.7:40000 > 203.0.113.1:80 S
  expect reply tcp 203.0.113.1:80 > 198.51.100.7:40000 SA
EOF
timed world linux "$tmp/world.scn"
set -- $(stats "$tmp/world"); world_med=$2 world_p90=$3

# 3. One pfctl step, on model and on linux.
{
	printf 'scenario "bench-world: pfctl steps"\n'
	printf 'host em0 203.0.113.1/24\nloopback lo1 10.99.0.0/28\n'
	printf 'jail web 10.99.0.3 listen tcp/80\nclient 198.51.100.7\n\n'
	printf 'pf <<PF\ntable <bad> persist\nblock in quick on em0 from <bad>\npass\nPF\n'
	i=1
	while [ $i -le "$n" ]; do
		printf '\nprobe "step %d"\n  pfctl -t bad -T add 192.0.2.%d\n' $i $i
		printf '  expect table bad contains 192.0.2.%d\n' $i
		i=$((i + 1))
	done
} > "$tmp/steps.scn"
for tgt in model linux; do
	$bin run -t $tgt --no-color --results "$tmp/res" "$tmp/steps.scn" > "$tmp/steps.out" 2>&1 ||
		{ tail -20 "$tmp/steps.out"; die "the pfctl step scenario failed on $tgt"; }
	sed -n 's/^ *ok  *step [0-9]*  (\([0-9.]*\) ms)$/\1/p' "$tmp/steps.out" > "$tmp/step-$tgt"
	set -- $(stats "$tmp/step-$tgt")
	[ "$1" -eq "$n" ] || die "parsed $1 step times on $tgt, expected $n"
	eval "step_${tgt}_med=\$2 step_${tgt}_p90=\$3"
done

# 4. The model target, the whole library.
timed lib model scenarios
set -- $(stats "$tmp/lib"); lib_med=$2 lib_p90=$3
lib_checks=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' "$tmp/lib.out")

printf '\n%-62s %9s %9s\n' "wall time, ms ($runs runs; pfctl steps: $n each)" median p90
printf '%-62s %9.1f %9.1f\n' "seed scenario on linux ($seed)" "$seed_med" "$seed_p90"
printf '%-62s %9.1f %9.1f\n' "two wires, bridge, two VNET jails: up, one probe, down" \
    "$world_med" "$world_p90"
printf '%-62s %9.3f %9.3f\n' "one pfctl -T add step and its table check, model" \
    "$step_model_med" "$step_model_p90"
printf '%-62s %9.3f %9.3f\n' "one pfctl -T add step and its table check, linux" \
    "$step_linux_med" "$step_linux_p90"
printf '%-62s %9.1f %9.1f\n' "model target, scenarios/ ($lib_checks checks)" \
    "$lib_med" "$lib_p90"

awk -v s="$seed_med" -v w="$world_med" -v pm="$step_model_med" -v pl="$step_linux_med" \
    -v l="$lib_med" 'BEGIN {
	printf "\ntargets (medians):\n"
	printf "  seed scenario on linux under 250 ms:      %8.1f ms  %s\n", s, (s < 250 ? "met" : "NOT MET")
	printf "  two-VNET-jail, two-wire world under 400 ms: %6.1f ms  %s\n", w, (w < 400 ? "met" : "NOT MET")
	printf "  pfctl step under 1 ms, model:             %8.3f ms  %s\n", pm, (pm < 1 ? "met" : "NOT MET")
	printf "  pfctl step under 1 ms, linux:             %8.3f ms  %s\n", pl, (pl < 1 ? "met" : "NOT MET")
	printf "  model target, scenarios/ under 1 s:       %8.1f ms  %s\n", l, (l < 1000 ? "met" : "NOT MET")
	exit (s >= 250 || w >= 400 || pm >= 1 || pl >= 1 || l >= 1000) }'
