#!/bin/sh
# mutate.sh: a mutation check of the pf model's tests: each mutation of
# tests/mutations.txt, applied alone to a copy of the tree, must make the unit tests or
# the model-target scenarios fail.
#
# usage: sh tools/mutate.sh [-anv] [-f FILE] [N ...]       or: make mutate [MIN=P]
#   -a       every unit test suite, not only the pf model's (pfm_*, target_model)
#   -n       only find where each mutation applies (no copy, no build, no test)
#   -v       show the build errors and the failures behind each verdict
#   -f FILE  the mutations (default tests/mutations.txt, which describes its format)
#   N ...    only the mutations with these numbers (1 = the first in the file)
#   MIN=P    (environment) pass when at least P% are killed; default 90
#
# The working tree is never written. The tree is copied (tar) into a scratch folder,
# which goes on exit, Ctrl-C and SIGTERM included; there it is built once and tested
# unmutated. Then, for each mutation: the one file under harness/pf/ that holds the
# original snippet exactly once (so a mutation follows code moved between files; 0 or
# 2+ places is an error naming it) gets the replacement, `make pfharness unit` rebuilds
# that file and relinks, build/san/bin/unit and `pfharness run -t model scenarios` run, and
# the file is restored. A mutation is killed when a test fails (or hangs past the time
# limit), survives when all pass, and is invalid when it does not build; invalid ones
# are reported apart and left out of the share. The last lines: `N of M killed (P%)`
# and the survivors, each with the reason its `# survives:` note gives.
# Exit: 0 the share is at least MIN, 1 below it, 2 the check could not run (a mutation
# that cannot be placed, a tree that does not build or fails its tests unmutated).

usage() {
	echo "usage: sh tools/mutate.sh [-anv] [-f FILE] [N ...]  (MIN=P: pass mark," \
	    "default 90)" >&2
	exit 2
}

check=0 verbose=0 mfile=tests/mutations.txt
# build/san/bin/unit's suites that run the pf model (target_linux does too, as root: -a)
suites="-p pfm_ -p target_model"
while getopts anvf: o; do
	case $o in
	a) suites= ;;
	n) check=1 ;;
	v) verbose=1 ;;
	f) mfile=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
for n in "$@"; do
	case $n in ''|*[!0-9]*) usage ;; esac
