#!/bin/sh
# forum.sh: scenarios/forum (forum-reported NAT problems on jail hosts) agrees with its
# README and holds: every scenario has its header (Symptom:, Mechanism:, Fix: and a
# Source: naming a FreeBSD man page or source file), the README's tables list every
# file and only files that exist, there are at least twelve runnable scenarios, they
# pass on the model target, known-failing ones still fail there, and (as root on
# Linux) they pass on the linux target with the model's verdicts.
# usage: sh tests/forum.sh [PFHARNESS]   (default ./pfharness)
cd "$(dirname "$0")/.." || exit 2
bin=${1:-./pfharness}
dir=scenarios/forum
readme=$dir/README.md
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-forum.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 errs=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# A check made of many comparisons counts once: note() records each mismatch,
# verdict NAME closes the check.
note() { errs=$((errs + 1)); echo "FAIL: $*"; }
verdict() { if [ "$errs" -eq 0 ]; then ok; else fail=$((fail + 1)); echo "  ($1)"; fi; errs=0; }

if [ ! -f "$readme" ] || [ ! -x "$bin" ]; then
	echo "forum: $readme or $bin missing"
	echo "forum: 0 passed, 1 failed"
	exit 1
fi

: > "$tmp/files"
for f in "$dir"/*.scn "$dir"/known-failing/*.scn.failing "$dir"/pending/*.scn.pending; do
	[ -f "$f" ] && echo "${f#$dir/}" >> "$tmp/files"
done
passing=$(grep '^[^/]*\.scn$' "$tmp/files" | sed "s|^|$dir/|")
failing=$(grep '^known-failing/' "$tmp/files" | sed "s|^|$dir/|")

# 1. Each file's header: the three parts and a source from FreeBSD. Only the comment
# lines before the first statement count.
while read -r f; do
	head=$(awk '/^[^#]/ && !/^[ \t]*$/ { exit } { print }' "$dir/$f")
	for part in Symptom Mechanism Fix Source; do
		printf '%s\n' "$head" | grep -q "^# $part: [^ ]" ||
			note "$dir/$f: no '# $part:' line in its header"
	done
	printf '%s\n' "$head" | sed -n '/^# Source:/,/^# [A-Z][a-z]*:/p' |
	    grep -Eq '\((4|5|8)\)|[a-z_]+\.(c|y|h)\b|rc\.d/' ||
		note "$dir/$f: its Source: names no FreeBSD man page or source file"
	if printf '%s\n' "$head" | grep -q '^# Thread:'; then
		printf '%s\n' "$head" | grep -q '^# Thread: https\?://' ||
			note "$dir/$f: its Thread: line gives no address"
	fi
done < "$tmp/files"
verdict "every scenario has its header"

# 2. The README lists every file, and nothing else (the last column of its tables).
awk -F'|' 'NF >= 6 && $(NF-1) ~ /\.scn/ { f = $(NF-1); gsub(/^ +| +$/, "", f); print f }' \
    "$readme" | sort > "$tmp/listed"
sort "$tmp/files" > "$tmp/have"
missing=$(comm -13 "$tmp/listed" "$tmp/have")
extra=$(comm -23 "$tmp/listed" "$tmp/have")
[ -z "$missing" ] || note "$readme does not list: $missing"
[ -z "$extra" ] || note "$readme lists files that do not exist: $extra"
dups=$(uniq -d "$tmp/listed")
[ -z "$dups" ] || note "$readme lists twice: $dups"
verdict "the README lists every file"

# 3. At least twelve runnable scenarios (passing or known-failing).
n=$(printf '%s\n%s\n' "$passing" "$failing" | grep -c .)
if [ "$n" -ge 12 ]; then ok; else bad "$n runnable scenarios in $dir, at least 12 wanted"; fi

# 4. The passing ones pass on the model target.
if [ -n "$passing" ] && "$bin" run --no-color -t model --results "$tmp/r" \
    $passing > "$tmp/model.out" 2>&1; then ok; else
	bad "forum scenarios fail on the model:"
	grep -E 'FAIL|ERROR|^[^ ].*\(model\)' "$tmp/model.out" | grep -B1 -E 'FAIL|ERROR'
fi

# 5. Known-failing ones still fail there, and are tagged so.
for f in $failing; do
	if "$bin" run --no-color -t model --results "$tmp/r" "$f" > /dev/null 2>&1; then
		bad "$f now passes on the model: move it to $dir/$(basename "$f" .failing), drop its known-failing tag and move its README line"
	else
		ok
	fi
	grep -q '^tag .*known-failing' "$f" || note "$f: no known-failing tag"
done
verdict "known-failing scenarios are tagged so"

# 6. Linux (as root): they pass there too, with the model's verdicts.
if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ]; then
	if [ -n "$passing" ] && "$bin" run --no-color -t linux,model --results "$tmp/r" \
	    $passing > "$tmp/linux.out" 2>&1 && ! grep -q 'targets disagree' "$tmp/linux.out"
	then ok; else
		bad "forum scenarios fail on linux or disagree with the model:"
		grep -E 'FAIL|ERROR|disagree' "$tmp/linux.out"
	fi
else
	echo "forum: not root on Linux: the linux-target checks are skipped"
fi

echo "forum: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
