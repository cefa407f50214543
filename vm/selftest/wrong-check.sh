#!/usr/bin/env bash
# selftest: one passing and one failing check; the scenario must be FAIL 1/2.
# timeout: 30
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
check "a check that passes" true
check "a check that must fail" test 1 = 2
summary
