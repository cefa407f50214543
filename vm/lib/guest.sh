# Helpers for guest scenarios (sourced by vm/scenarios/*.sh inside the VM).
#
# Environment set by vm/lib/guest-main.sh for each scenario:
#   REPO       the repository (host path, visible read-only in the guest)
#   COLUMN     emud | tcmu-runner | fileio
#   DAEMON     emud | tcmu-runner | none
#   BACKSTORE  user | fileio
#   ART        this scenario's artifact folder (on the writable `out` share)
#   EMUD_BIN   the emud binary; EMUD_LOG_LEVEL (default 2)
#   STEP_TIMEOUT  limit in seconds for one configfs step or check (default 60)
# A scenario sources this file, calls `check` for each assertion and ends with `summary`.
# A scenario that does not apply to the column calls `not_applicable "why"`.

CFS=/sys/kernel/config/target
# Backing images live on $SCRATCH: an ext4 file system (made by guest-main.sh on a loop
# device), because tmpfs lacks fallocate modes some handlers need (tcmu-runner's qcow).
SCRATCH=${SCRATCH:-/scratch}
mkdir -p "$SCRATCH"
STATE=/run/emud-harness            # pid file, WWN counter, device records
mkdir -p "$STATE"
: "${ART:=/tmp/emud-harness-art}" "${STEP_TIMEOUT:=60}" "${EMUD_LOG_LEVEL:=3}"
: "${DAEMON:=none}" "${BACKSTORE:=user}" "${COLUMN:=$DAEMON}"
# How emud runs: the release build links the Swift runtime statically and needs no environment;
# EMUD_LD_LIBRARY_PATH (vm/run.sh sets it for a debug build) names the toolchain's runtime folder.
EMUD_ENV=(env ${EMUD_LD_LIBRARY_PATH:+"LD_LIBRARY_PATH=$EMUD_LD_LIBRARY_PATH"})
mkdir -p "$ART"
PASSED=0
FAILED=0

log() { echo "[$(date +%T)] $*"; }

# ---- bounded execution --------------------------------------------------------
# run_bounded SECS CMD...: run CMD, give up after SECS. Returns CMD's status, or 124 when
# it did not finish. A command stuck in the kernel (D state) cannot be killed; it is left
# behind (its stack is logged) so the scenario can still report and move on.
run_bounded() {
  local secs=$1; shift
  "$@" &
  local pid=$! deadline=$((SECONDS + secs))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill -TERM "$pid" 2>/dev/null; sleep 1; kill -KILL "$pid" 2>/dev/null; sleep 0.5
      if kill -0 "$pid" 2>/dev/null; then
        echo "run_bounded: '$*' still running after ${secs}s and unkillable (state $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)); kernel stack:" >&2
        cat "/proc/$pid/stack" >&2 2>/dev/null || true
      else
        echo "run_bounded: '$*' killed after ${secs}s" >&2
        wait "$pid" 2>/dev/null || true
      fi
      return 124
    fi
    sleep 0.1
  done
  wait "$pid"
}

# write_bounded VALUE FILE: echo -n VALUE > FILE with a time limit (configfs writes can block).
write_bounded() {
  run_bounded "$STEP_TIMEOUT" sh -c 'printf %s "$1" > "$2"' _ "$1" "$2"
}

# ---- checks -------------------------------------------------------------------
# check "description" CMD...: run CMD (bounded by STEP_TIMEOUT); count and print PASS/FAIL.
check() {
  local desc=$1; shift
  local out rc=0 t0=$SECONDS
  out=$(run_bounded "$STEP_TIMEOUT" "$@" 2>&1) || rc=$?
  record_check "$desc" "$rc" $((SECONDS - t0)) "$out" "$@"
}

# record_check "description" RC SECONDS OUTPUT CMD...: one check's outcome: logged with its command
# and output in checks.log, counted, printed as PASS/FAIL (a failure with its output's tail).
record_check() {
  local desc=$1 rc=$2 took=$3 out=$4; shift 4
  { echo "=== $desc :: $*"; echo "$out"; echo "=== rc=$rc (${took}s)"; } >> "$ART/checks.log"
  if [ "$rc" = 0 ]; then
    PASSED=$((PASSED + 1)); echo "PASS: $desc (${took}s)"
  else
    FAILED=$((FAILED + 1)); echo "FAIL: $desc (rc=$rc, ${took}s)"
    [ -n "$out" ] && echo "$out" | tail -n 8 | sed 's/^/    | /'
  fi
  return 0
}

