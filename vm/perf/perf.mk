# `make perf-vm`: fio in the kernel VM, emud `file` against tcmu-runner `fbo` and LIO fileio
# (vm/perf/perf-vm.sh, table → out/vm-perf/perf.md). Slow (~20–30 min of TCG a boot); not in CI.
# PERF_MODE=ab (default): the three disks in ONE boot, each job run on each disk in ABBA repetitions
#   (fileio, emud, tcmu-runner, tcmu-runner, emud, fileio, …), the two daemons taking turns, so the
#   host's drift cancels (vm/perf/fio-ab.sh, vm/perf/report-ab.sh); PERF_BOOTS (1) boots in a row.
# PERF_MODE=boot: one boot per daemon of PERF_COLUMNS (emud,tcmu-runner), each beside a fileio disk
#   of its own boot (vm/perf/fio-perf.sh, vm/perf/report.sh), the method before session 11.
# Knobs: PERF_RUNTIME (s per job, 12), PERF_REPS (2; even, for ABBA), PERF_JOBS, PERF_SIZE_MIB (256),
# PERF_HW_MAX_SECTORS (2048), PERF_DATA_AREA_MB (32), PERF_DIAG, PERF_DIAG_JOBS, PERF_EMUD_DISKS (boot
# mode: file), PERF_OUT (out/vm-perf), VM_RUN (a command run.sh runs under, e.g. a machine-wide VM slot
# lock: make perf-vm VM_RUN=/path/to/slot-wrapper). The host's load average is sampled every 5 s
# into PERF_OUT/host-load.tsv.
PERF_MODE ?= ab
PERF_COLUMNS ?= emud,tcmu-runner
PERF_OUT ?= out/vm-perf
comma := ,

.PHONY: perf-vm

perf-vm: e2e-setup e2e-build
	PERF_MODE=$(PERF_MODE) PERF_COLUMNS=$(PERF_COLUMNS) PERF_OUT=$(PERF_OUT) VM_RUN="$(VM_RUN)" vm/perf/perf-vm.sh

# `make scale-vm`: one daemon serving many disks at once (vm/perf/scale.sh; issue 16 "Scale"), one VM
# boot per column (SCALE_COLUMNS, emud,tcmu-runner,fileio: LIO's own file backstore, no daemon), table by vm/perf/scale-report.sh → out/vm-scale/scale.md.
# Knobs: SCALE_COUNTS ("64 256"), SCALE_SIZE_MIB (16), SCALE_QD (4), SCALE_RUNTIME (10), SCALE_IDLE_S (5), SCALE_TMPFS (0),
# SCALE_RING_MB (1), SCALE_DATA_AREA_MB (4), SCALE_OUT (out/vm-scale), VM_MEM, VM_RUN (as perf-vm).
SCALE_COLUMNS ?= emud,tcmu-runner,fileio
SCALE_OUT ?= out/vm-scale

.PHONY: scale-vm

scale-vm: e2e-setup e2e-build
	rm -rf $(SCALE_OUT)
	for c in $(subst $(comma), ,$(SCALE_COLUMNS)); do \
	  VM_OUT=$(SCALE_OUT)/boot-$$c $(VM_RUN) vm/run.sh --gate none --vm-timeout 3400 --columns $$c vm/perf/scale.sh || exit $$?; \
	done
	vm/perf/scale-report.sh $(SCALE_OUT)
