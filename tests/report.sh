#!/bin/sh
# report.sh: the run's output formats: TAP that prove, TAP::Parser and Kyua read right
# (titles holding directive words included), JUnit XML valid against the strict Ant
# schema (tests/JUnit.xsd) with the whole failure text, a failed probe's dump (pfctl
# -sn and -sr views), exit statuses. Model target only (no root needed).
cd "$(dirname "$0")/.." || exit 2
bin=${1:-./pfharness}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-report.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 skip=0
check() {	# check NAME COMMAND...: one test, judged by the command's status
	name=$1; shift
	if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); echo "ok    $name"; else
		fail=$((fail + 1)); echo "FAIL  $name"; fi
}
skipped() { skip=$((skip + 1)); echo "SKIP  $1"; }
odd="tests/report/odd & names.scn"
words=tests/report/skip-todo.scn

# --- TAP
"$bin" run -t model --tap --results "$tmp/r" "$odd" "$words" > "$tmp/odd.tap"
check "failing probes exit 1" test $? -eq 1
check "a # in a title is escaped" grep -q '^not ok [0-9]* - odd & names (model): .*ticket \\#2$' "$tmp/odd.tap"
check "a result line holds no directive word" sh -c "! grep -Ei '^(not )?ok .*(skip|todo)' '$tmp/odd.tap'"
check "a title with a directive word follows its result line as a comment" \
    grep -q '^# skip-todo (model): SKIP and TODO, written as directives$' "$tmp/odd.tap"
prove -e cat "$tmp/odd.tap" > "$tmp/prove.out" 2>&1
check "prove counts the five failures, no TODO, no skip" \
    sh -c "grep -q 'Failed 5/5 subtests' '$tmp/prove.out' && ! grep -qiE 'todo|skipped:' '$tmp/prove.out'"
# TAP::Parser (Perl's, prove's own), result by result: each a failure, none a
# directive.
perl -MTAP::Parser -e '
	my $p = TAP::Parser->new({ source => $ARGV[0] });
	my ($n, $bad) = (0, 0);
	while (my $r = $p->next) {
		next unless $r->is_test;
		$n++;
		$bad++ if $r->is_ok || $r->has_todo || $r->has_skip || $r->has_directive;
	}
	exit($n == 5 && !$bad && !$p->parse_errors ? 0 : 1);
' "$tmp/odd.tap"
check "TAP::Parser: five failures, no directive, no parse error" test $? -eq 0

# Kyua's own TAP parser (a tap_test_program), which reads "skip", "SKIP" and "TODO"
# anywhere on a `not ok` line as a directive.
if command -v kyua >/dev/null 2>&1; then
	mkdir -p "$tmp/kyua"
	cat > "$tmp/kyua/Kyuafile" <<'EOF'
syntax(2)
test_suite("report")
tap_test_program{name="words"}
EOF
	printf '#!/bin/sh\nexec "%s" run -t model --tap --results "%s/kr" "%s/%s"\n' \
	    "$bin" "$tmp" "$(pwd)" "$words" > "$tmp/kyua/words"
	chmod +x "$tmp/kyua/words"
	(cd "$tmp/kyua" && HOME=$tmp kyua test --results-file="$tmp/kyua.db" > "$tmp/kyua.out" 2>&1)
	check "kyua (tap_test_program): the failing probes fail the program" \
	    grep -q 'words:main  ->  failed' "$tmp/kyua.out"
else
	skipped "kyua (tap_test_program): no kyua (apt-get install kyua)"
fi

"$bin" run -t model --tap --results "$tmp/r" scenarios/seed > "$tmp/seed.tap"
check "passing scenarios exit 0" test $? -eq 0
check "prove passes the seed scenarios" prove -e cat "$tmp/seed.tap"

# --- JUnit
"$bin" run -t model --junit "$tmp/j.xml" --results "$tmp/r" "$odd" scenarios/seed \
    tests/bad/malformed.scn >/dev/null 2>&1
check "JUnit XML is valid against the strict Ant schema (tests/JUnit.xsd)" \
    xmllint --noout --schema tests/JUnit.xsd "$tmp/j.xml"
check "JUnit counts the two failures" grep -q 'tests="2" failures="2" errors="0"' "$tmp/j.xml"
check "JUnit: a scenario that could not run is an error" \
    grep -q '<error type="scenario could not run" message="tests/bad/malformed.scn:' "$tmp/j.xml"
check "JUnit: a failure has a type and the first line as its message" \
    grep -q '<failure type="expect reply" message="tests/report/odd &amp; names.scn:14: expect reply tcp' "$tmp/j.xml"
check "JUnit: the failure's text holds the dumps" \
    sh -c "xmllint --xpath 'string(//testcase[starts-with(@name, \"ticket\")]/failure)' \
	'$tmp/j.xml' | grep -q 'counters (pfctl -si):'"
check "JUnit: timestamp, hostname, properties, system-out" \
    sh -c "grep -q 'timestamp=\"[0-9-]*T[0-9:]*\" hostname=\"' '$tmp/j.xml' &&
	grep -q '<property name=\"target\" value=\"model\"/>' '$tmp/j.xml' &&
	grep -q '<system-out>odd &amp; names (model)' '$tmp/j.xml'"

# A failed probe of a ruleset of rdr rules only: its dump holds the rdr rule in the
# -sn view, the -sr view is there (empty, `(none)` in the summary).
"$bin" run --no-color -t model --results "$tmp/d" tests/report/rdr-only.scn >"$tmp/d.out" 2>&1
dir=$tmp/d/latest/rdr-only
check "a failed probe's dump shows the -sn and -sr views" sh -c "
    grep -q '^@0 rdr pass on em0 ' '$dir/probe01-model-nat.txt' &&
    [ -f '$dir/probe01-model-rules.txt' ] &&
    grep -q 'translation rules (pfctl -sn -vv):' '$tmp/d.out' &&
    grep -A1 'filter rules (pfctl -sr -vv):' '$tmp/d.out' | grep -q '(none)'"

"$bin" run -t model --junit "$tmp/no/such/dir/j.xml" --results "$tmp/r" scenarios/seed/vps-lo100.scn >/dev/null 2>&1
check "an unwritable JUnit file exits 2" test $? -eq 2

echo "report: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
