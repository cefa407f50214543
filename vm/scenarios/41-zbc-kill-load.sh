#!/usr/bin/env bash
# zbc-kill-load: emud is SIGKILLed at three seeded random moments (seed printed; KILL_SEED=N replays)
# and restarted each time while a host-managed `zbc/` disk (4 MiB zones) is under load: fio in zoned
# mode (--zonemode=zbd: random zones, writes at each write pointer), 3 jobs × QD16, libaio O_DIRECT with
# crc32c verification, plus a 16 MiB sequential `dd oflag=direct,sync` into zones of its own; each is run
# again until the last kill (fio resets its zones before writing when it verifies; dd's zones are reset
# before each pass), so every kill meets the load however fast the host is. Every
# acknowledged write is committed: sd turns the disk's write cache off (MODE SELECT, Caching page WCE 0,
# through `cache_type`), so emud commits data and write pointer before each GOOD. Afterwards fio and dd
# exit 0, fio's verify read every written block back, the dd zones read back as the pattern with their
# write pointers exactly at its end (FULL), and the kernel logged no I/O error. Kernel recovery of the
# ring: vm/lib/kill.sh.
# Why write-through and not O_DSYNC (FUA) writes on a write-back cache (KILL_ZBC_CACHE=write-back runs
# that load): on Linux 6.1 a FUA write of a zoned disk bypasses mq-deadline and its zone write lock
# (blk_insert_flush), and tcm_loop hands commands to LIO through per-CPU submission work
# (target_queue_submission), so two FUA writes of one zone can reach any target out of order at any
# time, kill or not: a real drive answers UNALIGNED WRITE COMMAND, and so does emud outside the window
# after a restart (vm/README.md, session 8). With the cache off the kernel strips FUA at submission and
# every write takes the zone write lock: one write per zone in flight, in order.
# Without the cache off and without FUA, zone state is write-back (ZonedStore.swift): a kill may lose
# unflushed writes the way a power cut loses a drive's volatile cache, but a write pointer never passes
# durable data (32-zbc-kill checks that bound).
# timeout: 420
# requires: fio jq blkzone
# columns: emud
# n/a: kills emud (tcmu-runner keeps zone state in an mmap synced only by SYNCHRONIZE CACHE)
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/block.sh"
source "$REPO/vm/lib/zoned.sh"
source "$REPO/vm/lib/kill.sh"
artifact_dmesg() { dmesg_since "$mark" > "$ART/dmesg-since-start.txt" 2>&1 || true; }
trap artifact_dmesg EXIT

RAW=$SCRATCH/zbc-kill-load.raw SIZE=$((256 << 20))
ZONE_MIB=4 CONV=2
JOBS=3 JOB_MIB=48                        # fio: zones 2–37 (3 regions of 12 zones; one pass takes ~10 s with the guest on the TSC)
FIO_OFF_MIB=$((CONV * ZONE_MIB))
DD_OFF_MIB=$((FIO_OFF_MIB + JOBS * JOB_MIB)) DD_MIB=16
SEED=$(kill_seed)
rm -f "$RAW"
pattern_file /tmp/zbc-kill-load.dd $((DD_MIB * 1024)) zbc-kill-load
check_start_daemon
mark=$(dmesg_mark zbc-kill-load)
check "zbc/ disk created (enable returns)" \
  create_device zbc0 "zbc/model-HM/zsize-$ZONE_MIB/conv-$CONV/open-8@$RAW" "$SIZE"
check "ring command timeout (cmd_time_out) $KILL_TIMEOUT s, before export" kill_ring_timeout zbc0
BLK= SG=
read -r BLK SG < <(link_loop zbc0 || true)
check "tcm_loop attaches a host-managed disk ($BLK)" sysfs_is "${BLK:-/nonexistent}" zoned host-managed
[ -b "${BLK:-/nonexistent}" ] || { summary; exit; }
check "SCSI command timeout of $BLK $KILL_TIMEOUT s" kill_disk_timeout "$BLK"
check "queue/scheduler is mq-deadline (the zoned elevator)" grep -q '\[mq-deadline\]' "/sys/block/${BLK##*/}/queue/scheduler"
CACHE=${KILL_ZBC_CACHE:-write-through}
if [ "$CACHE" = write-back ]; then
  # 6.1: a FUA write with no flush needed goes straight to the dispatch list (blk_insert_flush), past
  # mq-deadline and its zone write lock, so several writes of one zone reach the ring at once.
  check "queue/fua = 1 (O_DSYNC direct writes go out as FUA)" sysfs_is "$BLK" fua 1
  SYNC=dsync
else
  check "write cache off through sd (MODE SELECT WCE 0): queue/write_cache = write through" \
    set_cache_type "$BLK" "write through"
  SYNC=none
fi

load_fio() { until_kills_done fio_pass; }
fio_pass() {
  fio --name=zkill --filename="$BLK" --zonemode=zbd --rw=randwrite --bs=16k --iodepth=16 --numjobs="$JOBS" \
      --offset="${FIO_OFF_MIB}M" --size="${JOB_MIB}M" --offset_increment="${JOB_MIB}M" --job_max_open_zones=2 \
      --ioengine=libaio --direct=1 --sync="$SYNC" --verify=crc32c --do_verify=1 --verify_fatal=1 --group_reporting \
      --output-format=json --output="$ART/fio.json"
}
load_dd() { until_kills_done dd_pass; }
dd_pass() {
  blkzone reset -o $((DD_OFF_MIB * 2048)) -c $((DD_MIB / ZONE_MIB)) "$BLK" &&
  dd if=/tmp/zbc-kill-load.dd of="$BLK" bs=256k seek=$((DD_OFF_MIB * 4)) oflag=direct,sync conv=notrunc status=none
}
# Information: every SCSI command completed non-GOOD (the BUSYs of the ring resets) and every failed request.
kill_trace_start
STEP_TIMEOUT=300 check "$KILL_COUNT SIGKILLs + restarts during zoned fio (3 jobs × QD16, $CACHE) and a 16 MiB direct dd; both exit 0" under_load_with_kills "$SEED"
kill_trace_save "$ART/kernel-trace.txt"
fio_written_ok() {
  local err w r; err=$(fio_json_field "$ART/fio.json" .error) w=$(fio_json_field "$ART/fio.json" .write.io_kbytes) r=$(fio_json_field "$ART/fio.json" .read.io_kbytes)
  echo "fio: error=$err written=$w KiB verified=$r KiB"
  [ "$err" = 0 ] && [ "${w:-0}" -gt 0 ] && [ "$r" = "$w" ]
}
check "fio: no error; everything written was verified" fio_written_ok
check "the dd zones read back as the pattern ($DD_MIB MiB)" \
  cmp <(dd if="$BLK" bs=1M skip="$DD_OFF_MIB" count="$DD_MIB" iflag=direct status=none) /tmp/zbc-kill-load.dd
check "the dd zones are FULL (write pointers at the end of the data)" \
  bash -c "[ \$(blkzone report -o $((DD_OFF_MIB * 2048)) -c $((DD_MIB / ZONE_MIB)) $BLK | grep -c 'zcond:14(') = $((DD_MIB / ZONE_MIB)) ]"
artifact blkzone-final.txt blkzone report "$BLK" > /dev/null
grep -h "were queued" "$ART"/daemon*.log > "$ART/queued-at-restart.txt" 2>/dev/null || true
check "no I/O error in the kernel log" io_errors_since "$mark"
check "device removed (unlink + rmdir return)" remove_device zbc0
kill_trace_stop
summary
