#!/bin/sh
# plot.sh: gnuplot PNGs from a bench results CSV (and only from it): pps vs rules,
# pf's own time per packet vs rules, pps vs states, memory per state vs states, and pf on / pf off / generator alone per
# workload. Each point is the median of its runs (ministat's median), its error bar
# the runs' standard deviation (the CV is that over the mean: bench stats prints it).
# Each title names the plot, then the target, quick or full, the runs, the date and the
# machine; tick labels are SI (800k, 1.2M); axes fit the data; one quantity per axis.
# usage: sh bench/plot.sh RESULTS.csv [OUTDIR]   (default OUTDIR: results/plots)
csv=$1
out=${2:-results/plots}
if [ -z "$csv" ] || [ ! -r "$csv" ]; then
	echo "usage: plot.sh RESULTS.csv [OUTDIR]" >&2
	exit 2
fi
command -v gnuplot >/dev/null 2>&1 || { echo "plot.sh: no gnuplot (apt-get install gnuplot-nox)" >&2; exit 2; }
mkdir -p "$out" || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-plot.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# medians WORKLOAD MODE METRIC: "size median stddev" lines, sorted by size.
medians() {
	awk -F, -v w="$1" -v m="$2" -v k="$3" '
	/^#/ || $1 == "host" { next }
	$6 == w && $7 == m && $11 == k { n[$8]++; v[$8, n[$8]] = $12 + 0 }
	END {
		for (s in n) {
			c = n[s]
			for (i = 1; i <= c; i++) a[i] = v[s, i]
			for (i = 2; i <= c; i++) {	# insertion sort, c is small
				x = a[i]
				for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]
				a[j + 1] = x
			}
			for (i = 1; i <= c; i++) m += a[i]
			m /= c; d = 0
			for (i = 1; i <= c; i++) d += (a[i] - m) ^ 2
			print s, a[int(c / 2) + 1], (c > 1 ? sqrt(d / (c - 1)) : 0)
			m = 0
		}
	}' "$csv" | sort -n
}

medians rules pf rx_pps >"$tmp/rules_pf"
# pf off and the generator alone beside the rules curve: the rules workload's own
# (size 0), else forward's (the same traffic).
for k in "nopf rx_pps" "gen tx_pps"; do
	set -- $k
	v=$(medians rules "$1" "$2" | head -1 | awk '{ print $2 }')
	[ -n "$v" ] || v=$(medians forward "$1" "$2" | head -1 | awk '{ print $2 }')
	echo "$v" >"$tmp/forward_$1"
done
medians rules pf pf_ns >"$tmp/rules_pfns"
medians states pf rx_pps >"$tmp/states_pf"
medians states pf insert_rate >"$tmp/states_ins"
medians states pf state_mem >"$tmp/states_mem"
: >"$tmp/ratio"
for w in rdr-in nat-out forward rules states; do
	g=$(medians "$w" gen tx_pps | head -1 | awk '{ print $2, $3 }')
	n=$(medians "$w" nopf rx_pps | head -1 | awk '{ print $2, $3 }')
	p=$(medians "$w" pf rx_pps | head -1 | awk '{ print $2, $3 }')
	[ -n "$g$n$p" ] && echo "$w ${g:-0 0} ${n:-0 0} ${p:-0 0}" >>"$tmp/ratio"
done

# What every title says: the target, quick or full (full: the states workload reached
# 10^6 states, or 5 runs a point), the runs, the date and the machine (CSV columns
# host, kernel, target, started).
about=$(awk -F, '
	/^#/ || $1 == "host" { next }
	!h { host = $1; kernel = $2; target = $3; date = substr($5, 1, 10); h = 1 }
	$10 + 0 > runs { runs = $10 + 0 }
	$6 == "states" && $8 + 0 >= 1000000 { full = 1 }
	END {
		if (!h) exit
		if (runs >= 5) full = 1
		printf "%s, %s (%d run%s), %s, %s (%s)", target, full ? "full" : "quick",
		    runs, runs == 1 ? "" : "s", date, host, kernel
	}' "$csv" | tr -d "'\"\\\\")

# The largest value of column 2 (plus its error bar, column 3) of the files and of the
# numbers given, for an axis
# that fits the data with room above it (nothing drawn on the frame).
top() {
	for a in "$@"; do
		if [ -f "$a" ]; then awk '{ print $2 + $3 }' "$a"; else echo "$a"; fi
	done | awk 'NF && $1 + 0 > m { m = $1 + 0 } END { print (m > 0 ? m * 1.12 : 1) }'
}