# artifact NAME CMD...: run CMD, keep stdout+stderr as $ART/NAME; returns CMD's status.
artifact() {
  local name=$1; shift
  local rc=0
  { echo "# $*"; "$@"; } > "$ART/$name" 2>&1 || rc=$?
  [ "$rc" = 0 ] || echo "# exit status $rc" >> "$ART/$name"
  tail -n 20 "$ART/$name"
  return "$rc"
}

not_applicable() { echo "N/A: $*"; echo "0 passed, 0 failed"; exit 77; }

# summary: prints "N passed, M failed" on its own line; exit status 0 only if nothing failed.
summary() {
  if [ -s "$STATE/daemon.pid" ]; then
    check "daemon $DAEMON still running at the end" daemon_alive
    stop_daemon || true
  fi
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ] && [ "$PASSED" -gt 0 ]
}

# ---- kernel side --------------------------------------------------------------
load_target_modules() {
  # target_core_mod complains about a missing db_root otherwise. (Its PR metadata directory,
  # db_root/pr, is opened by kernel threads in the initramfs root: initramfs/init makes it.)
  mkdir -p /etc/target/pr
  local m
  for m in configfs target_core_mod target_core_user target_core_file tcm_loop \
           sd_mod sr_mod sg cdrom uio; do
    modprobe "$m" || { echo "modprobe $m failed" >&2; return 1; }
  done
  mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
  [ -d "$CFS" ] || { echo "no $CFS" >&2; return 1; }
}

# dmesg_mark NAME: put a marker line into the kernel log; prints the marker.
dmesg_mark() {
  local m="emud-harness-mark-$1-$RANDOM$RANDOM"
  echo "<6>$m" > /dev/kmsg
  echo "$m"
}

# dmesg_since MARK: kernel log lines after MARK (raw "<prio>[time] text" format).
dmesg_since() {
  dmesg -r | awk -v m="$1" 'found {print} index($0, m) {found=1}'
}

# dmesg_clean_since MARK: fail (printing them) if kernel lines at warning level or worse
# were logged after MARK. Lines matching $DMESG_IGNORE (an ERE) are tolerated, and so are
# the emulation's own timing complaints (TCG is slow): "hrtimer: interrupt took".
dmesg_clean_since() {
  local bad
  bad=$(dmesg_since "$1" | awk '{ if (match($0, /^<[0-9]+>/)) { p = substr($0, 2, RLENGTH - 2) % 8; if (p <= 4) print } }')
  bad=$(echo "$bad" | grep -Ev "hrtimer: interrupt took${DMESG_IGNORE:+|$DMESG_IGNORE}" || true)
  if [ -n "$bad" ]; then echo "$bad"; return 1; fi
}

