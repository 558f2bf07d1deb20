#!/bin/sh
# layers.sh: the tree's dependency rules, checked on the release build's objects and
# on the sources' #include lines (harness/README.md states them):
#  1. a folder uses only itself and the folders its line below allows (symbols from
#     nm, and quoted includes);
#  2. no circle between files (file A uses B and B uses A, directly or through others);
#  3. the pf model library links alone: every symbol libpfm.a needs is in libpfm.a,
#     libbase.a or the C library;
#  4. no file of the tree is named like a packet's address (`203.0.113.1:80`): the
#     trace of an unquoted `A:P > B:Q` in a shell, which redirects into a file.
# usage: sh tests/layers.sh [BUILD_DIR]   (default build/release; run `make` first)
cd "$(dirname "$0")/.." || exit 2
build=${1:-build/release}

# folder: the folders it may use besides itself (bench and tests are folders too).
rules='
harness/base:
harness/pf/conf: harness/base harness/pf
harness/pf/eval: harness/base harness/pf harness/pf/conf
harness/pf/ctl: harness/base harness/pf harness/pf/conf harness/pf/eval
harness/pf: harness/base
harness/pkt: harness/base
harness/admin: harness/base
harness/scn: harness/base harness/pkt harness/admin
harness/wire: harness/base harness/pkt
harness/pfctl: harness/base harness/pkt harness/scn harness/pf
harness/target: harness/base harness/pkt harness/scn harness/wire harness/pf
harness/target/model: harness/base harness/pkt harness/scn harness/wire harness/pf harness/target
harness/target/linux: harness/base harness/pkt harness/scn harness/wire harness/pf harness/target
harness/target/freebsd: harness/base harness/pkt harness/scn harness/wire harness/pfctl harness/target
harness/verdict: harness/base harness/pkt harness/scn harness/pfctl harness/target
harness/probe: harness/base harness/pkt harness/scn harness/pf harness/pfctl harness/target harness/target/model
bench: harness/base harness/pkt harness/scn harness/wire harness/pf harness/pfctl harness/target harness/target/linux harness/target/freebsd
harness/cli: harness/base harness/admin harness/pkt harness/scn harness/wire harness/pf harness/pfctl harness/target harness/target/model harness/target/linux harness/target/freebsd harness/verdict harness/probe bench
'
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-layers.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); printf 'ok    %s\n' "$1"; }
bad() { fail=$((fail + 1)); printf 'FAIL  %s\n' "$1"; sed 's/^/      /' "$2"; }

if [ ! -f "$build/libpfm.a" ]; then
	echo "layers: no $build/libpfm.a: run make first"
	echo "0 passed, 1 failed"
	exit 1
fi

# The sources this build compiled (objects of deleted files are not counted).
git ls-files harness bench | grep '\.c$' | while read -r c; do
	o=$build/${c%.c}.o
	[ -f "$o" ] && printf '%s %s\n' "$c" "$o"
done >"$tmp/objs"

# defs: FILE SYMBOL; uses: FILE SYMBOL.
while read -r c o; do
	nm "$o" | awk -v f="$c" '
	    $2 ~ /^[TDBRC]$/ { print "D", f, $3 }
	    $1 == "U" { print "U", f, $2 }'
done <"$tmp/objs" >"$tmp/syms"
# edges: A B SYMBOL (A uses SYMBOL defined in B)
awk '$1 == "D" { def[$3] = $2; next }
    { u[++n] = $2 " " $3 }
    END { for (i = 1; i <= n; i++) { split(u[i], a, " ")
	if ((a[2] in def) && def[a[2]] != a[1]) print a[1], def[a[2]], a[2] } }' \
    "$tmp/syms" | sort -u >"$tmp/edges"
# include edges: A H (A includes H, resolved as the compiler does: its folder first,
# then harness/, then the top).
git ls-files harness bench tests | grep '\.[ch]$' | while read -r f; do
	d=$(dirname "$f")
	sed -n 's/^#include "\(.*\)".*/\1/p' "$f" | while read -r h; do
		for p in "$d/$h" "harness/$h" "$h"; do
			if [ -f "$p" ]; then
				printf '%s %s\n' "$f" "$p"
				break
			fi
		done
	done
