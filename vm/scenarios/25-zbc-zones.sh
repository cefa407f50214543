#!/usr/bin/env bash
# zbc-zones: the zone model of a 1 GiB host-managed `zbc/` disk (16 MiB zones, 4 conventional, at most 6
# open) as Linux sees it: sd's attach lines, the exact queue limits (nr_zones, max_open_zones,
# max_active_zones, chunk_sectors); blkzone open/close/finish/reset on one zone and on a range, and the
# ALL bit (sg_zone/sg_reset_wp --all, whole-disk blkzone reset), each followed by the exact condition and
# write pointer in both `blkzone report` and `emud ctl zbc0 zone N`; a 24 MiB sequential direct write
# across a zone boundary reads back identical; an unaligned write fails with UNALIGNED WRITE COMMAND and
# leaves the write pointer; writes to a zone made READ ONLY / OFFLINE with `emud ctl` fail with DATA
# PROTECT and work again after `clear`.
# timeout: 480
# requires: openssl blkzone sg_reset_wp sg_zone
# columns: emud
# n/a: zone control and the exact checks use emud ctl (tcmu-runner: see dev-zbc)
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/zoned.sh"

RAW=$SCRATCH/zbc-zones.raw SIZE=$((1 << 30))
ZONE_SECTORS=32768                       # 16 MiB
Z() { echo $(($1 * ZONE_SECTORS)); }     # a zone's first sector
rm -f "$RAW"
check_start_daemon
mark=$(dmesg_mark zbc-zones)
check "device created through configfs (enable returns)" \
  create_device zbc0 "zbc/model-HM/zsize-16/conv-4/open-6@$RAW" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop zbc0 || true)
