#!/bin/sh
# ab.sh: make bench-ab A=... B=...: pfharness bench ab between two variants, each a
# ruleset (a file ending in .conf), a pfharness program (an executable file) or a git
# revision of this tree, built side by side under build/ab/ (with A_CFLAGS or B_CFLAGS,
# e.g. B_CFLAGS=-DNFQ_TEST_SPIN_NS=620 for the test build whose hook is slower).
# usage: sh bench/ab.sh A B [bench ab options...]
cd "$(dirname "$0")/.." || exit 2
if [ $# -lt 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
	echo "usage: make bench-ab A=rules10.conf B=rules1000.conf | A=REV B=REV | A=bin B=bin" >&2
	exit 2
fi
a=$1 b=$2
shift 2

# variant ARG CFLAGS: the option pair for it (--pf FILE or --bin PROGRAM), building a
# revision when it is one.
variant() {
	case $1 in
	*.conf) echo "--pf $1"; return 0 ;;
	esac
	if [ -f "$1" ] && [ -x "$1" ]; then
		echo "--bin $1"
		return 0
	fi
	rev=$(git rev-parse --short "$1" 2>/dev/null) ||
	    { echo "bench-ab: $1: not a .conf file, a program or a git revision" >&2; return 2; }
	tag=$(echo "$2" | tr -c 'A-Za-z0-9_\n' '_')
	dir=build/ab/$rev${tag:+-$tag}
	if [ ! -x "$dir/pfharness" ]; then
		echo "bench-ab: building $1 ($rev${2:+ with $2}) in $dir" >&2
		rm -rf "$dir" && mkdir -p "$dir" || return 2
		git archive "$rev" | tar -x -C "$dir" || return 2
		${MAKE:-make} -s -C "$dir" -j2 pfharness CFLAGS="$2" >"$dir/build.log" 2>&1 ||
		    { cat "$dir/build.log" >&2; return 2; }
	fi
	echo "--bin $dir/pfharness"
}

va=$(variant "$a" "$A_CFLAGS") || exit 2
vb=$(variant "$b" "$B_CFLAGS") || exit 2
# shellcheck disable=SC2086
exec ./pfharness bench ab $va $vb "$@"
