#!/usr/bin/env bash
# scale: one daemon serving many devices at once (issue 16, "Scale"; run by `make scale-vm`, not in CI).
# For each N in SCALE_COUNTS (default "64 256"): N file-backed disks of SCALE_SIZE_MIB (16) MiB on the ext4
# scratch, made the way users make them (configfs user_1 backstores, enabled one after the other: each
# enable waits for the daemon's netlink answer), exported as LUNs of tcm_loop targets (64 LUNs a target),
# then:
#   create     seconds to create and enable all N backstores (the daemon's part), and to attach all
#              N LUNs until every sd node exists (the kernel's part)
#   idle       the daemon's threads and resident memory (VmRSS) against its own figures before the
#              devices existed, per device; its voluntary context switches (wake-ups) and CPU over
#              SCALE_IDLE_S (5) s with nothing queued; the guest's MemAvailable drop per device
#   fio        one fio, one job per device, all at once: 4 KiB random read, then random write, at
#              QD SCALE_QD (4), libaio O_DIRECT, SCALE_RUNTIME (10) s after a 2 s ramp: aggregate IOPS,
#              per-device min and max IOPS, min/max and Jain's index (fairness), the daemon's CPU seconds
#   remove     seconds to unlink all LUNs (sd nodes gone) and to remove all backstores (each rmdir
#              waits for the daemon's answer), and the threads left afterwards
# Columns: emud serves `file/`; tcmu-runner its file-backed `fbo/` (hw_block_size 2048, as `make
# perf-vm`; Debian ships no `file` handler); fileio is LIO's own file backstore (write-back, as `make
# perf-vm`'s), the kernel's figures without a daemon: there the daemon's columns (threads, RSS, wake-ups,
# CPU) are "-" and the create/remove times are the kernel's alone. User backstores get
# cmd_ring_size_mb=SCALE_RING_MB (1; the kernel's default 8 MiB ring is vmalloc'd per device: 2 GiB for
# 256) and max_data_area_mb=SCALE_DATA_AREA_MB (4). Rows go to $ART/scale.tsv; vm/perf/scale-report.sh
# prints the table.
# SCALE_TMPFS=1 puts the image files on a tmpfs of their own instead of the ext4 scratch (an ext4 on a
# loop device): no dirty-page writeback, so no balance_dirty_pages pauses of the writing threads. After
# each fio job the log gives /proc/vmstat's dirty and writeback page counts against the thresholds.
# The configfs writes here are plain redirections (not write_bounded, whose 0.1 s polling would be most
# of what is timed); the scenario's time limit bounds a write that never returns.
# timeout: 3000
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

COUNTS=${SCALE_COUNTS:-64 256} SIZE=$(( ${SCALE_SIZE_MIB:-16} << 20 )) QD=${SCALE_QD:-4}
RUNTIME=${SCALE_RUNTIME:-10} IDLE=${SCALE_IDLE_S:-5} PER_TARGET=64
# The create/attach/remove steps of all N devices take minutes under TCG (≈ 1 s a device): their own limit.
LONG=${SCALE_STEP_TIMEOUT:-1200}
TSV=$ART/scale.tsv
: > "$TSV"
controls=("cmd_ring_size_mb=${SCALE_RING_MB:-1}" "max_data_area_mb=${SCALE_DATA_AREA_MB:-4}")
case "$COLUMN" in
  emud) cfg=file extra=() ;;
  tcmu-runner) cfg=fbo extra=(hw_block_size=2048) ;;
  fileio) cfg= extra=() ;;  # fd_dev_name/fd_dev_size instead (make_backstores)
