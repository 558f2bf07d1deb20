#!/bin/sh
# cli.sh: the command line's habits, one test each: colour only on a terminal that
# wants it (NO_COLOR, TERM=dumb, --no-color), -V, bench stats --help, an unknown bench
# subcommand named, a --tag that selects nothing said so (summary line, exit 2),
# --junit - on standard output, list's own --help, parse and trace naming an
# interface the ruleset uses but no --if declared, --freebsd 14|15 on parse,
# trace and run, and trace's ether rules.
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
scn=scenarios/seed/vps-lo100.scn
esc=$(printf '\033')

# Colour: script(1) gives the run a terminal.
if script -qec true /dev/null >/dev/null 2>&1; then
	tty() {	# tty OUT ENV...: run the scenario on a terminal, with ENV
		out=$1; shift
		env "$@" script -qec "'$bin' run -t model --results '$tmp/r' $scn" /dev/null \
		    >"$out" 2>&1
	}
	tty "$tmp/c1" TERM=xterm
	t "a terminal gets colour" grep -q "$esc\[" "$tmp/c1"
	tty "$tmp/c2" TERM=xterm NO_COLOR=1
	t "NO_COLOR=1: no colour on a terminal" sh -c "grep -q 'passed' '$tmp/c2' && ! grep -q '$esc' '$tmp/c2'"
	tty "$tmp/c3" TERM=xterm NO_COLOR=
	t "NO_COLOR empty: colour (no-color.org)" grep -q "$esc\[" "$tmp/c3"
	tty "$tmp/c4" TERM=dumb
	t "TERM=dumb: no colour on a terminal" sh -c "grep -q 'passed' '$tmp/c4' && ! grep -q '$esc' '$tmp/c4'"
	env TERM=xterm script -qec "'$bin' run --no-color -t model --results '$tmp/r' $scn" \
	    /dev/null >"$tmp/c5" 2>&1
	t "--no-color: no colour on a terminal" sh -c "grep -q 'passed' '$tmp/c5' && ! grep -q '$esc' '$tmp/c5'"
else
	skip=$((skip + 5))
	echo "SKIP  colour: no script(1) to give the run a terminal"
fi

"$bin" -V >"$tmp/v" 2>&1
t "-V prints the version, exit 0" sh -c "[ $? -eq 0 ] && grep -qx 'pfharness [0-9][0-9.]*' '$tmp/v'"
"$bin" --version >"$tmp/v2" 2>&1
t "--version prints the same" cmp -s "$tmp/v" "$tmp/v2"

"$bin" bench stats --help >"$tmp/bs" 2>"$tmp/bs.err"
t "bench stats --help: usage on stdout, exit 0" sh -c "[ $? -eq 0 ] && grep -q '^usage: pfharness bench' '$tmp/bs' && [ ! -s '$tmp/bs.err' ]"
"$bin" bench frob >"$tmp/bf" 2>&1
t "bench frob: exit 2, names frob" sh -c "[ $? -eq 2 ] && grep -q 'unknown subcommand \"frob\"' '$tmp/bf'"
# more rounds than the paired test takes: said, not a silent exit 2
"$bin" bench run --runs 65 >"$tmp/br" 2>&1
t "bench run --runs 65: exit 2, says at most 64" sh -c "[ $? -eq 2 ] && grep -q 'runs 65: at most 64' '$tmp/br'"
"$bin" bench ab --rounds 65 >"$tmp/ba" 2>&1
t "bench ab --rounds 65: exit 2, says at most 64" sh -c "[ $? -eq 2 ] && grep -q 'rounds 65: at most 64' '$tmp/ba'"

"$bin" run -t model --tag typo --results "$tmp/r" scenarios/seed >"$tmp/tag" 2>&1
rc=$?
t "--tag typo: exit 2" test $rc -eq 2
t "--tag typo: a summary line says no scenario ran, and why" sh -c "grep -q '^0 passed, 0 failed$' '$tmp/tag' && grep -q 'none of the 3 scenarios is tagged typo' '$tmp/tag'"
"$bin" run -t model --tap --tag typo --results "$tmp/r" scenarios/seed >"$tmp/tag.tap" 2>&1
t "--tap --tag typo: exit 2, a skip-all plan that says why" sh -c "[ $? -eq 2 ] && grep -qx '1..0 # SKIP none of the 3 scenarios is tagged typo' '$tmp/tag.tap'"
"$bin" run -t model --tag typo --tag nat --results "$tmp/r" scenarios/seed >"$tmp/tag2" 2>&1
t "--tag typo --tag nat: the scenarios tagged nat run" sh -c "[ $? -eq 0 ] && grep -q ' passed, 0 failed' '$tmp/tag2' && ! grep -q 'no scenario' '$tmp/tag2'"

(cd "$tmp" && "$bin" run -t model --junit - --results "$tmp/r" "$OLDPWD/$scn" \
    >"$tmp/j.xml" 2>"$tmp/j.err")
t "--junit -: the XML alone on stdout (valid), the summary on stderr, no file -" \
    sh -c "xmllint --noout --schema tests/JUnit.xsd '$tmp/j.xml' && grep -q ' passed, 0 failed' '$tmp/j.err' && [ ! -e '$tmp/-' ]"
"$bin" run -t model --tap --junit - "$scn" >"$tmp/tj" 2>&1
t "--tap with --junit -: refused, exit 2" sh -c "[ $? -eq 2 ] && grep -q 'both write to standard output' '$tmp/tj'"

