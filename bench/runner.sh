#!/bin/sh
# runner.sh: the runner's own speed on the linux target (make bench-runner): the wall
# time of the first seed scenario, the latency of one positive and one negative probe,
# and the same probes sent with scapy's sr1 on the same veth, side by side.
#
# Usage: sh bench/runner.sh [-r RUNS] [-n PROBES] [-s SCAPY_PROBES]
#   -r  runs of scenarios/seed/three-jails.scn, timed as processes (default 10)
#   -n  repetitions of each probe through pfharness (default 200)
#   -s  repetitions of each probe through scapy (default 50)
# How: the seed scenario is run RUNS times (`pfharness run -t linux`, setup, probes and
# teardown: the process's wall time). Then one scenario generated into a temporary
# directory, the seed's world and ruleset with N copies of the positive probe (a SYN to
# 3306, rdr to tom: the SYN-ACK back and the delivery to tom) and N of the negative one
# (a SYN to the blocked port 111: no reply, nothing delivered), each from its own client
# port, is run once; pfharness's per-probe times (the report's "(x ms)", 0.1 ms
# resolution) give median and p90. In the same run `--hold` keeps the world up after the
# probes and runs bench/scapy_sr1.py in the wire namespace: scapy sends the same SYNs on
# the same veth end (wire0) with srp1 and waits for the answer; for the negative probe it
# measures which sr1 timeout is reliable and what a probe costs with it.
# Needs root (network namespaces) and Debian's python3-scapy. Exit 0 when every target
# is met, 1 when one is not, 2 when the benchmark could not run.
cd "$(dirname "$0")/.." || exit 2
runs=10 n=200 ns=50
while getopts r:n:s: o; do
	case $o in
	r) runs=$OPTARG ;;
	n) n=$OPTARG ;;
	s) ns=$OPTARG ;;
	*) echo "usage: sh bench/runner.sh [-r RUNS] [-n PROBES] [-s SCAPY_PROBES]" >&2
	   exit 2 ;;
	esac
done
seed=scenarios/seed/three-jails.scn
bin=./pfharness
# Debian's scapy is in the system python, which a pyenv or venv python3 may shadow.
py=${PYTHON:-/usr/bin/python3}
[ -x "$py" ] || py=python3

die() { echo "bench-runner: $*" >&2; exit 2; }
[ "$(uname -s)" = Linux ] || die "the linux target only: not on Linux"
[ "$(id -u)" = 0 ] || die "not root: the linux target needs network namespaces"
[ -x "$bin" ] || die "$bin missing: make pfharness"
"$py" -c 'import scapy' 2>/dev/null || die "$py has no scapy (apt-get install python3-scapy)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-bench-runner.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM

now_ns() { date +%s%N; }
# stats FILE: "n median p90 min max" of the numbers in FILE, one a line (linear
# interpolation between closest ranks, as scapy_sr1.py does).
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

echo "bench-runner: $($bin --version 2>/dev/null | head -1), $(nproc) cpus," \
    "$(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. The seed scenario, whole.
: > "$tmp/wall"
i=0
while [ $i -lt "$runs" ]; do
	t0=$(now_ns)
	$bin run -t linux --no-color --results "$tmp/res" "$seed" > "$tmp/seed.out" 2>&1
	rc=$?
	t1=$(now_ns)
	[ $rc -eq 0 ] || { cat "$tmp/seed.out"; die "$seed failed (exit $rc)"; }
	echo "$t0 $t1" | awk '{ printf "%.3f\n", ($2 - $1) / 1e6 }' >> "$tmp/wall"
	i=$((i + 1))
done
set -- $(stats "$tmp/wall")
wall_med=$2 wall_p90=$3 wall_min=$4 wall_max=$5
nprobe=$(grep -c '^ *ok ' "$tmp/seed.out")

# 2. One run: N positive and N negative probes through pfharness, then scapy (--hold).
scn=$tmp/probes.scn
sed '/^probe /,$d' "$seed" | sed 's/^scenario .*/scenario "bench-runner: seed world, repeated probes"/' > "$scn"
i=0
while [ $i -lt "$n" ]; do
	cat >> "$scn" <<EOF

probe "positive $i"
  send tcp 198.51.100.7:$((20000 + i)) > 203.0.113.1:3306 S
  expect reply tcp 203.0.113.1:3306 > 198.51.100.7:$((20000 + i)) SA ack 1001
  expect delivered tom:3306 from 198.51.100.7:$((20000 + i))