# ---- daemons ------------------------------------------------------------------
# start_daemon [emud|tcmu-runner|none]: start in the background, log to $ART/daemon.log
start_daemon() {
  local which=${1:-$DAEMON}
  [ "$which" = none ] && return 0
  load_target_modules
  if [ -s "$STATE/daemon.pid" ] && kill -0 "$(cat "$STATE/daemon.pid")" 2>/dev/null; then
    echo "start_daemon: a daemon is already running (pid $(cat "$STATE/daemon.pid"))" >&2; return 1
  fi
  local n=1
  while [ -e "$ART/daemon.$n.log" ]; do n=$((n + 1)); done
  local logf="$ART/daemon.$n.log" cmd
  ln -sfn "daemon.$n.log" "$ART/daemon.log"
  case "$which" in
    emud)
      [ -x "${EMUD_BIN:-}" ] || { echo "start_daemon: emud binary not found (EMUD_BIN=${EMUD_BIN:-unset})" >&2; return 1; }
      cmd=("${EMUD_ENV[@]}" "$EMUD_BIN" serve --log-level "$EMUD_LOG_LEVEL") ;;
    tcmu-runner)
      mkdir -p /etc/tcmu "$ART/tcmu-log"
      # -d (debug) logs every CDB: ~5 MB per iscsi-test-cu run, slow under TCG. Knob.
      cmd=(tcmu-runner ${TCMU_RUNNER_DEBUG:+-d} -l "$ART/tcmu-log") ;;
    *) echo "start_daemon: unknown daemon '$which'" >&2; return 1 ;;
  esac
  rm -f "$STATE/daemon.pid" "$STATE/daemon.status"
  echo "$which" > "$STATE/daemon.name"
  # A small wrapper records the daemon's exit status, so any later check (even one run in
  # a subshell) can tell "exited with 1" from "killed by SIGSEGV".
  ( "${cmd[@]}" > "$logf" 2>&1 &
    echo $! > "$STATE/daemon.pid.tmp"; mv "$STATE/daemon.pid.tmp" "$STATE/daemon.pid"
    rc=0; wait $! || rc=$?
    echo "$rc" > "$STATE/daemon.status" ) < /dev/null > /dev/null 2>&1 &
  local i
  for i in $(seq 50); do [ -s "$STATE/daemon.pid" ] && break; sleep 0.1; done
  local pid; pid=$(cat "$STATE/daemon.pid")
  # Readiness: no portable signal, so wait until it has been alive for DAEMON_SETTLE seconds.
  sleep "${DAEMON_SETTLE:-2}"
  daemon_alive || return 1
  log "daemon $which started (pid $pid, log $logf)"
}

# daemon_alive: 0 if the daemon started by start_daemon still runs; otherwise reports
# its exit status and the tail of its log.
daemon_alive() {
  local pid; pid=$(cat "$STATE/daemon.pid" 2>/dev/null) || { echo "no daemon was started"; return 1; }
  if [ ! -e "$STATE/daemon.status" ] && kill -0 "$pid" 2>/dev/null; then
    return 0
  fi
  local i; for i in $(seq 20); do [ -s "$STATE/daemon.status" ] && break; sleep 0.1; done
  local rc; rc=$(cat "$STATE/daemon.status" 2>/dev/null || echo unknown)
  local name; name=$(cat "$STATE/daemon.name")
  if [ "$rc" != unknown ] && [ "$rc" -gt 128 ]; then
    echo "DAEMON CRASHED: $name (pid $pid) killed by signal $((rc - 128)) (SIG$(kill -l $((rc - 128)) 2>/dev/null))"
  else
    echo "DAEMON EXITED: $name (pid $pid) exit status $rc"
  fi
  echo "--- daemon log tail ($ART/daemon.log):"; tail -n 30 "$ART/daemon.log" 2>/dev/null
  echo "DAEMON-DIED $name status=$rc" >> "$ART/status-notes"
  return 1
}

# stop_daemon: SIGTERM, then SIGKILL after 10 s. Returns the daemon's exit status.
stop_daemon() {
  local pid; pid=$(cat "$STATE/daemon.pid" 2>/dev/null) || return 0
  rm -f "$STATE/daemon.pid"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 100); do [ -s "$STATE/daemon.status" ] && break; sleep 0.1; done
  if [ ! -s "$STATE/daemon.status" ]; then
    echo "stop_daemon: pid $pid ignored SIGTERM for 10 s; SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 50); do [ -s "$STATE/daemon.status" ] && break; sleep 0.1; done
  fi
  local rc; rc=$(cat "$STATE/daemon.status" 2>/dev/null || echo 1)
  rm -f "$STATE/daemon.status"
  log "daemon stopped (status $rc)"
  return "$rc"
}

# ---- backstores ---------------------------------------------------------------
# create_user_device NAME CFGSTRING SIZE [EXTRA_CONTROL...]: a TCMU (user_1) backstore.
# Enabling blocks until the daemon answers the netlink ADDED_DEVICE event.
create_user_device() {
  local name=$1 cfg=$2 size=$3; shift 3
  load_target_modules
  local d=$CFS/core/user_1/$name
  mkdir -p "$d"
  write_bounded "dev_config=$cfg" "$d/control" || return 1
  write_bounded "dev_size=$size" "$d/control" || return 1
  local extra
  for extra in "$@"; do write_bounded "$extra" "$d/control" || return 1; done
  # A unit serial, as targetcli gives every backstore: the daemon builds VPD 80h/83h from it, so
  # devices without one would all share one NAA designator (udev by-id links collide).
  [ -w "$d/wwn/vpd_unit_serial" ] && { write_bounded "$(cat /proc/sys/kernel/random/uuid)" "$d/wwn/vpd_unit_serial" || true; }
  write_bounded 1 "$d/enable" || { echo "enable of $name did not complete (daemon answer?)" >&2; return 1; }
  [ "$(cat "$d/enable")" = 1 ]
}