"$bin" list --help >"$tmp/lh" 2>&1
t "list --help: list's usage, not run's" sh -c "grep -q '^usage: pfharness list' '$tmp/lh' && ! grep -q -- '--tap' '$tmp/lh'"

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

# --freebsd: 15's translation is 14's syntax error; trace and run refuse to evaluate it
printf 'pass in on em0 proto tcp to port 81 rdr-to 10.99.0.3 port 80\n' >"$tmp/p15.conf"
"$bin" parse -nvf "$tmp/p15.conf" >/dev/null 2>"$tmp/f14"
t "parse: rdr-to is FreeBSD 14's syntax error (the default)" \
    sh -c "[ $? -eq 1 ] && grep -q 'p15.conf:1: syntax error' '$tmp/f14'"
"$bin" parse --freebsd 15 -nvf "$tmp/p15.conf" >"$tmp/f15" 2>/dev/null
t "parse --freebsd 15: rdr-to read and printed as 15's pfctl prints it" \
    sh -c "[ $? -eq 0 ] && grep -qx 'pass in on em0 inet proto tcp from any to any port = hosts2-ns flags S/SA keep state rdr-to 10.99.0.3 port 80' '$tmp/f15'"
"$bin" parse --freebsd 16 -nvf "$tmp/p15.conf" >/dev/null 2>"$tmp/f16"
t "parse --freebsd 16: exit 2, says what it takes" \
    sh -c "[ $? -eq 2 ] && grep -q 'expected 14 or 15' '$tmp/f16'"
"$bin" trace --freebsd 15 -f "$tmp/p15.conf" 'in on em0 tcp 198.51.100.7:1 > 203.0.113.1:81 S' \
    >"$tmp/t15" 2>&1
t "trace --freebsd 15: rdr-to evaluated, the packet redirected" \
    sh -c "[ $? -eq 0 ] && grep -q '10.99.0.3:80' '$tmp/t15'"
printf 'pass in on em0 inet to 198.51.100.0/24 af-to inet6 from 2001:db8::1 to 64:ff9b::/96\n' \
    >"$tmp/a15.conf"
"$bin" trace --freebsd 15 -f "$tmp/a15.conf" 'in on em0 tcp 192.0.2.7:1 > 198.51.100.9:80 S' \
    >"$tmp/a15" 2>/dev/null
t "trace --freebsd 15: af-to inet6 evaluated, the packet rewritten as IPv6" \
    sh -c "[ $? -eq 0 ] && grep -q 'rewritten: tcp \\[2001:db8::1\\]:[0-9]* > \\[64:ff9b::c633:6409\\]:80 S' '$tmp/a15'"
printf 'pass in on em0 inet to 198.51.100.0/24 af-to inet6 from 192.0.2.1\n' >"$tmp/b15.conf"
"$bin" trace --freebsd 15 -f "$tmp/b15.conf" 'in on em0 tcp 192.0.2.7:1 > 198.51.100.9:80 S' \
    >/dev/null 2>"$tmp/b15"
t "trace --freebsd 15: an af-to address of the packet's family, said at its line" \
    sh -c "[ $? -eq 1 ] && grep -q 'b15.conf:1: af-to addresses must be in the target address family' '$tmp/b15'"
"$bin" run -t model --freebsd 15 --results "$tmp/r" "$scn" >"$tmp/r15" 2>&1
t "run --freebsd 15: a scenario 14 reads runs as 15 (no 15-only rule)" \
    sh -c "[ $? -eq 0 ] && grep -q ' passed, 0 failed' '$tmp/r15'"
"$bin" run -t model --freebsd 13 "$scn" >"$tmp/r13" 2>&1
t "run --freebsd 13: exit 2" sh -c "[ $? -eq 2 ] && grep -q 'expected 14 or 15' '$tmp/r13'"

# trace: the ether rule that decided; a MAC rule refused at its line, no pfctl error.
printf 'ether pass tag T\nether block in l3 from 198.51.100.1\nblock in all\npass in tagged T\n' \
    >"$tmp/e.conf"
"$bin" trace -f "$tmp/e.conf" --if em0=203.0.113.1/24 \
    'in on em0 icmp echo-request 198.51.100.1 > 203.0.113.1 id 7 seq 1' \
    'in on em0 icmp echo-request 198.51.100.3 > 203.0.113.1 id 7 seq 1' >"$tmp/e.out" 2>&1
t "trace: an ether rule's drop, an ether tag passing through tagged" \
    sh -c "[ $? -eq 0 ] && grep -qx '  ether: .*e.conf:2: ether block in proto 0x0800 l3 from 198.51.100.1 to any' '$tmp/e.out' && grep -qx '  verdict: block, ether rule' '$tmp/e.out' && grep -qx '  tag: T' '$tmp/e.out'"
printf 'ether pass\nether block from 00:01:02:03:04:05\n' >"$tmp/m.conf"
"$bin" trace -f "$tmp/m.conf" --if em0=203.0.113.1/24 \
    'in on em0 icmp echo-request 198.51.100.1 > 203.0.113.1 id 7 seq 1' >/dev/null 2>"$tmp/m.err"
t "trace: an ether rule by MAC refused at its line, no pfctl error" \
    sh -c "[ $? -eq 1 ] && grep -q \"m.conf:2: ether rule: 'from/to MAC address' is not modelled\" '$tmp/m.err' && ! grep -q 'Syntax error' '$tmp/m.err'"

echo "cli: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
