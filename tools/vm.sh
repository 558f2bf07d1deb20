#!/bin/sh
# vm.sh: run pfharness in the throwaway FreeBSD VM of vagrant/: bring it up, sync the
# tree, build and run inside, copy the results back under results/, destroy the VM
# unless KEEP=1.   usage: tools/vm.sh run|test|bench|shell|destroy|check
# PROVIDER=virtualbox|vmware_desktop|libvirt picks the provider (default: the first one
# installed that the box is built for); FULL=1 with bench: the complete bench.
#
# Prerequisites, all checked by prereqs() below (`make vm-check` runs it alone and
# lists every one that is missing):
#  - vagrant;
#  - a provider the box is built for. The official freebsd/FreeBSD-14.x-RELEASE boxes
#    are built for VirtualBox and VMware only: VirtualBox (VBoxManage), or VMware
#    Workstation/Fusion with the vagrant-vmware-desktop plugin (and its utility).
#    libvirt (with the vagrant-libvirt plugin) only with PFH_BOX naming a FreeBSD 14
#    box built for libvirt;
#  - rsync on this machine (the tree is synced with vagrant's rsync folder), ssh and
#    tar (the results come back by ssh and tar);
#  - the network, the first time, to download the box (about 1 GB) and the packages.
# Inside, vagrant/provision.sh installs what the build needs and marks the VM throwaway.
cd "$(dirname "$0")/.." || exit 2
top=$PWD
what=${1:-run}
inside_dir=/home/vagrant/pfharness
export VAGRANT_CWD="$top/vagrant"

say() { printf 'vm: %s\n' "$*" >&2; }

# The release the VM runs: PFH_FREEBSD (e.g. 15.0), else the Vagrantfile's FreeBSD 14
# default. The scenarios run as that release's (--freebsd N); a scenario written for the
# other release (`freebsd 15` on a 14 VM) is skipped with the reason.
release=${PFH_FREEBSD:-}
case ${release%%.*} in
14|15)	fbopt=" --freebsd ${release%%.*}" ;;
"")	fbopt= ;;
*)	say "PFH_FREEBSD=$release: the harness knows FreeBSD 14.x and 15.x"; exit 2 ;;
esac

case $what in
run)	inside="make deps pfharness && ./pfharness run --target freebsd,model$fbopt scenarios" ;;
test)	inside='make test' ;;
# the bench measures the freebsd target there (mk/FreeBSD.mk: BENCH_TARGET); its CSV,
# plots and system.txt come back under results/ like everything else
bench)	inside="make deps && make bench${FULL:+ FULL=1}" ;;
shell|destroy|check) inside= ;;
*)	say "usage: tools/vm.sh run|test|bench|shell|destroy|check"; exit 2 ;;
esac

has() { command -v "$1" >/dev/null 2>&1; }
plugin() { vagrant plugin list 2>/dev/null | grep -q "^$1 "; }

# Every prerequisite above; each missing one is named; the provider chosen goes to
# $provider. 0 when all are there, 2 otherwise.
prereqs() {
	missing=0
	if ! has vagrant; then
		say "missing: vagrant (https://developer.hashicorp.com/vagrant)"
		missing=1
	fi
	for t in rsync ssh tar; do
		has $t || { say "missing: $t"; missing=1; }
	done
	provider=${PROVIDER:-}
	if [ -z "$provider" ]; then
		if has VBoxManage; then
			provider=virtualbox
		elif has vagrant && plugin vagrant-vmware-desktop; then
			provider=vmware_desktop
		elif [ -n "${PFH_BOX:-}" ] && has virsh && has vagrant &&
		    plugin vagrant-libvirt; then
			provider=libvirt
		else
			say "missing: a provider the box is built for: VirtualBox (VBoxManage)," \
			    "or VMware with \`vagrant plugin install vagrant-vmware-desktop\`" \
			    "(the official FreeBSD boxes have no libvirt build; libvirt only" \
			    "with PFH_BOX=<a FreeBSD 14 box built for libvirt>)"
			missing=1
		fi
	fi
	case $provider in
	virtualbox)
		has VBoxManage || { say "PROVIDER=virtualbox but VBoxManage is not installed"
		    missing=1; } ;;
	vmware_desktop)
		if ! { has vagrant && plugin vagrant-vmware-desktop; }; then
			say "PROVIDER=vmware_desktop but the plugin is missing:" \
			    "vagrant plugin install vagrant-vmware-desktop"
			missing=1
		fi ;;
	libvirt)
		if [ -z "${PFH_BOX:-}" ]; then
			say "PROVIDER=libvirt: the official freebsd/FreeBSD-14.x-RELEASE boxes are" \
			    "built for VirtualBox and VMware only; name a FreeBSD 14 box built for" \
			    "libvirt with PFH_BOX="
			missing=1
		fi
		if ! { has vagrant && plugin vagrant-libvirt; }; then
			say "PROVIDER=libvirt but the vagrant-libvirt plugin is missing:" \
			    "vagrant plugin install vagrant-libvirt"
			missing=1
		fi ;;
	"")	;;
	*)	say "PROVIDER=$provider: vagrant/Vagrantfile sets up virtualbox," \
		    "vmware_desktop and libvirt only"
		missing=1 ;;
	esac
	[ $missing -eq 0 ] || return 2
	return 0
}

if [ "$what" = destroy ]; then
	has vagrant || { say "missing: vagrant"; exit 2; }
	vagrant destroy -f
	exit $?
fi
prereqs || exit 2
if [ "$what" = check ]; then
	say "every prerequisite is there (provider: $provider, FreeBSD ${release:-14 (the Vagrantfile's)})"
	exit 0
fi

finish() {
	if [ "${KEEP:-}" = 1 ] || [ "$what" = shell ]; then
		say "the VM is kept: make vm-shell to enter it, make vm-destroy to remove it"
	else
		say "destroying the VM (KEEP=1 keeps it)"
		vagrant destroy -f >/dev/null || say "vagrant destroy failed: run make vm-destroy"
	fi
}

say "bringing the VM up with $provider (the first time downloads the box)"
if ! vagrant up --provider="$provider"; then
	say "vagrant up failed"
	finish
	exit 2
fi
# up syncs the tree only when it creates the VM: sync again for a kept one
vagrant rsync >/dev/null || { say "vagrant rsync failed"; finish; exit 2; }

if [ "$what" = shell ]; then
	vagrant ssh
	finish
	exit 0
fi

say "running inside: $inside"
vagrant ssh -c "cd $inside_dir && sudo sh -c '$inside'"
rc=$?

# results/ of the VM come back beside this tree's, by ssh and tar (no shared folder)
cfg=$(mktemp "${TMPDIR:-/tmp}/pfh-vm.XXXXXX")
if vagrant ssh-config >"$cfg" 2>/dev/null &&
    ssh -F "$cfg" default "cd $inside_dir && tar cf - results" | tar xf - -C "$top"; then
	say "results copied under results/ (each run in its own folder; system.txt names the VM's FreeBSD)"
else
	say "could not copy the results back"
	[ $rc -eq 0 ] && rc=2
fi
rm -f "$cfg"
finish
exit $rc
