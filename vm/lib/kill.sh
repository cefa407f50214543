# Guest helpers for the kill -9 scenarios (vm/stress/*kill*): SIGKILL emud at seeded random moments while a
# load runs, restart it each time, and record when and under what load each kill happened.
# Sourced after vm/lib/guest.sh.
#
# What the kernel does with the commands of a killed daemon (target_core_user.c, Linux 6.1):
# closing /dev/uioN (the kill) does not touch the ring, so commands queued past cmd_tail stay there
# and the kernel keeps queueing new ones until the ring or data area is full (then they wait in the
# qfull queue, bounded by qfull_time_out / cmd_time_out, 30 s). The restarted emud reopens the device
# with `action/block_dev` = 1 (tcmu_block_dev: completes what the old daemon had completed up to
# cmd_tail, fails the qfull queue with SAM_STAT_BUSY), reads the CDBs still queued between cmd_tail
# and cmd_head, writes `action/reset_ring` = 1 (tcmu_reset_ring with err_level 1: every command still
# in the ring is completed to LIO with SAM_STAT_BUSY, head = tail = 0), then block_dev = 0. Nothing in
# the ring is re-run by the new daemon. The initiator (sd/sr through tcm_loop) sees BUSY and requeues
# (scsi_decide_disposition: ADD_TO_MLQUEUE, not counted against the 5 retries), so every interrupted
# command is sent again and completes once the new daemon serves. A WRITE the old daemon had already
# carried out is written a second time with the same data: harmless for a disk or a disc; a zoned
# disk's write pointer has moved past it, so emud answers such a retry GOOD when it was one of the
# queued writes and the zone already holds exactly its data (ZoneWritePointers.swift). Commands older
# than cmd_time_out fail with LOGICAL UNIT COMMUNICATION FAILURE, and sd's own timeout aborts them: the
# restart must take less than both (KILL_TIMEOUT below), so the harness restarts emud at once
# (restart_after_kill: no module loading, no settle sleep, builtins only while timing).
# Retries come back out of order (ring reset in command-id order, sd requeues at the head, FUA writes
# bypass mq-deadline's zone write lock): a zoned emud holds a write ahead of its write pointer for up to
# 30 s after a restart and runs it once the writes before it have landed (InterruptedWrites.swift). The
# mode pages the initiator selected (sd's cache_type: WCE) are restored by the restarted emud
# (DeviceLifecycle+ModeState.swift): the initiator saw no power cycle.

# What the kernel tolerates of an outage: a command that stays in the ring longer than the device's
# attrib/cmd_time_out (default 30 s) is failed by the kernel (NOT READY, LOGICAL UNIT COMMUNICATION FAILURE:
# an I/O error), and sd starts error handling (abort, then device reset) for a command older than its
# device/timeout (30 s). On this 2-core host, with other VMs and builds running (load average 20+), one
# restart under TCG took 10-42 s, mostly the guest's forks and emud's start (a restart takes ~1 s on an idle
# host), so the kill scenarios raise both to KILL_TIMEOUT (120 s) and print every outage next to it: they
# test that a restart loses nothing, not how fast the host forks.
KILL_TIMEOUT=${KILL_TIMEOUT:-120}

# kill_ring_timeout NAME: attrib/cmd_time_out of the user backstore NAME = KILL_TIMEOUT (before its export:
# the kernel refuses the change while a LUN exists).
kill_ring_timeout() {
  local bs; bs=$(backstore_dir "$1") || return 1
  write_bounded "$KILL_TIMEOUT" "$bs/attrib/cmd_time_out" && [ "$(cat "$bs/attrib/cmd_time_out")" = "$KILL_TIMEOUT" ]
}

