#!/bin/sh
# trace.sh: golden tests of `pfharness trace`: for each tests/trace/NAME.in (its first
# line `#! ARGS` gives the interfaces), trace it against NAME.conf and diff with NAME.ok.
# Usage: sh tests/trace.sh [pfharness]   (UPDATE=1 rewrites the .ok files)
bin=${1:-./pfharness}
dir=$(dirname "$0")/trace
pass=0 fail=0
for in in "$dir"/*.in; do
	name=${in%.in}
	args=$(sed -n '1s/^#! //p' "$in")
	# shellcheck disable=SC2086
	out=$("$bin" trace -f "$name.conf" $args < "$in" 2>&1)
	if [ -n "$UPDATE" ]; then
		printf '%s\n' "$out" > "$name.ok"
	fi
	if printf '%s\n' "$out" | diff -u "$name.ok" - > /dev/null; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: trace $(basename "$name")"
		printf '%s\n' "$out" | diff -u "$name.ok" - | head -40
	fi
done

# Bad options: each refused with exit 2 and a message that names it.
refuse() {
	want=$1
	shift
	out=$("$bin" trace "$@" 2>&1 </dev/null)
	rc=$?
	if [ "$rc" -eq 2 ] && printf '%s\n' "$out" | grep -qF -- "$want"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: trace $*: exit $rc, expected 2 and \"$want\":"
		printf '%s\n' "$out" | head -5
	fi
}
conf=$dir/seed1.conf
refuse "-D foo: expected macro=value" -f "$conf" -D foo
many=
i=0
while [ $i -le 32 ]; do many="$many -D m$i=1"; i=$((i + 1)); done
# shellcheck disable=SC2086
refuse "-D m32=1: at most 32 macros" -f "$conf" $many
refuse "--time-ms x: not a number" -f "$conf" --time-ms x
refuse "--if em0=300.1.1.1/24: bad address" -f "$conf" --if em0=300.1.1.1/24
refuse "unrecognized option" -f "$conf" --bogus
refuse "usage: pfharness trace" --json

echo "trace: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
