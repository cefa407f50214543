#!/usr/bin/env bash
# fault-ua-capacity: (emud) an injected UNIT ATTENTION 2A/09 CAPACITY DATA HAS CHANGED after a resize.
# A 256 MiB `file/` disk grows to 512 MiB (attrib/dev_size, RECONFIG). emud's own 2A/09 is taken by a
# read: sd logs it once and keeps 256 MiB (the kernel does not reread capacity by itself). Then
# `fault add ua capacity-changed times=1` answers the next read with the injected 2A/09: sd logs
# "Capacity data has changed" again and retries the read (dd succeeds). The device's `rescan` (what a
# udev rule or an administrator does on that message) makes sd reread the capacity (READ CAPACITY
# reaches emud, counted by a rule that never fires) and log the change to 512 MiB; the new last MiB is
# written and read back.
# tcmu-runner and LIO fileio cannot inject a unit attention: N/A in their columns.
# requires: dd blockdev
# timeout: 360
# columns: emud
# n/a: tcmu-runner and LIO fileio cannot raise a unit attention on demand: neither has fault injection
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/faults.sh"

IMG=$SCRATCH/ua.img SIZE=$((256 << 20)) NEW=$((512 << 20))
rm -f "$IMG"; truncate -s "$SIZE" "$IMG"
check_start_daemon
mark=$(dmesg_mark fault-ua-capacity)
check "file disk created (256 MiB)" create_device disk0 "file/$IMG" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop disk0 || true)
check "tcm_loop attaches a disk ($BLK)" test -b "${BLK:-/nonexistent}"
sdev=/sys/block/${BLK#/dev/}/device
bs=$(backstore_dir disk0)
ua_lines() { dmesg_since "$mark" | grep -c 'Capacity data has changed'; }

# 1. The resize, and emud's own unit attention.
check "attrib/dev_size grows the disk to 512 MiB (RECONFIG answered 0)" write_bounded "$NEW" "$bs/attrib/dev_size"
check "a read takes emud's own 2A/09 and is retried" read_blocks "$BLK" 4096 0 1
check "sd logged 'Capacity data has changed' once" test "$(ua_lines)" = 1
check "the kernel did not reread the capacity by itself (still 256 MiB)" sh -c "[ \$(blockdev --getsize64 $BLK) = $SIZE ]"

# 2. The injected unit attention. (The kernel's uevent for it, SDEV_UA=CAPACITY_DATA_HAS_CHANGED, needs
# evt_capacity_change_reported, which 6.1 makes read-only and tcm_loop leaves off: no uevent here.)
check "READ CAPACITY counter (rule 1, never fires)" fault disk0 add busy on=0x25,0x9E/0x10 after=1000000000
check "unit attention rule (rule 2)" fault disk0 add ua capacity-changed times=1
check "the next read gets the injected 2A/09 and is retried: dd succeeds" read_blocks "$BLK" 4096 8 1
check "rule 2 fired once (fault list)" fault_counter_is disk0 2 fired 1
check "sd logged 'Capacity data has changed' a second time" test "$(ua_lines)" = 2
reads_before=$(fault_counter disk0 1 matched)
# What a udev rule or an administrator does on that message: ask sd to revalidate the disk.
check "device rescan (what the message asks for)" write_bounded 1 "$sdev/rescan"
check "sd reread the capacity: READ CAPACITY reached emud (rule 1 matched > $reads_before)" \
  fault_counter_above disk0 1 matched "$reads_before"
check "sd logged the change 524288 -> 1048576 sectors" dmesg_has "$mark" "detected capacity change from 524288 to 1048576"
check "the disk is 512 MiB now" sh -c "[ \$(blockdev --getsize64 $BLK) = $NEW ]"
check "write + read back the new last MiB" write_read_back "$BLK" $((NEW / 1024 - 1024)) 1024 grown
check "rule 1 never fired" fault_counter_is disk0 1 fired 0
check "device removed (unlink + rmdir return)" remove_device disk0
DMESG_IGNORE="Capacity data has changed${DMESG_IGNORE:+|$DMESG_IGNORE}" \
  check "no other kernel warnings or errors" dmesg_clean_since "$mark"
summary
