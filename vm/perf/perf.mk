# `make perf-vm`: fio side by side in one VM boot (emud file + qcow, LIO fileio, tcmu-runner qcow),
# then the markdown table (vm/perf/report.sh → out/vm-perf/perf.md). Slow (~10 min of TCG); not in CI.
# Knobs: PERF_RUNTIME (s per job, 20), PERF_SIZE_MIB (256), PERF_HW_MAX_SECTORS (2048),
# PERF_DATA_AREA_MB (32), PERF_COLUMNS (emud,fileio,tcmu-runner), VM_RUN (a command run.sh runs under,
# e.g. a machine-wide VM slot lock: make perf-vm VM_RUN=/path/to/slot-wrapper).
PERF_COLUMNS ?= emud,fileio,tcmu-runner

.PHONY: perf-vm

perf-vm: e2e-setup e2e-build
	VM_OUT=out/vm-perf $(VM_RUN) vm/run.sh --gate none --vm-timeout 2400 --columns $(PERF_COLUMNS) vm/perf/fio-perf.sh
	vm/perf/report.sh out/vm-perf
