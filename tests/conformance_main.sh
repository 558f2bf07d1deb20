#!/bin/sh
# conformance_main.sh: the pfctl corpus from FreeBSD's main branch
# (../shared/conformance/pfctl-main) through tests/conformance.sh twice:
# as FreeBSD 14's pfctl, held to tests/conformance.15only (every case passes but those,
# what 14 does not have), and as 15's (FREEBSD=15), held to tests/conformance.15-failures
# (what the model does not do yet, and why). A listed case that passes is an error too:
# the lists must be kept true. Prints `conformance-main: N passed, N failed, N skipped`
# (both runs counted).
cd "$(dirname "$0")/.." || exit 2
corpus=${CORPUS_MAIN:-../shared/conformance/pfctl-main}
if [ ! -d "$corpus" ]; then
	echo "no corpus at $corpus"
	echo "conformance-main: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
[ -x ./pfharness ] || { echo "pfharness not built"; exit 2; }
out=$(mktemp "${TMPDIR:-/tmp}/pfhconfm.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT INT TERM
pass=0 fail=0 skip=0

# check RELEASE LIST: run the corpus as that release's pfctl, hold it to the list.
check() {
	release=$1 list=$2
	FREEBSD=$release sh tests/conformance.sh "$corpus" > "$out" 2>&1
	while read -r id scope kind res note; do
		case $id in pf[0-9][0-9][0-9][0-9]) ;; *) continue ;; esac
		n=${id#pf}
		listed=0
		grep -q "^$n	" "$list" && listed=1
		case $res in
		PASS)
			if [ $listed = 1 ]; then
				echo "$release: pf$n passes but $list lists it: drop it from the list"
				fail=$((fail + 1))
			else
				pass=$((pass + 1))
			fi ;;
		FAIL)
			if [ $listed = 1 ]; then
				pass=$((pass + 1))
			else
				echo "$release: pf$n ($scope $kind) fails and is not in $list: $note"
				fail=$((fail + 1))
			fi ;;
		*)
			skip=$((skip + 1)) ;;
		esac
	done < "$out"
	# a listed id the corpus does not have is a stale entry
	for n in $(grep -v '^#' "$list" | cut -f1); do
		grep -q "^pf$n " "$out" || { echo "$list lists $n, which the corpus lacks"; fail=$((fail + 1)); }
	done
	echo "as FreeBSD $release: $(tail -1 "$out")"
}

check 14 tests/conformance.15only
check 15 tests/conformance.15-failures
echo "conformance-main: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
