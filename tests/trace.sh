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
echo "trace: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