# create_fileio NAME FILE SIZE [CONTROL]: LIO's own file backstore (the reference without a daemon);
# CONTROL adds words to its control string (",fd_buffered_io=1").
create_fileio() {
  local name=$1 file=$2 size=$3 extra=${4:-}
  load_target_modules
  local d=$CFS/core/fileio_0/$name
  mkdir -p "$d"
  [ -e "$file" ] || truncate -s "$size" "$file"
  write_bounded "fd_dev_name=$file,fd_dev_size=$size$extra" "$d/control" || return 1
  write_bounded 1 "$d/enable"
}

# create_device NAME SUBTYPE_CFGSTRING SIZE: user or fileio according to $BACKSTORE.
# For fileio the config string must be file/PATH.
create_device() {
  if [ "$BACKSTORE" = fileio ]; then
    case "$2" in file/*) create_fileio "$1" "${2#file/}" "$3" ;; *) echo "fileio cannot serve $2" >&2; return 1 ;; esac
  else
    create_user_device "$@"
  fi
}

backstore_dir() {
  local d
  for d in "$CFS"/core/*/"$1"; do [ -d "$d" ] && { echo "$d"; return 0; }; done
  echo "no backstore named $1" >&2; return 1
}

# ---- fabrics ------------------------------------------------------------------
next_naa() {
  local n; n=$(cat "$STATE/naa.counter" 2>/dev/null || echo 0); n=$((n + 1))
  echo "$n" > "$STATE/naa.counter"
  printf 'naa.5001405%09x' "$n"
}

# loop_target NAME: a new tcm_loop target with NAME as LUN 0 and an I_T nexus; prints its SCSI
# address "H:0:T" (host, channel, target). The device nodes appear under /sys/bus/scsi/devices/ADDR:0.
loop_target() {
  local name=$1 bs; bs=$(backstore_dir "$name") || return 1
  local wwn; wwn=$(next_naa)
  local t=$CFS/loopback/$wwn/tpgt_1
  mkdir -p "$t/lun/lun_0" || return 1
  write_bounded "$(next_naa)" "$t/nexus" || return 1
  ln -s "$bs" "$t/lun/lun_0/$name" || return 1
  echo "$wwn" > "$STATE/loop.$name"
  cat "$t/address"
}

# link_loop NAME: export NAME as LUN 0 of a new tcm_loop target; waits for the SCSI device
# and prints "/dev/sdX /dev/sgN" (or /dev/srN for optical devices).
link_loop() {
  local name=$1 addr i
  addr=$(loop_target "$name") || return 1
  for i in $(seq 300); do
    local s=/sys/bus/scsi/devices/$addr:0
    if [ -d "$s/block" ] || [ -d "$s/scsi_generic" ]; then
      local blk='' sg=''
      [ -d "$s/block" ] && blk=/dev/$(ls "$s/block" | head -n1)
      [ -d "$s/scsi_generic" ] && sg=/dev/$(ls "$s/scsi_generic" | head -n1)
      # sd/sr attach a little after the sg node shows up
      if [ -n "$blk" ] || [ "$i" -gt 100 ]; then
        [ -n "$blk" ] && [ ! -b "$blk" ] && { sleep 0.1; continue; }
        [ -n "$sg" ] && [ ! -c "$sg" ] && { sleep 0.1; continue; }
        echo "$blk $sg"; return 0
      fi
    fi
    sleep 0.1
  done
  echo "link_loop: no SCSI device at $addr:0 after 30 s" >&2
  return 1
}

