#!/bin/sh
# vm_check.sh: tools/vm.sh's prerequisite checks (make vm-check) against fake tools on
# PATH: a fake vagrant whose `plugin list` prints $FAKE_PLUGINS, and fake VBoxManage,
# virsh, rsync, ssh and tar, each present only when a case asks for it. Nothing is run
# but the checks: every case stops at `tools/vm.sh check`.
cd "$(dirname "$0")/.." || exit 2
top=$PWD
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pfh-vmcheck.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0

# tools: the fake commands this case has, beside the shell's own utilities
case_() {	# name, tools, plugins, expected exit, text the output must hold, env...
	name=$1 tools=$2 plugins=$3 want=$4 text=$5
	shift 5
	rm -rf "${tmp:?}/bin" && mkdir "$tmp/bin"
	for u in sh dirname cat grep printf; do ln -s "$(command -v $u)" "$tmp/bin/$u"; done
	for t in $tools; do
		printf '#!/bin/sh\n[ "$1 $2" = "plugin list" ] && printf "%%b" "$FAKE_PLUGINS"\nexit 0\n' \
		    >"$tmp/bin/$t"
		chmod +x "$tmp/bin/$t"
	done
	out=$(env -i PATH="$tmp/bin" FAKE_PLUGINS="$plugins" "$@" sh "$top/tools/vm.sh" \
	    check 2>&1)
	rc=$?
	if [ $rc -eq "$want" ] && printf '%s' "$out" | grep -qF -- "$text"; then
		pass=$((pass + 1)); printf 'ok    %s\n' "$name"
	else
		fail=$((fail + 1)); printf 'FAIL  %s (exit %s, wanted %s and "%s")\n%s\n' \
		    "$name" "$rc" "$want" "$text" "$out"
	fi
}

all="vagrant rsync ssh tar"
case_ "no vagrant" "rsync ssh tar VBoxManage" "" 2 "missing: vagrant"
case_ "no rsync" "vagrant ssh tar VBoxManage" "" 2 "missing: rsync"
case_ "VirtualBox" "$all VBoxManage" "" 0 "provider: virtualbox"
case_ "FreeBSD 15 from PFH_FREEBSD" "$all VBoxManage" "" 0 "FreeBSD 15.0)" PFH_FREEBSD=15.0
case_ "a release the harness does not know" "$all VBoxManage" "" 2 \
    "PFH_FREEBSD=13.2: the harness knows FreeBSD 14.x and 15.x" PFH_FREEBSD=13.2
case_ "VMware" "$all" "vagrant-vmware-desktop (3.0.3, global)\n" 0 "provider: vmware_desktop"
case_ "libvirt alone is not taken: the official box has no libvirt build" \
    "$all virsh" "vagrant-libvirt (0.12.2, global)\n" 2 "official FreeBSD boxes have no libvirt build"
case_ "libvirt with a box of its own" "$all virsh" "vagrant-libvirt (0.12.2, global)\n" \
    0 "provider: libvirt" PFH_BOX=some/freebsd-14-libvirt
case_ "PROVIDER=libvirt without PFH_BOX" "$all virsh" "vagrant-libvirt (0.12.2, global)\n" \
    2 "built for VirtualBox and VMware only" PROVIDER=libvirt
case_ "PROVIDER=virtualbox without it" "$all" "" 2 "VBoxManage is not installed" \
    PROVIDER=virtualbox
case_ "every missing one named at once" "vagrant" "" 2 "missing: tar"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
