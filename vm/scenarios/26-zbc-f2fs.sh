#!/usr/bin/env bash
# zbc-f2fs: f2fs on a host-managed `zbc/` disk (2 GiB, 16 MiB zones). f2fs keeps its metadata (superblock,
# checkpoint, SIT, NAT, SSA) in conventional zones and its main area in sequential ones: with
# CONV_MIN - 1 conventional zones `mkfs.f2fs -m` must refuse the disk, with CONV_MIN it formats. Then
# mount, write files (12 MiB + a tree of small files), unmount, restart the daemon (SIGTERM), mount
# again and compare every checksum; sequential zones were written; no kernel warnings.
# timeout: 480
# requires: openssl blkzone mkfs.f2fs sha256sum
# columns: emud
# n/a: emud column only (restart of the daemon between mounts); LIO fileio has no zoned disk
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/zoned.sh"

SIZE=$((2 << 30)) CONV_MIN=3                # measured: f2fs-tools 1.15 needs 3 of 16 MiB (1 and 2 GiB disks)
ZONE_SECTORS=32768
check_start_daemon
modprobe f2fs 2>/dev/null
mark=$(dmesg_mark zbc-f2fs)

# zbc_disk NAME CONV: a fresh 2 GiB host-managed disk with CONV conventional zones; prints "BLK SG".
zbc_disk() {
  local raw=$SCRATCH/$1.raw; rm -f "$raw"
  create_device "$1" "zbc/model-HM/zsize-16/conv-$2/open-8@$raw" "$SIZE" >&2 || return 1
  link_loop "$1"
}

few= FEW_SG=
read -r few FEW_SG < <(zbc_disk zbcfew $((CONV_MIN - 1)) || true)
check "a disk with $((CONV_MIN - 1)) conventional zones attaches ($few)" sysfs_is "${few:-/nonexistent}" zoned host-managed
check "mkfs.f2fs -m refuses it" fails artifact mkfs.f2fs-conv$((CONV_MIN - 1)).txt mkfs.f2fs -f -m "${few:-/nonexistent}"
check "... saying: not enough random write zones ($CONV_MIN needed)" \
  grep -F "Device does not have enough random write zones for F2FS volume ($CONV_MIN needed)" "$ART/mkfs.f2fs-conv$((CONV_MIN - 1)).txt"
check "that disk removed" remove_device zbcfew

BLK= SG=
read -r BLK SG < <(zbc_disk zbc0 "$CONV_MIN" || true)
check "a disk with $CONV_MIN conventional zones attaches ($BLK)" sysfs_is "${BLK:-/nonexistent}" zoned host-managed
check "mkfs.f2fs -m formats it" artifact mkfs.f2fs.txt mkfs.f2fs -f -m "${BLK:-/nonexistent}"
check "mkfs.f2fs saw a host-managed disk: 128 zones of 16 MiB, $CONV_MIN randomly writeable" \
  grep -A1 "Host-managed zoned block device" "$ART/mkfs.f2fs.txt" | grep -F "128 zones, 16777216 zone size(bytes), $CONV_MIN randomly writeable zones"

MNT=/mnt/zbc-f2fs
mkdir -p "$MNT" /tmp/zbc-f2fs
pattern_file /tmp/zbc-f2fs/big 8192 f2fs-big
pattern_file /tmp/zbc-f2fs/medium 4096 f2fs-medium
write_files() {
  mount -t f2fs "$BLK" "$MNT" || return 1
  cp /tmp/zbc-f2fs/big /tmp/zbc-f2fs/medium "$MNT"/ || return 1
  mkdir -p "$MNT/tree" || return 1
  local i; for i in $(seq 1 200); do head -c $((i * 97)) /tmp/zbc-f2fs/big > "$MNT/tree/f$i" || return 1; done
  (cd "$MNT" && find . -type f | sort | xargs sha256sum) > /tmp/zbc-f2fs.sums
  echo "$(wc -l < /tmp/zbc-f2fs.sums) files"
  umount "$MNT"
}
STEP_TIMEOUT=300 check "mount, write 12 MiB + 200 small files, umount" write_files
check "sequential zones were written (some is not EMPTY)" \
  bash -c "blkzone report $BLK | grep SEQ_WRITE_REQUIRED | grep -qv 'zcond: 1('"
restart_daemon() { stop_daemon && start_daemon; }
check "daemon restarted (SIGTERM, exit 0, start)" restart_daemon
compare_files() {
  mount -t f2fs -o ro "$BLK" "$MNT" || return 1
  local rc=0
  (cd "$MNT" && sha256sum --quiet -c /tmp/zbc-f2fs.sums) || rc=1
  [ "$(cd "$MNT" && find . -type f | wc -l)" = "$(wc -l < /tmp/zbc-f2fs.sums)" ] || { echo "file count differs"; rc=1; }
  umount "$MNT"
  return "$rc"
}
STEP_TIMEOUT=120 check "mount again: every checksum matches" compare_files
check "device removed (unlink + rmdir return)" remove_device zbc0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