check "tcm_loop attaches a disk ($BLK, $SG)" test -b "${BLK:-/nonexistent}"
[ -b "${BLK:-/nonexistent}" ] || { summary; exit; }
dev=${BLK#/dev/}

attach_lines() {
  local lines; lines=$(dmesg_since "$mark" | grep -F "[$dev]")
  echo "$lines"
  echo "$lines" | grep -q "\] Host-managed zoned block device$" &&
    echo "$lines" | grep -q "\] 64 zones of 32768 logical blocks$"
}
check "sd: 'Host-managed zoned block device', '64 zones of 32768 logical blocks'" attach_lines
check "no kernel warnings or errors after attach" dmesg_clean_since "$mark"
check "queue/zoned = host-managed" sysfs_is "$BLK" zoned host-managed
check "queue/nr_zones = 64" sysfs_is "$BLK" nr_zones 64
check "queue/chunk_sectors = 32768" sysfs_is "$BLK" chunk_sectors 32768
check "queue/max_open_zones = 6 (VPD B6)" sysfs_is "$BLK" max_open_zones 6
check "queue/max_active_zones = 0 (ZBC has no limit)" sysfs_is "$BLK" max_active_zones 0
ctl_status_is() { local out; out=$(emud_ctl zbc0 status) || return 1; echo "$out"; echo "$out" | grep -qF "$1"; }
check "emud ctl status: 64 zones of 32768 blocks, 4 conventional, max-open 6" \
  ctl_status_is "zones=64 zone-blocks=32768 conventional=4 max-open=6"
# zones_count_is COND N: blkzone reports exactly N zones in condition COND.
zones_count_is() { local n; n=$(count_zones "$BLK" "$1"); echo "$n zones in condition $1 (expected $2)"; [ "$n" = "$2" ]; }
artifact blkzone-initial.txt blkzone report "$BLK" > /dev/null
check "blkzone report: 4 conventional zones (NOT WP)" zones_count_is 0 4
check "blkzone report: 60 EMPTY zones"   zones_count_is 1 60

# ---- single zones ------------------------------------------------------------------------------
w4k2() { w4k "$BLK" "$1" && w4k "$BLK" "$2"; }
ctl_zones_has() { local out; out=$(emud_ctl zbc0 zones) || return 1; echo "$out"; echo "$out" | grep -qxF "$1"; }
check "open zone 4 (EMPTY)"              blkzone open -o "$(Z 4)" -c 1 "$BLK"
check "zone 4 EXPLICIT OPEN, wp +0"      expect_zone "$BLK" 4 3 0
check "close zone 4"                     blkzone close -o "$(Z 4)" -c 1 "$BLK"
check "zone 4 EMPTY (nothing written)"   expect_zone "$BLK" 4 1 0
check "write 1 MiB at zone 5's wp"       dd if=/dev/urandom of="$BLK" bs=1M seek=$((5 * 16)) count=1 oflag=direct conv=notrunc status=none
check "zone 5 IMPLICIT OPEN, wp +2048"   expect_zone "$BLK" 5 2 2048
check "open zone 5 (IMPLICIT OPEN)"      blkzone open -o "$(Z 5)" -c 1 "$BLK"
check "zone 5 EXPLICIT OPEN, wp +2048"   expect_zone "$BLK" 5 3 2048
check "close zone 5"                     blkzone close -o "$(Z 5)" -c 1 "$BLK"
check "zone 5 CLOSED, wp +2048"          expect_zone "$BLK" 5 4 2048
check "finish zone 5 (CLOSED)"           blkzone finish -o "$(Z 5)" -c 1 "$BLK"
check "zone 5 FULL"                      expect_zone "$BLK" 5 14 32768
check "reset zone 5"                     blkzone reset -o "$(Z 5)" -c 1 "$BLK"
check "zone 5 EMPTY, wp +0"              expect_zone "$BLK" 5 1 0
check "finish zone 4 (EMPTY)"            blkzone finish -o "$(Z 4)" -c 1 "$BLK"
check "zone 4 FULL"                      expect_zone "$BLK" 4 14 32768

# ---- a range of zones (the block layer sends one command per zone) ------------------------------
check "write 4 KiB into zones 6 and 7"   w4k2 "$(Z 6)" "$(Z 7)"
check "close zones 6-8"                  blkzone close -o "$(Z 6)" -c 3 "$BLK"
check "zones 6, 7 CLOSED wp +8; zone 8 EMPTY" \
  expect_zones "$BLK" "6 4 8" "7 4 8" "8 1 0"
check "open zones 6-8"                   blkzone open -o "$(Z 6)" -c 3 "$BLK"
check "zones 6-8 EXPLICIT OPEN (+8, +8, +0)" \
  expect_zones "$BLK" "6 3 8" "7 3 8" "8 3 0"
check "finish zones 6-7"                 blkzone finish -o "$(Z 6)" -c 2 "$BLK"
check "zones 6, 7 FULL; zone 8 still EXPLICIT OPEN" \
  expect_zones "$BLK" "6 14 32768" "7 14 32768" "8 3 0"
check "reset zones 6-8"                  blkzone reset -o "$(Z 6)" -c 3 "$BLK"
check "zones 6-8 EMPTY" \
  expect_zones "$BLK" "6 1 0" "7 1 0" "8 1 0"

# ---- the ALL bit (ZBC OUT byte 14 bit 0) -------------------------------------------------------
check "write 4 KiB into zones 9 and 10"  w4k2 "$(Z 9)" "$(Z 10)"
check "close zones 9-10"                 blkzone close -o "$(Z 9)" -c 2 "$BLK"
check "OPEN ALL (sg_zone --open --all)"  sg_zone --open --all "$SG"
check "zones 9, 10 EXPLICIT OPEN (OPEN ALL opens CLOSED zones); zone 11 EMPTY" \
  expect_zones "$BLK" "9 3 8" "10 3 8" "11 1 0"
check "CLOSE ALL (sg_zone --close --all)" sg_zone --close --all "$SG"
check "zones 9, 10 CLOSED" \
  expect_zones "$BLK" "9 4 8" "10 4 8"
check "FINISH ALL (sg_zone --finish --all)" sg_zone --finish --all "$SG"
check "zones 9, 10 FULL; empty zone 11 untouched" \
  expect_zones "$BLK" "9 14 32768" "10 14 32768" "11 1 0"
check "RESET ALL (sg_reset_wp --all)"    sg_reset_wp --all "$SG"
check "every sequential zone EMPTY (60)" zones_count_is 1 60
check "write 4 KiB into zones 4 and 12" w4k2 "$(Z 4)" "$(Z 12)"
check "58 EMPTY zones"                   zones_count_is 1 58
check "whole-disk blkzone reset (REQ_OP_ZONE_RESET_ALL)" blkzone reset "$BLK"
check "every sequential zone EMPTY again (60)" zones_count_is 1 60

# ---- sequential direct writes across a zone boundary ------------------------------------------------
pattern_file /tmp/zbc-seq.data $((24 * 1024)) zbc-seq
check "24 MiB sequential direct write from zone 11's start (into zone 12)" \
  dd if=/tmp/zbc-seq.data of="$BLK" bs=1M seek=$((11 * 16)) oflag=direct conv=notrunc,fsync status=none
check "zone 11 FULL, zone 12 IMPLICIT OPEN wp +16384" \
  expect_zones "$BLK" "11 14 32768" "12 2 16384"
check "the 24 MiB read back identical (direct)" \
  bash -c "cmp <(dd if=$BLK bs=1M skip=$((11 * 16)) count=24 iflag=direct status=none) /tmp/zbc-seq.data"

# ---- an unaligned write ------------------------------------------------------------------------
mark2=$(dmesg_mark zbc-unaligned)
check "a write 4 KiB past zone 12's write pointer fails" fails w4k "$BLK" $(($(Z 12) + 16384 + 8))
check "dmesg: ILLEGAL REQUEST, 'Unaligned write command'" dmesg_sense "$mark2" "Illegal Request" "Unaligned write command"
check "zone 12's write pointer stayed at +16384" expect_zone "$BLK" 12 2 16384

# ---- READ ONLY and OFFLINE zones (emud ctl) ----------------------------------------------------
check "emud ctl zbc0 zone 13 readonly"   emud_ctl zbc0 zone 13 readonly
check "zone 13 READ ONLY in both views"  expect_zone "$BLK" 13 13
mark3=$(dmesg_mark zbc-readonly)
check "a write into the READ ONLY zone fails" fails w4k "$BLK" "$(Z 13)"
check "dmesg: DATA PROTECT, 'Zone is read only'" dmesg_sense "$mark3" "Data Protect" "Zone is read only"
check "emud ctl zbc0 zone 13 clear"      emud_ctl zbc0 zone 13 clear
check "zone 13 EMPTY again"              expect_zone "$BLK" 13 1 0
check "the write now succeeds"          w4k "$BLK" "$(Z 13)"
check "zone 13 IMPLICIT OPEN wp +8"      expect_zone "$BLK" 13 2 8
check "emud ctl zbc0 zone lba=$(Z 14) offline" emud_ctl zbc0 zone "lba=$(Z 14)" offline
check "zone 14 OFFLINE in both views"    expect_zone "$BLK" 14 15
mark4=$(dmesg_mark zbc-offline)
check "a write into the OFFLINE zone fails" fails w4k "$BLK" "$(Z 14)"
check "a read of the OFFLINE zone fails"    fails dd if="$BLK" of=/dev/null bs=4k skip=$(($(Z 14) / 8)) count=1 iflag=direct status=none
check "dmesg: DATA PROTECT, 'Zone is offline'" dmesg_sense "$mark4" "Data Protect" "Zone is offline"
check "emud ctl zones lists it"          ctl_zones_has "offline: 14"
check "emud ctl zbc0 zone 14 clear"      emud_ctl zbc0 zone 14 clear
check "zone 14 EMPTY again"              expect_zone "$BLK" 14 1 0
check "the write now succeeds"          w4k "$BLK" "$(Z 14)"
check "zone 14 IMPLICIT OPEN wp +8"      expect_zone "$BLK" 14 2 8
artifact blkzone-final.txt blkzone report "$BLK" > /dev/null

mark5=$(dmesg_mark zbc-zones-remove)
check "device removed (unlink + rmdir return)" remove_device zbc0
check "no kernel warnings or errors on removal" dmesg_clean_since "$mark5"
summary