# kill_disk_timeout DEV: the SCSI command timeout of /dev/DEV (sd or sr) = KILL_TIMEOUT.
kill_disk_timeout() {
  local t=/sys/block/${1##*/}/device/timeout
  echo "$KILL_TIMEOUT" > "$t" && [ "$(cat "$t")" = "$KILL_TIMEOUT" ]
}

# set_cache_type DEV TYPE: sd's cache_type of /dev/DEV = TYPE ("write through", "write back"): sd sends
# MODE SELECT with the Caching page's WCE, rereads it and sets the queue's write cache to match (with the
# cache off the block layer strips FUA and PREFLUSH at submission). Checks both.
set_cache_type() {
  local d=/sys/block/${1##*/} ct
  ct=$(echo "$d"/device/scsi_disk/*/cache_type)
  echo "$2" > "$ct" || return 1
  echo "cache_type: $(cat "$ct"); queue/write_cache: $(cat "$d/queue/write_cache")"
  [ "$(cat "$ct")" = "$2" ] && [ "$(cat "$d/queue/write_cache")" = "$2" ]
}

# kill_seed: the seed for the kill moments: KILL_SEED if given (to replay a run), else a fresh one.
kill_seed() { echo "${KILL_SEED:-$(( $(date +%s%N) % 32768 ))}"; }

# kill_restart_under_load SEED KILLS MIN_MS MAX_MS PID...: KILLS times, wait a random MIN_MS..MAX_MS
# (bash RANDOM seeded with SEED), require at least one of the load PIDs still running (a kill with no
# load proves nothing), SIGKILL the daemon, restart it. Each kill is logged with its moment and the
# live load processes. Fails when the load ended before a kill or the daemon does not come back.
kill_restart_under_load() {
  local seed=$1 kills=$2 min=$3 max=$4; shift 4
  RANDOM=$seed
  local i delay live p t0=$SECONDS
  echo "kill seed $seed (replay with KILL_SEED=$seed)"
  for ((i = 1; i <= kills; i++)); do
    delay=$((min + RANDOM % (max - min + 1)))
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    live=0; for p in "$@"; do kill -0 "$p" 2>/dev/null && live=$((live + 1)); done
    [ "$live" -gt 0 ] || { echo "kill $i: the load had already ended ($((SECONDS - t0)) s)"; return 1; }
    local k0=$EPOCHREALTIME pid; read -r pid < "$STATE/daemon.pid"
    kill -KILL "$pid" || return 1
    echo "kill $i: SIGKILL after ${delay} ms, $((SECONDS - t0)) s into the load, $live of $# load processes running"
    restart_after_kill "$pid" "$k0" || { echo "kill $i: the daemon did not serve again"; return 1; }
    echo "kill $i: $(since "$k0") s without a daemon (cmd_time_out: $(cat "$CFS"/core/user_*/*/attrib/cmd_time_out 2>/dev/null | head -n1) s)"
  done
}

# since T0: seconds (3 decimals) elapsed since the $EPOCHREALTIME value T0 (builtins only: under TCG on a
# loaded host one fork can take a second, and the outage is what is measured).
since() {
  local d=$(( ${EPOCHREALTIME/./} - ${1/./} ))
  printf '%d.%03d' $((d / 1000000)) $((d % 1000000 / 1000))
}

# restart_after_kill PID T0: the SIGKILLed daemon PID is gone (its wrapper recorded the status), a new
# emud is spawned at once (no module loading, no settle sleep: spawn_daemon) and serves again: its log
# says "serving N existing device(s)" (the devices reopened: block_dev, reset_ring, mmap, block_dev 0).
# Prints when each step ended (seconds since T0) and, while the old daemon lingers, its threads' states.
restart_after_kill() {
  local pid=$1 k0=$2 w
  for ((w = 0; w < 600; w++)); do
    [ -s "$STATE/daemon.status" ] && break
    ((w % 10 == 5)) && dying_threads "$pid" "$k0"
    sleep 0.05
  done
  [ -s "$STATE/daemon.status" ] || { echo "  pid $pid still there $(since "$k0") s after SIGKILL"; return 1; }
  echo "  +$(since "$k0") s: old daemon gone (status $(< "$STATE/daemon.status"))"
  spawn_daemon emud || return 1
  echo "  +$(since "$k0") s: new daemon spawned (pid $(< "$STATE/daemon.pid"))"
  local logf=$ART/daemon.log line
  for ((w = 0; w < 600; w++)); do
    while read -r line; do
      [[ $line == *"existing device(s)"* ]] && { echo "  +$(since "$k0") s: ${line#* * }"; return 0; }
    done < "$logf"
    [ -s "$STATE/daemon.status" ] && { echo "  the new daemon exited:"; tail -n 20 "$logf"; return 1; }
    sleep 0.05
  done
  echo "  the new daemon did not report serving within 30 s"; return 1
}

# dying_threads PID T0: one line per thread of a killed process still present: state and wait channel
# (what a slow exit waits for), with the time since T0.
dying_threads() {
  local t st wchan
  for t in /proc/"$1"/task/*; do
    read -r st < "$t/stat" 2>/dev/null || continue
    st=${st##*) }; read -r wchan < "$t/wchan" 2>/dev/null || wchan=?
    echo "  +$(since "$2") s tid ${t##*/} state ${st%% *} wchan $wchan"
  done
}

