#!/bin/sh
# freebsd_suite.sh: scenarios/freebsd (FreeBSD's pf test suite ported) agrees with its
# README: every table row that says ported has a scenario naming its case, every
# scenario's case has a row of the matching status, the counts at the top are the
# table's, passing scenarios pass on the model, known-failing ones still fail there,
# and (as root on Linux) the passing scenarios pass on the linux target too.
# usage: sh tests/freebsd_suite.sh [PFHARNESS]   (default ./pfharness)
cd "$(dirname "$0")/.." || exit 2
bin=${1:-./pfharness}
dir=scenarios/freebsd
readme=$dir/README.md
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-fbsd.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 errs=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# A check made of many comparisons counts once: note() records each mismatch,
# verdict NAME closes the check.
note() { errs=$((errs + 1)); echo "FAIL: $*"; }
verdict() { if [ "$errs" -eq 0 ]; then ok; else fail=$((fail + 1)); echo "  ($1)"; fi; errs=0; }

if [ ! -f "$readme" ] || [ ! -x "$bin" ]; then
	echo "freebsd_suite: $readme or $bin missing"
	echo "freebsd_suite: 0 passed, 1 failed"
	exit 1
fi

# The table: "FILE CASE|SCOPE|STATUS", one line per row.
awk -F'|' '/^\| *[^ |]+ *\| *[^ |]+ *\| *(in|out|-) *\|/ {
	for (i = 2; i <= 5; i++) gsub(/^ +| +$/, "", $i)
	print $2 " " $3 "|" $4 "|" $5
}' "$readme" > "$tmp/rows"
# The scenarios: "FILE CASE|KIND|PATH", KIND passing, failing or pending.
for f in "$dir"/*.scn "$dir"/known-failing/*.scn.failing "$dir"/pending/*.scn.pending; do
	[ -f "$f" ] || continue
	case $f in
	*.scn.failing) kind=failing ;;
	*.scn.pending) kind=pending ;;
	*) kind=passing ;;
	esac
	n=$(grep -c '^# ports: ' "$f")
	if [ "$n" -eq 0 ]; then
		bad "$f: no '# ports: FILE CASE' line"
		continue
	fi
	sed -n 's/^# ports: *\([^ ]*\) \([^ ]*\) *$/\1 \2/p' "$f" |
	    while read -r c; do echo "$c|$kind|$f"; done >> "$tmp/files"
done
touch "$tmp/files"

# 1. Each row once; ported rows have a file of the right kind.
dups=$(cut -d'|' -f1 "$tmp/rows" | sort | uniq -d)
[ -z "$dups" ] || note "cases listed twice in the table: $dups"
while IFS='|' read -r c scope status; do
	case $status in
	ported-passing|"ported-passing (15)") want=passing ;;
	ported-failing) want=failing ;;
	"not expressible"|"FreeBSD 15 only") want= ;;
	*) note "$readme: $c: unknown status \"$status\""; continue ;;
	esac
	have=$(awk -F'|' -v c="$c" '$1 == c && $2 != "pending" { print $2 }' "$tmp/files" |
	    sort -u | tr '\n' ' ')
	if [ -n "$want" ] && [ "$have" != "$want " ]; then
		note "$c: the table says $status but the files that name it are: ${have:-none}"
	elif [ -z "$want" ] && [ -n "$have" ]; then
		note "$c: the table says $status but a $have scenario names it"
	fi
done < "$tmp/rows"
verdict "every ported row has its scenario"

# 2. Each file's case is in the table (pending ones under not expressible).
while IFS='|' read -r c kind f; do
	status=$(awk -F'|' -v c="$c" '$1 == c { print $3 }' "$tmp/rows")
	case $kind:$status in
	passing:ported-passing|"passing:ported-passing (15)"|failing:ported-failing) ;;
	"pending:not expressible") ;;
	*) note "$f: ports $c, which the table lists as \"${status:-nothing}\"" ;;
	esac
done < "$tmp/files"
verdict "every scenario's case is in the table"

# 3. The counts at the top are the table's.
count() {	# count LABEL VALUE
	got=$(sed -n "s/^- $1: \([0-9]*\).*/\1/p" "$readme")
	[ "$got" = "$2" ] || note "$readme: \"- $1:\" says ${got:-nothing}, the table has $2"
}
count cases "$(wc -l < "$tmp/rows" | tr -d ' ')"
for s in ported-passing ported-failing "not expressible" "FreeBSD 15 only" \
    "ported-passing (15)"; do
	count "$s" "$(awk -F'|' -v s="$s" '$3 == s' "$tmp/rows" | wc -l | tr -d ' ')"
