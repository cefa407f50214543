#!/usr/bin/env bash
# fbo-kill-udf: a blank DVD-RAM (`fbo/profile-dvdram`, 128 MiB image) formatted with UDF through sr and
# mounted; emud is SIGKILLed at three seeded random moments (seed printed; KILL_SEED=N replays) and
# restarted while fio writes two 2 MiB files on it (random 4 KiB, 2 jobs × QD16, libaio O_DIRECT,
# crc32c) and `dd oflag=direct` writes a 12 MiB file (again, in place, until the last kill). Afterwards
# fio and dd exit 0 with fio's verify clean; then unmount, drop caches, mount again: the dd file compares
# equal and fio re-verifies both files from the disc (--verify_only), udfinfo reads the file system
# (Debian 12 has no UDF fsck), and the kernel logged no I/O error and no warning. Ring recovery: vm/lib/kill.sh.
# timeout: 600
# requires: fio jq mkudffs udfinfo
# columns: emud
# n/a: kills emud (tcmu-runner's fbo has no page 2Ah: sr attaches it read-only); LIO fileio has no optical drive
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/kill.sh"
artifact_dmesg() {
  dmesg_since "$mark" > "$ART/dmesg-since-start.txt" 2>&1
  [ -s "$ART/kernel-trace.txt" ] || kill_trace_save "$ART/kernel-trace.txt"
}
trap artifact_dmesg EXIT

IMG=$SCRATCH/kill-dvdram.img SIZE=$((128 << 20)) MNT=/mnt/kill-udf
# Sized for TCG on a shared 2-core host: 2 × 4 MiB + 24 MiB took 169 s of load in run u1 and did not finish in
# 240 s in u2 (another VM and a Swift build beside it: 2649 SCSI commands in 240 s against u1's 5607 in 169 s).
# dd is the long part of the load; it is repeated (in place) until the last kill, since on an idle host
# one pass ends before the third kill (seed 996: 12 MiB and even 48 MiB finished in 14 s).
JOBS=2 JOB_MIB=2 DD_MIB=12
KILL_LOAD_SECS=360
SEED=$(kill_seed)
rm -f "$IMG"; truncate -s "$SIZE" "$IMG"
pattern_file /tmp/fbo-kill.dd $((DD_MIB * 1024)) fbo-kill
check_start_daemon
mark=$(dmesg_mark fbo-kill-udf)
check "DVD-RAM drive created on an empty image" create_device ram0 "fbo/profile-dvdram/$IMG" "$SIZE" hw_block_size=2048
check "ring command timeout (cmd_time_out) $KILL_TIMEOUT s, before export" kill_ring_timeout ram0
BLK= SG=
read -r BLK SG < <(link_loop ram0 || true)
check "sr attaches ($BLK)" sh -c "case '$BLK' in /dev/sr*) test -b '$BLK';; *) false;; esac"
[ -b "${BLK:-/nonexistent}" ] || { summary; exit; }
check "SCSI command timeout of $BLK $KILL_TIMEOUT s" kill_disk_timeout "$BLK"
check "mkudffs --media-type=dvdram" artifact mkudffs.txt mkudffs --media-type=dvdram --label=KILLRAM "$BLK"
modprobe udf 2>/dev/null
mkdir -p "$MNT"
check "mounts read-write as UDF" sh -c "mount -t udf -o rw $BLK $MNT && grep -q '^$BLK $MNT udf rw' /proc/mounts"

FIO_ARGS=(--name=udfkill --directory="$MNT" --rw=randwrite --bs=4k --iodepth=16 --numjobs="$JOBS" --size="${JOB_MIB}M"
          --ioengine=libaio --direct=1 --verify=crc32c --verify_fatal=1 --group_reporting)
load_fio() {
  fio "${FIO_ARGS[@]}" --do_verify=1 --output-format=json --output="$ART/fio.json"
}
load_dd() {
  until_kills_done dd if=/tmp/fbo-kill.dd of="$MNT/dd.bin" bs=1M oflag=direct conv=notrunc status=none
}
# fio's files are laid out (written whole and synced) before the load, so the kills hit fio's random direct
# writes and its verify reads, not its sequential layout (which fio would otherwise do inside the load).
# Diagnostics (information, not checks): the SCSI device's command counters, and a kernel trace of every
# SCSI command that completed non-GOOD, every failed block request and every quiet EIO (kill_trace_start).
scsi_counters() {
  local d=/sys/block/${BLK##*/}/device
  echo "$1: iorequest_cnt $(< "$d/iorequest_cnt") iodone_cnt $(< "$d/iodone_cnt") ioerr_cnt $(< "$d/ioerr_cnt")" >> "$ART/scsi-counters.txt"
}
kill_trace_start
scsi_counters "before the load"
layout_fio() { fio "${FIO_ARGS[@]}" --create_only=1 --output="$ART/fio-layout.txt" && sync; }
check "fio lays out its two $JOB_MIB MiB files (before any kill)" layout_fio
STEP_TIMEOUT=$((KILL_LOAD_SECS + 60)) check "three SIGKILLs + restarts during fio (2 jobs × QD16 on UDF) and a $DD_MIB MiB direct dd; both exit 0" under_load_with_kills "$SEED"
scsi_counters "after the load"
kill_trace_save "$ART/kernel-trace.txt"
check "fio: no error; every block written and verified ($((JOBS * JOB_MIB)) MiB)" \
  bash -c "source $REPO/vm/lib/block.sh; fio_verify_ok $ART/fio.json $((JOBS * JOB_MIB * 1024))"
check "umount (flushes)" umount "$MNT"
check "mounts again with the caches dropped" \
  sh -c "blockdev --flushbufs $BLK && echo 3 > /proc/sys/vm/drop_caches && mount -t udf -o rw $BLK $MNT"
check "the dd file reads back equal from the disc" cmp "$MNT/dd.bin" /tmp/fbo-kill.dd
check "fio re-verifies both files from the disc (--verify_only)" \
  fio "${FIO_ARGS[@]}" --verify_only --output="$ART/fio-reverify.txt"
check "umount" umount "$MNT"
check "udfinfo reads the file system after the kills" artifact udfinfo.txt udfinfo "$BLK"
check "no I/O error in the kernel log" io_errors_since "$mark"
check "no kernel warning or error" dmesg_clean_since "$mark"
scsi_counters "at the end"
check "device removed" remove_device ram0
kill_trace_save "$ART/kernel-trace.txt"
kill_trace_stop
summary
