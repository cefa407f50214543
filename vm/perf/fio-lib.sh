# Helpers of the fio jobs in the VM (vm/perf/fio-perf.sh, vm/perf/fio-ab.sh): one fio job as a row
# of $TSV (run_job), the five measured jobs (job_args, selected), the diagnosis of a disk under a job
# (diagnose: per-thread CPU, strace, perf), a disk beside the others (attach_disk, detach_disk).
# Sourced after vm/lib/guest.sh and vm/lib/block.sh; sets SIZE, RUNTIME and user_controls from the
# PERF_ knobs (see fio-perf.sh); the job sets TSV.

SIZE=$(( ${PERF_SIZE_MIB:-256} << 20 )) RUNTIME=${PERF_RUNTIME:-12}
user_controls=()
[ -n "${PERF_HW_MAX_SECTORS-2048}" ] && user_controls+=("hw_max_sectors=${PERF_HW_MAX_SECTORS-2048}")
[ -n "${PERF_DATA_AREA_MB-32}" ] && user_controls+=("max_data_area_mb=${PERF_DATA_AREA_MB-32}")

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

# run_job DISK JOB BLK QD FIO-ARGS...: one fio job at queue depth QD; appends a row to $TSV:
# ROW_COLUMN (default $COLUMN), DISK, JOB, IOPS, MiB/s, mean completion latency (µs), CPU seconds of
# ROW_PID (default the running daemon's; empty: none), the guest's busy CPU seconds, ROW_PID's
# voluntary context switches per 1000 commands; with ROW_EXTRA set, that field (tab-separated words)
# and then the job's start and end (epoch seconds, the guest's clock). fio's JSON goes to
# $ART/DISK-JOB${ROW_TAG}.json.
run_job() {
  local disk=$1 job=$2 blk=$3 qd=$4; shift 4
  local pid; pid=${ROW_PID-$(cat "$STATE/daemon.pid" 2>/dev/null || true)}
  local c0 b0 w0 c1 b1 w1 hz t0 t1 json=$ART/$disk-$job${ROW_TAG:-}.json
  hz=$(getconf CLK_TCK); c0=$(cpu_ticks "$pid"); b0=$(busy_ticks); w0=$(wakeups "$pid"); t0=$(date +%s)
  timeout -k 5 $((RUNTIME * 3 + 240)) fio --name="$job" --filename="$blk" --ioengine=libaio --direct=1 \
    --iodepth="$qd" --output-format=json --output="$json" "$@" || { echo "fio $disk $job failed"; return 1; }
  t1=$(date +%s); c1=$(cpu_ticks "$pid"); b1=$(busy_ticks); w1=$(wakeups "$pid")
  local row
  row=$(jq -r '.jobs[0] | [(.read.iops + .write.iops), ((.read.bw_bytes + .write.bw_bytes) / 1048576),
      ((if .read.io_kbytes > 0 then .read.clat_ns.mean else .write.clat_ns.mean end) / 1000), .error,
      (.read.total_ios + .write.total_ios)] | @tsv' "$json") || return 1
  # shellcheck disable=SC2086  # jq's tab-separated numbers, one word each
  set -- $row
  [ "$4" = 0 ] || { echo "fio $disk $job: error $4"; return 1; }
  # Commands over the whole run (the ramp too, as the switches are): IOPS × ramp, plus fio's count.
  local cmds; cmds=$(awk -v i="$1" -v n="$5" -v r="$(ramp_of)" 'BEGIN { printf "%.0f", n + i * r }')
  local extra=''
  [ -n "${ROW_EXTRA+set}" ] && extra=$(printf '\t%s\t%s\t%s' "$ROW_EXTRA" "$t0" "$t1")
  printf '%s\t%s\t%s\t%.0f\t%.1f\t%.0f\t%s\t%s\t%s%s\n' "${ROW_COLUMN:-$COLUMN}" "$disk" "$job" "$1" "$2" "$3" \
    "$(awk -v t=$((c1 - c0)) -v h="$hz" 'BEGIN{printf "%.1f", t / h}')" \
    "$(awk -v t=$((b1 - b0)) -v h="$hz" 'BEGIN{printf "%.1f", t / h}')" \
    "$(awk -v w=$((w1 - w0)) -v n="$cmds" 'BEGIN{printf "%.0f", (n > 0 ? w * 1000 / n : 0)}')" "$extra" | tee -a "$TSV"
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

# attach_disk DISK [keep]: create and attach; sets BLK[DISK] (empty when it did not attach). With
# "keep", an image left by an earlier attach of DISK is reused as it is (filled: no new fill needed).
declare -A BLK
attach_disk() {
  local disk=$1 img=$SCRATCH/perf-$1.img
  [ "${2:-}" = keep ] || rm -f "$img"
  case "$disk" in
    fileio) check "fileio: created" create_fileio_buffered "$disk" "$img" "$SIZE" ;;
    file)   truncate -s "$SIZE" "$img"
            check "file: created" create_user_device "$disk" "file/$img" "$SIZE" "${user_controls[@]}" ;;
    qcow)   [ -e "$img" ] || qemu-img create -q -f qcow2 "$img" "$SIZE"
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

