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

# Captures replayed (--pcap): each tests/trace/NAME.pcap against seed1.conf, diffed
# with NAME.pcap.ok (the human lines, then the JSON lines of the first seed capture).
pcap_args="-f $dir/seed1.conf --if em0=203.0.113.1/24 --if lo1=10.99.0.1/28,10.99.0.2/28,10.99.0.3/28"
for cap in "$dir"/*.pcap; do
	# shellcheck disable=SC2086
	out=$("$bin" trace $pcap_args --pcap "$cap" 2>&1)
	case $cap in */seed1-rdr.pcap)
		# shellcheck disable=SC2086
		out="$out
$("$bin" trace $pcap_args --pcap "$cap" --json 2>&1)" ;;
	esac
	[ -n "$UPDATE" ] && printf '%s\n' "$out" > "$cap.ok"
	if printf '%s\n' "$out" | diff -u "$cap.ok" - > /dev/null; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: trace --pcap $(basename "$cap")"
		printf '%s\n' "$out" | diff -u "$cap.ok" - | head -40
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
refuse "no PACKET arguments with it" -f "$conf" --pcap "$dir/raw.pcap" 'in on em0 tcp 1.2.3.4:1 > 5.6.7.8:2 S'
out=$("$bin" trace -f "$conf" --pcap "$conf" 2>&1)
if [ $? -eq 1 ] && printf '%s\n' "$out" | grep -q "seed1.conf: unknown file format"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: trace --pcap of a pf.conf: $out"
fi

echo "trace: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
