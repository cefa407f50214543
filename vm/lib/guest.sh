# Helpers for guest scenarios (sourced by vm/scenarios/*.sh inside the VM).
#
# Environment set by vm/lib/guest-main.sh for each scenario:
#   REPO       the repository (host path, visible read-only in the guest)
#   COLUMN     emud | tcmu-runner | fileio
#   DAEMON     emud | tcmu-runner | none
#   BACKSTORE  user | fileio
#   ART        this scenario's artifact folder (on the writable `out` share)
#   EMUD_BIN   the emud binary; EMUD_LOG_LEVEL (default 2)
#   STEP_TIMEOUT  limit in seconds for one configfs step or check (default 60)
# A scenario sources this file, calls `check` for each assertion and ends with `summary`.
# A scenario that does not apply to the column calls `not_applicable "why"`.

# `sleep` as a builtin (Debian's bash-builtins, vm/setup.sh): the polls of run_bounded, spawn_daemon and
# the scenarios then start no process per tick. Without it the external sleep still works.
enable -f /usr/lib/bash/sleep sleep 2>/dev/null || true
CFS=/sys/kernel/config/target
# Backing images live on $SCRATCH: an ext4 file system (made by guest-main.sh on a loop
# device), because tmpfs lacks fallocate modes some handlers need (tcmu-runner's qcow).
SCRATCH=${SCRATCH:-/scratch}
mkdir -p "$SCRATCH"
STATE=/run/emud-harness            # pid file, WWN counter, device records
mkdir -p "$STATE"
: "${ART:=/tmp/emud-harness-art}" "${STEP_TIMEOUT:=60}" "${EMUD_LOG_LEVEL:=3}"
: "${DAEMON:=none}" "${BACKSTORE:=user}" "${COLUMN:=$DAEMON}"
mkdir -p "$ART"
PASSED=0
FAILED=0

# The helpers, by concern (each file says what it holds):
GUEST_LIB=$(dirname "${BASH_SOURCE[0]}")
source "$GUEST_LIB/checks.sh"     # log, run_bounded, write_bounded, check, artifact, not_applicable, summary
source "$GUEST_LIB/kernel.sh"     # load_target_modules, dmesg_mark, dmesg_since, dmesg_clean_since
source "$GUEST_LIB/daemon.sh"     # emud_run, emud_ctl, start_daemon, daemon_alive, stop_daemon, ldd_clean
source "$GUEST_LIB/configfs.sh"   # create_user_device, create_fileio, create_device, loop/iSCSI, harness_cleanup
source "$GUEST_LIB/disk-io.sh"    # disk_subtype, make_disk, pattern_file, write_read_back, read_compare, probe_scsi
