#!/bin/sh
# bad_input.sh: bad scenarios under tests/bad/ (NAME.scn, its exact messages in NAME.err)
# each run next to tests/bad/good.scn in one `pfharness run`, on the model target and,
# as root, on linux: the messages are exactly NAME.err's `file:line:` lines, good.scn
# still runs and passes, the exit status is 2, and nothing of the run is left behind
# (no namespace with its prefix, no process it started, no iptables rule in the root
# namespace). Then SIGINT to a run, during its probes and during --hold: exit 2, the
# same nothing left behind. Usage: sh tests/bad_input.sh [pfharness]
cd "$(dirname "$0")/.." || exit 2
bin=${1:-./pfharness}
pass=0 fail=0 skip=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-bad.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {	# check DESCRIPTION COMMAND...: one assertion
	d=$1; shift
	if "$@"; then ok; else bad "$d"; fi
}

targets=model
if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ]; then
	targets="model linux"
	linux=1
else
	linux=
	why="not root on Linux: the linux target needs network namespaces"
fi

# The root namespace's iptables rules, for "no rule left" (the run's rules live in its
# own namespaces; this checks none leaked into the root one).
rules() {
	for t in raw mangle filter nat; do
		iptables -t "$t" -S 2>/dev/null
	done
}
[ -n "$linux" ] && rules > "$tmp/rules.before"

# Processes carrying the run's marker in their environment (pfharness, its sink,
# --hold's shell and its children all inherit it).
marked() {
	grep -l -s -a -z -x "PFH_BADTEST_MARK=$1" /proc/[0-9]*/environ 2>/dev/null |
	    grep -v "^/proc/$$/" || true
}

# leftovers PID MARK TARGET: assert nothing of run PID is left.
leftovers() {
	check "$4: processes of the run left: $(marked "$2" | tr '\n' ' ')" \
	    test -z "$(marked "$2")"
	[ "$3" = linux ] || return 0
	check "$4: namespaces of the run left" \
	    test -z "$(ip netns list | grep -E "^pfh$1([hw]|j[0-9]+)( |\$)")"
	rules > "$tmp/rules.after"
	check "$4: iptables rules of the root namespace changed" \
	    cmp -s "$tmp/rules.before" "$tmp/rules.after"
}

# The ERROR block's message lines of a report.
errors() {
	awk '/ERROR could not run:/ { on = 1; next }
	    on && /^        / { sub(/^        /, ""); print; next } { on = 0 }' "$1"
}

n=0
for scn in tests/bad/*.scn; do
	name=$(basename "$scn" .scn)
	[ "$name" = good ] && continue
	for t in $targets; do
		n=$((n + 1))
		what="$name ($t)"
		f0=$fail
		mark=$$-$n
		out=$tmp/$name.$t.out
		PFH_BADTEST_MARK=$mark "$bin" run --no-color -t "$t" --results "$tmp/res" \
		    "$scn" tests/bad/good.scn > "$out" 2>&1 &
		pid=$!
		wait $pid
		rc=$?
		check "$what: exit status $rc, expected 2" test $rc -eq 2
		errors "$out" > "$tmp/err"
		if diff -u "tests/bad/$name.err" "$tmp/err" > "$tmp/diff"; then
			ok
		else
			bad "$what: messages differ from tests/bad/$name.err"
			cat "$tmp/diff"
		fi
		check "$what: good.scn did not run and pass next to it" \
		    awk -v t="$t" '$0 == "good (" t "): a good scenario among bad ones" { g = 1; next }
			g && /^  ok / { n++ } g && /^  (FAIL|ERROR)/ { n = -99 }
			/^$/ { g = 0 } END { exit n != 2 }' "$out"
		check "$what: summary" grep -qx '2 passed, 1 failed' "$out"
		leftovers $pid "$mark" "$t" "$what"
		[ "$fail" -eq "$f0" ] || { echo "--- output of $what:"; cat "$out"; }
	done
done

# SIGINT during the probes (linux: a scenario of many probes, interrupted once its
# world is up) and during --hold (both targets: the held command is killed too).
many=$tmp/many.scn
sed '/^probe /,$d' tests/bad/good.scn > "$many"
i=0
while [ $i -lt 3000 ]; do
	printf 'probe "p%d"\n  send tcp 198.51.100.7:%d > 203.0.113.1:3306 S\n  expect reply tcp 203.0.113.1:3306 > 198.51.100.7:%d SA ack 1001\n' \
	    $i $((10000 + i)) $((10000 + i)) >> "$many"
	i=$((i + 1))
done

# wait_for CMD...: poll up to 10 s.
wait_for() {
	k=0
	while ! "$@"; do
		k=$((k + 1))
		[ $k -lt 200 ] || return 1
		sleep 0.05
	done
}
probing() { ip netns list | grep -qE "^pfh$1h( |\$)" && [ -d "$tmp/res" ]; }

sigint() {	# sigint TARGET during|hold
	n=$((n + 1))
	what="SIGINT $2 ($1)"
	f0=$fail
	mark=$$-$n
	out=$tmp/sigint.$n.out
	rm -f "$tmp/held"
	if [ "$2" = hold ]; then
		PFH_BADTEST_MARK=$mark "$bin" run --no-color -t "$1" --results "$tmp/res" \
		    --hold "touch '$tmp/held'; sleep 30" tests/bad/good.scn > "$out" 2>&1 &
		pid=$!
		wait_for test -e "$tmp/held" || bad "$what: --hold never ran"
	else
		PFH_BADTEST_MARK=$mark "$bin" run --no-color -t "$1" --results "$tmp/res" \
		    "$many" > "$out" 2>&1 &
		pid=$!
		wait_for probing $pid || bad "$what: the world never came up"
		# once the first probe is out (a fixed sleep raced a loaded machine)
		wait_for grep -q '^  ok ' "$out" || bad "$what: no probe ever ran"
	fi
	kill -INT $pid
	wait $pid
	rc=$?
	check "$what: exit status $rc, expected 2" test $rc -eq 2
	check "$what: no note of the interruption" \
	    grep -q 'interrupted: everything built was torn down' "$out"
	if [ "$2" = during ]; then
		np=$(grep -c '^  ok ' "$out")
		echo "$what: $np of 3000 probes ran"
		check "$what: not interrupted during the probes ($np of 3000 ran)" \
		    test "$np" -gt 0 -a "$np" -lt 3000
	fi
	leftovers $pid "$mark" "$1" "$what"
	[ "$fail" -eq "$f0" ] || { echo "--- output of $what:"; tail -20 "$out"; }
}
for t in $targets; do
	sigint "$t" hold
done
if [ -n "$linux" ]; then
	sigint linux during
else
	skip=$((skip + 1))
	echo "SKIP: linux: $why"
fi

echo "bad_input: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
