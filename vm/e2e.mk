# End-to-end targets: real kernel (QEMU TCG), TCMU, tcm_loop and iSCSI. See vm/README.md.
# Knobs (make VAR=... or environment):
#   E2E_COLUMNS    columns for `make e2e` (emud,tcmu-runner,fileio; emud is the gate)
#   E2E_SCENARIOS  scenario names or "all"
#   E2E_BUILD      1: build emud (make release: static Swift runtime) first
#   E2E_VMS        1: one VM; 2: two VMs at once (vm/e2e.sh; E2E_SPLIT: the first scenario number of the second
#                  VM's emud part). Default: 2 with at least 4 CPUs, else 1 (see vm/e2e.sh)
#   EMUD_BIN, VM_OUT, VM_TIMEOUT, ISCSI_* ...: see vm/run.sh and vm/README.md
E2E_COLUMNS   ?= emud,tcmu-runner,fileio
E2E_SCENARIOS ?= all
E2E_BUILD     ?= 1
E2E_VMS       ?=
E2E_RUN_ARGS  ?=

.PHONY: e2e e2e-reference e2e-setup e2e-build

e2e-setup:
	vm/setup.sh

e2e-build:
	@if [ "$(E2E_BUILD)" = 1 ]; then \
	  $(MAKE) --no-print-directory release || echo "e2e: WARNING: emud did not build; its scenarios will fail"; \
	fi

# emud's scenarios are the gate; the tcmu-runner and fileio columns are information.
e2e: e2e-setup e2e-build
	E2E_VMS=$(E2E_VMS) vm/e2e.sh $(E2E_COLUMNS) $(E2E_RUN_ARGS) $(E2E_SCENARIOS)

# The reference columns only; fails only on harness trouble (panic, hang of the VM, ...).
e2e-reference: e2e-setup
	vm/run.sh --gate none --columns tcmu-runner,fileio $(E2E_RUN_ARGS) $(E2E_SCENARIOS)