# KILL_COUNT: SIGKILLs per load (3; 0 runs the same load without a kill: the control for a failure that may
# not be emud's, e.g. a file system bug).
KILL_COUNT=${KILL_COUNT:-3}

# under_load_with_kills SEED: runs the scenario's `load_fio` (output in $ART/fio.out) and `load_dd` (errors
# in $ART/dd.err) in the background, SIGKILLs and restarts the daemon KILL_COUNT times at seeded moments
# 0.5–4 s apart while they run, then waits for both (KILL_LOAD_SECS, default 240, after the load started, at
# most): fails unless both exit 0. A load still running when it fails is killed (a later check must not
# read files it is still writing).
under_load_with_kills() {
  local seed=$1 t0=$SECONDS
  rm -f "$STATE/kills.done"
  load_fio > "$ART/fio.out" 2>&1 &
  local fio=$!
  load_dd 2> "$ART/dd.err" &
  local dd=$!
  sleep 1
  kill_restart_under_load "$seed" "$KILL_COUNT" 500 4000 "$fio" "$dd" || { end_load "$fio" "$dd"; return 1; }
  touch "$STATE/kills.done"
  local left=$((${KILL_LOAD_SECS:-240} - (SECONDS - t0))); [ "$left" -gt 0 ] || left=1
  wait_all_ok "$left" "$fio" "$dd" || { end_load "$fio" "$dd"; cat "$ART/dd.err" "$ART/fio.out"; return 1; }
  echo "load finished $((SECONDS - t0)) s after it started"
}

# until_kills_done CMD...: runs CMD, then again until `under_load_with_kills` has made its last kill, so a
# load that would finish early on a fast host is still running at every kill; the first failing run's
# status is returned (and no run follows it). CMD must give the same result when repeated.
until_kills_done() {
  "$@" || return
  while [ ! -e "$STATE/kills.done" ]; do "$@" || return; done
}

# end_load PID...: SIGKILL each load process still running (with its children: fio's jobs) and reap it.
end_load() {
  local p
  for p in "$@"; do
    kill -0 "$p" 2>/dev/null || continue
    kill_tree "$p"
    echo "load pid $p killed"
  done
  for p in "$@"; do wait "$p" 2>/dev/null; done
  return 0
}

# wait_all_ok SECS PID...: wait for every PID (bounded); fails if one is still running or exited non-zero.
wait_all_ok() {
  local secs=$1 deadline=$((SECONDS + $1)) p rc=0; shift
  for p in "$@"; do
    while kill -0 "$p" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    kill -0 "$p" 2>/dev/null && { echo "pid $p still running after ${secs} s"; rc=1; continue; }
    wait "$p" || { echo "pid $p exited with status $?"; rc=1; }
  done
  return "$rc"
}

# kill_tree PID: SIGKILL PID and all its descendants (children first stopped with it, then the rest).
kill_tree() {
  local c
  kill -STOP "$1" 2>/dev/null
  for c in $(pgrep -P "$1"); do kill_tree "$c"; done
  kill -KILL "$1" 2>/dev/null
}

# io_errors_since MARK: kernel lines since MARK that report a failed I/O (none expected).
io_errors_since() {
  # grep -c reads the whole log: with -q grep stops at the mark, dmesg dies of SIGPIPE once the log is larger
  # than the pipe, and pipefail made that look like a wrapped log (run r4, session 8).
  [ "$(dmesg -r | grep -cF "$1")" -gt 0 ] || { echo "the mark $1 is no longer in the kernel log (it wrapped): cannot tell"; return 1; }
  local lines; lines=$(dmesg_since "$1" | grep -E 'I/O error|critical (medium|target) error|Buffer I/O error|blk_update_request|print_req_error' || true)
  [ -z "$lines" ] || { echo "$lines"; return 1; }
}

