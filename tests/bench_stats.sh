#!/bin/sh
# bench_stats.sh: `pfharness bench stats` prints what `ministat -A` prints, and
# `pfharness bench compare` finds the same difference and confidence interval, on
# fixed samples (small, large, decimals, more than 100 degrees of freedom).
cd "$(dirname "$0")/.." || exit 2
pfh=${PFHARNESS:-./pfharness}
if ! command -v ministat >/dev/null 2>&1; then
	echo "bench_stats: SKIPPED: no ministat (apt-get install ministat)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
d=$(mktemp -d "${TMPDIR:-/tmp}/pfh-stats-test.XXXXXX") || exit 2
trap 'rm -rf "$d"' EXIT
pass=0 fail=0

printf '1\n2\n3\n4\n5\n' >"$d/a"
printf '2\n3\n4\n5\n7\n' >"$d/b"
printf '10\n11\n12\n13\n14\n' >"$d/c"
printf '1\n2\n3\n4\n' >"$d/even"
printf '# pps, with a comment\n412345.5\n409876.25\n415001\n\n410222.75\n413999\n' >"$d/pps1"
printf '398765.5\n401234\n399999.75\n402468\n397531.25\n' >"$d/pps2"
awk 'BEGIN { for (i = 0; i < 60; i++) print 1000 + (i * 37) % 101 }' >"$d/big1"
awk 'BEGIN { for (i = 0; i < 55; i++) print 1030 + (i * 53) % 97 }' >"$d/big2"

check() {	# check NAME ARGS...: bench stats and ministat -A print the same
	name=$1; shift
	"$pfh" bench stats "$@" >"$d/ours" 2>&1
	ministat -A "$@" >"$d/theirs" 2>&1
	if diff -u "$d/theirs" "$d/ours" >"$d/diff"; then
		echo "ok: stats $name"
		pass=$((pass + 1))
	else
		echo "FAIL: stats $name differs from ministat:"
		cat "$d/diff"
		fail=$((fail + 1))
	fi
}

cd "$d" || exit 2
pfh=$(cd "$OLDPWD" && cd "$(dirname "$pfh")" && pwd)/$(basename "$pfh")
check "no difference" a b
check "difference, 3 sets" even c a
check "99.5%" -c 99.5 a c
check "80%" -c 80 pps1 pps2
check "decimals" pps2 pps1
check "df > 100" big1 big2

# bench compare: the same difference and interval as ministat, from CSV rows.
tocsv() {	# tocsv SAMPLES > CSV
	echo "host,kernel,target,harness,started,workload,mode,size,size_unit,run,metric,value,unit,better"
	grep -v '^#' "$1" | grep -v '^$' | awk '{ printf "t,k,linux,0,now,forward,pf,256,flows,%d,rx_pps,%s,pps,higher\n", NR, $1 }'
}
cmp_pair() {	# cmp_pair BASE NEW
	tocsv "$1" >base.csv
	tocsv "$2" >new.csv
	"$pfh" bench compare base.csv new.csv >out 2>&1
	ours=$(awk '/rx_pps/ { for (i = 1; i <= NF; i++) if ($i == "+/-") { print $(i-1), $(i+1); exit } }' out)
	theirs=$(ministat -A "$1" "$2" | awk '/^\t.* \+\/- / && !/%/ { print $1, $3; exit }')
	if [ -z "$theirs" ]; then
		if grep -q "no difference proven" out; then
			echo "ok: compare $1 $2 (no difference, as ministat)"
			pass=$((pass + 1))
		else
			echo "FAIL: compare $1 $2: ministat proves no difference, we say:"
			cat out
			fail=$((fail + 1))
		fi
		return
	fi
	if echo "$ours $theirs" | awk '{ exit !(($1 - $3) ^ 2 <= (1e-3 * $3) ^ 2 && ($2 - $4) ^ 2 <= (1e-3 * $4) ^ 2) }'; then
		echo "ok: compare $1 $2: $ours (ministat $theirs)"
		pass=$((pass + 1))
	else
		echo "FAIL: compare $1 $2: ours \"$ours\", ministat \"$theirs\""
		cat out
		fail=$((fail + 1))
	fi
}
cmp_pair pps1 pps2
cmp_pair a c
cmp_pair a b
cmp_pair big1 big2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
