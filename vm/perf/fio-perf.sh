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

SIZE=$(( ${PERF_SIZE_MIB:-256} << 20 )) RUNTIME=${PERF_RUNTIME:-12}
user_controls=()
[ -n "${PERF_HW_MAX_SECTORS-2048}" ] && user_controls+=("hw_max_sectors=${PERF_HW_MAX_SECTORS-2048}")
[ -n "${PERF_DATA_AREA_MB-32}" ] && user_controls+=("max_data_area_mb=${PERF_DATA_AREA_MB-32}")
TSV=$ART/perf.tsv
: > "$TSV"

# cpu_ticks PID: utime+stime of PID (clock ticks), 0 without a daemon.
# (Fields after the ")" that ends the command name, which may hold spaces: utime is the 12th.)
cpu_ticks() { [ -n "$1" ] && sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0; }
# busy_ticks: the guest's non-idle CPU ticks (all CPUs).
busy_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

# wakeups PID: voluntary context switches summed over PID's threads, 0 without a daemon.
wakeups() {
  [ -n "$1" ] || { echo 0; return; }
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}

# run_job DISK JOB BLK QD FIO-ARGS...: one fio job at queue depth QD; appends a row to perf.tsv.
run_job() {
  local disk=$1 job=$2 blk=$3 qd=$4; shift 4
  local pid; pid=$(cat "$STATE/daemon.pid" 2>/dev/null || true)
  local c0 b0 w0 c1 b1 w1 hz json=$ART/$disk-$job.json
  hz=$(getconf CLK_TCK); c0=$(cpu_ticks "$pid"); b0=$(busy_ticks); w0=$(wakeups "$pid")
  timeout -k 5 $((RUNTIME * 3 + 240)) fio --name="$job" --filename="$blk" --ioengine=libaio --direct=1 \
    --iodepth="$qd" --output-format=json --output="$json" "$@" || { echo "fio $disk $job failed"; return 1; }
  c1=$(cpu_ticks "$pid"); b1=$(busy_ticks); w1=$(wakeups "$pid")
  local row
  row=$(jq -r '.jobs[0] | [(.read.iops + .write.iops), ((.read.bw_bytes + .write.bw_bytes) / 1048576),
      ((if .read.io_kbytes > 0 then .read.clat_ns.mean else .write.clat_ns.mean end) / 1000), .error,
      (.read.total_ios + .write.total_ios)] | @tsv' "$json") || return 1
  set -- $row
  [ "$4" = 0 ] || { echo "fio $disk $job: error $4"; return 1; }
  # Commands over the whole run (the ramp too, as the switches are): IOPS × ramp, plus fio's count.
  local cmds; cmds=$(awk -v i="$1" -v n="$5" -v r="$(ramp_of "$@")" 'BEGIN { printf "%.0f", n + i * r }')
  printf '%s\t%s\t%s\t%.0f\t%.1f\t%.0f\t%s\t%s\t%s\n' "$COLUMN" "$disk" "$job" "$1" "$2" "$3" \
    "$(awk -v t=$((c1 - c0)) -v h="$hz" 'BEGIN{printf "%.1f", t / h}')" \
    "$(awk -v t=$((b1 - b0)) -v h="$hz" 'BEGIN{printf "%.1f", t / h}')" \
    "$(awk -v w=$((w1 - w0)) -v n="$cmds" 'BEGIN{printf "%.0f", (n > 0 ? w * 1000 / n : 0)}')" | tee -a "$TSV"
}

# ramp_of: the ramp of the time-based jobs (the fill has none; its row has no total_ios gap).
ramp_of() { [ "$job" = fill ] && echo 0 || echo 2; }

# selected JOB: whether PERF_JOBS (default all) names JOB.
selected() { [ -z "${PERF_JOBS:-}" ] || [[ " ${PERF_JOBS//,/ } " == *" $1 "* ]]; }

# measure "description" CMD...: a counted check without the harness's polling (see check_timed);
# run_job bounds fio itself.
measure() {
  local desc=$1; shift
  local t0=$SECONDS
  if "$@" >> "$ART/checks.log" 2>&1; then PASSED=$((PASSED + 1)); echo "PASS: $desc ($((SECONDS - t0))s)"
  else FAILED=$((FAILED + 1)); echo "FAIL: $desc ($((SECONDS - t0))s)"; fi
}

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

# job_args JOB: the queue depth, then the fio options of a measured job (one word a line).
job_args() {
  case "$1" in
    randread-4k)     printf '%s\n' 16 --rw=randread --bs=4k ;;
    randwrite-4k)    printf '%s\n' 16 --rw=randwrite --bs=4k ;;
    randread-4k-qd1) printf '%s\n' 1 --rw=randread --bs=4k ;;
    seqread-1m)      printf '%s\n' 4 --rw=read --bs=1M ;;
    seqwrite-1m)     printf '%s\n' 4 --rw=write --bs=1M ;;
  esac
}

