#!/bin/sh
# kyua.sh: the Kyua test program (tests/kyua/scenarios.sh) on scenarios that pass, fail
# (with titles holding directive words) and cannot run: its ATF list, its results
# called by hand as Kyua calls them, then, when kyua is here, `kyua test` and
# `kyua report-junit` over it.
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-kyua.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok    $1"; }
bad() { fail=$((fail + 1)); echo "FAIL  $1"; [ -z "$2" ] || sed 's/^/      /' "$2" | head -20; }
t() {	# t NAME COMMAND...
	name=$1; shift
	if "$@" >"$tmp/t.out" 2>&1; then ok "$name"; else bad "$name" "$tmp/t.out"; fi
}
mkdir -p "$tmp/scn/sub" "$tmp/k"
cp scenarios/seed/vps-lo100.scn tests/report/skip-todo.scn tests/bad/malformed.scn "$tmp/scn/"
cp scenarios/seed/vps-lo100.scn "$tmp/scn/sub/"
sed -e "s|@PFHARNESS@|$top/pfharness|" -e "s|@SCENARIOS@|$tmp/scn|" \
    tests/kyua/scenarios.sh >"$tmp/k/scenarios"
chmod +x "$tmp/k/scenarios"
cp tests/kyua/Kyuafile "$tmp/k/"
prog=$tmp/k/scenarios

"$prog" -l >"$tmp/list"
t "the ATF list: header, one case per scenario, titles as descr" sh -c "
    head -2 '$tmp/list' | head -1 | grep -qx 'Content-Type: application/X-atf-tp; version=\"1\"' &&
    [ \$(grep -c '^ident: ' '$tmp/list') -eq 4 ] &&
    grep -qx 'ident: sub__vps_lo100' '$tmp/list' &&
    grep -qx 'descr: titles that look like directives: skip, TODO' '$tmp/list'"

(cd "$tmp" && "$prog" -r"$tmp/r1" vps_lo100 >/dev/null 2>&1; echo $? >"$tmp/rc1")
t "a scenario that passes: passed, exit 0" sh -c "[ \$(cat '$tmp/rc1') -eq 0 ] && grep -qx passed '$tmp/r1'"
(cd "$tmp" && "$prog" -vtarget=model -r "$tmp/r2" skip_todo >/dev/null 2>&1; echo $? >"$tmp/rc2")
t "a scenario that fails: failed with the probes, exit 1" sh -c "[ \$(cat '$tmp/rc2') -eq 1 ] &&
    grep -qx 'failed: 3 of 3 probes failed: skip this probe: it fails anyway; SKIP and TODO, written as directives; a plain title # TODO after a hash' '$tmp/r2'"
(cd "$tmp" && "$prog" -r"$tmp/r3" malformed >/dev/null 2>&1; echo $? >"$tmp/rc3")
t "a scenario that cannot run: failed, says why, exit 1" sh -c "[ \$(cat '$tmp/rc3') -eq 1 ] &&
    grep -q '^failed: could not run (exit 2): .*malformed.scn:7: usage: jail' '$tmp/r3'"
(cd "$tmp" && "$prog" -vtarget=nosuch -r"$tmp/r4" vps_lo100 >/dev/null 2>&1)
(cd "$tmp" && "$prog" -v target=nosuch2 -r "$tmp/r5" vps_lo100 >/dev/null 2>&1)
t "an unknown target (-vtarget=, -v target=): failed, named" sh -c "
    grep -q 'failed: unknown target \"nosuch\"' '$tmp/r4' &&
    grep -q 'failed: unknown target \"nosuch2\"' '$tmp/r5'"

if command -v kyua >/dev/null 2>&1; then
	(cd "$tmp/k" && HOME=$tmp kyua test --results-file="$tmp/k.db" >"$tmp/kyua.out" 2>&1;
	 HOME=$tmp kyua report-junit --results-file="$tmp/k.db" --output="$tmp/k.xml" \
	    >>"$tmp/kyua.out" 2>&1)
	t "kyua test: two cases pass and two fail, each named" sh -c "
	    grep -q '^2/4 passed (2 failed)' '$tmp/kyua.out' &&
	    grep -q 'scenarios:skip_todo  ->  failed: 3 of 3 probes failed' '$tmp/kyua.out' &&
	    grep -q 'scenarios:sub__vps_lo100  ->  passed' '$tmp/kyua.out'"
	t "kyua report-junit: a testcase per scenario, the failures with their reason" sh -c "
	    [ \$(grep -c '<testcase classname=\"scenarios\"' '$tmp/k.xml') -eq 4 ] &&
	    grep -q '<failure message=\"3 of 3 probes failed: skip this probe' '$tmp/k.xml'"
else
	skip=$((skip + 2))
	echo "SKIP  kyua test, kyua report-junit: no kyua (apt-get install kyua)"
fi
echo "kyua: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
