#!/usr/bin/env bash
# fault-badblocks: (emud) a bad-block map on a `file/` disk, kept in a sidecar named in the config
# string (`;emud_badblocks=PATH`). `emud ctl disk0 fault add bad lba=…` makes 512-byte sectors
# 2048–2055 and 10240–10255 unreadable: a direct `dd` read stops exactly at 4 KiB block 256, sd logs
# "Medium Error" / "Unrecovered read error" and "sector 2048", `badblocks -b 4096` lists exactly
# blocks 256, 1280 and 1281; a write over block 256 repairs it; the map survives a daemon restart in
# the sidecar (block 1280 still fails, 256 reads), and writing the rest empties the map and the file.
# tcmu-runner and LIO fileio have no error injection: N/A in their columns.
# requires: dd badblocks blockdev
# timeout: 420
# columns: emud
# n/a: tcmu-runner and LIO fileio cannot make a block unreadable, nor repair it on write: neither has fault injection
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/faults.sh"

SIZE=$((64 << 20)) IMG=$SCRATCH/bad.img MAP=$SCRATCH/bad.map
rm -f "$IMG" "$MAP"; truncate -s "$SIZE" "$IMG"
EMUD_LOG_LEVEL=4   # each firing is one line at level 4
check_start_daemon
mark=$(dmesg_mark fault-badblocks)
check "disk created with a bad-block sidecar in its config string" create_device disk0 "file/$IMG;emud_badblocks=$MAP" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop disk0 || true)
check "tcm_loop attaches a disk ($BLK)" test -b "${BLK:-/nonexistent}"
check "the whole disk reads before any fault" read_blocks "$BLK" 1048576 0 $((SIZE >> 20))
check "bad sectors 2048+8 added" fault disk0 add bad lba=2048+8
check "bad sectors 10240+16 added" fault disk0 add bad lba=10240+16
check "the sidecar holds both ranges" sh -c "grep -qx '2048 8' $MAP && grep -qx '10240 16' $MAP"

dmesg_now=$(dmesg_mark dd)
check "dd fails, stopping exactly at block 256" dd_stops_at "$BLK" 4096 512 256
check "sd logs the Medium Error" dmesg_has "$dmesg_now" 'Sense Key : Medium Error'
check "sd logs Unrecovered read error" dmesg_has "$dmesg_now" 'Add. Sense: Unrecovered read error'
check "the block layer logs sector 2048" dmesg_has "$dmesg_now" 'medium error.*sector 2048'
check "emud logged the firing at level 4" daemon_logged 'debug.*bad block 2048: cmd 0x28'
check "blocks before the bad range read" read_blocks "$BLK" 4096 0 256
check "blocks after it read" read_blocks "$BLK" 4096 257 1000
check "badblocks -sv lists exactly 256, 1280, 1281" badblocks_lists "$BLK" 4096 "256 1280 1281"

check "writing block 256 succeeds" write_blocks "$BLK" 4096 256 1
check "block 256 reads after the write repaired it" read_blocks "$BLK" 4096 256 1
check "the sidecar no longer holds 2048" sh -c "! grep -q '^2048 ' $MAP && grep -qx '10240 16' $MAP"

check "daemon stops on SIGTERM" stop_daemon
check "daemon starts again (reopens the device, loads the sidecar)" start_daemon
check "fault list shows the remaining bad range and the sidecar" fault_list_has disk0 "bad 10240+16 sidecar=$MAP"
check "block 1280 still fails after the restart" expect_fail read_blocks "$BLK" 4096 1280 1
check "block 256 still reads" read_blocks "$BLK" 4096 256 1
check "writing blocks 1280-1281 repairs them" write_blocks "$BLK" 4096 1280 2
check "the whole disk reads again" read_blocks "$BLK" 1048576 0 $((SIZE >> 20))
check "the map is empty in fault list" fault_list_has disk0 "bad none sidecar=$MAP"
check "the sidecar is empty" expect_fail grep -q '^[0-9]' "$MAP"
check "device removed (unlink + rmdir return)" remove_device disk0
DMESG_IGNORE="Medium Error|Unrecovered read error|medium error|Sense Key|Add. Sense|CDB:|Buffer I/O error|Result: hostbyte|sd .*tag#|I/O error, dev${DMESG_IGNORE:+|$DMESG_IGNORE}" \
  check "no other kernel warnings or errors" dmesg_clean_since "$mark"
summary