done >"$tmp/incs"

folder_of() { sed 's#/[^/]*$##'; }

# 1. folders. Outside harness/pf, a symbol of the model counts as the library's
# (harness/pf): its public functions are defined in pf/conf and pf/eval; an include
# counts where the header is, so only harness/pf/*.h is public.
printf '%s\n' "$rules" | awk -F': *' 'NF { print $1 "|" $2 }' >"$tmp/rules"
{ awk '$1 !~ /^harness\/pf\// && $2 ~ /^harness\/pf\// { sub("^harness/pf/[^/]*/", "harness/pf/", $2) } { print $1, $2 }' "$tmp/edges"
  grep -v '^tests/' "$tmp/incs"; } |
awk -v rules="$tmp/rules" '
    BEGIN { while ((getline l < rules) > 0) { split(l, p, "|"); known[p[1]] = 1
	n = split(p[2], a, " "); for (i = 1; i <= n; i++) ok[p[1], a[i]] = 1 } }
    function dir(f) { sub("/[^/]*$", "", f); return f }
    { fa = dir($1); fb = dir($2)
      if (!(fa in known)) { print $1 ": folder " fa " has no rule in tests/layers.sh"; next }
      if (fa != fb && !ok[fa, fb]) print $1 " uses " $2 " (" fa " may not use " fb ")" }' |
    sort -u >"$tmp/folders"
if [ -s "$tmp/folders" ]; then bad "folders use only what their rule allows" "$tmp/folders"
else ok "folders use only what their rule allows"; fi

# 2. circles between files: the transitive closure of the symbol edges and of the
# includes of a header that is a file's interface (X.h beside X.c: including it uses
# X.c; a header shared by several files is named for none of them), then the files
# that reach each other.
{ awk '{ print $1, $2 }' "$tmp/edges"
  grep -v '^tests/' "$tmp/incs" | while read -r f h; do
	c=${h%.h}.c
	[ -f "$c" ] && [ "$c" != "$f" ] && printf '%s %s\n' "$f" "$c"
  done; } | sort -u >"$tmp/g"
awk '{ n[$1] = 1; n[$2] = 1; r[$1, $2] = 1 }
    END {
	for (k in n) for (i in n) if (r[i, k]) for (j in n) if (r[k, j]) r[i, j] = 1
	for (i in n) if (!(i in seen)) { g = i; c = 0
	    for (j in n) if (j != i && r[i, j] && r[j, i]) { g = g ", " j; seen[j] = 1; c++ }
	    if (c) print "circle: " g }
    }' "$tmp/g" | sort >"$tmp/circles"
if [ -s "$tmp/circles" ]; then bad "no circle between files" "$tmp/circles"
else ok "no circle between files"; fi

# 3. libpfm.a needs only libbase.a and libc
nm "$build/libpfm.a" "$build/libbase.a" 2>/dev/null | awk '
    $2 ~ /^[TDBRC]$/ { def[$3] = 1 } $1 == "U" { use[$2] = 1 }
    END { for (s in use) if (!(s in def)) print s }' | sort >"$tmp/need"
awk '$1 == "D" { print $3 }' "$tmp/syms" | sort -u >"$tmp/ours"
comm -12 "$tmp/need" "$tmp/ours" >"$tmp/outside"
if [ -s "$tmp/outside" ]; then
	bad "libpfm.a takes no symbol from outside harness/pf and harness/base" "$tmp/outside"
else
	ok "libpfm.a takes no symbol from outside harness/pf and harness/base"
fi

# 4. no file named like an address
if [ -d .git ] || [ -f .git ]; then
	git ls-files | grep -E '(^|/)(\[[0-9a-fA-F:.]+\]|[0-9.]+|[0-9a-fA-F]*:[0-9a-fA-F:]+)(:[0-9]+)?$' \
	    >"$tmp/addrfiles"
	if [ -s "$tmp/addrfiles" ]; then
		bad "no file named like an address (an unquoted shell redirect's trace)" \
		    "$tmp/addrfiles"
	else
		ok "no file named like an address (an unquoted shell redirect's trace)"
	fi
fi

printf 'layers: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
