#!/usr/bin/env bash
# Runs inside the VM (from /vmout/job.sh): every scenario for every column, one after the
# other, each under its own time limit. Writes to /vmout:
#   results.tsv         column, scenario, status, passed, failed, seconds
#   progress            "start"/"end" lines (so the host can name a scenario that hung the VM)
#   COLUMN/SCENARIO/    log.txt (stdout+stderr) and the scenario's artifacts
#   dmesg.txt, DONE
# Inputs (environment, from job.sh): REPO, COLUMNS, SCENARIOS, SCENARIO_TIMEOUT (empty =
# use the scenario's "# timeout:" header, default 300), EMUD_BIN and scenario knobs.
set -uo pipefail

OUT=/vmout
: "${SCENARIO_TIMEOUT:=}"
cd /
source "$REPO/vm/lib/guest.sh"
ip link set lo up
load_target_modules || echo "WARNING: load_target_modules failed"
# LIO's PR metadata folders (<dbroot>/pr) in the kernel threads' root too; again after every scenario,
# since targetcli moves dbroot (kernel.sh, aptpl_folders).
aptpl_folders || echo "WARNING: aptpl_folders failed"
# scratch file system for backing images (see SCRATCH in guest.sh)
modprobe loop && truncate -s "${SCRATCH_SIZE:-8G}" /tmp/scratch.img && mkfs.ext4 -q -F /tmp/scratch.img \
  && mkdir -p /scratch && mount -o loop /tmp/scratch.img /scratch || echo "WARNING: no ext4 scratch file system"
printf 'column\tscenario\tstatus\tpassed\tfailed\tseconds\n' > "$OUT/results.tsv"
: > "$OUT/progress"
echo "guest: kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/{print $2" kB"}' /proc/meminfo), clock $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo unknown)"
[ -n "${EMUD_BIN:-}" ] && [ -x "$EMUD_BIN" ] && \
  ldd_clean "$EMUD_BIN" > "$OUT/emud-ldd.txt" 2>&1

column_env() {
  case "$1" in
    emud)        DAEMON=emud;        BACKSTORE=user ;;
    tcmu-runner) DAEMON=tcmu-runner; BACKSTORE=user ;;
    fileio)      DAEMON=none;        BACKSTORE=fileio ;;
    *) echo "unknown column $1" >&2; return 1 ;;
  esac
}

