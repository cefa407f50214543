# emud top-level Makefile.
include vm/e2e.mk

.PHONY: run

# emud for real: serves this machine's TCMU devices where the kernel has target_core_user;
# otherwise boots the harness VM and shows a disk, a DVD and a ZBC disk working (vm/demo.sh).
run:
	vm/demo.sh