done
min=${MIN:-90}
case $min in
''|*[!0-9]*) echo "mutate: MIN=$min: a whole percentage is needed" >&2; exit 2 ;;
esac
mname=$mfile
case $mfile in
/*|tests/mutations.txt) ;;	# the default: the tree's, after the cd below
*) mfile=$PWD/$mfile ;;
esac
cd "$(dirname "$0")/.." || exit 2
case $mfile in
/*) ;;
*) mfile=$PWD/$mfile ;;
esac
[ -r "$mfile" ] || { echo "mutate: $mname: cannot read" >&2; exit 2; }
start=$(date +%s)

# Every process this script starts is $child while it waits for it; the traps end it
# (make and timeout pass the TERM on to theirs) before the scratch folder goes.
child=
tmp=
cleanup() {
	if [ -n "$child" ]; then
		kill -TERM "$child" 2>/dev/null
		wait "$child" 2>/dev/null
		child=
	fi
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'echo; echo "mutate: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-mutate.XXXXXX") || exit 2
tree=$tmp/tree m=$tmp/m log=$tmp/log
mkdir "$tree" "$m" || exit 2
tab=$(printf '\t')

# run LOG CMD...: CMD in the background, so that a signal reaches the traps at once;
# its exit status.
run() {
	_log=$1
	shift
	"$@" >"$_log" 2>&1 &
	child=$!
	wait "$child" 2>/dev/null	# no "Killed" from the shell: the caller reports
	_rc=$?
	child=
	return $_rc
}

# locate: parse the mutations file and place each snippet in the files under
# harness/pf/ of the current folder. $m/K.old and $m/K.new get the original and the
# replacement of mutation K (a newline added), $m/index a line
# `K<tab>line<tab>file<tab>description<tab>survives-note` per mutation. Every error is
# reported (file:line:); 1 when there was one.
locate() {
	find harness/pf -type f \( -name '*.c' -o -name '*.h' \) | sort >"$m/files"
	: >"$m/index"
	awk -v mdir="$m" -v mname="$mname" -v filelist="$m/files" '
	function err(l, msg) {
		printf "%s:%d: %s\n", mname, l, msg > "/dev/stderr"
		nerr++
	}
	function endblock() {
		if (nold == 0) {
			if (nnew > 0)
				err(bline, "\"+\" lines without \"-\" lines")
			else if (why != "")
				err(bline, "a survives note without a mutation")
		} else if (desc == "")
			err(bline, "a mutation without a \"# description\" line")
		else {
			nm++
			mline[nm] = bline
			mdesc[nm] = desc
			mwhy[nm] = why
			mold[nm] = old
			mnew[nm] = new
			if (old == new)
				err(bline, "mutation " nm " \"" desc "\": the replacement is the original")
		}
		inblock = nold = nnew = 0
		desc = why = old = new = ""
	}
	/^[ \t]*$/ {
		if (inblock)
			endblock()
		next
	}
	{
		if (!inblock) {
			inblock = 1
			bline = FNR
		}
		c = substr($0, 1, 1)
		t = substr($0, 2)
		if (c == "#") {
			if (nold > 0)
				err(FNR, "a comment among the snippet lines")
			sub(/^[ \t]+/, "", t)
			if (t ~ /^survives:/) {
				sub(/^survives:[ \t]*/, "", t)
				why = why == "" ? t : why " " t
			} else if (desc == "")
				desc = t
		} else if (c == "-") {
			if (nnew > 0)
				err(FNR, "a \"-\" line after the \"+\" lines")
			old = nold++ ? old "\n" t : t
		} else if (c == "+")
			new = nnew++ ? new "\n" t : t
		else
			err(FNR, "a line must start with \"#\", \"-\" or \"+\"")
	}
	END {
		if (inblock)
			endblock()
		while ((getline f < filelist) > 0) {
			nf++
			fname[nf] = f
			text = ""
			n = 0
			while ((getline l < f) > 0)
				text = n++ ? text "\n" l : l
			close(f)
			ftext[nf] = text
		}
		for (k = 1; k <= nm; k++) {
			where = place = ""
			nw = 0
			nh = 0
			for (i = 1; i <= nf; i++) {
				s = ftext[i]
				c = 0
				while ((p = index(s, mold[k])) > 0) {
					c++
					s = substr(s, p + 1)
				}
				if (c > 0) {
					if (nw++ < 4)
						where = where (where == "" ? "" : ", ") \
						    fname[i] " (" c ")"
					else if (nw == 5)
						where = where ", ..."
					nh += c
					place = fname[i]
				}
			}
			if (nh != 1) {
				err(mline[k], "mutation " k " \"" mdesc[k] "\": its original is found " \
				    nh " times under harness/pf/" (nh ? ": " where : ""))
				continue
			}
			printf "%s\n", mold[k] > (mdir "/" k ".old")
			printf "%s\n", mnew[k] > (mdir "/" k ".new")
			close(mdir "/" k ".old")
			close(mdir "/" k ".new")
			d = mdesc[k]
			w = mwhy[k]
			gsub(/\t/, " ", d)
			gsub(/\t/, " ", w)
			printf "%d\t%d\t%s\t%s\t%s\n", k, mline[k], place, d, w > (mdir "/index")
		}
		if (nm == 0)
			err(1, "no mutation in the file")
		exit nerr > 0
	}' "$mfile"
}

if [ $check -eq 1 ]; then
	locate || { echo "mutate: $mname: fix the mutations above" >&2; exit 2; }
	total=$(wc -l <"$m/index" | tr -d ' ')
	while IFS=$tab read -r k line file desc why; do
		printf '[%d/%d] %s: %s%s\n' "$k" "$total" "${file#harness/pf/}" "$desc" \
		    "${why:+ (survives: $why)}"
	done <"$m/index"
	exit 0
fi

tar cf - Makefile mk harness bench tests tools scenarios | (cd "$tree" && tar xf -) ||
    exit 2
cd "$tree" || exit 2
locate || { echo "mutate: $mname: fix the mutations above" >&2; exit 2; }
total=$(wc -l <"$m/index" | tr -d ' ')
sel=
if [ $# -gt 0 ]; then
	for n in "$@"; do
		[ "$n" -ge 1 ] && [ "$n" -le "$total" ] ||
		    { echo "mutate: no mutation $n (1..$total)" >&2; exit 2; }
	done
	sel=" $* "
fi

echo "mutate: $total mutations in $mname; building a copy of the tree in $tmp"
# the copy's own build: no job server or flags of a make that ran this script
unset MAKEFLAGS MFLAGS MAKELEVEL
mk=${MAKE:-make}
if ! run "$log" "$mk" -j2 pfharness unit; then
	{ grep "error:" "$log" || tail -n 30 "$log"; } | head -n 30
	echo "mutate: the tree does not build" >&2
	exit 2
fi
t0=$(date +%s)
if ! run "$log" ./build/san/bin/unit $suites; then
	tail -n 30 "$log"
	echo "mutate: the unit tests fail unmutated" >&2
	exit 2
fi
t1=$(date +%s)
if ! run "$log" ./pfharness run --no-color -t model scenarios; then
	tail -n 30 "$log"
	echo "mutate: the scenarios fail unmutated" >&2
	exit 2
fi
# a mutant may loop: tests get ten times the unmutated unit run, 30 s at least,
# under timeout(1) where there is one
limit=$(( (t1 - t0) * 10 ))
[ $limit -ge 30 ] || limit=30
tmo=
command -v timeout >/dev/null 2>&1 && tmo="timeout -k 5 $limit"
echo "mutate: built and tested unmutated; time limit per test run ${limit}s"

# test_one NAME LOG CMD...: adds NAME to $how when CMD fails ("timeout NAME" when it
# ran past the limit).
test_one() {
	_name=$1 _l=$2
	shift 2
	run "$_l" $tmo "$@"
	case $? in
	0) return ;;
	124|137) _name="timeout $_name" ;;
	esac
	how=${how:+$how+}$_name
}