# export_iscsi NAME IQN: LIO iSCSI target on 127.0.0.1:3260, LUN 0, open ACLs, no auth.
export_iscsi() {
  local name=$1 iqn=$2 bs; bs=$(backstore_dir "$name") || return 1
  modprobe crc32c_generic && modprobe iscsi_target_mod || return 1
  ip link set lo up
  local t=$CFS/iscsi/$iqn/tpgt_1
  mkdir -p "$t/lun/lun_0" || return 1
  ln -s "$bs" "$t/lun/lun_0/$name" || return 1
  mkdir -p "$t/np/127.0.0.1:3260" || return 1
  local a
  for a in generate_node_acls=1 authentication=0 demo_mode_write_protect=0 cache_dynamic_acls=1; do
    write_bounded "${a#*=}" "$t/attrib/${a%%=*}" || return 1
  done
  write_bounded 1 "$t/enable" || return 1
  echo "$iqn" > "$STATE/iscsi.$name"
}

# remove_device NAME: unlink NAME from every fabric, rmdir the LUNs/targets and the
# backstore. Every step is bounded; fails if any step does not return.
remove_device() {
  local name=$1 rc=0 wwn iqn
  if [ -f "$STATE/loop.$name" ]; then
    wwn=$(cat "$STATE/loop.$name")
    remove_target_dir "$CFS/loopback/$wwn" || rc=1
    rm -f "$STATE/loop.$name"
  fi
  if [ -f "$STATE/iscsi.$name" ]; then
    iqn=$(cat "$STATE/iscsi.$name")
    remove_target_dir "$CFS/iscsi/$iqn" || rc=1
    rm -f "$STATE/iscsi.$name"
  fi
  local bs; bs=$(backstore_dir "$name" 2>/dev/null) || return "$rc"
  run_bounded "$STEP_TIMEOUT" rmdir "$bs" || rc=1
  return "$rc"
}

