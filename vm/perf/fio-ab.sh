#!/usr/bin/env bash
# fio-ab: emud against tcmu-runner and LIO fileio in ONE VM boot, job by job in ABBA order, so that
# the host's drift (the fileio disk alone moved up to 12× between boots on the shared TCG host,
# session 9) cancels instead of deciding the comparison. Run by `make perf-vm` (PERF_MODE=ab, the
# default; vm/perf/perf-vm.sh) in the fileio column (no daemon started by the harness): this job
# starts and stops the two daemons itself, as only one TCMU daemon may listen at a time.
#   fileio   LIO fileio (write-back), attached once
#   file     emud's `file/`, attached once; its device stays while tcmu-runner runs (tcmu-runner has
#            no `file` handler and leaves it alone), and emud reopens it when started again
#   fbo      tcmu-runner's `fbo/` (hw_block_size=2048, as its optical handler needs), removed before
#            tcmu-runner stops (emud has an `fbo` handler too and would serve it as a second ring)
#            and created again on the same filled image when tcmu-runner is back
# Each disk: PERF_SIZE_MIB (256) on the ext4 scratch, one sequential 1 MiB fill. Then, job by job
# (the five of fio-perf.sh, PERF_JOBS to choose), PERF_REPS (2) repetitions alternating the order
# fileio, file, fbo | fbo, file, fileio | …; with an even count every disk's mean time is the
# same, so a linear drift of the host cancels in the ratio of sums. PERF_RUNTIME s (12) after a 2 s
# ramp, fio libaio O_DIRECT on the raw device. hw_max_sectors and max_data_area_mb as fio-perf.sh.
# A second emud in the same repetitions ("emud-b", to decide a change of emud by one boot): with
# PERF_EMUD_B set (environment assignments for it, e.g. "EMUD_IO_WORKERS=1 EMUD_RING_POLL_US=0") or
# PERF_EMUD_B_BIN (another emud binary, at a path the guest sees), the disk "file-b" is the same
# `file` disk served by that emud, placed after "file" in the order. PERF_AB_DISKS chooses and orders
# the disks (default "fileio file fbo", with file-b after file); without fbo, tcmu-runner never runs.
# PERF_DIAG=1: afterwards, for each job of PERF_DIAG_JOBS (randwrite-4k), diagnose (fio-lib.sh) the
# emud disk(s), then the tcmu-runner disk.
# Writes $ART/ab.tsv: the fio-perf.sh columns (column = the daemon serving the disk, or fileio; CPU
# and wake-ups are that daemon's, 0 for fileio), then repetition (0: the fill), position in the
# boot's sequence, and the job's start and end (epoch seconds; the host's load average is sampled on
# the host by perf-vm.sh: the guest does not see the host's /proc through its 9p share, which caches
# its files at size 0). vm/perf/report-ab.sh makes the tables.
# timeout: 3000
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/block.sh"
source "$REPO/vm/perf/fio-lib.sh"   # SIZE, RUNTIME, run_job, job_args, selected, measure, diagnose, attach_disk, …

REPS=${PERF_REPS:-2}
TSV=$ART/ab.tsv
: > "$TSV"
SEQ=0

EMUD_B=0
[ -n "${PERF_EMUD_B+set}" ] || [ -n "${PERF_EMUD_B_BIN:-}" ] && EMUD_B=1
default_disks="fileio file fbo"; [ "$EMUD_B" = 1 ] && default_disks="fileio file file-b fbo"
read -ra order <<< "${PERF_AB_DISKS:-$default_disks}"

# daemon_of DISK: the daemon that serves DISK (none for fileio).
daemon_of() {
  case "$1" in file) echo emud ;; file-b) echo emud-b ;; fbo) echo tcmu-runner ;; *) echo none ;; esac
}

# device_of DISK: the attached disk DISK's runs go to (file-b is the file disk under emud-b).
device_of() { [ "$1" = file-b ] && echo file || echo "$1"; }

# start_emud_b: emud with PERF_EMUD_B's assignments in its environment and PERF_EMUD_B_BIN (default
# EMUD_BIN), recorded as "emud-b".
start_emud_b() {
  (
    # shellcheck disable=SC2086  # assignments, one word each
    [ -n "${PERF_EMUD_B:-}" ] && export ${PERF_EMUD_B}
    EMUD_BIN=${PERF_EMUD_B_BIN:-$EMUD_BIN} start_daemon emud
  ) || return 1
  echo emud-b > "$STATE/daemon.name"
}

