#!/bin/sh
# man.sh: the manual pages: mandoc -Tlint finds nothing (but manuals this system does
# not have, such as pf(4)), and pfharness.1 says what each command's --help says
# (options, exit statuses) and nothing else (tests/manhelp.py).
cd "$(dirname "$0")/.." || exit 2
bin=${1:-./pfharness}
pass=0 fail=0 skip=0
for m in man/*.[1-9]; do
	if ! command -v mandoc >/dev/null 2>&1; then
		skip=$((skip + 1))
		echo "SKIP  $m: mandoc -Tlint (no mandoc: apt-get install mandoc)"
		continue
	fi
	out=$(mandoc -Tlint "$m" 2>&1 | grep -v -e 'referenced manual not found' \
	    -e 'outdated mandoc.db')
	if [ -z "$out" ]; then
		pass=$((pass + 1))
		echo "ok    $m: mandoc -Tlint clean"
	else
		fail=$((fail + 1))
		echo "FAIL  $m: mandoc -Tlint"
		printf '%s\n' "$out" | sed 's/^/      /'
	fi
done
python3 tests/manhelp.py "$bin" man/pfharness.1 . >"${TMPDIR:-/tmp}/pfh-man.$$" 2>&1
cat "${TMPDIR:-/tmp}/pfh-man.$$"
set -- $(tail -1 "${TMPDIR:-/tmp}/pfh-man.$$")
rm -f "${TMPDIR:-/tmp}/pfh-man.$$"
case $1 in [0-9]*) pass=$((pass + $1)); fail=$((fail + $3)) ;; *) fail=$((fail + 1)) ;; esac
echo "man: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
