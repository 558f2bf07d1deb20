# vm.mk: the throwaway FreeBSD VM of vagrant/ (tools/vm.sh does the work).
# KEEP=1 keeps the VM after the run; PROVIDER=virtualbox|libvirt picks the provider;
# vm-bench FULL=1 runs the complete bench (make bench FULL=1) inside.

vm-run:
	@KEEP="${KEEP}" PROVIDER="${PROVIDER}" sh tools/vm.sh run

vm-test:
	@KEEP="${KEEP}" PROVIDER="${PROVIDER}" sh tools/vm.sh test

vm-bench:
	@KEEP="${KEEP}" PROVIDER="${PROVIDER}" FULL="${FULL}" sh tools/vm.sh bench

vm-shell:
	@KEEP=1 PROVIDER="${PROVIDER}" sh tools/vm.sh shell

.PHONY: vm-run vm-test vm-bench vm-shell

vm-destroy:
	@sh tools/vm.sh destroy

.PHONY: vm-destroy
