#!/usr/bin/env bash
# selftest: a scenario that never ends; the guest must kill it at its limit (HUNG).
# timeout: 15
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
check "a check that passes" true
sleep 100000
summary
