#!/bin/sh
# deps.sh: install what pfharness needs to build, run and test, if it is missing.
# Idempotent and quiet when everything is there. Debian/Ubuntu: apt; FreeBSD: pkg.
set -e

# clang and its runtime (libFuzzer, sanitizers): make fuzz and make fuzz-smoke.
# kyua: make kyua and the Kyua tests; mandoc: the manual's lint; libxml2-utils: xmllint
# (JUnit against tests/JUnit.xsd); bsdutils: script(1), a terminal for the colour
# tests; bmake: the Makefile is also checked with FreeBSD's make.
debian_pkgs="gcc make pkg-config libnet1-dev libpcap-dev libcunit1-dev
libnetfilter-queue-dev iptables iproute2 gnuplot-nox ministat netsniff-ng
python3-scapy tcpdump perl clang libclang-rt-14-dev kyua mandoc libxml2-utils
bsdutils bmake"
# libpcap, ministat, kyua and mandoc are in FreeBSD base.
freebsd_pkgs="libnet cunit gnuplot-lite libxml2 python3"

say() { printf 'deps: %s\n' "$*" >&2; }

case "$(uname -s)" in
Linux)
	missing=
	for p in $debian_pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && exit 0
	if ! command -v apt-get >/dev/null 2>&1; then
		say "missing:$missing (install them with your package manager)"
		exit 1
	fi
	if [ "$(id -u)" != 0 ]; then
		say "missing:$missing; run as root or: sudo apt-get install$missing"
		exit 1
	fi
	say "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null 2>&1 || say "apt-get update failed; trying the install anyway"
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		{ say "apt-get install failed:$missing"; exit 1; }
	;;
FreeBSD)
	missing=
	for p in $freebsd_pkgs; do
		pkg info -e "$p" 2>/dev/null || missing="$missing $p"
	done
	[ -z "$missing" ] && exit 0
	say "installing$missing"
	# shellcheck disable=SC2086
	pkg install -y $missing >/dev/null || { say "pkg install failed:$missing"; exit 1; }
	;;
*)
	say "unsupported system $(uname -s): install libnet, libpcap and CUnit by hand"
	;;
esac
