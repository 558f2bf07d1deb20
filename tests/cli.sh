#!/bin/sh
# cli.sh: the command line's habits, one test each: parse and trace naming an
# interface the ruleset uses but no --if declared.
cd "$(dirname "$0")/.." || exit 2
bin=${1:-./pfharness}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok    $1"; }
bad() { fail=$((fail + 1)); echo "FAIL  $1"; [ -z "$2" ] || sed 's/^/      /' "$2" | head -10; }
t() {	# t NAME COMMAND...: one test, judged by the command's status
	name=$1; shift
	if "$@" >"$tmp/t.out" 2>&1; then ok "$name"; else bad "$name" "$tmp/t.out"; fi
}
printf 'rdr on em0 proto tcp to port 81 -> 10.99.0.3 port 80\nnat on em0 from 10.99.0.0/28 -> (em0)\npass on em1\n' >"$tmp/pf.conf"
"$bin" trace -f "$tmp/pf.conf" 'in on em0 tcp 198.51.100.7:1 > 203.0.113.1:81 S' >/dev/null 2>"$tmp/tw"
t "trace: an undeclared interface is named, with the option that declares it" \
    sh -c "grep -q 'pf.conf:2: warning: interface em0 is not declared (declare it with --if em0=ADDR/LEN)' '$tmp/tw' && grep -q 'pf.conf:3: warning: interface em1 is not declared' '$tmp/tw'"
"$bin" trace -f "$tmp/pf.conf" --if em0=203.0.113.1/24 --if em1=192.0.2.1/24 \
    'in on em0 tcp 198.51.100.7:1 > 203.0.113.1:81 S' >/dev/null 2>"$tmp/tw2"
t "trace: declared interfaces, no warning" sh -c "! grep -q warning '$tmp/tw2'"
"$bin" parse -nvf "$tmp/pf.conf" >/dev/null 2>"$tmp/pw"
t "parse: an undeclared interface is named, with the option that declares it" \
    sh -c "[ $? -eq 0 ] && grep -q 'pfharness parse: .*pf.conf:2: warning: interface em0 is not declared (declare it with --if em0=ADDR/LEN)' '$tmp/pw'"

echo "cli: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
