#!/bin/sh
# admin.sh: golden tests of the admin's files (pfharness world, check, and parse and
# trace with the files): each tests/admin/cases/NAME.args is a command line (words
# split on blanks, no quoting; standard input NAME.in when there is one), its standard
# output and error and exit status diffed with NAME.ok; then the real pf.conf files of
# tests/admin/realworld/NNN are checked on the world of their small rc.conf
# (NNN/check.ok; NNN/args adds options).
# Paths under this tree are written relative to its top.
# Usage: sh tests/admin.sh [pfharness]   (UPDATE=1 rewrites the .ok files)
cd "$(dirname "$0")/.." || exit 2
bin=${1:-./pfharness}
top=$(pwd -P)
pass=0 fail=0

# run NAME OKFILE ARGS...: the output of pfharness ARGS against OKFILE, standard
# input from NAME.in when there is one (trace's packets).
run() {
	name=$1 ok=$2
	shift 2
	input=${ok%.ok}.in
	[ -f "$input" ] || input=/dev/null
	out=$("$bin" "$@" < "$input" 2>&1; echo "exit $?")
	out=$(printf '%s\n' "$out" | sed "s|$top/||g")
	if [ -n "$UPDATE" ]; then
		printf '%s\n' "$out" > "$ok"
	fi
	if printf '%s\n' "$out" | diff -u "$ok" - > /dev/null; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name"
		printf '%s\n' "$out" | diff -u "$ok" - | head -40
	fi
}

cases=$(ls tests/admin/cases/*.args)
dirs=$(ls -d tests/admin/realworld/[0-9]*)
set -f		# the arguments are split on blanks, never globbed
for a in $cases; do
	name=${a%.args}
	# shellcheck disable=SC2046
	run "$(basename "$name")" "$name.ok" $(cat "$a")
done

# The realworld rulesets: each loads on its world, but 027 (pfctl refuses it); 019's
# world (a VNET jail's own rc.conf naming epair5b) is not whole: a scenario cannot name
# an interface so.
loaded=0 total=0
for d in $dirs; do
	set --
	[ -f "$d/rc.conf" ] && set -- "$@" --rc "$d/rc.conf"
	[ -f "$d/jail.conf" ] && set -- "$@" --jails "$d/jail.conf"
	set -- "$@" --pf "$d/pf.conf"
	# shellcheck disable=SC2046
	[ -f "$d/args" ] && set -- "$@" $(cat "$d/args")
	run "realworld $(basename "$d")" "$d/check.ok" check "$@"
	total=$((total + 1))
	tail -1 "$d/check.ok" | grep -q '^exit 0$' && loaded=$((loaded + 1))
done
set +f
echo "realworld: $loaded of $total rulesets load on the world of their files"
printf 'admin: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
