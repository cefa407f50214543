#!/usr/bin/env bash
# fault-zbc-btrfs: (emud) write errors and an OFFLINE zone under btrfs (zoned) on a host-managed `zbc/`
# disk (2 GiB, 64 MiB zones, zones 0-3 conventional, 4-31 sequential). File A (8 MiB) is written and
# synced. 1. `fault add sense 3/0C/00 on=write lba=<the sequential zones>` while file B is written:
# the write fails with an error (fsync EIO), sd logs the WRITE ERROR and btrfs its write error; after
# `fault clear` and a remount A reads back and B holds only bytes it was given or fails with EIO.
# 2. While file C (160 MiB) is being written, the sequential zone it is writing (one A does not use) is
# forced OFFLINE (`emud ctl zbc0 zone N offline`): the writer gets an error, sd logs DATA PROTECT
# "Zone is offline", btrfs names the offline zone; with the zone still offline a read-only mount
# (rescue=all) works and A reads back; after `zone N clear` (back to its write pointer) a normal mount
# works again: A is intact, and C reads back where it was written, zeros (a hole) where its failed
# write left none, or EIO. Nothing acknowledged is lost: a synced file reads its own bytes; a file whose
# write reported an error reads its own bytes, a hole, or an error, never other data.
# tcmu-runner and LIO fileio cannot inject errors or force zone conditions: N/A in their columns.
# requires: blkzone mkfs.btrfs cmp python3
# timeout: 720
# columns: emud
# n/a: tcmu-runner and LIO fileio cannot inject write errors in zones or force a zone OFFLINE (LIO fileio has no zoned disk; tcmu-runner's zbc handler has no way to change a zone's condition from outside): neither has fault injection
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/faults.sh"

RAW=$SCRATCH/fault-zbc.raw SIZE=$((2 << 30)) ZONE_SECTORS=131072 MNT=/mnt/fzbc
SEQ_FIRST=$((4 * ZONE_SECTORS)) LAST=$((SIZE / 512 - 1))
rm -f "$RAW"
modprobe btrfs 2>/dev/null
check_start_daemon
mark=$(dmesg_mark fault-zbc-btrfs)
check "zbc device created" create_device zbc0 "zbc/model-HM/zsize-64/conv-4@$RAW" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop zbc0 || true)
check "tcm_loop attaches a host-managed disk ($BLK)" grep -qx host-managed "/sys/block/${BLK#/dev/}/queue/zoned"
check "mkfs.btrfs -O zoned" artifact mkfs.btrfs.txt mkfs.btrfs -f -O zoned -d single -m single "$BLK"
mkdir -p "$MNT"
pattern_file "$SCRATCH/A" 8192 fzbc-a
pattern_file "$SCRATCH/B" 32768 fzbc-b
pattern_file "$SCRATCH/C" 163840 fzbc-c
check "mount, write file A (8 MiB), sync" sh -c "mount -t btrfs $BLK $MNT && cp $SCRATCH/A $MNT/A && sync"

