#!/usr/bin/env bash
# selftest: crash the guest kernel (sysrq c). run.sh must report KERNEL PANIC, name this
# scenario as the one running, and exit 3.
# timeout: 30
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
check "a check that passes" true
sync
echo 1 > /proc/sys/kernel/sysrq
echo c > /proc/sysrq-trigger
sleep 10
summary
