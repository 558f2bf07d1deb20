#!/bin/sh
# install.sh: `make install` and the FreeBSD port: a DESTDIR install holds exactly what
# port/pkg-plist lists (plus the scenario library, the port's PORTDATA); an installed
# pfharness, run outside a checkout, finds its scenario library and keeps its results
# under ~/.local/state/pfharness; its manual page is lint-clean; its Kyua suite runs.
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
make=${MAKE:-make}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-install.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok    $1"; }
bad() { fail=$((fail + 1)); echo "FAIL  $1"; [ -z "$2" ] || sed 's/^/      /' "$2" | head -30; }
skipped() { skip=$((skip + 1)); echo "SKIP  $1"; }

# A staged install, as the port's `make stage` does it.
if ! $make -s install DESTDIR="$tmp/stage" PREFIX=/usr/local >"$tmp/stage.log" 2>&1; then
	bad "make install DESTDIR=... PREFIX=/usr/local" "$tmp/stage.log"
else
	ok "make install DESTDIR=... PREFIX=/usr/local"
fi
root=$tmp/stage/usr/local
# What the port's plist must list: every file but PORTDATA's, manual pages as the
# ports framework compresses them.
(cd "$root" && find . -type f -o -type l) | sed 's|^\./||' | grep -v '^share/pfharness/' |
    sed 's|^\(share/man/man[1-9]/.*\)$|\1.gz|' | sort >"$tmp/installed"
grep -v -e '^@' -e '^%%' -e '^$' port/pkg-plist | sort >"$tmp/plist"
if diff -u "$tmp/plist" "$tmp/installed" >"$tmp/plist.diff"; then
	ok "port/pkg-plist lists what make install puts in DESTDIR ($(wc -l <"$tmp/plist") files)"
else
	bad "port/pkg-plist lists what make install puts in DESTDIR (- plist, + installed):" \
	    "$tmp/plist.diff"
fi
(cd scenarios && find . -type f | sort) >"$tmp/scn.src"
(cd "$root/share/pfharness/scenarios" 2>/dev/null && find . -type f | sort) >"$tmp/scn.inst"
if [ -s "$tmp/scn.src" ] && cmp -s "$tmp/scn.src" "$tmp/scn.inst"; then
	ok "the scenario library is installed whole ($(wc -l <"$tmp/scn.src") files, PORTDATA)"
else
	diff -u "$tmp/scn.src" "$tmp/scn.inst" >"$tmp/scn.diff"
	bad "the scenario library is installed whole" "$tmp/scn.diff"
fi
if grep -q "^PORTDATA=" port/Makefile && grep -q "^ALL_TARGET=	pfharness" port/Makefile &&
    [ -s port/pkg-descr ]; then
	ok "the port has Makefile (PORTDATA, ALL_TARGET), pkg-descr and pkg-plist"
else
	bad "the port has Makefile (PORTDATA, ALL_TARGET), pkg-descr and pkg-plist"
fi

# A real install under a prefix of its own, used from a folder that is no checkout.
prefix=$tmp/prefix
$make -s install PREFIX="$prefix" >"$tmp/prefix.log" 2>&1 || bad "make install PREFIX=..." "$tmp/prefix.log"
mkdir -p "$tmp/elsewhere" "$tmp/home"
nscn=$(find scenarios -name '*.scn' | wc -l)
(cd "$tmp/elsewhere" && "$prefix/bin/pfharness" list) >"$tmp/list.out" 2>&1
if [ "$(grep -c "^$prefix/share/pfharness/scenarios/" "$tmp/list.out")" -eq "$nscn" ]; then
	ok "installed: list with no argument lists the installed library ($nscn scenarios)"
else
	bad "installed: list with no argument lists the installed library" "$tmp/list.out"
fi
(cd "$tmp/elsewhere" && HOME=$tmp/home XDG_STATE_HOME= "$prefix/bin/pfharness" run \
    --no-color -t model) >"$tmp/run.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ -d "$tmp/home/.local/state/pfharness/latest/" ] &&
    [ ! -e "$tmp/elsewhere/results" ] &&
    grep -q "^note: results in $tmp/home/.local/state/pfharness/run-" "$tmp/run.out"; then
	ok "installed: run outside a checkout runs the library, results in ~/.local/state/pfharness"
else
	bad "installed: run outside a checkout runs the library, results in ~/.local/state/pfharness (exit $rc)" "$tmp/run.out"
fi
(cd "$tmp/elsewhere" && HOME=$tmp/home XDG_STATE_HOME=$tmp/state "$prefix/bin/pfharness" \
    run --no-color -t model "$prefix/share/pfharness/scenarios/seed/vps-lo100.scn") \
    >"$tmp/run2.out" 2>&1
if grep -q "^note: results in $tmp/state/pfharness/run-" "$tmp/run2.out"; then
	ok "installed: XDG_STATE_HOME moves the results"
else
	bad "installed: XDG_STATE_HOME moves the results" "$tmp/run2.out"
fi
if command -v mandoc >/dev/null 2>&1; then
	if mandoc -Tlint -W warning "$prefix/share/man/man1/pfharness.1" >"$tmp/lint" 2>&1; then
		ok "installed: the manual page is mandoc -Tlint clean"
	else
		bad "installed: the manual page is mandoc -Tlint clean" "$tmp/lint"
	fi
else
	skipped "installed: mandoc -Tlint (no mandoc: apt-get install mandoc)"
fi
if command -v kyua >/dev/null 2>&1; then
	(cd "$tmp/elsewhere" && HOME=$tmp/home kyua test --results-file="$tmp/kyua.db" \
	    -k "$prefix/tests/pfharness/Kyuafile" >"$tmp/kyua.out" 2>&1;
	 HOME=$tmp/home kyua report-junit --results-file="$tmp/kyua.db" \
	    --output="$tmp/kyua.xml" >>"$tmp/kyua.out" 2>&1)
	if grep -q "^$nscn/$nscn passed (0 failed)" "$tmp/kyua.out" &&
	    [ "$(grep -c '<testcase classname="scenarios"' "$tmp/kyua.xml" 2>/dev/null)" = "$nscn" ]; then
		ok "installed: kyua test runs the $nscn scenarios, kyua report-junit reports them"
	else
		bad "installed: kyua test runs the $nscn scenarios, kyua report-junit reports them" "$tmp/kyua.out"
	fi
else
	skipped "installed: kyua test (no kyua: apt-get install kyua)"
fi
cd "$top" || exit 2
echo "install: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
