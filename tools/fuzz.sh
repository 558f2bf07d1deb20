#!/bin/sh
# fuzz.sh: run the fuzz targets of tests/fuzz/ (built with libFuzzer in build/fuzz by
# make fuzz / make fuzz-smoke) from seeds made afresh of the tree's own material: the
# pfctl conformance corpus and the real-world pf.conf files beside the checkout when
# present, the scenarios, the frames of their probes, recorded pfctl outputs, the
# bench's sample CSV. Each target's corpus grows in build/fuzz/corpus/TARGET; what a
# target finds goes to build/fuzz/crashes/TARGET/ and fails the run: copy it into
# tests/fuzz/regress/TARGET/ once fixed, and make test replays it.
# usage: sh tools/fuzz.sh [--runs N] [--only TARGET] [SECONDS_PER_TARGET | --smoke]
# (default 600 s each; --smoke: about 60 s in all; --runs: stop a target after N
# executions)
cd "$(dirname "$0")/.." || exit 2
targets="pfconf scn pkt pftest pfctl csv pcap ctl admin"
runs=-1
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--only) targets=$2; shift 2 ;;
	*) break ;;
	esac
done
secs=${1:-600}
[ "$secs" = --smoke ] && secs=8
b=${FUZZ_BUILD:-build/fuzz}
for t in $targets; do
	[ -x "$b/bin/fuzz_$t" ] || { echo "fuzz: no $b/bin/fuzz_$t: make build-fuzz first"; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM

# Seeds.
s=$b/seeds
rm -rf "$s"
mkdir -p "$s/pfconf" "$s/scn" "$s/pkt" "$s/pftest" "$s/pfctl" "$s/csv" "$s/pcap" "$s/ctl" \
    "$s/admin"
for f in ../shared/conformance/pfctl/*.in ../shared/conformance/pfctl-main/*.in \
    ../shared/realworld/pfconf/*.conf tests/trace/*.conf; do
	[ -f "$f" ] && cp "$f" "$s/pfconf/$(echo "$f" | tr / _)"
done
find scenarios tests/bad tests/scn -name '*.scn' | while read -r f; do
	cp "$f" "$s/scn/$(echo "$f" | tr / _)"
	# the packets: the notation after send / expect reply / expect wire
	sed -n 's/^ *\(send\|expect reply\|expect wire\) //p' "$f"
done | sort -u | split -l 1 - "$s/pkt/p"
cp tests/fake/out/pfctl-* tests/fake/out/vmstat-z.txt "$s/pfctl/" 2>/dev/null
cp tests/bench_sample.csv "$s/csv/"
cp tests/trace/*.pcap "$s/pcap/"
cp tests/fuzz/regress/ctl/* "$s/ctl/"
# an admin's files: an rc.conf behind an even first byte, a jail.conf behind an odd one
find tests/admin tests/scn/admin scenarios/admin -name 'rc.conf*' -o -name '*.rc' | while read -r f; do
	{ printf 'r'; cat "$f"; } > "$s/admin/$(echo "$f" | tr / _)"
done
find tests/admin tests/scn/admin scenarios/admin -name 'jail.conf' -o -name '*.jail' | while read -r f; do
	{ printf 'j'; cat "$f"; } > "$s/admin/$(echo "$f" | tr / _)"
done
./pfharness run --no-color -t model --results "$tmp/res" scenarios > /dev/null 2>&1
python3 tools/fuzz-seeds.py "$s/pftest" $(find "$tmp/res" -name '*.pcap') > /dev/null

printf '%-8s %8s %12s %9s %7s %s\n' target seconds executions "exec/s" corpus found
rc=0 pass=0 fail=0
for t in $targets; do
	c=$b/corpus/$t
	a=$b/crashes/$t
	mkdir -p "$c" "$a"
	# a pf.conf of 1 KB holds a score of rules: longer inputs only cost time
	case $t in pfconf|scn|admin) ml=1024 ;; *) ml=4096 ;; esac
	"$b/bin/fuzz_$t" -max_total_time="$secs" -runs="$runs" -max_len=$ml -print_final_stats=1 \
	    -report_slow_units=60 -artifact_prefix="$a/" -close_fd_mask=3 "$c" "$s/$t" > "$tmp/$t.log" 2>&1
	done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t.log")
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$tmp/$t.log")
	# a slow unit is a timing note (a busy machine makes them), not a defect
	found=$(ls "$a" | grep -vc '^slow-unit-')
	printf '%-8s %8s %12s %9s %7s %s\n' "$t" "${took:-?}" "${done_runs:-?}" \
	    "$(( ${done_runs:-0} / ${took:-1} ))" "$(ls "$c" | wc -l)" "$found"
	if [ "$found" -gt 0 ] || ! grep -q '^Done' "$tmp/$t.log"; then
		grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$tmp/$t.log" | head -5
		rc=1
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
[ $rc -eq 0 ] || echo "fuzz: findings under $b/crashes/"
echo "fuzz: $pass passed, $fail failed"
exit $rc