esac
HBA=user_1; [ "$BACKSTORE" = fileio ] && HBA=fileio_0
DIR=$SCRATCH
mount_tmpfs() { mkdir -p "$1" && { mountpoint -q "$1" || mount -t tmpfs -o size=6g tmpfs "$1"; }; }
if [ "${SCALE_TMPFS:-0}" = 1 ]; then DIR=/run/scale-tmpfs; check "image files on a tmpfs ($DIR)" mount_tmpfs "$DIR"; fi

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
# The daemon's figures; 0 for the fileio column (no daemon, PID empty), printed as "-" in its row.
status_of() { [ -n "$1" ] || { echo 0; return; }; awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
cpu_ticks() { [ -n "$1" ] || { echo 0; return; }; sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
wakeups() { [ -n "$1" ] || { echo 0; return; }; cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'; }
mem_available() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
# dirty_pages: the page cache's dirty and writeback pages against the throttling thresholds, for the log.
dirty_pages() {
  awk '$1 ~ /^nr_(dirty|writeback|dirty_threshold|dirty_background_threshold)$/ { printf "%s %s ", $1, $2 }' /proc/vmstat
}
# fair MIN MAX: min/max, "-" without a measurement.
fair() { [ "$1" = - ] && echo - || awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
per() { awk -v a="$1" -v n="$2" -v d="${3:-1}" 'BEGIN { printf "%.*f", d, a / n }'; }

# make_backstores N: creates and enables scale0..N-1 (fails at the first that does not enable).
make_backstores() {
  local i d img
  for ((i = 0; i < $1; i++)); do
    d=$CFS/core/$HBA/scale$i img=$DIR/scale$i.img
    truncate -s "$SIZE" "$img" && mkdir -p "$d" || return 1
    if [ "$BACKSTORE" = fileio ]; then
      printf %s "fd_dev_name=$img,fd_dev_size=$SIZE,fd_buffered_io=1" > "$d/control" || return 1
    else
      printf %s "dev_config=$cfg/$img" > "$d/control" && printf %s "dev_size=$SIZE" > "$d/control" || return 1
      local c; for c in "${extra[@]}" "${controls[@]}"; do printf %s "$c" > "$d/control" || return 1; done
    fi
    printf %s "scale-$i" > "$d/wwn/vpd_unit_serial" 2>/dev/null
    printf 1 > "$d/enable" || { echo "scale$i: enable failed"; return 1; }
  done
}

# attach_luns N: tcm_loop targets of PER_TARGET LUNs each; waits for every LUN's block node; writes the
# nodes, one a line, to $STATE/scale.nodes.
attach_luns() {
  local i t addr=() wwn
  rm -f "$STATE/scale.targets"
  for ((i = 0; i < $1; i++)); do
    if (( i % PER_TARGET == 0 )); then
      wwn=$(next_naa) t=$CFS/loopback/$wwn/tpgt_1
      mkdir -p "$t" && printf %s "$(next_naa)" > "$t/nexus" || return 1
      echo "$CFS/loopback/$wwn" >> "$STATE/scale.targets"
    fi
    mkdir "$t/lun/lun_$((i % PER_TARGET))" && ln -s "$CFS/core/$HBA/scale$i" "$t/lun/lun_$((i % PER_TARGET))/scale$i" \
      || return 1
    addr[i]=$(cat "$t/address"):$((i % PER_TARGET))
  done
  : > "$STATE/scale.nodes"
  for ((i = 0; i < $1; i++)); do
    local s=/sys/bus/scsi/devices/${addr[i]} k
    for ((k = 0; k < 600; k++)); do
      [ -d "$s/block" ] && [ -b "/dev/$(ls "$s/block")" ] && break
      sleep 0.1
    done
    [ -d "$s/block" ] || { echo "LUN ${addr[i]}: no block node after 60 s"; return 1; }
    echo "/dev/$(ls "$s/block")" >> "$STATE/scale.nodes"
  done
}

# detach_luns: unlinks every LUN and removes the targets (sd detaches synchronously).
detach_luns() {
  local w rc=0
  while read -r w; do remove_target_dir "$w" || rc=1; done < "$STATE/scale.targets"
  return "$rc"
}

# remove_backstores N
remove_backstores() {
  local i rc=0
  for ((i = 0; i < $1; i++)); do rmdir "$CFS/core/$HBA/scale$i" || rc=1; rm -f "$DIR/scale$i.img"; done
  return "$rc"
}

# fio_all NAME RW: one job per node, all at once; prints "aggregate min max" IOPS and Jain's fairness
# index over the per-device IOPS x: (sum x)^2 / (n sum x^2), 1 when all are equal, 1/n when one takes all.
fio_all() {
  local name=$1 rw=$2 json=$ART/scale-$N-$1.json args=() blk
  while read -r blk; do args+=(--name="${blk#/dev/}" --filename="$blk"); done < "$STATE/scale.nodes"
  timeout -k 5 $((RUNTIME * 4 + 300)) fio --thread --ioengine=libaio --direct=1 --rw="$rw" --bs=4k --iodepth="$QD" \
    --time_based --runtime="$RUNTIME" --ramp_time=2 --output-format=json --output="$json" "${args[@]}" \
    > "$ART/scale-$N-$name.log" 2>&1 || { echo "fio $name failed: $(tail -n 3 "$ART/scale-$N-$name.log")"; return 1; }
  jq -r '[.jobs[] | .read.iops + .write.iops] | [add, min, max,
    (if add > 0 then (add * add) / (length * (map(. * .) | add)) else 0 end)] | @tsv' "$json"
}

check_start_daemon
PID=; [ "$DAEMON" = none ] || PID=$(cat "$STATE/daemon.pid")
load_target_modules
for N in $COUNTS; do
  log "=== $N devices"
  sync; echo 3 > /proc/sys/vm/drop_caches
  th0=$(status_of "$PID" Threads) rss0=$(status_of "$PID" VmRSS) mem0=$(mem_available)
  t=$(now); STEP_TIMEOUT=$LONG check "$N backstores created and enabled" make_backstores "$N"; create_s=$(since "$t")
  t=$(now); STEP_TIMEOUT=$LONG check "$N LUNs attached (sd nodes)" attach_luns "$N"; attach_s=$(since "$t")
  sleep 2
  th1=$(status_of "$PID" Threads) rss1=$(status_of "$PID" VmRSS) mem1=$(mem_available)
  w0=$(wakeups "$PID") c0=$(cpu_ticks "$PID"); sleep "$IDLE"; w1=$(wakeups "$PID") c1=$(cpu_ticks "$PID")
  hz=$(getconf CLK_TCK)
  idle_wake=$(per $((w1 - w0)) "$((N * IDLE))" 2) idle_cpu=$(per $(( (c1 - c0) * 100 )) "$((hz * IDLE))" 1)
  log "$N devices: threads $th0 -> $th1, VmRSS $rss0 -> $rss1 KiB, MemAvailable $mem0 -> $mem1 KiB; idle: $idle_wake wake-ups/s per device, $idle_cpu % CPU"
  rr=(- - - -) rw=(- - - -) rr_cpu=- rw_cpu=-
  if [ "$(wc -l < "$STATE/scale.nodes" 2>/dev/null || echo 0)" = "$N" ]; then
    c0=$(cpu_ticks "$PID"); out=$(fio_all randread randread) && read -r -a rr <<< "$out"; c1=$(cpu_ticks "$PID")
    rr_cpu=$(per $((c1 - c0)) "$hz")
    check "$N devices: fio 4 KiB random read QD$QD on all (${rr[*]})" test "${rr[0]}" != -
    log "after randread: $(dirty_pages)"
    c0=$(cpu_ticks "$PID"); out=$(fio_all randwrite randwrite) && read -r -a rw <<< "$out"; c1=$(cpu_ticks "$PID")
    rw_cpu=$(per $((c1 - c0)) "$hz")
    check "$N devices: fio 4 KiB random write QD$QD on all (${rw[*]})" test "${rw[0]}" != -
    log "after randwrite: $(dirty_pages)"
  fi
  t=$(now); STEP_TIMEOUT=$LONG check "$N LUNs detached" detach_luns; detach_s=$(since "$t")
  t=$(now); STEP_TIMEOUT=$LONG check "$N backstores removed" remove_backstores "$N"; remove_s=$(since "$t")
  sleep 1
  th2=$(status_of "$PID" Threads)
  threads=$th1 threads_per=$(per $((th1 - th0)) "$N" 2) rss=$rss1 rss_per=$(per $((rss1 - rss0)) "$N" 0)
  [ -n "$PID" ] || { threads=- threads_per=- rss=- rss_per=- idle_wake=- idle_cpu=- rr_cpu=- rw_cpu=- th2=-; }
  printf '%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%.0f\t%.0f\t%s\t%s\t%.0f\t%.0f\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$COLUMN" "$N" "$create_s" "$attach_s" "$threads" "$threads_per" "$rss" "$rss_per" \
    "$(per $((mem0 - mem1)) "$N" 0)" "$idle_wake" "$idle_cpu" "${rr[0]/-/0}" "${rr[1]/-/0}" "${rr[2]/-/0}" \
    "$(fair "${rr[1]}" "${rr[2]}")" "$rr_cpu" "${rw[0]/-/0}" "${rw[1]/-/0}" "${rw[2]/-/0}" "$(fair "${rw[1]}" "${rw[2]}")" \
    "$rw_cpu" "$detach_s" "$remove_s" "$th2" "${rr[3]}" "${rw[3]}" | tee -a "$TSV"
  [ -n "$PID" ] || continue
  # No thread per device left: at most the shared scheduler's, made once (min(4, CPUs) loops, 2 x CPUs workers).
  fixed=$(( $(nproc) < 4 ? $(nproc) : 4 )); fixed=$((fixed + 2 * $(nproc)))
  check "$N devices: no thread per device left after removal ($th0 before, $th2 after, shared at most $fixed)" \
    test $((th2 - th0)) -le "$fixed"
  check "daemon alive after $N devices" daemon_alive
done
[ "$DIR" = "$SCRATCH" ] || umount "$DIR"
summary
