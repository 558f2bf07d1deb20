#!/bin/sh
# interrupt.sh: SIGINT, SIGTERM and SIGKILL at random moments of linux runs. After
# SIGINT or SIGTERM nothing of the run is left: no namespace, no process, no rule in
# the root namespace, the exit status 2 (or the run's own when it ended first). After
# SIGKILL the next run removes what the killed one left, passes, and then nothing of
# either is left. TRIALS=N trials (default 4; `make test-long` runs 36), SEED=N picks
# the moments (default: the time). Usage: sh tests/interrupt.sh [pfharness]
cd "$(dirname "$0")/.." || exit 2
bin=${1:-./pfharness}
trials=${TRIALS:-4}
seed=${SEED:-$(date +%s)}
pass=0 fail=0 skip=0

if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ]; then
	echo "SKIP: interrupt: the linux target needs root on Linux"
	echo "interrupt: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-int.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {	# check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then ok; else bad "$d"; fi
}

rules() {
	for t in raw mangle filter nat; do
		iptables -t "$t" -S 2>/dev/null
	done
	ip link show 2>/dev/null | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | sort
}
rules > "$tmp/before"

# Processes carrying a run's marker in their environment (pfharness and its sinks).
marked() {
	grep -l -s -a -z -x "PFH_INTTEST_MARK=$1" /proc/[0-9]*/environ 2>/dev/null |
	    grep -v "^/proc/$$/" || true
}
netns_of() { ip netns list | grep -E "^pfh$1([hw]|j[0-9]+)( |\$)" || true; }
# gone PID MARK: poll up to 5 s for the run's processes and namespaces to be gone
gone() {
	k=0
	while [ -n "$(marked "$2")$(netns_of "$1")" ]; do
		k=$((k + 1))
		[ $k -lt 100 ] || return 1
		sleep 0.05
	done
}

# One run to time: the moments fall anywhere from its start to its end (setup,
# probes, teardown of each scenario in turn).
set -- scenarios/seed scenarios/pf scenarios/world
t0=$(date +%s%N)
"$bin" run --no-color -t linux --results "$tmp/res" "$@" > "$tmp/timed.out" 2>&1
rc=$?
span=$(( ($(date +%s%N) - t0) / 1000000 ))
check "an uninterrupted run exits $rc, expected 0" test $rc -eq 0
[ $rc -eq 0 ] || grep -B2 -A8 -E '^  (ERROR|FAIL)' "$tmp/timed.out" | head -40
# The moments: delays in ms from the start of the run, from the seed.
awk -v n="$trials" -v s="$seed" -v span="$span" 'BEGIN { srand(s)
    for (i = 0; i < n; i++) printf "%d\n", int(rand() * span) }' > "$tmp/delays"
echo "interrupt: $trials trials over a ${span} ms run, SEED=$seed"
i=0
while read -r ms; do
	i=$((i + 1))
	case $((i % 3)) in 1) sig=INT ;; 2) sig=TERM ;; *) sig=KILL ;; esac
	what="trial $i: SIG$sig after $ms ms"
	mark=$$-$i
	out=$tmp/run.$i.out
	PFH_INTTEST_MARK=$mark "$bin" run --no-color -t linux --results "$tmp/res" \
	    "$@" > "$out" 2>&1 &
	pid=$!
	sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	kill -"$sig" $pid 2>/dev/null
	{ wait $pid; } 2>/dev/null	# the shell's own "Killed" is no news
	rc=$?
	f0=$fail
	case $sig in
	INT|TERM)
		check "$what: exit status $rc (expected 2, or 0 when it ended first)" \
		    test $rc -eq 2 -o $rc -eq 0
		check "$what: processes or namespaces of the run left" gone $pid "$mark"
		;;
	KILL)
		# the next run removes the killed run's namespaces, and passes
		PFH_INTTEST_MARK=$mark-next "$bin" run --no-color -t linux \
		    --results "$tmp/res" tests/bad/good.scn > "$out.next" 2>&1
		rc=$?
		check "$what: the next run exits $rc, expected 0" test $rc -eq 0
		check "$what: processes or namespaces left after the next run" \
		    gone $pid "$mark"
		check "$what: the next run left processes" gone 0 "$mark-next"
		;;
	esac
	rules > "$tmp/after"
	check "$what: rules or links of the root namespace changed" \
	    cmp -s "$tmp/before" "$tmp/after"
	if [ "$fail" -ne "$f0" ]; then
		echo "--- output of $what:"
		tail -15 "$out"
		[ -f "$out.next" ] && tail -15 "$out.next"
	fi
done < "$tmp/delays"
echo "interrupt: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
