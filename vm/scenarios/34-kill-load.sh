#!/usr/bin/env bash
# kill-load: emud is SIGKILLed at three seeded random moments (the seed is printed; KILL_SEED=N
# replays it) and restarted each time while a `file/` disk is under real load: fio random 4 KiB
# writes, 3 jobs × QD16 (libaio, O_DIRECT), each over its own 24 MiB with crc32c verification, plus a
# 64 MiB `dd oflag=direct` of a pattern into its own region. Afterwards: fio and dd exit 0, fio's
# verify phase read every written block back intact (JSON: error 0, written = verified = 72 MiB),
# the dd region reads back as the pattern, and the kernel logged no I/O error. What the kernel does
# with the commands in the ring of a killed daemon: see vm/lib/kill.sh (BUSY, retried by sd).
# emud only: tcmu-runner has no file handler, fileio has no daemon.
# Device and sd command timeouts are raised to KILL_TIMEOUT (vm/lib/kill.sh) so a slow restart under TCG is
# not failed by the kernel's policy. Passed three runs in a row (vm/README.md "kill -9 under load").
# timeout: 420
# requires: fio jq
# columns: emud
# n/a: kills emud (tcmu-runner has no file handler; fileio has no daemon)
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/block.sh"
source "$REPO/vm/lib/kill.sh"
artifact_dmesg() { dmesg_since "$mark" > "$ART/dmesg-since-start.txt" 2>&1 || true; }
trap artifact_dmesg EXIT

IMG=$SCRATCH/kill-load.img SIZE=$((256 << 20))
JOBS=3 JOB_MIB=24 DD_MIB=64 DD_OFF_MIB=128
SEED=$(kill_seed)
rm -f "$IMG"; truncate -s "$SIZE" "$IMG"
pattern_file /tmp/kill-load.dd $((DD_MIB * 1024)) kill-load
check_start_daemon
mark=$(dmesg_mark kill-load)
check "file/ disk created (enable returns)" create_user_device disk0 "file/$IMG" "$SIZE"
check "ring command timeout (cmd_time_out) $KILL_TIMEOUT s, before export" kill_ring_timeout disk0
BLK= SG=
read -r BLK SG < <(link_loop disk0 || true)
check "tcm_loop attaches a disk ($BLK)" test -b "${BLK:-/nonexistent}"
[ -b "${BLK:-/nonexistent}" ] || { summary; exit; }
check "SCSI command timeout of $BLK $KILL_TIMEOUT s" kill_disk_timeout "$BLK"

load_fio() {
  fio --name=kill --filename="$BLK" --rw=randwrite --bs=4k --iodepth=16 --numjobs="$JOBS" \
      --size="${JOB_MIB}M" --offset_increment="${JOB_MIB}M" --ioengine=libaio --direct=1 \
      --verify=crc32c --do_verify=1 --verify_fatal=1 --group_reporting \
      --output-format=json --output="$ART/fio.json"
}
load_dd() {
  until_kills_done dd if=/tmp/kill-load.dd of="$BLK" bs=1M seek="$DD_OFF_MIB" oflag=direct conv=notrunc status=none
}
STEP_TIMEOUT=300 check "three SIGKILLs + restarts during fio (3 jobs × QD16) and a 64 MiB direct dd; both exit 0" under_load_with_kills "$SEED"
check "fio: no error; every block written and verified ($((JOBS * JOB_MIB)) MiB)" fio_verify_ok "$ART/fio.json" $((JOBS * JOB_MIB * 1024))
check "the dd region reads back as the pattern ($DD_MIB MiB)" \
  cmp <(dd if="$BLK" bs=1M skip="$DD_OFF_MIB" count="$DD_MIB" iflag=direct status=none) /tmp/kill-load.dd
check "no I/O error in the kernel log" io_errors_since "$mark"
check "device removed (unlink + rmdir return)" remove_device disk0
summary