# thread_cpu PID: "thread-name ticks voluntary-switches" for every thread of PID.
thread_cpu() {
  local t
  for t in /proc/$1/task/*; do
    echo "$(tr ' ' _ < "$t/comm") $(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}') $(awk '/^voluntary_ctxt_switches:/ {print $2}' "$t/status")"
  done
}

# diagnose DISK BLK NAME: where the time goes during job NAME (PERF_DIAG=1; PERF_DIAG_JOBS).
diagnose() {
  local disk=$1 blk=$2 name=$3 pid; pid=$(cat "$STATE/daemon.pid" 2>/dev/null || true)
  local a; mapfile -t a < <(job_args "$name")
  local job=(fio --name=diag --filename="$blk" --ioengine=libaio --direct=1 --iodepth="${a[0]}" "${a[@]:1}"
             --time_based --runtime="$RUNTIME" --output-format=terse)
  disk=$disk-$name
  if [ -n "$pid" ]; then
    thread_cpu "$pid" > /tmp/threads.before
    "${job[@]}" > "$ART/$disk-diag-plain.txt" 2>&1
    thread_cpu "$pid" > /tmp/threads.after
    { echo "# thread, CPU ticks, voluntary context switches (fio: $disk-diag-plain.txt)"
      paste /tmp/threads.before /tmp/threads.after | awk '{print $1, $5 - $2, $6 - $3}'; } > "$ART/$disk-threads.txt"
    strace -c -f -p "$pid" -o "$ART/$disk-strace.txt" & local st=$!
    sleep 1; "${job[@]}" > "$ART/$disk-diag-strace.txt" 2>&1
    kill -INT "$st"; wait "$st" 2>/dev/null
  fi
  perf record -a -g -F 499 -o /tmp/perf.data -- "${job[@]}" > "$ART/$disk-diag-perf.txt" 2>&1
  { perf report -i /tmp/perf.data --stdio --no-children --sort comm 2>/dev/null | grep -v '^$' | head -30
    perf report -i /tmp/perf.data --stdio --no-children --sort comm,dso,sym -g none 2>/dev/null | grep -v '^$' | head -80
    for c in emud tcmu-runner; do
      echo "### $c, call graphs"
      perf report -i /tmp/perf.data --stdio --no-children --comms "$c" --sort sym -g caller,0.5,callee --percent-limit 2 2>/dev/null | grep -v '^$' | head -150
    done
  } > "$ART/$disk-perf.txt"
  rm -f /tmp/perf.data
}

# attach_disk DISK: create and attach; sets BLK[DISK] (empty when it did not attach).
declare -A BLK
attach_disk() {
  local disk=$1 img=$SCRATCH/perf-$1.img
  rm -f "$img"
  case "$disk" in
    fileio) check "fileio: created" create_fileio_buffered "$disk" "$img" "$SIZE" ;;
    file)   truncate -s "$SIZE" "$img"
            check "file: created" create_user_device "$disk" "file/$img" "$SIZE" "${user_controls[@]}" ;;
    qcow)   qemu-img create -q -f qcow2 "$img" "$SIZE"
            check "qcow: created" create_user_device "$disk" "qcow/$img" "$SIZE" "${user_controls[@]}" ;;
    fbo)    truncate -s "$SIZE" "$img"
            check "fbo: created" create_user_device "$disk" "fbo/$img" "$SIZE" hw_block_size=2048 "${user_controls[@]}" ;;
  esac
  local blk= sg=
  read -r blk sg < <(link_loop "$disk" || true)
  check "$disk: attached ($blk)" test -b "${blk:-/nonexistent}"
  BLK[$disk]=
  [ -b "${blk:-/nonexistent}" ] || return 1
  BLK[$disk]=$blk
  local q=/sys/block/${blk#/dev/}
  artifact "$disk-queue.txt" grep -H . "$q/queue/max_sectors_kb" "$q/queue/max_hw_sectors_kb" "$q/queue/write_cache" \
    "$q/device/queue_depth" "$(backstore_dir "$disk")"/attrib/hw_max_sectors > /dev/null
  [ -r "$(backstore_dir "$disk")/info" ] && cat "$(backstore_dir "$disk")/info" >> "$ART/$disk-queue.txt"
  return 0
}

# detach_disk DISK: remove the disk and its image.
detach_disk() {
  check "$1: removed" remove_device "$1"
  rm -f "$SCRATCH/perf-$1.img"
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