# The lines of a log that say what failed (-v).
show_failures() {
	awk '/had failures|^ +[0-9]+\. |FAIL|rror|Assertion|Sanitizer/ && n++ < 12 {
		print "      " $0 }' "$1"
}

killed=0 survived=0 invalid=0 ran=0
survivors= wrongnotes= invalids=
while IFS=$tab read -r k line file desc why; do
	case $sel in
	'') ;;
	*" $k "*) ;;
	*) continue ;;
	esac
	ran=$((ran + 1))
	cp "$file" "$tmp/orig" || exit 2
	awk -v oldf="$m/$k.old" -v newf="$m/$k.new" -v src="$file" '
	function slurp(f,   s, l, n) {
		while ((getline l < f) > 0)
			s = n++ ? s "\n" l : l
		close(f)
		return s
	}
	BEGIN {
		old = slurp(oldf)
		new = slurp(newf)
		text = slurp(src)
		if ((p = index(text, old)) == 0)
			exit 1
		printf "%s\n", substr(text, 1, p - 1) new substr(text, p + length(old))
	}' >"$tmp/mutant" && cp "$tmp/mutant" "$file" || exit 2
	how=
	if ! run "$log" "$mk" -j2 pfharness unit; then
		verdict=invalid
		invalid=$((invalid + 1))
		invalids="$invalids$k "
		[ $verbose -eq 1 ] && grep 'error:' "$log" | head -n 5 | sed 's/^/      /'
		# the restored file must be newer than any object this build made,
		# also for a make that compares whole seconds
		sleep 1
	else
		test_one unit "$tmp/unit.log" ./build/san/bin/unit $suites
		# a hung unit run says enough: the scenarios would hang too
		case $how in
		timeout*) ;;
		*) test_one scenarios "$tmp/scn.log" ./pfharness run --no-color -t model \
		    scenarios ;;
		esac
		if [ -n "$how" ]; then
			verdict="killed ($how)"
			killed=$((killed + 1))
			[ -n "$why" ] && wrongnotes="$wrongnotes$k "
		else
			verdict=survived
			survived=$((survived + 1))
			survivors="$survivors$k "
		fi
	fi
	printf '[%d/%d] %s: %s: %s\n' "$k" "$total" "${file##*/}" "$desc" "$verdict"
	if [ $verbose -eq 1 ]; then
		case $how in *unit*) show_failures "$tmp/unit.log" ;; esac
		case $how in *scenarios) show_failures "$tmp/scn.log" ;; esac
	fi
	cp "$tmp/orig" "$file" || exit 2
done <"$m/index"

# entry K: mutation K's line of the index
entry() {
	awk -F "$tab" -v k="$1" '$1 == k' "$m/index"
}

valid=$((killed + survived))
echo
if [ $valid -eq 0 ]; then
	echo "mutate: no mutation built ($invalid invalid)"
	exit 1
fi
pct=$((killed * 100 / valid))
printf '%d of %d killed (%d%%)' "$killed" "$valid" "$pct"
[ $invalid -gt 0 ] && printf '; %d invalid (did not build): %s' "$invalid" "$invalids"
printf '\n'
if [ -n "$survivors" ]; then
	echo "survivors:"
	for k in $survivors; do
		entry "$k" | while IFS=$tab read -r k line file desc why; do
			printf '  %s: %s (%s:%d)\n' "${file##*/}" "$desc" "$mname" "$line"
			printf '      %s\n' \
			    "${why:-no note: a test should kill it, or a note say why none can}"
		done
	done
fi
for k in $wrongnotes; do
	entry "$k" | while IFS=$tab read -r k line file desc why; do
		echo "note: $mname:$line: mutation $k has a survives note, but it was killed"
	done
done
elapsed=$(($(date +%s) - start))
echo "run time: $((elapsed / 60)) min $((elapsed % 60)) s ($ran mutations)"
[ $((killed * 100)) -ge $((min * valid)) ] && exit 0
echo "mutate: fewer than $min% killed"
exit 1
