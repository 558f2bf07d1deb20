#!/bin/sh
# probes.sh: `pfharness probes`, `pfharness diff` and `pfharness run --coverage`.
#  1. golden files: tests/probes/NAME.conf (or a world, NAME.scn, with --world) ->
#     NAME.scn.ok (the scenario) and NAME.err.ok (the findings on standard error);
#  2. the probes of every seed and scenario ruleset (in that scenario's world, with
#     --world), of FreeBSD's tests ported and of tests/probes/*.conf and *.scn: each
#     file runs and passes on the model target and, as root, on linux; per ruleset,
#     per folder and in all, the share of the rules a packet can reach that got a
#     probe (at least 95% for scenarios/seed, pf, runtime, forum, world and harness
#     together), and the run's coverage (rules whose counters show the probes'
#     packets);
#  3. a 1000-rule ruleset: its probes pass, and the time they take (printed, not
#     judged: `make bench-probes`);
#  4. diff: a changed verdict is named and exits 1, a ruleset against itself exits 0;
#     bad usage exits 2.
# Usage: sh tests/probes.sh [pfharness]   (UPDATE=1 rewrites the golden files)
bin=${1:-./pfharness}
dir=$(dirname "$0")/probes
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-probes.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*"; }
targets=model
[ "$(id -u)" = 0 ] && [ "$(uname -s)" = Linux ] && targets=model,linux

