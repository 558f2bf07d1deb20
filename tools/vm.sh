#!/bin/sh
# vm.sh: run pfharness in the throwaway FreeBSD VM of vagrant/: bring it up, sync the
# tree, build and run inside, copy the results back under results/, destroy the VM
# unless KEEP=1.   usage: tools/vm.sh run|test|bench|shell|destroy
# PROVIDER=virtualbox|libvirt picks the provider (default: the first one installed);
# FULL=1 with bench: the complete bench.
cd "$(dirname "$0")/.." || exit 2
top=$PWD
what=${1:-run}
inside_dir=/home/vagrant/pfharness
export VAGRANT_CWD="$top/vagrant"

say() { printf 'vm: %s\n' "$*" >&2; }

case $what in
run)	inside='make deps pfharness && ./pfharness run --target freebsd,model scenarios' ;;
test)	inside='make test' ;;
# the bench measures the freebsd target there (mk/FreeBSD.mk: BENCH_TARGET); its CSV,
# plots and system.txt come back under results/ like everything else
bench)	inside="make deps && make bench${FULL:+ FULL=1}" ;;
shell|destroy) inside= ;;
*)	say "usage: tools/vm.sh run|test|bench|shell|destroy"; exit 2 ;;
esac

if ! command -v vagrant >/dev/null 2>&1; then
	say "vagrant is not installed. Install Vagrant (https://developer.hashicorp.com/vagrant)"
	say "and a provider: VirtualBox, or libvirt with \`vagrant plugin install vagrant-libvirt\`."
	exit 2
fi
if [ "$what" = destroy ]; then
	vagrant destroy -f
	exit $?
fi

provider=${PROVIDER:-}
if [ -z "$provider" ]; then
	if command -v VBoxManage >/dev/null 2>&1; then
		provider=virtualbox
	elif command -v virsh >/dev/null 2>&1 &&
	    vagrant plugin list 2>/dev/null | grep -q vagrant-libvirt; then
		provider=libvirt
	else
		say "no Vagrant provider found: install VirtualBox (VBoxManage), or libvirt"
		say "(virsh) with \`vagrant plugin install vagrant-libvirt\`; or set PROVIDER="
		exit 2
	fi
fi
case $provider in
virtualbox)
	command -v VBoxManage >/dev/null 2>&1 ||
	    { say "PROVIDER=virtualbox but VBoxManage is not installed"; exit 2; } ;;
libvirt)
	vagrant plugin list 2>/dev/null | grep -q vagrant-libvirt ||
	    { say "PROVIDER=libvirt but the vagrant-libvirt plugin is missing:" \
	    "vagrant plugin install vagrant-libvirt"; exit 2; } ;;
*)	say "PROVIDER=$provider: only virtualbox and libvirt are set up in vagrant/Vagrantfile"
	exit 2 ;;
esac

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