done
in=$(awk -F'|' '$2 == "in"' "$tmp/rows" | wc -l | tr -d ' ')
inp=$(awk -F'|' '$2 == "in" && $3 ~ /^ported/' "$tmp/rows" | wc -l | tr -d ' ')
count "in scope" "$in"
count "in scope ported" "$inp"
pct=$(sed -n 's/^- in scope ported: [0-9]* (\([0-9]*\)%).*/\1/p' "$readme")
[ "$in" -gt 0 ] && [ "$pct" = "$((inp * 100 / in))" ] ||
	note "$readme: in scope ported percentage ${pct:-missing}, the table gives $((inp * 100 / in))"
bogus=$(awk -F'|' '{ fb15 = $3 == "FreeBSD 15 only" || $3 == "ported-passing (15)" }
    $2 == "-" && !fb15 || $2 != "-" && fb15' "$tmp/rows")
[ -z "$bogus" ] || note "scope '-' is for FreeBSD 15 only rows (ported or not) and only those: $bogus"
# a case ported as 15's says so in its scenario, and only such a case does; a 14
# case whose behaviour 15 changed may add a 15 scenario beside its 14 one
while IFS='|' read -r c kind f; do
	[ "$kind" = passing ] || continue
	st=$(awk -F'|' -v c="$c" '$1 == c { print $3 }' "$tmp/rows")
	if grep -q '^freebsd 15$' "$f"; then fb=1; else fb=0; fi
	[ "$st" = "ported-passing (15)" ] && [ $fb -eq 0 ] &&
		note "$f: its row says ported-passing (15) but it has no 'freebsd 15'"
	if [ "$st" = ported-passing ] && [ $fb -eq 1 ]; then
		n14=0
		for g in $(awk -F'|' -v c="$c" '$1 == c && $2 == "passing" { print $3 }' \
		    "$tmp/files"); do
			grep -q '^freebsd 15$' "$g" || n14=$((n14 + 1))
		done
		[ $n14 -gt 0 ] ||
			note "$f: it has 'freebsd 15' but its row says ported-passing (14's) and no 14 scenario ports it"
	fi
done < "$tmp/files"
verdict "the counts at the top are the table's"

# 4. Passing scenarios pass on the model target.
passing=$(awk -F'|' '$2 == "passing" { print $3 }' "$tmp/files" | sort -u)
if "$bin" run --no-color -t model --results "$tmp/r" $passing > "$tmp/model.out" 2>&1; then ok; else
	bad "scenarios marked passing fail on the model:"
	grep -E '^(  FAIL|  ERROR|[^ ].*\(model\))' "$tmp/model.out" | grep -B1 -E 'FAIL|ERROR'
fi

# 5. Known-failing scenarios still fail on the model (each: exit 1 or 2).
for f in $(awk -F'|' '$2 == "failing" { print $3 }' "$tmp/files" | sort -u); do
	if "$bin" run --no-color -t model --results "$tmp/r" "$f" > /dev/null 2>&1; then
		bad "$f now passes on the model: move it to $dir/$(basename "$f" .failing), drop its known-failing tag and mark its row ported-passing"
	else
		ok
	fi
	grep -q '^tag .*known-failing' "$f" || note "$f: no known-failing tag"
done
verdict "known-failing scenarios are tagged so"

# 6. Linux (as root): the passing scenarios pass there too, with the model's verdicts.
if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ]; then
	if [ -z "$passing" ] || "$bin" run --no-color -t linux,model --results "$tmp/r" \
	    $passing > "$tmp/linux.out" 2>&1 && ! grep -q 'targets disagree' "$tmp/linux.out"
	then ok; else
		bad "passing scenarios fail on linux or disagree with the model:"
		grep -E -A8 'FAIL|ERROR|disagree' "$tmp/linux.out" | head -60
	fi
else
	echo "freebsd_suite: not root on Linux: the linux-target checks are skipped"
fi

echo "freebsd_suite: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
