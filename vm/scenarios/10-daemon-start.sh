#!/usr/bin/env bash
# daemon-start: the daemon starts, stays up, and exits cleanly on SIGTERM.
# For emud also: its shared libraries resolve in the guest (the Swift runtime linked in),
# check-config accepts three config strings naming images open would create and creates no file,
# and a tcmu.conf replaced by rename is re-read.
# timeout: 120
# requires: ldd
# columns: emud tcmu-runner
# n/a: no daemon in the fileio column
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

check "target modules load" load_target_modules
if [ "$DAEMON" = emud ]; then
  check "emud binary present (EMUD_BIN=${EMUD_BIN:-})" test -x "${EMUD_BIN:-}"
  check "emud shared libraries resolve (ldd)" artifact ldd.txt ldd_clean "${EMUD_BIN:-/nonexistent}"
  for cfg in file//tmp/x.img fbo//tmp/x.iso zbc/model-HM/zsize-64/conv-4@/tmp/zbc.raw; do
    check "emud check-config $cfg" emud_run check-config "$cfg"
  done
  check "emud check-config created no file" sh -c '! ls /tmp/x.img /tmp/x.iso /tmp/zbc.raw 2>/dev/null | grep -q .'
  # The release build carries the Swift runtime: no libswift*.so, no LD_LIBRARY_PATH in the guest.
  [ -n "${EMUD_LD_LIBRARY_PATH:-}" ] ||
    check "emud links the Swift runtime statically (no libswift in ldd)" bash -c '! ldd "$1" | grep libswift' _ "${EMUD_BIN:-/nonexistent}"
fi
check "$DAEMON starts" start_daemon
sleep 3
check "$DAEMON still running after 3 s" daemon_alive
# emud reads /etc/tcmu/tcmu.conf by default and re-reads it when an editor replaces it by rename.
reload_by_rename() {
  local conf=/etc/tcmu/tcmu.conf orig=$ART/tcmu.conf.orig i
  mkdir -p /etc/tcmu && { cp "$conf" "$orig" 2>/dev/null || : > "$orig"; }
  { cat "$orig"; echo 'log_level = 4  # set by 10-daemon-start'; } > /etc/tcmu/.tcmu.conf.swp
  mv /etc/tcmu/.tcmu.conf.swp "$conf"
  for i in $(seq 50); do grep -q "$conf reloaded" "$ART/daemon.log" && break; sleep 0.2; done
  cp "$orig" "$conf"
  grep "$conf reloaded" "$ART/daemon.log"
}
[ "$DAEMON" = emud ] && check "emud reloads /etc/tcmu/tcmu.conf replaced by rename" reload_by_rename
check "$DAEMON exits with status 0 on SIGTERM" stop_daemon
summary
