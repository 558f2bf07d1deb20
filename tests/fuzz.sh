#!/bin/sh
# fuzz.sh: the fuzz targets' regression inputs (tests/fuzz/regress/TARGET/: what the
# fuzzers found, and hostile inputs written by hand) replayed under ASan and UBSan by
# the targets built without libFuzzer (build/san/bin/fuzz_*, make unit builds them): a
# crash, a leak or a sanitizer report fails. Usage: sh tests/fuzz.sh
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
for d in tests/fuzz/regress/*/; do
	t=$(basename "$d")
	bin=build/san/bin/fuzz_$t
	if [ ! -x "$bin" ]; then
		echo "FAIL: $t: no $bin (make unit builds it)"
		fail=$((fail + 1))
		continue
	fi
	for f in "$d"*; do
		[ -f "$f" ] || continue
		if "$bin" "$f" > /dev/null 2> "${TMPDIR:-/tmp}/pfh-fuzz-$$.err"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: $t: $f"
			grep -E 'ERROR|SUMMARY|runtime error' "${TMPDIR:-/tmp}/pfh-fuzz-$$.err" | head -3
		fi
	done
done
rm -f "${TMPDIR:-/tmp}/pfh-fuzz-$$.err"
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
