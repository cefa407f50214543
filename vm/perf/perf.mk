# `make perf-vm`: fio in one VM boot per daemon (column), each daemon's disk beside a LIO fileio disk
# of the same boot (emud file, tcmu-runner fbo),
# then the markdown table (vm/perf/report.sh → out/vm-perf/perf.md). Slow (~10 min of TCG); not in CI.
# Knobs: PERF_RUNTIME (s per job, 12), PERF_SIZE_MIB (256), PERF_HW_MAX_SECTORS (2048),
# PERF_DATA_AREA_MB (32), PERF_EMUD_DISKS (file), PERF_COLUMNS (emud,tcmu-runner), PERF_OUT (out/vm-perf), VM_RUN (a command run.sh runs under,
# e.g. a machine-wide VM slot lock: make perf-vm VM_RUN=/path/to/slot-wrapper).
PERF_COLUMNS ?= emud,tcmu-runner
PERF_OUT ?= out/vm-perf
comma := ,

.PHONY: perf-vm

perf-vm: e2e-setup e2e-build
	rm -rf $(PERF_OUT)
	for c in $(subst $(comma), ,$(PERF_COLUMNS)); do \
	  VM_OUT=$(PERF_OUT)/boot-$$c $(VM_RUN) vm/run.sh --gate none --vm-timeout 2400 --columns $$c vm/perf/fio-perf.sh || exit $$?; \
	done
	vm/perf/report.sh $(PERF_OUT)

# `make scale-vm`: one daemon serving many disks at once (vm/perf/scale.sh; issue 16 "Scale"), one VM
# boot per column (SCALE_COLUMNS, emud,tcmu-runner), table by vm/perf/scale-report.sh → out/vm-scale/scale.md.
# Knobs: SCALE_COUNTS ("64 256"), SCALE_SIZE_MIB (16), SCALE_QD (4), SCALE_RUNTIME (10), SCALE_IDLE_S (5),
# SCALE_RING_MB (1), SCALE_DATA_AREA_MB (4), SCALE_OUT (out/vm-scale), VM_MEM, VM_RUN (as perf-vm).
SCALE_COLUMNS ?= emud,tcmu-runner
SCALE_OUT ?= out/vm-scale

.PHONY: scale-vm

scale-vm: e2e-setup e2e-build
	rm -rf $(SCALE_OUT)
	for c in $(subst $(comma), ,$(SCALE_COLUMNS)); do \
	  VM_OUT=$(SCALE_OUT)/boot-$$c $(VM_RUN) vm/run.sh --gate none --vm-timeout 3400 --columns $$c vm/perf/scale.sh || exit $$?; \
	done
	vm/perf/scale-report.sh $(SCALE_OUT)