# gnuplot lines: SI tick labels (800k, 1.2M) on the y or y2 axis from 0 to TOP, at a
# step of 1, 2 or 5 times a power of ten.
si_axis() {	# si_axis y|y2 TOP
	cat <<EOT
si(v) = v == 0 ? "0" : v >= 1e9 ? sprintf("%gG", v / 1e9) : v >= 1e6 ? \\
    sprintf("%gM", v / 1e6) : v >= 1e3 ? sprintf("%gk", v / 1e3) : sprintf("%g", v)
e_$1 = 10 ** floor(log10($2 / 5.0)); m_$1 = $2 / 5.0 / e_$1
step_$1 = (m_$1 < 1.5 ? 1 : m_$1 < 3.5 ? 2 : m_$1 < 7.5 ? 5 : 10) * e_$1
set $1range [0:$2]
set $1tics (si(0) 0)
do for [i = 1:int($2 / step_$1)] { set $1tics add (si(i * step_$1) i * step_$1) }
EOT
}

made=0
plot() {	# plot NAME TITLE DATAFILE GNUPLOT-COMMANDS
	if [ ! -s "$3" ]; then
		echo "plot.sh: $1.png: no data in $csv"
		return
	fi
	{
		echo "set terminal png size 900,560 noenhanced"
		echo "set output '$out/$1.png'"
		echo "set grid"
		echo "set key outside bottom center horizontal"
		printf 'set title "%s\\n%s"\n' "$2" "$about"
		echo "set format x '%.0s%c'"
		echo "$4"
	} >"$tmp/$1.gp"
	[ -z "$PLOT_SCRIPTS" ] || cp "$tmp/$1.gp" "$PLOT_SCRIPTS/"	# tests/bench_plot.sh
	if gnuplot "$tmp/$1.gp"; then
		echo "plot.sh: $out/$1.png"
		made=$((made + 1))
	fi
}

nopf=$(cat "$tmp/forward_nopf"); gen=$(cat "$tmp/forward_gen")
extra=
[ -n "$nopf" ] && extra="$extra, $nopf title 'pf off' dt 2"
[ -n "$gen" ] && extra="$extra, $gen title 'generator alone' dt 3"
# x axes on a log scale from the first size measured to the last (autoscale xfix),
# a little room on either side so the end points are off the frame.
logx="set logscale x; set autoscale xfix; set offsets graph 0.03, graph 0.03, 0, 0"

plot pps_vs_rules "Packets received per second as the ruleset grows" "$tmp/rules_pf" \
    "$logx
set xlabel 'filter rules'; set ylabel 'packets/s received'
$(si_axis y "$(top "$tmp/rules_pf" $nopf $gen)")
plot '$tmp/rules_pf' using 1:2:3 with yerrorlines title 'pf on (median, +/- stddev)'$extra"

plot pfns_vs_rules "pf's own time per packet as the ruleset grows (the hook's queue work left out)" \
    "$tmp/rules_pfns" "$logx
set xlabel 'filter rules'; set ylabel 'ns per packet in pf'
$(si_axis y "$(top "$tmp/rules_pfns")")
plot '$tmp/rules_pfns' using 1:2:3 with yerrorlines title 'pf on (median, +/- stddev)'"

plot pps_vs_states "Packets per second and state inserts as the state table grows" \
    "$tmp/states_pf" "$logx
set xlabel 'states in the table'; set ylabel 'packets/s (state hits, pf on)'
set y2label 'states inserted/s'; set ytics nomirror
$(si_axis y "$(top "$tmp/states_pf")")
$(si_axis y2 "$(top "$tmp/states_ins")")
plot '$tmp/states_pf' using 1:2:3 axes x1y1 with yerrorlines title 'packets/s (left axis)', \
     '$tmp/states_ins' using 1:2:3 axes x1y2 with yerrorlines title 'inserts/s (right axis)'"

plot mem_vs_states "Memory per state as the state table grows" "$tmp/states_mem" "$logx
set xlabel 'states in the table'; set ylabel 'bytes per state'
$(si_axis y "$(top "$tmp/states_mem")")
plot '$tmp/states_mem' using 1:2:3 with yerrorlines title 'heap bytes per state'"

plot pf_on_off "Packets per second per workload: generator alone, pf off, pf on" \
    "$tmp/ratio" "set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set format x '%g'
set xlabel 'workload'; set ylabel 'packets/s'
$(si_axis y "$(awk '{ for (i = 2; i <= 6; i += 2) if ($i + $(i + 1) > m) m = $i + $(i + 1) }
    END { print (m > 0 ? m * 1.12 : 1) }' "$tmp/ratio")")
plot '$tmp/ratio' using 2:3:xtic(1) title 'generator alone', \
     '' using 4:5 title 'pf off', '' using 6:7 title 'pf on'"

[ "$made" -gt 0 ]