probe "negative $i"
  send tcp 198.51.100.7:$((30000 + i)) > 203.0.113.1:111 S
  expect no reply
  expect not delivered
EOF
	i=$((i + 1))
done
$bin run -t linux --no-color --results "$tmp/res" \
    --hold "ip netns exec \"\$PFH_WIRE_NS\" $py bench/scapy_sr1.py -n $ns --sport 40000" \
    "$scn" > "$tmp/probes.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { tail -30 "$tmp/probes.out"; die "the probe run failed (exit $rc)"; }
grep -q '^scapy negative' "$tmp/probes.out" ||
	{ tail -30 "$tmp/probes.out"; die "scapy_sr1.py did not finish"; }
sed -n 's/^ *ok  *positive [0-9]*  (\([0-9.]*\) ms)$/\1/p' "$tmp/probes.out" > "$tmp/pos"
sed -n 's/^ *ok  *negative [0-9]*  (\([0-9.]*\) ms)$/\1/p' "$tmp/probes.out" > "$tmp/neg"
set -- $(stats "$tmp/pos"); pos_n=$1 pos_med=$2 pos_p90=$3
set -- $(stats "$tmp/neg"); neg_n=$1 neg_med=$2 neg_p90=$3
[ "$pos_n" -eq "$n" ] && [ "$neg_n" -eq "$n" ] ||
	die "parsed $pos_n positive and $neg_n negative probe times, expected $n each"
field() { sed -n "s/^scapy $1 .*$2=\([^ ]*\).*/\1/p" "$tmp/probes.out"; }
sp_med=$(field positive median_ms) sp_p90=$(field positive p90_ms)
sp_lost=$(field positive lost)
sn_to=$(field negative timeout_ms) sn_med=$(field negative median_ms)
sn_p90=$(field negative p90_ms) sn_ans=$(field negative answered)

# 3. The table and the targets.
printf '\n%s (%d probes), %d runs, wall time of the process (setup, probes, teardown):\n' \
    "$seed" "$nprobe" "$runs"
printf '  median %.1f ms  p90 %.1f ms  min %.1f ms  max %.1f ms\n' \
    "$wall_med" "$wall_p90" "$wall_min" "$wall_max"
printf '\none probe, ms (pfharness: %d each; scapy srp1 on the same wire0: %d each)\n' \
    "$n" "$ns"
printf '  %-58s %8s %8s\n' "" median p90
printf '  %-58s %8.2f %8.2f\n' "positive, pfharness (SA back, ACK, delivery to tom)" \
    "$pos_med" "$pos_p90"
printf '  %-58s %8.2f %8.2f\n' "positive, scapy sr1 (SA back; lost: $sp_lost)" \
    "$sp_med" "$sp_p90"
printf '  %-58s %8.2f %8.2f\n' "negative, pfharness (sentinel: no reply, not delivered)" \
    "$neg_med" "$neg_p90"
printf '  %-58s %8.2f %8.2f\n' "negative, scapy sr1 (timeout $sn_to ms; answered: $sn_ans)" \
    "$sn_med" "$sn_p90"
echo "  scapy's sr1 timeouts tried (every positive probe must still be answered):"
sed -n 's/^scapy timeout \([^ ]*\)_ms answered=\(.*\)/    \1 ms: \2 answered/p' \
    "$tmp/probes.out"
echo "  (pfharness times: the report's per-probe time, 0.01 ms resolution)"

awk -v w="$wall_med" -v nm="$neg_med" -v pm="$pos_med" -v spm="$sp_med" \
    -v nsm="$sn_med" 'BEGIN {
	bad = 0
	r1 = pm > 0 ? spm / pm : 0; r2 = nm > 0 ? nsm / nm : 0
	printf "\ntargets:\n"
	printf "  seed scenario under 1 s:       %7.1f ms      %s\n", w, (w < 1000 ? "met" : "NOT MET")
	printf "  negative probe under 50 ms:    %7.2f ms      %s\n", nm, (nm < 50 ? "met" : "NOT MET")
	printf "  positive probe 10x scapy:      %7.1fx faster %s\n", r1, (r1 >= 10 ? "met" : "NOT MET")
	printf "  negative probe 10x scapy:      %7.1fx faster %s\n", r2, (r2 >= 10 ? "met" : "NOT MET")
	bad = (w >= 1000 || nm >= 50 || r1 < 10 || r2 < 10)
	exit bad }'
