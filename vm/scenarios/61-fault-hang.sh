#!/usr/bin/env bash
# fault-hang: (emud) no response. With attrib/tmr_notification=1 and the disk's
# /sys/block/sdX/device/timeout lowered to 5 s, `fault add hang on=0x28 lba=4096+8 times=1` holds one
# READ(10): the kernel times it out, SCSI error handling aborts it through tcm_loop, the abort reaches
# emud as a TMR entry naming the held command, emud logs it and completes it TASK ABORTED; the
# kernel's retry is answered (times=1), so the reader finishes without an I/O error; the next I/O
# works, and the device can be removed (rmdir returns).
# tcmu-runner and LIO fileio cannot withhold a response: N/A in their columns.
# requires: dd openssl
# timeout: 300
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/faults.sh"
[ "$DAEMON" = emud ] || not_applicable "$FAULTS_NA"

SIZE=$((64 << 20))
check_start_daemon
mark=$(dmesg_mark fault-hang)
check "disk created" make_disk disk0 "$SIZE"
bs=$(backstore_dir disk0)
check "tmr_notification=1 (the kernel queues TMRs on the ring)" write_bounded 1 "$bs/attrib/tmr_notification"
BLK= SG=
read -r BLK SG < <(link_loop disk0 || true)
check "tcm_loop attaches a disk ($BLK)" test -b "${BLK:-/nonexistent}"
check "sd command timeout lowered to 5 s" write_bounded 5 "/sys/block/${BLK#/dev/}/device/timeout"
check "hang rule added" fault disk0 add hang on=0x28 lba=4096+8 times=1
t0=$SECONDS
check "the held READ is aborted and retried: dd finishes without an error" read_blocks "$BLK" 4096 512 1
took=$((SECONDS - t0))
echo "dd took $took s"
check "dd waited for the kernel's timeout (took ${took} s, at least 5)" test "$took" -ge 5
check "emud held the command" daemon_logged 'held by fault 1: no response'
check "the abort reached emud as a TMR" daemon_logged 'task management (abortTask|lunReset).*for commands'
check "emud completed the held command on the TMR" daemon_logged 'held by fault 1 released by TMR'
check "LIO found the task to abort (ABORT_TASK)" dmesg_has "$mark" 'ABORT_TASK: Found referenced loopback task_tag'
check "the rule fired once (fault list)" fault_fired disk0 1 1
check "the next I/O works" read_blocks "$BLK" 4096 0 1024
check "write + read back after the abort" write_read_back "$BLK" 2048 512 after-abort
check "device removed (unlink + rmdir return)" remove_device disk0
# The kernel logs the timeout and error handling it went through; nothing else.
DMESG_IGNORE="ABORT_TASK|timing out command|abort|Abort|reset|Reset|tag#|CDB:|TMR|tmr${DMESG_IGNORE:+|$DMESG_IGNORE}" \
  check "no other kernel warnings or errors" dmesg_clean_since "$mark"
summary
