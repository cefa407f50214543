#!/usr/bin/env bash
# dev-file: a 1 GiB `file/` disk (fileio column: LIO fileio on the same file) is created
# through configfs, attached by tcm_loop as sd without kernel warnings, answers the sg3_utils
# probes, reads back what was written (direct I/O, first and last MiB), and is removed
# cleanly while the daemon keeps running.
# timeout: 240
# requires: sg_inq sg_vpd sg_readcap sg_opcodes sg_modes lsscsi openssl blockdev
# columns: emud fileio
# n/a: Debian's tcmu-runner has no file handler
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

IMG=$SCRATCH/dev-file.img SIZE=$((1024 * 1024 * 1024))
rm -f "$IMG"; truncate -s "$SIZE" "$IMG"
check_start_daemon
mark=$(dmesg_mark dev-file)
check "device created through configfs (enable returns)" create_device disk0 "file/$IMG" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop disk0 || true)
check "tcm_loop attaches a disk ($BLK, $SG)" test -b "${BLK:-/nonexistent}"
check "no kernel warnings or errors after attach" dmesg_clean_since "$mark"
if [ -n "${SG:-}" ]; then
  probe_scsi "$SG"
  check "capacity is 1 GiB" sh -c "[ \$(blockdev --getsize64 $BLK) = $SIZE ]"
  check "write + read back first MiB" write_read_back "$BLK" 0 1024 first
  check "write + read back last MiB" write_read_back "$BLK" $((SIZE / 1024 - 1024)) 1024 last
  check "data reached the backing file" cmp <(head -c 1048576 "$IMG") <(pattern_file /dev/stdout 1024 first)
fi
check "device removed (unlink + rmdir return)" remove_device disk0
check "block device gone" test ! -e "${BLK:-/nonexistent}"
check "no kernel warnings or errors overall" dmesg_clean_since "$mark"
summary
