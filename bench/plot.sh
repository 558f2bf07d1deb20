#!/bin/sh
# plot.sh: gnuplot PNGs from a bench results CSV (and only from it): pps vs rules,
# pps vs states, memory per state vs states, and pf on / pf off / generator alone per
# workload. Each point is the median of its runs (ministat's median), its error bar
# the runs' standard deviation (the CV is that over the mean: bench stats prints it).
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

made=0
plot() {	# plot NAME DATAFILE GNUPLOT-COMMANDS
	if [ ! -s "$2" ]; then
		echo "plot.sh: $1.png: no data in $csv"
		return
	fi
	{
		echo "set terminal png size 900,560 noenhanced"
		echo "set output '$out/$1.png'"
		echo "set grid"
		echo "set key outside bottom center horizontal"
		echo "set title '$1 ($(basename "$csv"))'"
		echo "$3"
	} >"$tmp/$1.gp"
	if gnuplot "$tmp/$1.gp"; then
		echo "plot.sh: $out/$1.png"
		made=$((made + 1))
	fi
}

nopf=$(cat "$tmp/forward_nopf"); gen=$(cat "$tmp/forward_gen")
extra=
[ -n "$nopf" ] && extra="$extra, $nopf title 'pf off' dt 2"
[ -n "$gen" ] && extra="$extra, $gen title 'generator alone' dt 3"
plot pps_vs_rules "$tmp/rules_pf" "set logscale x
set xlabel 'rules'; set ylabel 'packets/s received'; set yrange [0:*]
plot '$tmp/rules_pf' using 1:2:3 with yerrorlines title 'pf on (median, +/- stddev)'$extra"

plot pps_vs_states "$tmp/states_pf" "set logscale x
set xlabel 'states'; set ylabel 'packets/s'; set yrange [0:*]
plot '$tmp/states_pf' using 1:2:3 with yerrorlines title 'state hits, pf on', \
     '$tmp/states_ins' using 1:2:3 with yerrorlines title 'inserts/s'"

plot mem_vs_states "$tmp/states_mem" "set logscale x
set xlabel 'states'; set ylabel 'bytes per state'; set yrange [0:*]
plot '$tmp/states_mem' using 1:2:3 with yerrorlines title 'heap bytes per state'"

plot pf_on_off "$tmp/ratio" "set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set ylabel 'packets/s'; set yrange [0:*]
plot '$tmp/ratio' using 2:3:xtic(1) title 'generator alone', \
     '' using 4:5 title 'pf off', '' using 6:7 title 'pf on'"

[ "$made" -gt 0 ]