# 1. golden files (a *.scn is a world: probes --world)
for conf in "$dir"/*.conf "$dir"/*.scn; do
	case $conf in *diff-*|*.scn.ok) continue ;; esac
	name=${conf%.*}
	[ -f "$name.scn.ok" ] || [ -n "$UPDATE" ] || continue
	case $conf in
	*.scn) "$bin" probes --world "$conf" >"$tmp/out.scn" 2>"$tmp/out.err" ;;
	*) "$bin" probes "$conf" >"$tmp/out.scn" 2>"$tmp/out.err" ;;
	esac
	if [ -n "$UPDATE" ]; then
		cp "$tmp/out.scn" "$name.scn.ok"
		cp "$tmp/out.err" "$name.err.ok"
	fi
	for k in scn err; do
		if diff -u "$name.$k.ok" "$tmp/out.$k" >"$tmp/diff"; then
			ok
		else
			bad "probes $(basename "$conf"): standard $([ $k = scn ] && echo output ||
			    echo error) differs from $(basename "$name.$k.ok")"
			head -40 "$tmp/diff"
		fi
	done
done

# 2. the probes of the seed and scenario rulesets, and of tests/probes
figures() {	# FILE NAME GROUP: the generator's counts from the header
	set -- $(awk '/ rules decide packets: / { n = $2; p = $6; s = $8; e = $10 }
	    /^# [0-9]+ outside the world, / { o = $2; f = $6 }
	    END { print n + 0, p + 0, s + 0, e + 0, o + 0, f + 0 }' "$1") "$2" "$3"
	reach=$(($1 - $3 - $4))
	share=$(awk -v p="$2" -v r="$reach" 'BEGIN { printf "%.0f", r ? 100 * p / r : 100 }')
	printf '  %-26s %3d rules: %3d probed, %d shadowed, %d match nothing, %d outside the world, %d not found: %s%% of %d reachable\n' \
	    "$7" "$1" "$2" "$3" "$4" "$5" "$6" "$share" "$reach"
	echo "$8 $1 $2 $3 $4 $5 $6" >>"$tmp/fig"
}
# totals of the groups matching the awk pattern $1, named $2: 'n p s e o f share'
totals() {
	awk -v pat="$1" '$1 ~ pat { n += $2; p += $3; s += $4; e += $5; o += $6; f += $7 }
	    END { r = n - s - e; printf "%d %d %d %d %d %d %.1f\n", n, p, s, e, o, f,
	    r ? 100 * p / r : 100 }' "$tmp/fig"
}
: >"$tmp/fig"
echo "probes of the seed and scenario rulesets (each in its scenario's world), FreeBSD's"
echo "pf tests ported (scenarios/freebsd), then tests/probes:"
i=0
for f in scenarios/seed/*.scn scenarios/pf/*.scn scenarios/runtime/*.scn \
    scenarios/forum/*.scn scenarios/world/*.scn scenarios/harness/*.scn \
    scenarios/freebsd/*.scn "$dir"/*.conf "$dir"/*.scn; do
	[ -f "$f" ] || continue
	case $f in *diff-*) continue ;; esac
	if grep -q '^expect load error' "$f" 2>/dev/null; then
		continue	# a ruleset pf refuses: nothing to probe
	fi
	i=$((i + 1))
	out=$tmp/g$(printf '%03d' $i)-$(basename "${f%.*}").scn
	case $f in
	*.scn) "$bin" probes -q --world "$f" >"$out" 2>"$tmp/err" ;;
	*) "$bin" probes -q "$f" >"$out" 2>"$tmp/err" ;;
	esac
	if [ $? -ne 0 ]; then
		bad "probes $f: exit status not 0"
		head -5 "$tmp/err"
		rm -f "$out"
		continue
	fi
	case $f in
	scenarios/*) group=${f#scenarios/}; group=${group%%/*} ;;
	*) group=test ;;
	esac
	figures "$out" "$(basename "$f")" "$group"
done
echo "per folder: rules deciding packets, reachable (not shadowed, not empty), probed:"
for g in seed pf runtime forum world harness freebsd test; do
	set -- $(totals "^$g\$")
	printf '  %-8s %4d rules, %4d reachable, %4d probed (%s%%), %d outside their worlds, %d not found\n' \
	    "$g" "$1" "$(($1 - $3 - $4))" "$2" "$7" "$5" "$6"
done
set -- $(totals '^(seed|pf|runtime|forum|world|harness)$')
reach=$(($1 - $3 - $4))
share=$7
world=$(awk -v p="$2" -v r="$((reach - $5))" 'BEGIN { printf "%.1f", r ? 100 * p / r : 100 }')
printf 'seed and scenario rulesets: %d rules decide packets; %d shadowed, %d match no\n' \
    "$1" "$3" "$4"
printf '  packet as loaded; of the %d a packet can reach, %d probed (%s%%), %d outside\n' \
    "$reach" "$2" "$share" "$5"
printf '  their worlds, %d without a probe found; of the %d their worlds reach, %s%% probed\n' \
    "$6" "$((reach - $5))" "$world"
if awk -v s="$share" 'BEGIN { exit !(s >= 95) }'; then ok; else
	bad "probes reach $share% of the reachable rules, under 95%"; fi
set -- $(totals '^freebsd$')
printf "FreeBSD's tests ported: %d rules decide packets; %d shadowed, %d match no packet;\n" \
    "$1" "$3" "$4"
printf '  of the %d a packet can reach, %d probed (%s%%), %d outside their worlds, %d\n' \
    "$(($1 - $3 - $4))" "$2" "$7" "$5" "$6"
echo '  without a probe found (not judged: worlds with no jail to send from, packets of'
echo '  the host itself, handshakes pf answers before the rules)'

"$bin" run --no-color -t "$targets" --results "$tmp/results" --coverage \
    --coverage-json "$tmp/cov.json" "$tmp"/g*.scn >"$tmp/run.out" 2>&1
rc=$?
grep -E '^(coverage: |[0-9]+ passed, )' "$tmp/run.out" | sed "s/^/  run -t $targets: /"
if [ $rc -eq 0 ] && grep -q ' 0 failed' "$tmp/run.out"; then ok; else
	bad "the generated probes do not all pass on $targets (exit $rc)"
	grep -E -B2 -A8 'FAIL|ERROR|disagree' "$tmp/run.out" | head -60
	cp "$tmp/run.out" "${TMPDIR:-/tmp}/probes-run.$$.out" &&
	    echo "  (the run's whole output: ${TMPDIR:-/tmp}/probes-run.$$.out)"
fi
if grep -q '"matched":[0-9]*,"counted":[0-9]*,"share"' "$tmp/cov.json"; then ok; else
	bad "run --coverage-json wrote no totals"; fi
# the rules never matched are the shadowed and empty ones (and those outside the
# worlds), counted on each target
printf '  rules the run never matched: %d (on %s)\n' "$(grep -c ' NEVER ' "$tmp/run.out")" \
    "$targets"
[ "$(id -u)" = 0 ] || echo "  (not root: the linux target was not run)"

# 3. a 1000-rule ruleset
"$bin" bench probes 1000 --print >"$tmp/b1000.conf"
"$bin" probes -q "$tmp/b1000.conf" >"$tmp/b1000.scn" 2>"$tmp/err" || bad "probes of 1000 rules"
"$bin" run --no-color -t "$targets" --results "$tmp/results" "$tmp/b1000.scn" \
    >"$tmp/run.out" 2>&1 && ok || bad "the probes of 1000 rules do not all pass on $targets"
printf '1000 rules: %s on %s\n' "$(tail -1 "$tmp/run.out")" "$targets"
"$bin" bench probes 1000 | sed 's/^/  /'

# 4. diff, bad usage
"$bin" diff "$dir/diff-old.conf" "$dir/diff-new.conf" >"$tmp/diff.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q '^DIFFERS .*diff-old.conf:8: pass in .* port = ssh' "$tmp/diff.out" &&
    grep -q '^  new: in on em0: block' "$tmp/diff.out" &&
    grep -q ' 2 differ$' "$tmp/diff.out"; then ok; else
	bad "diff of a changed port: exit $rc, expected 1 and the ssh probe"
	cat "$tmp/diff.out"
fi
"$bin" diff "$dir/diff-old.conf" "$dir/diff-old.conf" >"$tmp/diff.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q ' 0 differ$' "$tmp/diff.out"; then ok; else
	bad "diff of a ruleset with itself: exit $rc, expected 0"; fi
refuse() {
	want=$1 code=$2
	shift 2
	out=$("$bin" "$@" 2>&1 </dev/null)
	rc=$?
	if [ "$rc" -eq "$code" ] && printf '%s\n' "$out" | grep -qF -- "$want"; then ok; else
		bad "pfharness $*: exit $rc, expected $code and \"$want\""
		printf '%s\n' "$out" | head -5
	fi
}
refuse "usage: pfharness probes" 2 probes
refuse "usage: pfharness diff" 2 diff "$dir/diff-old.conf"
# one ruleset under two releases: 15 refuses a port range 14 takes (no port matches)
printf 'block all\npass in on em0 proto tcp to port 200 >< 100\npass in on em0 proto tcp to port 22\n' \
    >"$tmp/upgrade.conf"
refuse "loads on FreeBSD 14 and not on FreeBSD 15" 1 diff --from 14 --to 15 "$tmp/upgrade.conf"
refuse "upgrade.conf:2: invalid port range" 1 diff --from 14 --to 15 "$tmp/upgrade.conf"
refuse "upgrade.conf:2: invalid port range" 2 diff --from 15 --to 14 "$tmp/upgrade.conf"
if "$bin" diff --from 14 --to 15 "$dir/small.conf" >"$tmp/diff.out" 2>&1 &&
    grep -q ' 0 differ$' "$tmp/diff.out"; then ok; else
	bad "diff --from 14 --to 15 of small.conf: expected 0 differ"; cat "$tmp/diff.out"; fi
refuse "--from and --to go together" 2 diff --from 14 "$dir/small.conf"
refuse "--freebsd or --from/--to, not both" 2 diff --freebsd 15 --from 14 --to 15 "$dir/small.conf"
refuse "usage: pfharness diff" 2 diff --from 14 --to 15 "$dir/small.conf" "$dir/small.conf"
refuse "no-such.conf" 1 probes "$tmp/no-such.conf"
refuse "--if bogus" 2 probes --if bogus=1.2.3 "$dir/small.conf"
refuse "--min-coverage 101" 2 run --min-coverage 101 scenarios/pf/quick.scn
refuse "--freebsd 16" 2 probes --freebsd 16 "$dir/small.conf"
# the release is written into the scenario; af-to inet6 (NAT46) is evaluated and
# probed; an af-to address of the packet's family is 15's pfctl error
if "$bin" probes -q --freebsd 15 "$dir/small.conf" | grep -q '^freebsd 15$'; then ok; else
	bad "probes --freebsd 15: no freebsd 15 line in the scenario"; fi
printf 'pass in on em0 inet to 198.51.100.0/24 af-to inet6 from 2001:db8::1 to 64:ff9b::/96\n' \
    >"$tmp/fb15.conf"
if "$bin" probes -q --freebsd 15 "$tmp/fb15.conf" >"$tmp/fb15.scn" 2>"$tmp/fb15.err" &&
    grep -q '^probe .*af-to inet6 from 2001:db8::1 to 64:ff9b::/96"$' "$tmp/fb15.scn"; then ok
else bad "probes --freebsd 15: af-to inet6 not probed: $(cat "$tmp/fb15.err")"; fi
printf 'pass in on em0 inet to 198.51.100.0/24 af-to inet6 from 192.0.2.1\n' \
    >"$tmp/fb15bad.conf"
refuse "fb15bad.conf:1: af-to addresses must be in the target address family" 1 \
    probes --freebsd 15 "$tmp/fb15bad.conf"
printf 'pass in on em0 proto tcp to port 22 bogus\n' >"$tmp/broken.conf"
refuse "broken.conf:1: syntax error" 1 probes "$tmp/broken.conf"
# coverage: quick.scn's own probes leave 4 of its 8 rules unmatched (the ssh block an
# ACK reaches, among them); its generated probes match all but the 2 shadowed ones
"$bin" run --no-color -t model --results "$tmp/results" --coverage \
    scenarios/pf/quick.scn >"$tmp/run.out" 2>&1
if grep -q '^coverage quick (model): 4 of 8 rules matched' "$tmp/run.out" &&
    grep -q '^     NEVER  -sr @1 block drop in on em0 .* port = ssh$' "$tmp/run.out" &&
    grep -A1 -- '-sr @0 pass in quick' "$tmp/run.out" |
    grep -q 'by "pass quick wins over a later block"'; then ok; else
	bad "run --coverage on quick.scn: not 4 of 8 with the probes named"
	grep -A20 '^coverage quick' "$tmp/run.out"
fi
"$bin" probes -q --world scenarios/pf/quick.scn >"$tmp/quick.scn" 2>/dev/null
"$bin" run --no-color -t model --results "$tmp/results" --coverage "$tmp/quick.scn" \
    >"$tmp/run.out" 2>&1
if grep -q '^coverage quick (model): 6 of 8 rules matched' "$tmp/run.out" &&
    [ "$(grep -c ' NEVER ' "$tmp/run.out")" = 2 ] &&
    grep -q 'NEVER  -sr @4 pass in .* port = 24 ' "$tmp/run.out" &&
    grep -q 'NEVER  -sr @7 pass in .* port = smtp ' "$tmp/run.out"; then ok; else
	bad "the generated probes of quick.scn: not 6 of 8 matched, the 2 shadowed never"
	grep -A20 '^coverage quick' "$tmp/run.out"
fi
# a run under its --min-coverage fails (quick.scn has rules no probe matches)
"$bin" run --no-color -t model --results "$tmp/results" --min-coverage 100 \
    scenarios/pf/quick.scn >"$tmp/run.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'is below --min-coverage 100' "$tmp/run.out"; then ok; else
	bad "run --min-coverage 100 on quick.scn: exit $rc, expected 1"; fi

printf 'probes: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