# run_scenario COLUMN FILE: runs it in its own process group with a time limit.
run_scenario() {
  local column=$1 file=$2
  local name; name=$(basename "$file" .sh); name=${name#[0-9][0-9]-}
  # Artifacts are written on local tmpfs (the 9p share is synchronous and slow) and copied
  # to the share afterwards; log.txt goes straight to the share so a hung VM still shows it.
  local art=/tmp/art/$column/$name
  local final=$OUT/$column/$name
  mkdir -p "$art" "$final"
  local limit=$SCENARIO_TIMEOUT
  [ -n "$limit" ] || limit=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$file" | head -n1)
  [ -n "$limit" ] || limit=300
  column_env "$column" || return
  # "# columns: LIST" (the columns it applies to) and "# n/a: WHY" (what the others lack): in another
  # column the scenario is not started (an N/A row, no cleanup), which saves a guest ~5 s per pair.
  local columns; columns=$(sed -n 's/^# columns: *//p' "$file" | head -n1)
  if [ -n "$columns" ] && [[ " $columns " != *" $column "* ]]; then
    { echo "N/A: $(sed -n 's/^# n\/a: *//p' "$file" | head -n1)"; echo "0 passed, 0 failed"; } > "$final/log.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$column" "$name" N/A 0 0 0 >> "$OUT/results.tsv"
    echo "=== [$column] $name: N/A"
    rm -rf "$art"
    return
  fi
  # "# requires: TOOL...": every tool must be on PATH, else the scenario is not run and its row says
  # SKIP (never a pass: run.sh's gate counts it as a failure unless VM_ALLOW_SKIP=1).
  local tool missing=''
  for tool in $(sed -n 's/^# requires: *//p' "$file" | head -n1); do
    command -v "$tool" > /dev/null 2>&1 || missing="$missing $tool"
  done
  if [ -n "$missing" ]; then
    echo "SKIP: missing:$missing (install them: vm/setup.sh)" | tee "$final/log.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$column" "$name" SKIP 0 0 0 >> "$OUT/results.tsv"
    echo "=== [$column] $name: SKIP (missing:$missing)"
    rm -rf "$art"
    return
  fi
  echo "start $column $name $(date +%s) $limit" >> "$OUT/progress"
  echo "=== [$column] $name (limit ${limit}s)"
  local t0; t0=$(date +%s)
  COLUMN=$column DAEMON=$DAEMON BACKSTORE=$BACKSTORE ART=$art REPO=$REPO \
    setsid bash "$file" > "$final/log.txt" 2>&1 &
  local pid=$! status='' rc=0 deadline=$((SECONDS + limit))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      status=HUNG
      echo "scenario exceeded ${limit}s: killing its process group" >> "$final/log.txt"
      { echo "--- processes of the hung scenario:"; ps -o pid,stat,wchan:30,args -g "$pid" 2>/dev/null
        for p in $(pgrep -g "$pid"); do echo "--- /proc/$p/stack ($(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null))"; cat /proc/$p/stack 2>/dev/null; done
      } >> "$art/hang-diagnostics.txt" 2>&1
      kill -TERM -- -"$pid" 2>/dev/null; sleep 2; kill -KILL -- -"$pid" 2>/dev/null
      local i; for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        status=HUNG-UNKILLABLE
        echo "scenario process $pid is unkillable (kernel D state); abandoned" >> "$final/log.txt"
      fi
      break
    fi
    sleep 0.5
  done
  if [ -z "$status" ]; then wait "$pid"; rc=$?; fi
  local secs=$(( $(date +%s) - t0 ))
  local counts passed=0 failed=0
  counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$final/log.txt" | tail -n1)
  [ -n "$counts" ] && { passed=${counts%% passed*}; failed=${counts#*passed, }; failed=${failed%% failed}; }
  if [ -z "$status" ]; then
    case "$rc" in
      0)  status=PASS ;;
      77) status=N/A ;;
      *)  status=FAIL; [ -z "$counts" ] && status=ERROR ;;   # ERROR: ended without a summary
    esac
  fi
  grep -q '^DAEMON-DIED' "$art/status-notes" 2>/dev/null && [ "$status" != N/A ] && status="$status+DAEMON-DIED"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$column" "$name" "$status" "$passed" "$failed" "$secs" >> "$OUT/results.tsv"
  echo "end $column $name $status" >> "$OUT/progress"
  echo "=== [$column] $name: $status ($passed passed, $failed failed, ${secs}s)"
  grep -E '^(FAIL|N/A):' "$final/log.txt" | head -n 20 | sed 's/^/    /'
  # Leave nothing behind for the next scenario (the daemon and all configfs objects).
  run_bounded 120 harness_cleanup > "$art/cleanup.txt" 2>&1 || echo "    WARNING: cleanup after $name did not finish"
  rm -rf "${SCRATCH:?}"/* 2>/dev/null
  aptpl_folders >> "$art/cleanup.txt" 2>&1
  # A system bus the scenario started died with its process group: its socket must go too, or the next
  # targetcli finds a dead bus and exits 255 (see targetcli.sh, stop_system_bus).
  pgrep -x dbus-daemon > /dev/null || rm -f /run/dbus/system_bus_socket
  cp -a "$art"/. "$final"/ && rm -rf "$art"
}

for column in $COLUMNS; do
  for s in $SCENARIOS; do
    run_scenario "$column" "$s"
  done
done
dmesg > "$OUT/dmesg.txt"
echo "guest: all scenarios done"
touch "$OUT/DONE"
