#!/bin/sh
# check-freebsd-build.sh: build mk/FreeBSD.mk's file selection on Linux, in a scratch
# copy of the tree, against the header stand-ins of vagrant/standins (see its README):
# pfharness is linked (libjail_standin.c supplies jail_getid, jail_attach and procctl,
# which fail) so that a missing symbol shows, and the unit tests (build/san/bin/unit) are built and run.
# This checks that the FreeBSD-only code compiles and links with the selection the VM
# will build; it does not check it against FreeBSD's own headers or run it.
# usage: sh vagrant/check-freebsd-build.sh   (CC=clang: with clang; MAKE=bmake: with
# FreeBSD's make, as Debian packages it)
cd "$(dirname "$0")/.." || exit 2
top=$PWD
si=$top/vagrant/standins
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-fbsdsel.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
tar cf - Makefile mk harness bench tests tools scenarios | tar xf - -C "$tmp" || exit 2
cd "$tmp" || exit 2
rm -rf pfharness build
# The stand-ins must reject what FreeBSD's headers reject: each pair below is a file
# that FreeBSD's own headers refuse (a header they need is missing) and the same file
# with it; the first must fail here and the second build, or a stand-in is too lenient
# (it once let bench/recv_freebsd.c include <sys/jail.h> without <sys/param.h>).
standin_case() {	# name, then the includes that must fail, then those that must build
	printf '%b\nint pfh_probe;\n' "$2" >"$tmp/bad.c"
	printf '%b\nint pfh_probe;\n' "$3" >"$tmp/good.c"
	if ${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -I"$si" -c "$tmp/bad.c" -o "$tmp/x.o" \
	    2>/dev/null; then
		echo "check-freebsd-build: stand-in $1 accepts what FreeBSD's rejects:"
		cat "$tmp/bad.c"
		exit 1
	fi
	${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -I"$si" -c "$tmp/good.c" -o "$tmp/x.o" || {
		echo "check-freebsd-build: stand-in $1 rejects:"; cat "$tmp/good.c"; exit 1; }
}
standin_case sys/jail.h '#include <sys/types.h>\n#include <sys/jail.h>' \
    '#include <sys/param.h>\n#include <sys/jail.h>'
standin_case jail.h '#include <jail.h>' '#include <sys/types.h>\n#include <jail.h>'
standin_case net/bpf.h '#include <net/bpf.h>\nunsigned long r = BIOCSBLEN;' \
    '#include <sys/types.h>\n#include <sys/ioctl.h>\n#include <sys/time.h>\n#include <net/bpf.h>\nunsigned long r = BIOCSBLEN;'
standin_case net/if_dl.h '#include <sys/types.h>\n#include <net/if_dl.h>\nint f = AF_LINK;' \
    '#include <sys/types.h>\n#include <sys/socket.h>\n#include <net/if_dl.h>\nint f = AF_LINK;'
echo "check-freebsd-build: the stand-ins reject what FreeBSD's headers reject (4 cases)"

# CC=clang: FreeBSD's compiler, so that its warnings (-Werror) show here too
set -- OS=FreeBSD "CC=${CC:-cc}" "PLATFORM_CFLAGS=-I$si" "PLATFORM_LIBS=-I$si $si/libjail_standin.c"
echo "check-freebsd-build: ${MAKE:-make} $* pfharness unit"
if ! ${MAKE:-make} "$@" pfharness unit >build.log 2>&1; then
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
