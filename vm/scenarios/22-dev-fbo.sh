#!/usr/bin/env bash
# dev-fbo: an `fbo/` optical drive on an ISO image (genisoimage): attached by sr without
# kernel warnings, sg3_utils probes answer, the medium reads back byte for byte, and it
# mounts as iso9660 with the right file content; then it is removed cleanly.
# MMC has no READ CAPACITY(16), so `sg_readcap` (10) is checked and `-l` kept as information;
# MMC details (GET CONFIGURATION, mode page 2A, dvd+rw-mediainfo, cd-info) are artifacts.
# Knob: FBO_CONTROL (extra control string, default hw_block_size=2048).
# timeout: 240
# requires: sg_inq sg_vpd sg_readcap sg_opcodes sg_modes lsscsi openssl genisoimage cd-info dvd+rw-mediainfo sg_get_config
# columns: emud tcmu-runner
# n/a: fbo needs a user backstore
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

ISO=$SCRATCH/dev-fbo.iso SRC=$SCRATCH/dev-fbo-src
rm -rf "$SRC" "$ISO"; mkdir -p "$SRC"
pattern_file "$SRC/data.bin" 4096 fbo
echo "emud harness" > "$SRC/README.TXT"
genisoimage -quiet -V EMUDTEST -R -J -o "$ISO" "$SRC"
SIZE=$(stat -c %s "$ISO")
check_start_daemon
mark=$(dmesg_mark dev-fbo)
check "device created through configfs (enable returns)" create_device cd0 "fbo/$ISO" "$SIZE" ${FBO_CONTROL-hw_block_size=2048}
BLK= SG=
read -r BLK SG < <(link_loop cd0 || true)
check "tcm_loop attaches an optical drive ($BLK, $SG)" sh -c "case '$BLK' in /dev/sr*) test -b '$BLK';; *) false;; esac"
check "no kernel warnings or errors after attach" dmesg_clean_since "$mark"
if [ -n "$SG" ]; then
  probe_scsi "$SG" mmc
  artifact sg_get_config.txt sg_get_config "$SG" > /dev/null || true
  artifact sg_modes-2a.txt sg_modes --page=0x2a "$SG" > /dev/null || true
  artifact dvd+rw-mediainfo.txt dvd+rw-mediainfo "$BLK" > /dev/null || true
  artifact cd-info.txt cd-info --no-cddb -C "$BLK" > /dev/null || true
  check "the medium reads back as the ISO (first 1 MiB)" cmp <(dd if="$BLK" bs=2048 count=512 status=none) <(head -c 1048576 "$ISO")
  mkdir -p /mnt/cd
  modprobe isofs 2>/dev/null
  check "mounts as iso9660" mount -t iso9660 -o ro "$BLK" /mnt/cd
  check "the file on the disc matches" cmp /mnt/cd/data.bin "$SRC/data.bin"
  umount /mnt/cd 2>/dev/null
fi
check "device removed (unlink + rmdir return)" remove_device cd0
check "block device gone" test ! -e "${BLK:-/nonexistent}"
check "no kernel warnings or errors overall" dmesg_clean_since "$mark"
summary
