#!/bin/sh
# provision.sh: make a FreeBSD 14 (or 15) machine ready for the freebsd target and mark
# it throwaway. Run as root, only on a machine whose pf, interfaces, jails and rc.conf
# may be rewritten: the Vagrant VM (Vagrantfile) and the CI machines (.cirrus.yml,
# .github/workflows/freebsd.yml). Idempotent.
set -e
marker=/var/db/pfharness-throwaway	# harness/target/freebsd/tfb.h: TFB_MARKER

# libnet, CUnit, gnuplot without X, rsync for the Vagrant VM's synced tree; libpcap and
# ministat are in the base system.
env ASSUME_ALWAYS_YES=yes pkg bootstrap -f >/dev/null 2>&1 || true
env ASSUME_ALWAYS_YES=yes pkg install -y libnet cunit gnuplot-lite rsync

# pf: loaded now and at every boot, left disabled with no rules; the harness enables
# it, loads each scenario's ruleset and restores this on exit.
kldstat -q -m pf || kldload pf
sysrc -f /boot/loader.conf pf_load=YES

# Room for the bench's UDP sink: it asks for a 32 MiB socket buffer, and SO_RCVBUF
# fails above kern.ipc.maxsockbuf's share for data (the default is 2 MiB).
sysctl kern.ipc.maxsockbuf=67108864
sysrc -f /etc/sysctl.conf kern.ipc.maxsockbuf=67108864

# No DHCP on the harness's interfaces. With ifconfig_DEFAULT="SYNCDHCP" (the official
# Vagrant boxes and many cloud images have it) rc.d/dhclient takes every Ethernet
# interface without an ifconfig_IF of its own as a DHCP one, and devd starts it at each
# LINK_UP (/etc/devd/dhclient.conf): the harness's epairs come up as they are made, and
# their DHCPDISCOVERs would cross pf mid-run. The setting moves to this machine's own
# interface (the one with the default route), which keeps its address on a reboot.
default=$(sysrc -n -i ifconfig_DEFAULT 2>/dev/null || true)
if [ -n "$default" ]; then
	own=$(route -n get default 2>/dev/null | awk '$1 == "interface:" { print $2 }')
	if [ -n "$own" ] && [ -z "$(sysrc -n -i "ifconfig_$own" 2>/dev/null || true)" ]; then
		sysrc "ifconfig_$own=$default"
	fi
	sysrc -x ifconfig_DEFAULT
fi

# This machine is throwaway: the freebsd target may rewrite pf, interfaces and jails.
printf 'pfharness throwaway machine, provisioned %s\n' \
    "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" >"$marker"
