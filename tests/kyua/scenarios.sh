#!/bin/sh
# scenarios: pfharness's scenarios as an ATF test program, for Kyua: one test case per
# scenario file under SCENARIOS (its path, `/` and other signs made `_`: seed/three-
# jails.scn is seed__three_jails), run by `pfharness run` on the target the
# configuration variable `target` names (default model). A case passes when every
# probe passes; the failure's reason names the probes that failed; the run's summary
# is the case's standard output (kyua report --verbose, kyua report-junit).
# Made by `make kyua` and `make install` from tests/kyua/scenarios.sh, which set:
PFHARNESS='@PFHARNESS@'
SCENARIOS='@SCENARIOS@'

# The test cases: "NAME<tab>PATH" lines, sorted by path; a name made twice gets _2, _3.
cases() {
	find "$SCENARIOS" -name '*.scn' -type f | sort | while IFS= read -r f; do
		r=${f#"$SCENARIOS"/}
		n=$(printf '%s\n' "${r%.scn}" | sed -e 's|/|__|g' -e 's/[^A-Za-z0-9_]/_/g')
		printf '%s\t%s\n' "$n" "$f"
	done | awk -F '\t' '{ k = $1; if (seen[$1]++) k = $1 "_" seen[$1]; print k "\t" $2 }'
}

list() {
	printf 'Content-Type: application/X-atf-tp; version="1"\n'
	cases | while IFS='	' read -r n f; do
		t=$(sed -n 's/^scenario "\(.*\)".*/\1/p' "$f" | head -1)
		printf '\nident: %s\n' "$n"
		[ -z "$t" ] || printf 'descr: %s\n' "$t"
		printf 'X-scenario: %s\n' "${f#"$SCENARIOS"/}"
	done
}

# result FILE LINE: the case's one-line result.
result() {
	printf '%s\n' "$2" | tr -d '\r' | head -1 > "$1"
}

run() {	# run RESFILE CASE
	resfile=$1 case=${2%:body}
	f=$(cases | awk -F '\t' -v c="$case" '$1 == c { print $2 }')
	if [ -z "$f" ]; then
		result "$resfile" "failed: no scenario for test case $case under $SCENARIOS"
		exit 1
	fi
	case $target in
	model) ;;
	linux|freebsd)
		if [ "$(id -u)" != 0 ]; then
			result "$resfile" "skipped: the $target target needs root"
			exit 0
		fi ;;
	*)
		result "$resfile" "failed: unknown target \"$target\" (model, linux, freebsd)"
		exit 1 ;;
	esac
	out=$(mktemp "${TMPDIR:-/tmp}/pfh-kyua.XXXXXX") || exit 1
	"$PFHARNESS" run --no-color -t "$target" --results "$results" "$f" > "$out" 2>&1
	rc=$?
	cat "$out"
	case $rc in
	0)
		result "$resfile" "passed" ;;
	1)
		why=$(awk '/^  FAIL  / { sub(/^  FAIL  /, ""); sub(/  \([0-9.]+ ms\)$/, "")
			w = w (n++ ? "; " : "") $0 }
			/^[0-9]+ passed, [0-9]+ failed/ { tot = $1 + $3 }
			END { printf "%d of %d probes failed: %s", n, tot, w }' "$out")
		result "$resfile" "failed: $why" ;;
	*)
		why=$(grep -v -e '^note: ' -e '^ *ERROR' -e '^[^ ].*(.*)' "$out" | grep . |
		    head -1 | sed 's/^ *//')
		result "$resfile" "failed: could not run (exit $rc): $why" ;;
	esac
	rm -f "$out"
	[ "$rc" -eq 0 ] && exit 0
	exit 1
}

usage() {
	echo "usage: scenarios -l | [-v var=value]... -r resfile case" >&2
	exit 1
}

setvar() {
	case $1 in
	target=*) target=${1#target=} ;;
	results=*) results=${1#results=} ;;
	esac
}

target=model results=results resfile= mode=
while [ $# -gt 0 ]; do
	case $1 in
	-l) mode=list ;;
	-r) resfile=$2; shift ;;
	-r?*) resfile=${1#-r} ;;
	-s) shift ;;
	-s?*) ;;
	-v) setvar "$2"; shift ;;
	-v?*) setvar "${1#-v}" ;;
	-*) usage ;;
	*) break ;;
	esac
	shift
done
if [ "$mode" = list ]; then
	list
	exit 0
fi
[ $# -eq 1 ] && [ -n "$resfile" ] || usage
run "$resfile" "$1"
