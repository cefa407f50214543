#!/usr/bin/env bash
# dev-qcow: a 1 GiB `qcow/` disk on a qemu-img qcow2 image: attach without kernel warnings,
# sg3_utils probes, direct-I/O write/read back, clean removal; afterwards the image passes
# `qemu-img check` and holds the data written through SCSI.
# timeout: 240
# requires: sg_inq sg_vpd sg_readcap sg_opcodes sg_modes lsscsi openssl blockdev qemu-img
# columns: emud tcmu-runner
# n/a: qcow needs a user backstore
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

IMG=$SCRATCH/dev-qcow.qcow2 SIZE=$((1024 * 1024 * 1024))
rm -f "$IMG"; qemu-img create -q -f qcow2 "$IMG" "$SIZE"
check_start_daemon
mark=$(dmesg_mark dev-qcow)
check "device created through configfs (enable returns)" create_device disk0 "qcow/$IMG" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop disk0 || true)
check "tcm_loop attaches a disk ($BLK, $SG)" test -b "${BLK:-/nonexistent}"
check "no kernel warnings or errors after attach" dmesg_clean_since "$mark"
if [ -n "$SG" ]; then
  probe_scsi "$SG"
  check "capacity is 1 GiB" sh -c "[ \$(blockdev --getsize64 $BLK) = $SIZE ]"
  check "write + read back first MiB" write_read_back "$BLK" 0 1024 first
  check "write + read back last MiB" write_read_back "$BLK" $((SIZE / 1024 - 1024)) 1024 last
fi
check "device removed (unlink + rmdir return)" remove_device disk0
check "block device gone" test ! -e "${BLK:-/nonexistent}"
check "no kernel warnings or errors overall" dmesg_clean_since "$mark"
check "qemu-img check is clean" artifact qemu-img-check.txt qemu-img check "$IMG"
qemu-img convert -f qcow2 -O raw "$IMG" $SCRATCH/dev-qcow.raw
check "image holds the first MiB written" cmp -n 1048576 $SCRATCH/dev-qcow.raw <(pattern_file /dev/stdout 1024 first)
rm -f $SCRATCH/dev-qcow.raw
summary
