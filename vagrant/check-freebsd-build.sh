#!/bin/sh
# check-freebsd-build.sh: build mk/FreeBSD.mk's file selection on Linux, in a scratch
# copy of the tree, against the header stand-ins of vagrant/standins (see its README):
# pfharness is linked (libjail_standin.c supplies jail_getid, jail_attach and procctl,
# which fail) so that a missing symbol shows, and the unit tests (build/san/bin/unit) are built and run.
# This checks that the FreeBSD-only code compiles and links with the selection the VM
# will build; it does not check it against FreeBSD's own headers or run it.
# usage: sh vagrant/check-freebsd-build.sh   (CC=clang sh ... to build with clang)
cd "$(dirname "$0")/.." || exit 2
top=$PWD
si=$top/vagrant/standins
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-fbsdsel.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
tar cf - Makefile mk harness bench tests tools scenarios | tar xf - -C "$tmp" || exit 2
cd "$tmp" || exit 2
rm -rf pfharness build
# CC=clang: FreeBSD's compiler, so that its warnings (-Werror) show here too
set -- OS=FreeBSD "CC=${CC:-cc}" "PLATFORM_CFLAGS=-I$si" "PLATFORM_LIBS=-I$si $si/libjail_standin.c"
echo "check-freebsd-build: make $* pfharness unit"
if ! make "$@" pfharness unit >build.log 2>&1; then
	cat build.log
	echo "check-freebsd-build: the FreeBSD selection does not build"
	exit 1
fi
# the selection really is FreeBSD's: its bench half, not the Linux one
nm pfharness | grep -q ' T bench_world_up$' ||
    { echo "check-freebsd-build: pfharness lacks the FreeBSD bench"; exit 1; }
if nm pfharness | grep -q ' T bench_net_up$'; then
	echo "check-freebsd-build: pfharness links the Linux bench"
	exit 1
fi
./pfharness bench run --target linux 2>&1 | grep -q "measures the freebsd target only" ||
    { echo "check-freebsd-build: pfharness bench does not name the freebsd target"; exit 1; }
./build/san/bin/unit