# Kernel-side diagnostics of a kill scenario (information, never a check): tracefs events for every SCSI
# command of the guest that completed with a non-zero result (BUSY, CHECK CONDITION: scsi_dispatch_cmd_done,
# opcode and result), every command timeout, every block request that completed with an error
# (block_rq_complete), and return probes on the functions that turn a request into a quiet EIO:
# sr_init_command (sr refuses a request while scsi_device->changed is set, or the disk is read-only) and
# udf_get_block / __blockdev_direct_IO (the file system's own errors under direct I/O; -EIOCBQUEUED, -529,
# is libaio's normal "queued" answer and not traced). A probe the kernel
# refuses (function inlined or absent) is skipped with a note in the trace file.
KILL_TRACE=/sys/kernel/tracing
kill_trace_start() {
  local t=$KILL_TRACE e
  [ -d "$t/events" ] || mount -t tracefs nodev "$t" 2>/dev/null
  [ -w "$t/trace" ] || { echo "no tracefs"; return 0; }
  echo 0 > "$t/tracing_on"; : > "$t/trace"; echo 4096 > "$t/buffer_size_kb" 2>/dev/null
  echo > "$t/kprobe_events" 2>/dev/null
  echo 'r:kill/sr_init_command sr_mod:sr_init_command ret=$retval:u8' >> "$t/kprobe_events" 2>/dev/null ||
    echo "kprobe sr_init_command refused" > "$ART/trace-notes.txt"
  echo 'r:kill/udf_get_block udf:udf_get_block ret=$retval:s32' >> "$t/kprobe_events" 2>/dev/null ||
    echo "kprobe udf_get_block refused" >> "$ART/trace-notes.txt"
  echo 'r:kill/blockdev_direct_IO __blockdev_direct_IO ret=$retval:s64' >> "$t/kprobe_events" 2>/dev/null ||
    echo "kprobe __blockdev_direct_IO refused" >> "$ART/trace-notes.txt"
  for e in sr_init_command udf_get_block; do
    [ -d "$t/events/kill/$e" ] && echo 'ret != 0' > "$t/events/kill/$e/filter" && echo 1 > "$t/events/kill/$e/enable"
  done
  [ -d "$t/events/kill/blockdev_direct_IO" ] && echo 'ret < 0 && ret != -529' > "$t/events/kill/blockdev_direct_IO/filter" &&
    echo 1 > "$t/events/kill/blockdev_direct_IO/enable"
  echo 'error != 0' > "$t/events/block/block_rq_complete/filter" && echo 1 > "$t/events/block/block_rq_complete/enable"
  echo 'result != 0' > "$t/events/scsi/scsi_dispatch_cmd_done/filter" && echo 1 > "$t/events/scsi/scsi_dispatch_cmd_done/enable"
  for e in scsi_dispatch_cmd_timeout scsi_dispatch_cmd_error scsi_eh_wakeup; do
    echo 1 > "$t/events/scsi/$e/enable" 2>/dev/null
  done
  echo 1 > "$t/tracing_on"
}

# kill_trace_save FILE: copies the trace so far to FILE (a summary line per event kind first).
kill_trace_save() {
  local t=$KILL_TRACE
  [ -r "$t/trace" ] || return 0
  { echo "# events: $(grep -v '^#' "$t/trace" | grep -oE ' (kill/)?[a-z_]+: ' | sort | uniq -c | tr -s ' ' | paste -sd, -)"
    cat "$t/trace"; } > "$1" 2>/dev/null
}

# kill_trace_stop: disables the events and removes the probes.
kill_trace_stop() {
  local t=$KILL_TRACE
  [ -w "$t/trace" ] || return 0
  echo 0 > "$t/tracing_on"
  echo 0 > "$t/events/enable" 2>/dev/null
  echo > "$t/kprobe_events" 2>/dev/null
  for e in block/block_rq_complete scsi/scsi_dispatch_cmd_done; do echo 0 > "$t/events/$e/filter" 2>/dev/null; done
  return 0
}
