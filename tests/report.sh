#!/bin/sh
# report.sh: the run's output formats: TAP that prove reads right, valid JUnit XML,
# exit statuses. Model target only (no root needed).
cd "$(dirname "$0")/.." || exit 2
bin=${1:-./pfharness}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-report.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
check() {	# check NAME COMMAND...: one test, judged by the command's status
	name=$1; shift
	if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL: $name"; fi
}
odd="tests/report/odd & names.scn"

"$bin" run -t model --tap --results "$tmp/r" "$odd" > "$tmp/odd.tap"
check "failing probes exit 1" test $? -eq 1
check "a # in a title is escaped" grep -q 'ticket \\#todo' "$tmp/odd.tap"
prove -e cat "$tmp/odd.tap" > "$tmp/prove.out" 2>&1
check "prove counts both failures, no TODO" grep -q 'Failed 2/2 subtests' "$tmp/prove.out"

"$bin" run -t model --tap --results "$tmp/r" scenarios/seed > "$tmp/seed.tap"
check "passing scenarios exit 0" test $? -eq 0
check "prove passes the seed scenarios" prove -e cat "$tmp/seed.tap"

"$bin" run -t model --tap --tag no-such-tag --results "$tmp/r" scenarios/seed > "$tmp/none.tap"
check "nothing selected still gives a plan" grep -qx '1..0' "$tmp/none.tap"

"$bin" run -t model --junit "$tmp/j.xml" --results "$tmp/r" "$odd" scenarios/seed >/dev/null
check "JUnit XML parses" python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$tmp/j.xml"
check "JUnit counts the two failures" grep -q 'tests="2" failures="2"' "$tmp/j.xml"

"$bin" run -t model --junit "$tmp/no/such/dir/j.xml" --results "$tmp/r" scenarios/seed/vps-lo100.scn >/dev/null 2>&1
check "an unwritable JUnit file exits 2" test $? -eq 2

echo "report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
