#!/usr/bin/env bash
# capture zbc: corpora of real initiators against a 2 GiB host-managed `zbc/` disk (64 MiB zones,
# 4 conventional; one fresh device per tool run): the Linux sd_zbc probe, sg3_utils sweeps,
# REPORT ZONES with each reporting option and PARTIAL, OPEN/CLOSE/FINISH/RESET WRITE POINTER,
# blkzone operations, mkfs.btrfs -O zoned. Output: corpora/ (see vm/lib/capture.sh).
# timeout: 1200
set -uo pipefail
source "$REPO/vm/lib/capture.sh"
[ "$COLUMN" = emud ] || not_applicable "captures record emud"

RAW=$SCRATCH/zbc.raw SIZE=$((2 << 30))
CFG="zbc/model-HM/zsize-64/conv-4@$RAW"
Z=131072                       # zone size in 512-byte blocks; zones 0-3 conventional
check "emud starts with --capture" capture_start_daemon

capture linux-probe-sd_zbc driver "$CFG" "$SIZE" -- sh -c 'cat /sys/block/${1#/dev/}/queue/zoned /sys/block/${1#/dev/}/queue/nr_zones' _ @BLK@
capture sg_inq bare "$CFG" "$SIZE" -- sg_inq @SG@
capture sg_vpd-a bare "$CFG" "$SIZE" -- sg_vpd -a @SG@
for page in 0x00 0x80 0x83 0x86 0x89 0xb0 0xb1 0xb2 0xb6; do
  capture "sg_vpd-p-$page" bare "$CFG" "$SIZE" -- sg_vpd -p "$page" @SG@
done
capture sg_modes-a bare "$CFG" "$SIZE" -- sg_modes -a @SG@
capture sg_opcodes bare "$CFG" "$SIZE" -- sg_opcodes @SG@
capture sg_opcodes-c bare "$CFG" "$SIZE" -- sg_opcodes -c @SG@
capture sg_opcodes-t bare "$CFG" "$SIZE" -- sg_opcodes -t @SG@
capture sg_opcodes-o-95-00 bare "$CFG" "$SIZE" -- sg_opcodes -o 0x95,0x00 @SG@
capture sg_readcap-l bare "$CFG" "$SIZE" -- sg_readcap -l @SG@

# REPORT ZONES: zones put in several conditions first (zone 4 explicitly open, 5 closed, 6 full,
# 7 implicitly open by a WRITE(16) of one block at its write pointer), then one reporting option per corpus.
zone_states='Z=$2; sg_zone --open -z $((4*Z)) $1 && sg_zone --open -z $((5*Z)) $1 && sg_zone --close -z $((5*Z)) $1 && sg_zone --finish -z $((6*Z)) $1 && sg_raw -s 512 -i /dev/zero $1 8a 00 00 00 00 00 00 0e 00 00 00 00 00 01 00 00; shift 2; exec sg_rep_zones "$@"'
for opt in 0x00 0x01 0x02 0x03 0x04 0x05 0x06 0x07 0x10 0x11 0x3e 0x3f; do
  capture "sg_rep_zones-o-$opt" bare "$CFG" "$SIZE" -- sh -c "$zone_states" _ @SG@ "$Z" -o "$opt" @SG@
done
capture sg_rep_zones-partial bare "$CFG" "$SIZE" -- sh -c "$zone_states" _ @SG@ "$Z" --partial -m 256 @SG@
capture sg_rep_zones-m-256 bare "$CFG" "$SIZE" -- sh -c "$zone_states" _ @SG@ "$Z" -m 256 @SG@
capture sg_rep_zones-s-mid bare "$CFG" "$SIZE" -- sh -c "$zone_states" _ @SG@ "$Z" -s $((9 * Z + 77)) @SG@
capture sg_zone bare "$CFG" "$SIZE" -- sh -c 'Z=$2; for z in 4 5; do sg_zone --open -z $((z*Z)) $1; done; sg_rep_zones -o 2 $1; sg_zone --close -z $((5*Z)) $1; sg_rep_zones -o 3 $1; sg_zone --finish -z $((4*Z)) $1; sg_rep_zones -o 5 $1; sg_reset_wp -z $((4*Z)) $1; sg_zone --open --all $1; sg_zone --close --all $1; sg_zone --finish --all $1; sg_rep_zones -o 5 $1; sg_reset_wp --all $1; sg_rep_zones -o 1 $1; sg_zone --open -z 0 $1; sg_zone --open -z 77 $1' _ @SG@ "$Z"
capture blkzone driver "$CFG" "$SIZE" -- sh -c 'Z=$2; blkzone report $1 && blkzone capacity $1 && blkzone open -o $((4*Z)) -c 2 $1 && blkzone close -o $((5*Z)) -c 1 $1 && blkzone finish -o $((6*Z)) -c 1 $1 && blkzone report -o $((4*Z)) -c 4 $1 && blkzone reset -o $((4*Z)) -c 3 $1 && blkzone report -o $((4*Z)) -c 4 $1' _ @BLK@ "$Z"
modprobe btrfs 2>/dev/null
capture mkfs.btrfs-zoned driver "$CFG" "$SIZE" -- mkfs.btrfs -f -q -U 00000000-0000-4000-8000-00000000000e -O zoned -d single -m single @BLK@
summary
