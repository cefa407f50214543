#!/usr/bin/env bash
# zbc-btrfs: a real zoned initiator on the host-managed `zbc/` disk: `mkfs.btrfs -O zoned`
# (zone reports and resets), mount, write 8 MiB (sequential zone writes through the block
# layer's zone write locking), unmount, mount again and read the file back; no kernel warnings.
# timeout: 240
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
[ "$BACKSTORE" = user ] || not_applicable "zbc needs a user backstore"

RAW=$SCRATCH/zbc-btrfs.raw SIZE=$((2 << 30))
rm -f "$RAW"
check_start_daemon
mark=$(dmesg_mark zbc-btrfs)
check "device created through configfs (enable returns)" create_device zbc0 "zbc/model-HM/zsize-64/conv-4@$RAW" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop zbc0 || true)
check "tcm_loop attaches a host-managed disk ($BLK)" grep -qx host-managed "/sys/block/${BLK#/dev/}/queue/zoned"
modprobe btrfs 2>/dev/null
check "mkfs.btrfs -O zoned" artifact mkfs.btrfs.txt mkfs.btrfs -f -O zoned -d single -m single "$BLK"
mkdir -p /mnt/zbc
pattern_file /tmp/zbc-btrfs.data 8192 btrfs
check "mount, write 8 MiB, unmount" sh -c "mount -t btrfs $BLK /mnt/zbc && cp /tmp/zbc-btrfs.data /mnt/zbc/data && umount /mnt/zbc"
check "mount again and read the file back" sh -c "mount -t btrfs -o ro $BLK /mnt/zbc && cmp /mnt/zbc/data /tmp/zbc-btrfs.data; rc=\$?; umount /mnt/zbc; exit \$rc"
check "zones were written (some sequential zone is not empty)" sh -c "blkzone report $BLK | grep SEQ_WRITE_REQUIRED | grep -qv 'zcond: 1(em)'"
check "device removed (unlink + rmdir return)" remove_device zbc0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
