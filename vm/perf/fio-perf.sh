#!/usr/bin/env bash
# fio-perf: fio throughput of a daemon's disk beside a LIO fileio disk of the same boot (run by
# `make perf-vm`; slow, so it lives outside vm/scenarios and is not part of CI). Each column boots once
# and attaches its own disk beside a fileio disk; each job runs on the fileio disk, then at once on the
# daemon's, so each daemon is taken relative to the fileio of its own boot and of the same minute
# (issue 16's method; boots, and minutes within a boot, differ by the machine's load):
#   emud         fileio, then `file/` (PERF_EMUD_DISKS, "file"; add "qcow" for `qcow/`)
#   tcmu-runner  fileio, then `fbo/` (its file-backed handler; Debian's tcmu-runner has no `file`)
#   fileio       fileio alone
# Each disk: PERF_SIZE_MIB (256) on the ext4 scratch; a sequential 1 MiB fill (reported as `fill`),
# then five time-based jobs on the raw block device, O_DIRECT, libaio, PERF_RUNTIME s each (12,
# after a 2 s ramp): 4 KiB random read QD16, 4 KiB random write QD16, 4 KiB random read QD1,
# 1 MiB sequential read QD4, 1 MiB sequential write QD4. User backstores get
# hw_max_sectors=PERF_HW_MAX_SECTORS (2048: 1 MiB in one command, as fileio allows) and
# max_data_area_mb=PERF_DATA_AREA_MB (32; empty keeps the kernel's default).
# PERF_JOBS (all) limits the measured jobs to a list of their names (fill randread-4k randwrite-4k
# randread-4k-qd1 seqread-1m seqwrite-1m); the fill always runs.
# PERF_DIAG=1 adds, after the measured jobs, for the daemon's disk, unmeasured runs of PERF_RUNTIME s of each job
# in PERF_DIAG_JOBS (randwrite-4k): one plain (the daemon's CPU and wake-ups per thread, $ART/DISK-JOB-threads.txt),
# one under `strace -c -f` of the daemon ($ART/DISK-JOB-strace.txt), one under a guest-wide
# `perf record -a -g` ($ART/DISK-JOB-perf.txt: by command, by symbol).
# Writes $ART/perf.tsv: column, disk, job, IOPS, MiB/s, mean completion latency (µs), daemon CPU
# seconds, guest busy CPU seconds, the daemon's voluntary context switches (a thread going to sleep
# and being woken) per 1000 commands (ramp included). vm/perf/report.sh turns the rows of all columns
# into a table.
# timeout: 900
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/block.sh"
source "$REPO/vm/perf/fio-lib.sh"   # SIZE, RUNTIME, run_job, job_args, selected, measure, diagnose, attach_disk, …

TSV=$ART/perf.tsv
: > "$TSV"

# bench_disks DISK...: the fill of each disk, then the five measured jobs, each on every disk in turn
# (fileio, then the daemon's): the machine's load drifts within a boot, and a daemon's disk measured
# minutes after its fileio disk carried that drift into the ratio. BLK[DISK] is the disk's device.
bench_disks() {
  local t=(--time_based --runtime="$RUNTIME" --ramp_time=2) disk job
  for disk in "$@"; do
    measure "$disk: fill (1 MiB sequential writes)" run_job "$disk" fill "${BLK[$disk]}" 16 --rw=write --bs=1M --size="$SIZE"
  done
  for job in randread-4k randwrite-4k randread-4k-qd1 seqread-1m seqwrite-1m; do
    selected "$job" || continue
    for disk in "$@"; do
      # shellcheck disable=SC2046  # job_args prints fio options, one word each
      measure "$disk: $job ($(job_args "$job" | tr '\n' ' '))" run_job "$disk" "$job" "${BLK[$disk]}" $(job_args "$job") "${t[@]}"
    done
  done
}

# fileio_and DISK: the fileio disk and DISK (none: fileio alone) attached together and measured job by
# job; PERF_DIAG=1 then diagnoses DISK.
fileio_and() {
  local disks=() d
  attach_disk fileio && disks+=(fileio)
  if [ -n "${1:-}" ]; then attach_disk "$1" && disks+=("$1"); fi
  [ ${#disks[@]} -gt 0 ] && bench_disks "${disks[@]}"
  if [ "${PERF_DIAG:-0}" = 1 ] && [ -n "${1:-}" ] && [ -n "${BLK[$1]}" ]; then
    for d in ${PERF_DIAG_JOBS:-randwrite-4k}; do diagnose "$1" "${BLK[$1]}" "$d"; done
  fi
  [ -n "${1:-}" ] && detach_disk "$1"
  detach_disk fileio
}

check_start_daemon
case "$COLUMN" in
  emud) for d in ${PERF_EMUD_DISKS:-file}; do fileio_and "$d"; done ;;
  fileio) fileio_and ;;
  tcmu-runner) fileio_and fbo ;;
esac
summary