# remove_target_dir WWN_DIR: tear down a fabric WWN (loopback or iscsi) completely.
remove_target_dir() {
  local w=$1 rc=0 tpg lun l np
  [ -d "$w" ] || return 0
  for tpg in "$w"/tpgt_*; do
    [ -d "$tpg" ] || continue
    [ -f "$tpg/enable" ] && write_bounded 0 "$tpg/enable" 2>/dev/null
    for lun in "$tpg"/lun/lun_*; do
      [ -d "$lun" ] || continue
      for l in "$lun"/*; do [ -L "$l" ] && { run_bounded "$STEP_TIMEOUT" rm -f "$l" || rc=1; }; done
      run_bounded "$STEP_TIMEOUT" rmdir "$lun" || rc=1
    done
    for np in "$tpg"/np/*; do [ -d "$np" ] && { run_bounded "$STEP_TIMEOUT" rmdir "$np" || rc=1; }; done
    for l in "$tpg"/acls/*; do [ -d "$l" ] && { run_bounded "$STEP_TIMEOUT" rmdir "$l" || rc=1; }; done
    run_bounded "$STEP_TIMEOUT" rmdir "$tpg" || rc=1
  done
  run_bounded "$STEP_TIMEOUT" rmdir "$w" || rc=1
  return "$rc"
}

# harness_cleanup: remove every target object and stop the daemon (between scenarios).
harness_cleanup() {
  local w d
  if [ -d "$CFS" ]; then
    for w in "$CFS"/loopback/naa.* "$CFS"/iscsi/iqn.*; do [ -d "$w" ] && remove_target_dir "$w"; done
    for d in "$CFS"/core/*/*/; do
      d=${d%/}
      [ -f "$d/enable" ] && run_bounded "$STEP_TIMEOUT" rmdir "$d"
    done
    for d in "$CFS"/core/*_[0-9]*; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
  fi
  stop_daemon >/dev/null 2>&1 || true
  rm -f "$STATE"/loop.* "$STATE"/iscsi.* "$STATE"/daemon.*
}

# ---- I/O helpers ----------------------------------------------------------------
# pattern_file PATH SIZE_KIB SEED: deterministic data
pattern_file() {
  head -c "$(($2 * 1024))" < <(openssl enc -aes-128-ctr -pass "pass:$3" -nosalt -pbkdf2 < /dev/zero 2>/dev/null) > "$1"
}

# write_read_back DEV OFFSET_KIB SIZE_KIB SEED: direct write then direct read, compare.
write_read_back() {
  local dev=$1 off=$2 size=$3 seed=$4 f=/tmp/pattern.$$
  pattern_file "$f" "$size" "$seed"
  dd if="$f" of="$dev" bs=4k seek=$((off / 4)) oflag=direct conv=notrunc,fsync status=none || return 1
  read_compare "$dev" "$off" "$size" "$seed"
}

# read_compare DEV OFFSET_KIB SIZE_KIB SEED: read back and compare with pattern SEED.
read_compare() {
  local dev=$1 off=$2 size=$3 seed=$4 f=/tmp/pattern.$$
  pattern_file "$f" "$size" "$seed"
  cmp <(dd if="$dev" bs=4k skip=$((off / 4)) count=$((size / 4)) iflag=direct status=none) "$f"
}

# ---- SCSI probing ---------------------------------------------------------------
# probe_scsi SG [mmc]: the standard sg3_utils questions; each answer is kept as an artifact.
# An MMC drive (mmc) is asked READ CAPACITY(10): MMC-6 defines no READ CAPACITY(16), so
# `sg_readcap -l` must be refused there with ILLEGAL REQUEST (sg3_utils exit status 9).
probe_scsi() {
  local sg=$1 kind=${2:-disk}
  check "sg_inq answers"        artifact sg_inq.txt sg_inq "$sg"
  check "sg_vpd -a answers"     artifact sg_vpd-a.txt sg_vpd -a "$sg"
  if [ "$kind" = mmc ]; then
    check "sg_readcap answers"  artifact sg_readcap.txt sg_readcap "$sg"
    check "sg_readcap -l refused (ILLEGAL REQUEST: no READ CAPACITY(16) in MMC-6)" \
      sh -c 'sg_readcap -l "$1" > "$2" 2>&1; test $? = 9' _ "$sg" "$ART/sg_readcap-l.txt"
  else
    check "sg_readcap -l answers" artifact sg_readcap-l.txt sg_readcap -l "$sg"
  fi
  check "sg_opcodes answers"    artifact sg_opcodes.txt sg_opcodes "$sg"
  check "sg_modes -a answers"   artifact sg_modes-a.txt sg_modes -a "$sg"
  artifact sg_inq-d.txt sg_inq -d "$sg" > /dev/null || true         # descriptors, info only
  artifact lsscsi.txt lsscsi -g > /dev/null || true
}

# ldd_clean BIN: every shared library of BIN resolves (in emud's environment, EMUD_ENV).
ldd_clean() {
  local out
  out=$("${EMUD_ENV[@]}" ldd "$1" 2>&1) || { echo "$out"; return 1; }
  echo "$out"
  ! echo "$out" | grep -q 'not found'
}

# check_start_daemon: start $DAEMON as a counted check (nothing to do for the fileio column).
check_start_daemon() {
  [ "$DAEMON" = none ] || check "$DAEMON starts" start_daemon
}

# disk_subtype: the user-backstore subtype used for "a plain disk" in this column:
# file, except for tcmu-runner, whose Debian package ships no file handler (qcow instead).
# Knob: DISK_SUBTYPE.
disk_subtype() {
  if [ -n "${DISK_SUBTYPE:-}" ]; then echo "$DISK_SUBTYPE"
  elif [ "$DAEMON" = tcmu-runner ]; then echo qcow
  else echo file; fi
}

# make_disk NAME SIZE [CONTROL...]: create a plain disk backstore of this column's kind (fresh
# image under $SCRATCH) and print its image path. CONTROL strings (hw_max_sectors=N, ...) apply
# to user backstores only.
make_disk() {
  local name=$1 size=$2 st; st=$(disk_subtype)
  shift 2
  local img=$SCRATCH/$name.img
  rm -f "$img"
  if [ "$BACKSTORE" = fileio ] || [ "$st" = file ]; then
    truncate -s "$size" "$img"
  else
    qemu-img create -q -f qcow2 "$img" "$size" || return 1
  fi
  [ "$BACKSTORE" = fileio ] && st=file
  if [ "$BACKSTORE" = fileio ]; then
    create_device "$name" "$st/$img" "$size" >&2 || return 1
  else
    create_device "$name" "$st/$img" "$size" "$@" >&2 || return 1
  fi
  echo "$img"
}
