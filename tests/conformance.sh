#!/bin/sh
# conformance.sh: run FreeBSD's pfctl parser corpus through `pfharness parse -o none -nvf -`.
# usage: [FREEBSD=14|15] sh tests/conformance.sh CORPUS_DIR [PFHARNESS]
# FREEBSD (default 14) is the release whose pfctl the parser follows (--freebsd).
# Per case: .in must print .ok, .ok fed back must print .ok (self), a .fail case must
# fail with stderr matching .fail as a regular expression. Totals per scope and kind;
# the last line is "N passed, N failed". Exit 1 only when a case that
# tests/conformance.known lists for this corpus no longer passes (or on bad usage).

corpus=$1
bin=${2:-./pfharness}
[ -n "$corpus" ] && [ -d "$corpus" ] || { echo "usage: $0 corpus-dir [pfharness]" >&2; exit 2; }
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
known=$(pwd)/tests/conformance.known
[ -x "$bin" ] || { echo "conformance: $bin not built" >&2; exit 2; }
freebsd=${FREEBSD:-14}
case $freebsd in 14|15) ;; *) echo "conformance: FREEBSD=$freebsd: expected 14 or 15" >&2; exit 2 ;; esac
name=$(basename "$corpus")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfhconf.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$corpus" || exit 2

# Interfaces FreeBSD's test script creates for some cases (see the corpus README).
ifs_for() {
	case $1 in
	1057|1058) echo "--if vlan$1=203.0.113.5/24" ;;
	1061|1062) echo "--if vlan$1=2001:db8::cb00:7105/64" ;;
	*) echo "" ;;
	esac
}

run() {	# run ID INPUT OUT ERR: the parse, its exit status echoed
	# shellcheck disable=SC2046
	timeout 20 "$bin" parse --freebsd "$freebsd" -o none -nvf - $(ifs_for "$1") \
	    < "$2" > "$3" 2> "$4"
	echo $?
}

# The first error line of a parse, past the model's own warnings ("pfharness: ...:
# 'route-to' is not modelled"), which pfctl does not print.
first_err() {
	grep -v '^pfharness: ' "$1" | head -1
}

pass=0 fail=0 skip=0 regress=0
stats="$tmp/stats"
: > "$stats"
index=INDEX.tsv
[ -f "$index" ] || { echo "conformance: no INDEX.tsv in $corpus" >&2; exit 2; }
while IFS='	' read -r id kind features scope; do
	case $id in ''|'#'*) continue ;; esac
	[ -n "$scope" ] || scope=core
	res=PASS note=""
	case $kind in
	ok)
		rc=$(run "$id" "pf$id.in" "$tmp/out" "$tmp/err")
		if [ "$rc" != 0 ] || ! cmp -s "$tmp/out" "pf$id.ok"; then
			res=FAIL
			note="output differs: $(diff "$tmp/out" "pf$id.ok" | grep -c '^[<>]') lines; $(first_err "$tmp/err")"
		fi
		rc=$(run "$id" "pf$id.ok" "$tmp/sout" "$tmp/serr")
		if [ "$rc" != 0 ] || ! cmp -s "$tmp/sout" "pf$id.ok"; then
			res=FAIL
			note="$note self-test differs"
		fi
		;;
	ok-only)
		rc=$(run "$id" "pf$id.ok" "$tmp/sout" "$tmp/serr")
		if [ "$rc" != 0 ] || ! cmp -s "$tmp/sout" "pf$id.ok"; then
			res=FAIL
			note="self-test differs; $(first_err "$tmp/serr")"
		fi
		;;
	fail)
		rc=$(run "$id" "pf$id.in" "$tmp/out" "$tmp/err")
		if [ "$rc" = 0 ]; then
			res=FAIL
			note="loaded, expected an error"
		else
			while IFS= read -r re; do
				[ -n "$re" ] || continue
				if ! grep -Eq -- "$re" "$tmp/err"; then
					res=FAIL
					note="stderr lacks /$re/: $(head -1 "$tmp/err")"
				fi
			done < "pf$id.fail"
		fi
		;;
	*)
		res=SKIP
		note="no expected output stored ($kind)"
		;;
	esac
	printf '%-7s %-8s %-8s %-4s %s\n' "pf$id" "$scope" "$kind" "$res" "$note"
	echo "$scope $kind $res" >> "$stats"
	case $res in
	PASS) pass=$((pass + 1)) ;;
	FAIL) fail=$((fail + 1))
		if [ -f "$known" ] && grep -qx "$name/$id" "$known"; then
			echo "REGRESSION: $name/$id is in tests/conformance.known" >&2
			regress=$((regress + 1))
		fi ;;
	SKIP) skip=$((skip + 1)) ;;
	esac
done < "$index"

echo
echo "totals for $name as FreeBSD $freebsd's pfctl (scope kind: passed/failed/skipped):"
sort "$stats" | awk '
	{ k = $1 " " $2; n[k]++; if ($3 == "PASS") p[k]++; else if ($3 == "FAIL") f[k]++; else s[k]++
	  sc = $1; ns[sc]++; if ($3 == "PASS") ps[sc]++; else if ($3 == "FAIL") fs[sc]++; else ss[sc]++ }
	END {
		for (k in n) printf "  %-20s %d/%d/%d\n", k, p[k], f[k], s[k]
		for (sc in ns) printf "  %-20s %d/%d/%d\n", sc " (all kinds)", ps[sc], fs[sc], ss[sc]
	}' | sort
[ "$skip" -gt 0 ] && echo "$skip skipped"
[ "$regress" -gt 0 ] && echo "$regress known-passing case(s) regressed"
echo "$pass passed, $fail failed"
[ "$regress" -eq 0 ] || exit 1
exit 0
