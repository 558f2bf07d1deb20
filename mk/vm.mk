# vm.mk: the throwaway FreeBSD VM of vagrant/ (tools/vm.sh does the work; its top
# lists the prerequisites, make vm-check checks them all).
# KEEP=1 keeps the VM after the run; PROVIDER=virtualbox|vmware_desktop|libvirt picks
# the provider;
# vm-bench FULL=1 runs the complete bench (make bench FULL=1) inside.

vm-check:
	@PROVIDER="${PROVIDER}" sh tools/vm.sh check

vm-run:
	@KEEP="${KEEP}" PROVIDER="${PROVIDER}" sh tools/vm.sh run

vm-test:
	@KEEP="${KEEP}" PROVIDER="${PROVIDER}" sh tools/vm.sh test

vm-bench:
	@KEEP="${KEEP}" PROVIDER="${PROVIDER}" FULL="${FULL}" sh tools/vm.sh bench

vm-shell:
	@KEEP=1 PROVIDER="${PROVIDER}" sh tools/vm.sh shell

.PHONY: vm-check vm-run vm-test vm-bench vm-shell

vm-destroy:
	@sh tools/vm.sh destroy

.PHONY: vm-destroy
