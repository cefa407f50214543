#!/usr/bin/env bash
# selftest: the daemon dies (SIGSEGV) during the scenario; it must be reported as
# DAEMON-DIED with the signal, even though every other check passed.
# timeout: 60
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
[ "$DAEMON" = none ] && not_applicable "no daemon in the $COLUMN column"
check "$DAEMON starts" start_daemon
kill -SEGV "$(cat "$STATE/daemon.pid")"
sleep 1
summary
