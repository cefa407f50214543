#!/usr/bin/env bash
# capture sbc: corpora of real initiators against a 64 MiB `file/` disk (one fresh device per
# tool run): the Linux sd probe, sg3_utils sweeps (INQUIRY, every VPD page, MODE SENSE, REPORT
# SUPPORTED OPERATION CODES variants, READ CAPACITY). Output: corpora/ (see vm/lib/capture.sh).
# timeout: 900
set -uo pipefail
source "$REPO/vm/lib/capture.sh"
[ "$COLUMN" = emud ] || not_applicable "captures record emud"

IMG=$SCRATCH/disk.img SIZE=$((64 << 20))
CFG=file/$IMG
check "emud starts with --capture" capture_start_daemon

capture linux-probe-sd driver "$CFG" "$SIZE" -- sh -c 'blockdev --getsize64 "$1"' _ @BLK@
capture sg_inq bare "$CFG" "$SIZE" -- sg_inq @SG@
capture sg_inq-d bare "$CFG" "$SIZE" -- sg_inq -d @SG@
capture sg_vpd-a bare "$CFG" "$SIZE" -- sg_vpd -a @SG@
for page in 0x00 0x80 0x83 0x86 0x89 0xb0 0xb1 0xb2 0xb6; do
  capture "sg_vpd-p-$page" bare "$CFG" "$SIZE" -- sg_vpd -p "$page" @SG@
done
capture sg_modes-a bare "$CFG" "$SIZE" -- sg_modes -a @SG@
capture sg_modes-a-6 bare "$CFG" "$SIZE" -- sg_modes -6 -a @SG@
capture sg_modes-c-1-a bare "$CFG" "$SIZE" -- sg_modes -c 1 -a @SG@
capture sg_opcodes bare "$CFG" "$SIZE" -- sg_opcodes @SG@
capture sg_opcodes-c bare "$CFG" "$SIZE" -- sg_opcodes -c @SG@
capture sg_opcodes-m bare "$CFG" "$SIZE" -- sg_opcodes -m @SG@
capture sg_opcodes-R bare "$CFG" "$SIZE" -- sg_opcodes -R @SG@
capture sg_opcodes-t bare "$CFG" "$SIZE" -- sg_opcodes -t @SG@
capture sg_opcodes-o-28 bare "$CFG" "$SIZE" -- sg_opcodes -o 0x28 @SG@
capture sg_opcodes-o-9e-10 bare "$CFG" "$SIZE" -- sg_opcodes -o 0x9e,0x10 @SG@
capture sg_readcap bare "$CFG" "$SIZE" -- sg_readcap @SG@
capture sg_readcap-l bare "$CFG" "$SIZE" -- sg_readcap -l @SG@
summary
