#!/usr/bin/env bash
# daemon-start: the daemon starts, stays up, and exits cleanly on SIGTERM.
# For emud also: its shared libraries resolve in the guest and check-config accepts
# three config strings naming images open would create, refuses a missing qcow2 image naming
# the path, and creates no file.
# timeout: 120
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
[ "$DAEMON" = none ] && not_applicable "no daemon in the $COLUMN column"

check "target modules load" load_target_modules
if [ "$DAEMON" = emud ]; then
  check "emud binary present (EMUD_BIN=${EMUD_BIN:-})" test -x "${EMUD_BIN:-}"
  check "emud shared libraries resolve (ldd)" artifact ldd.txt ldd_clean "${EMUD_BIN:-/nonexistent}"
  for cfg in file//tmp/x.img fbo//tmp/x.iso zbc/model-HM/zsize-64/conv-4@/tmp/zbc.raw; do
    check "emud check-config $cfg" emud_run check-config "$cfg"
  done
  # check-config opens what open would: a qcow2 image that does not exist is refused, naming the path.
  refuses_missing_qcow() { emud_run check-config qcow//tmp/x.qcow2 2>&1 | grep -q "path: open /tmp/x.qcow2: No such file or directory"; }
  check "emud check-config refuses a missing qcow2 image" refuses_missing_qcow
  check "emud check-config created no file" sh -c '! ls /tmp/x.img /tmp/x.iso /tmp/zbc.raw 2>/dev/null | grep -q .'
fi
check "$DAEMON starts" start_daemon
sleep 3
check "$DAEMON still running after 3 s" daemon_alive
check "$DAEMON exits with status 0 on SIGTERM" stop_daemon
summary
