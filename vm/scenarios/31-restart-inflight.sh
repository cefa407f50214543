#!/usr/bin/env bash
# restart-inflight: the daemon is stopped while a 8 MiB direct write is in flight — once with
# SIGTERM (it drains the ring before closing), once with SIGKILL (commands left in the ring) —
# and restarted; the restarted daemon resets the ring (commands come back BUSY and sd retries
# them), so the writer finishes without an I/O error and every byte reads back.
# timeout: 240
# requires: openssl qemu-img
# columns: emud tcmu-runner
# n/a: no daemon to restart in the fileio column
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

SIZE=$((128 << 20))
check_start_daemon
mark=$(dmesg_mark restart-inflight)
check "$(disk_subtype) disk created" make_disk disk0 "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop disk0 || true)
check "tcm_loop attaches a disk ($BLK)" test -b "${BLK:-/nonexistent}"

# interrupted_write SIG SEED: an 8 MiB direct write (in 64 KiB requests); SIG stops the daemon
# once the writer is under way; the daemon is started again; the writer must finish cleanly.
interrupted_write() {
  local sig=$1 seed=$2 f=/tmp/inflight.$2
  pattern_file "$f" $((8 * 1024)) "$seed"
  dd if="$f" of="$BLK" bs=64k oflag=direct conv=fsync status=none &
  local writer=$!
  sleep 0.5
  kill -0 "$writer" 2>/dev/null || { echo "the writer finished before the daemon could be stopped"; }
  if [ "$sig" = KILL ]; then
    kill -KILL "$(cat "$STATE/daemon.pid")"; sleep 1; stop_daemon > /dev/null 2>&1
  else
    stop_daemon || { echo "daemon exit status $? on SIGTERM"; return 1; }
  fi
  start_daemon || return 1
  local i; for i in $(seq 600); do kill -0 "$writer" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$writer" 2>/dev/null && { echo "the writer is still blocked 60 s after the restart"; return 1; }
  wait "$writer" || { echo "the writer failed (status $?)"; return 1; }
  cmp <(dd if="$BLK" bs=1M count=8 iflag=direct status=none) "$f"
}
STEP_TIMEOUT=150 check "SIGTERM during a write: daemon drains, restarts, the write completes and reads back" interrupted_write TERM term
STEP_TIMEOUT=150 check "SIGKILL during a write: the restarted daemon resets the ring, the write completes and reads back" interrupted_write KILL kill

check "device removed (unlink + rmdir return)" remove_device disk0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