# seq_zones_in_use BLK: indexes of the sequential zones whose write pointer is past their start.
seq_zones_in_use() {
  blkzone report "$1" | sed -nE 's/.*start: 0x([0-9a-f]+).*wptr 0x([0-9a-f]+).*zcond: *([0-9]+).*SEQ_WRITE_REQUIRED.*/\1 \2 \3/p' |
    while read -r start wp cond; do
      [ "$cond" != 15 ] && [ $((16#$wp)) -gt 0 ] && echo $(( 16#$start / ZONE_SECTORS ))
    done
}
# same_or_eio FILE PATTERN: reading FILE fails with EIO, or each 4 KiB block of it is PATTERN's block
# or zeros (a hole: btrfs inserts no extent for a write that failed, and fsync reported that failure).
same_or_eio() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
try:
    got = open(sys.argv[1], 'rb').read()
except OSError as e:
    print(e); sys.exit(0 if e.errno == 5 else 1)
want = open(sys.argv[2], 'rb').read()
own = holes = 0
for i in range(0, len(got), 4096):
    g = got[i:i + 4096]
    if g == want[i:i + len(g)]: own += 1
    elif g == bytes(len(g)): holes += 1
    else: print(f"block at byte {i}: neither its own bytes nor a hole"); sys.exit(1)
print(f"{sys.argv[1]}: {own} blocks its own, {holes} holes (zeros)")
PY
}
# write_fails FILE PATTERN: copying PATTERN to FILE with fsync reports an error.
write_fails() {
  local out; out=$(dd if="$2" of="$1" bs=1M conv=fsync status=none 2>&1) && { echo "the write succeeded"; return 1; }
  echo "$out"
}
# remount [OPTS]: unmount and mount again (OPTS for -o).
remount() { umount "$MNT" 2>/dev/null; mount -t btrfs ${1:+-o "$1"} "$BLK" "$MNT"; }
check_a() { cmp "$MNT/A" "$SCRATCH/A"; }

# ---- 1. write errors in the sequential zones ----------------------------------------------------
mark1=$(dmesg_mark fzbc-write-error)
check "write-error rule on the sequential zones (rule 1)" fault zbc0 add sense 3/0C/00 on=write lba=$SEQ_FIRST-$LAST
check "writing file B (32 MiB) reports an error" write_fails "$MNT/B" "$SCRATCH/B"
check "rule 1 fired" fault_fired zbc0 1 1
check "sd logged the WRITE ERROR (Medium Error, Write error)" dmesg_has "$mark1" "Write error"
check "btrfs logged the failed write" dmesg_has "$mark1" "BTRFS (error|warning|critical).*(errs: wr|write|IO failure|Transaction aborted|error=-5)"
grep -q " $MNT btrfs ro" /proc/mounts && echo "btrfs went read-only after the write error"
check "rule cleared" fault zbc0 clear 1
check "unmount and mount again (read-write)" remount
check "A reads back" check_a
[ -e "$MNT/B" ] && check "B holds only its own bytes, or fails with EIO" same_or_eio "$MNT/B" "$SCRATCH/B"
check "the file system takes writes again (file D, synced)" sh -c "cp $SCRATCH/A $MNT/D && sync && cmp $MNT/D $SCRATCH/A"

# ---- 2. a zone forced OFFLINE while it is being written -----------------------------------------
before=" $(seq_zones_in_use "$BLK" | tr '\n' ' ') "
echo "sequential zones in use before C: $before"
mark2=$(dmesg_mark fzbc-offline)
# 64 KiB writes, each synced (O_DSYNC): a steady writer, still running when its zone goes offline.
dd if="$SCRATCH/C" of="$MNT/C" bs=64k oflag=dsync conv=fsync status=none 2> "$ART/writer-C.txt" &
writer=$!
victim=
for _ in $(seq 1 240); do
  for z in $(seq_zones_in_use "$BLK"); do
    case "$before" in *" $z "*) ;; *) victim=$z; break ;; esac
  done
  [ -n "$victim" ] && break
  kill -0 "$writer" 2>/dev/null || break
  sleep 0.25
done
check "the writer of C reached a zone A does not use (zone ${victim:-none})" test -n "$victim"
[ -n "$victim" ] && check "zone $victim forced OFFLINE mid-run" emud_ctl zbc0 zone "$victim" offline
wait "$writer"; writer_rc=$?
cat "$ART/writer-C.txt"
check "the writer of C got an error (dd exit $writer_rc)" test "$writer_rc" -ne 0
check "sd logged DATA PROTECT 'Zone is offline'" dmesg_has "$mark2" "Zone is offline"
umount "$MNT" 2>/dev/null
if mount -t btrfs "$BLK" "$MNT" 2> "$ART/mount-offline.txt"; then echo "a normal mount worked with zone $victim offline"; umount "$MNT"
else echo "a normal mount was refused with zone $victim offline: $(cat "$ART/mount-offline.txt")"; fi
check "btrfs named the offline zone (mount)" dmesg_has "$mark2" "offline/readonly zone"
check "with the zone offline, a read-only mount (rescue=all) works" remount ro,rescue=all
check "A reads back from the read-only mount" check_a
[ -e "$MNT/C" ] && check "C holds only its own bytes, or fails with EIO (read-only mount)" same_or_eio "$MNT/C" "$SCRATCH/C"
umount "$MNT" 2>/dev/null
check "zone $victim cleared (back to its write pointer)" emud_ctl zbc0 zone "$victim" clear
check "a normal mount works again" remount
check "A reads back" check_a
check "D reads back" cmp "$MNT/D" "$SCRATCH/A"
[ -e "$MNT/C" ] && check "C holds only its own bytes, or fails with EIO" same_or_eio "$MNT/C" "$SCRATCH/C"
check "the file system takes writes again (file E, synced)" sh -c "cp $SCRATCH/A $MNT/E && sync && cmp $MNT/E $SCRATCH/A"
umount "$MNT"
check "device removed (unlink + rmdir return)" remove_device zbc0
summary
