#!/usr/bin/env bash
# zbc-btrfs: a real zoned initiator on the host-managed `zbc/` disk: `mkfs.btrfs -O zoned`
# (zone reports and resets), mount, write 64 MiB (sequential zone writes through the block
# layer's zone write locking), unmount, restart the daemon (SIGTERM; the device stays), mount
# again and the file's SHA-256 is the one written; no kernel warnings.
# timeout: 300
# requires: openssl blkzone mkfs.btrfs btrfs sha256sum
# columns: emud tcmu-runner
# n/a: zbc needs a user backstore
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

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
pattern_file /tmp/zbc-btrfs.data 65536 btrfs
sum=$(sha256sum < /tmp/zbc-btrfs.data | cut -d' ' -f1)
check "mount, write 64 MiB, unmount" sh -c "mount -t btrfs $BLK /mnt/zbc && cp /tmp/zbc-btrfs.data /mnt/zbc/data && umount /mnt/zbc"
restart_daemon() { stop_daemon && start_daemon; }
check "daemon restarted (SIGTERM, exit 0, start) with the device present" restart_daemon
check "mount again: the file's SHA-256 is the one written" sh -c "mount -t btrfs -o ro $BLK /mnt/zbc && [ \"\$(sha256sum < /mnt/zbc/data | cut -d' ' -f1)\" = $sum ]; rc=\$?; umount /mnt/zbc; exit \$rc"
check "zones were written (some sequential zone is not empty)" sh -c "blkzone report $BLK | grep SEQ_WRITE_REQUIRED | grep -qv 'zcond: 1(em)'"
check "device removed (unlink + rmdir return)" remove_device zbc0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
