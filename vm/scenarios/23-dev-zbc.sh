#!/usr/bin/env bash
# dev-zbc: a 2 GiB host-managed `zbc/` disk (64 MiB zones, 4 conventional): sd attaches it
# as host-managed with 32 zones and no kernel warnings; sg3_utils probes and REPORT ZONES
# answer; a write at the write pointer reads back, a write past it is refused, a zone reset
# works; then it is removed cleanly.
# timeout: 300
# requires: sg_inq sg_vpd sg_readcap sg_opcodes sg_modes lsscsi openssl blkzone sg_rep_zones
# columns: emud tcmu-runner
# n/a: zbc needs a user backstore
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

RAW=$SCRATCH/zbc.raw SIZE=$((2 * 1024 * 1024 * 1024))
rm -f "$RAW"
check_start_daemon
mark=$(dmesg_mark dev-zbc)
check "device created through configfs (enable returns)" create_device zbc0 "zbc/model-HM/zsize-64/conv-4@$RAW" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop zbc0 || true)
check "tcm_loop attaches a disk ($BLK, $SG)" test -b "${BLK:-/nonexistent}"
check "no kernel warnings or errors after attach" dmesg_clean_since "$mark"
if [ -n "$SG" ]; then
  probe_scsi "$SG"
  check "sg_rep_zones answers" artifact sg_rep_zones.txt sg_rep_zones "$SG"
  dev=${BLK#/dev/}
  check "kernel sees a host-managed zoned disk" grep -qx host-managed "/sys/block/$dev/queue/zoned"
  check "32 zones of 64 MiB" sh -c "[ \$(cat /sys/block/$dev/queue/nr_zones) = 32 ] && [ \$(cat /sys/block/$dev/queue/chunk_sectors) = 131072 ]"
  check "blkzone report" artifact blkzone-report.txt blkzone report "$BLK"
  SEQ=$((4 * 64 * 1024))                     # first sequential zone, in KiB
  check "write at the write pointer + read back" write_read_back "$BLK" "$SEQ" 1024 zbc
  check "write pointer advanced by 1 MiB" sh -c "blkzone report -o $((SEQ * 2)) -c 1 $BLK | grep -q 'wptr 0x000800'"
  mark2=$(dmesg_mark zbc-unaligned)
  check "write past the write pointer is refused" sh -c "! dd if=/dev/zero of=$BLK bs=4k seek=$(((SEQ + 4096) / 4)) count=1 oflag=direct status=none"
  check "zone reset" blkzone reset -o $((SEQ * 2)) -c 1 "$BLK"
  check "write pointer back at zone start" sh -c "blkzone report -o $((SEQ * 2)) -c 1 $BLK | grep -q 'wptr 0x000000'"
fi
mark3=$(dmesg_mark zbc-remove)
check "device removed (unlink + rmdir return)" remove_device zbc0
check "block device gone" test ! -e "${BLK:-/nonexistent}"
check "no kernel warnings or errors on removal" dmesg_clean_since "$mark3"
summary
