#!/usr/bin/env bash
# capture mmc: corpora of real initiators against a 64 MiB `fbo/` drive on a zero-filled disc
# (DVD-RAM, the default profile; one fresh device per tool run): the Linux sr probe, udev
# cdrom_id, cd-info, dvd+rw-mediainfo, sg3_utils sweeps. Output: corpora/ (vm/lib/capture.sh).
# timeout: 900
set -uo pipefail
source "$REPO/vm/lib/capture.sh"
[ "$COLUMN" = emud ] || not_applicable "captures record emud"

IMG=$SCRATCH/disc.img SIZE=$((64 << 20))
CFG=fbo/$IMG
CAPTURE_CONTROL=(hw_block_size=2048)
check "emud starts with --capture" capture_start_daemon

capture linux-probe-sr driver "$CFG" "$SIZE" -- sh -c 'blockdev --getsize64 "$1"' _ @BLK@
capture cdrom_id driver "$CFG" "$SIZE" -- /lib/udev/cdrom_id @BLK@
capture cd-info driver "$CFG" "$SIZE" -- cd-info --no-cddb --no-device-info -C @BLK@
capture dvd+rw-mediainfo driver "$CFG" "$SIZE" -- dvd+rw-mediainfo @BLK@
capture sg_inq bare "$CFG" "$SIZE" -- sg_inq @SG@
capture sg_vpd-a bare "$CFG" "$SIZE" -- sg_vpd -a @SG@
for page in 0x00 0x80 0x83 0x86 0x89 0xb0 0xb1; do
  capture "sg_vpd-p-$page" bare "$CFG" "$SIZE" -- sg_vpd -p "$page" @SG@
done
capture sg_modes-a bare "$CFG" "$SIZE" -- sg_modes -a @SG@
capture sg_modes-p-2a bare "$CFG" "$SIZE" -- sg_modes -p 0x2a @SG@
capture sg_opcodes bare "$CFG" "$SIZE" -- sg_opcodes @SG@
capture sg_opcodes-c bare "$CFG" "$SIZE" -- sg_opcodes -c @SG@
capture sg_opcodes-t bare "$CFG" "$SIZE" -- sg_opcodes -t @SG@
capture sg_readcap bare "$CFG" "$SIZE" -- sg_readcap @SG@
capture sg_readcap-l bare "$CFG" "$SIZE" -- sg_readcap -l @SG@
capture sg_get_config bare "$CFG" "$SIZE" -- sg_get_config @SG@
capture sg_get_config-c bare "$CFG" "$SIZE" -- sg_get_config -r 1 @SG@
summary
