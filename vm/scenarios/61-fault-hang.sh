#!/usr/bin/env bash
# fault-hang: (emud) no response. With attrib/tmr_notification=1 and the disk's
# /sys/block/sdX/device/timeout lowered to 5 s, `fault add hang on=0x28 lba=4096+8 times=1` holds one
# READ(10): the kernel times it out, SCSI error handling aborts it through tcm_loop, the abort reaches
# emud as a TMR entry naming the held command, emud logs it and completes it TASK ABORTED; the
# kernel's retry is answered (times=1), so the reader finishes without an I/O error; the next I/O
# works. Then `fault add hang abort-fails on=0x28 lba=8192+8 times=1` holds another READ and ignores
# the abort: LIO's ABORT_TASK waits for the command, so the kernel's abort does not return until TCMU's
# own command timer (attrib/cmd_time_out, 20 s here) expires the command in the kernel; the retry is
# answered. emud still holds the command (no release by the abort), and a LUN reset (sg_reset -d)
# releases it TASK ABORTED; the device keeps working and can be removed (rmdir returns).
# tcmu-runner and LIO fileio cannot withhold a response: N/A in their columns.
# requires: dd openssl sg_reset
# timeout: 420
# columns: emud
# n/a: tcmu-runner and LIO fileio cannot withhold a response until the kernel aborts or resets: neither has fault injection
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/faults.sh"

SIZE=$((64 << 20))
check_start_daemon
mark=$(dmesg_mark fault-hang)
check "disk created" make_disk disk0 "$SIZE"
bs=$(backstore_dir disk0)
check "tmr_notification=1 (the kernel queues TMRs on the ring)" write_bounded 1 "$bs/attrib/tmr_notification"
check "TCMU command timer 20 s (attrib/cmd_time_out, before the LUN is exported)" write_bounded 20 "$bs/attrib/cmd_time_out"
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

# The abort that fails: emud ignores ABORT TASK for this command.
# abort_tmrs: how many ABORT TASK entries the daemon logged (daemon.log and its copies, once each).
abort_tmrs() { cat "$ART"/daemon*.log | sort -u | grep -c 'task management abortTask'; }
aborts_before=$(abort_tmrs)
check "abort-fails rule added (rule 2)" fault disk0 add hang abort-fails on=0x28 lba=8192+8 times=1
t0=$SECONDS
check "the held READ ends without an error once TCMU's timer expires it" run_bounded 120 read_blocks "$BLK" 4096 1024 1
took=$((SECONDS - t0))
echo "dd took $took s"
check "emud held it, until a LUN reset" daemon_logged 'held by fault 2: no response until a LUN reset'
abort_reached() { local n; n=$(abort_tmrs); echo "$n ABORT TASK entries, $aborts_before before"; [ "$n" -gt "$aborts_before" ]; }
check "the abort reached emud as a TMR" abort_reached
check "emud did not release the command on the abort" sh -c "! grep -E 'held by fault 2 released' $ART/daemon*.log"
check "the kernel's abort waited for TCMU's 20 s timer (dd took ${took} s, at least 19)" test "$took" -ge 19
check "rule 2 fired once" fault_fired disk0 2 1
check "I/O works while emud still holds the expired command" write_read_back "$BLK" 4096 512 abort-failed
# TCMU expired the command: the reset names no command, and clears emud's task set all the same.
check "LUN reset (sg_reset -d)" sg_reset -d "$SG"
wait_released() { local i; for i in $(seq 1 20); do daemon_logged 'held by fault 2 released by TMR lunReset' && return 0; sleep 0.5; done; return 1; }
check "the LUN reset released the held command (TASK ABORTED)" wait_released
check "I/O works after the LUN reset" write_read_back "$BLK" 0 512 after-reset
check "device removed (unlink + rmdir return)" remove_device disk0
# The kernel logs the timeout and error handling it went through; nothing else.
DMESG_IGNORE="ABORT_TASK|timing out command|abort|Abort|reset|Reset|tag#|CDB:|TMR|tmr${DMESG_IGNORE:+|$DMESG_IGNORE}" \
  check "no other kernel warnings or errors" dmesg_clean_since "$mark"
summary
