#!/usr/bin/env bash
# restart: the daemon is restarted while a device exists (once after SIGTERM, once after
# SIGKILL); the new daemon picks the device up again: data written before reads back and
# new I/O works. The plain disk is `file/` (`qcow/` for tcmu-runner, which has no file handler).
# timeout: 300
# requires: openssl qemu-img
# columns: emud tcmu-runner
# n/a: no daemon to restart in the fileio column
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

SIZE=$((256 * 1024 * 1024))
check_start_daemon
mark=$(dmesg_mark restart)
check "$(disk_subtype) disk created" make_disk disk0 "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop disk0 || true)
check "tcm_loop attaches a disk ($BLK)" test -b "${BLK:-/nonexistent}"
check "write + read back before restart" write_read_back "$BLK" 0 1024 before

check "daemon stops on SIGTERM with the device present" stop_daemon
check "daemon starts again" start_daemon
check "data written before the restart reads back" read_compare "$BLK" 0 1024 before
check "write + read back after restart" write_read_back "$BLK" 4096 1024 after-term

kill -KILL "$(cat "$STATE/daemon.pid")"; sleep 1; stop_daemon > /dev/null 2>&1
check "daemon starts again after SIGKILL" start_daemon
check "data reads back after SIGKILL restart" read_compare "$BLK" 4096 1024 after-term
check "write + read back after SIGKILL restart" write_read_back "$BLK" 8192 1024 after-kill

check "device removed (unlink + rmdir return)" remove_device disk0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