# use_daemon emud|tcmu-runner|none: make that daemon the one listening (none: keep whichever runs).
# Leaving tcmu-runner removes the fbo disk first, while tcmu-runner still answers the removal;
# coming to it attaches the fbo disk again on its kept image.
use_daemon() {
  local want=$1 now=''
  [ "$want" = none ] && return 0
  [ -s "$STATE/daemon.pid" ] && now=$(cat "$STATE/daemon.name")
  [ "$now" = "$want" ] && return 0
  if [ "$now" = tcmu-runner ] && [ -n "${BLK[fbo]:-}" ]; then
    check "fbo: removed before tcmu-runner stops" remove_device fbo
    BLK[fbo]=
  fi
  [ -n "$now" ] && check "$now: stopped" stop_daemon
  if [ "$want" = emud-b ]; then check "emud-b: started (${PERF_EMUD_B:-} ${PERF_EMUD_B_BIN:-})" start_emud_b || return 1
  else check "$want: started" start_daemon "$want" || return 1; fi
  if [ "$want" = tcmu-runner ]; then attach_disk fbo keep || return 1; fi
}

# ab_run DISK JOB REP: one measured run of JOB on DISK, with its daemon listening.
ab_run() {
  local disk=$1 job=$2 rep=$3 daemon dev; daemon=$(daemon_of "$1") dev=$(device_of "$1")
  use_daemon "$daemon" || { echo "$disk: no daemon"; return 1; }
  [ -n "${BLK[$dev]:-}" ] || { echo "$disk: not attached"; return 1; }
  local pid=''; [ "$daemon" = none ] || pid=$(cat "$STATE/daemon.pid")
  SEQ=$((SEQ + 1))
  local a; mapfile -t a < <(job_args "$job")
  [ "$job" = fill ] && a=(16 --rw=write --bs=1M --size="$SIZE")
  [ "$job" = fill ] || a+=(--time_based --runtime="$RUNTIME" --ramp_time=2)
  ROW_COLUMN=${daemon/none/fileio} ROW_PID=$pid ROW_TAG=-r$rep ROW_EXTRA=$(printf '%s\t%s' "$rep" "$SEQ") \
    run_job "$disk" "$job" "${BLK[$dev]}" "${a[@]}"
}

# reversed DISK...: the disks in the opposite order (the B half of ABBA).
reversed() { local i; for ((i = $# ; i > 0; i--)); do echo "${!i}"; done; }

# What this kernel answers to buffered RWF_NOWAIT reads and writes on the images' file system.
"$REPO/vm/perf/nowait-probe.sh" "$SCRATCH" > "$ART/nowait-probe.tsv" 2>&1 || true

# The disks, emud's first (emud listening), then tcmu-runner's (attached by the switch to it); each
# filled once (file-b is the file disk: filled with it).
use_daemon emud
attach_disk fileio
attach_disk file
for disk in "${order[@]}"; do
  [ "$disk" = file-b ] && continue
  measure "$disk: fill (1 MiB sequential writes)" ab_run "$disk" fill 0
done

mapfile -t back < <(reversed "${order[@]}")
for job in randread-4k randwrite-4k randread-4k-qd1 seqread-1m seqwrite-1m; do
  selected "$job" || continue
  for rep in $(seq "$REPS"); do
    if [ $((rep % 2)) = 1 ]; then disks=("${order[@]}"); else disks=("${back[@]}"); fi
    for disk in "${disks[@]}"; do
      measure "$disk: $job, repetition $rep ($(job_args "$job" | tr '\n' ' '))" ab_run "$disk" "$job" "$rep"
    done
  done
done

if [ "${PERF_DIAG:-0}" = 1 ]; then
  for d in ${PERF_DIAG_JOBS:-randwrite-4k}; do
    for disk in "${order[@]}"; do
      [ "$disk" = fileio ] && continue
      use_daemon "$(daemon_of "$disk")" && diagnose "$disk" "${BLK[$(device_of "$disk")]}" "$d"
    done
  done
fi

use_daemon emud   # removes the fbo disk while tcmu-runner still runs
detach_disk file
detach_disk fileio
rm -f "$SCRATCH/perf-fbo.img"
summary
