#!/usr/bin/env bash
# fault-delay: (emud) `fault add delay 20 on=read` on a `file/` disk. fio runs 4 KiB random reads and
# random writes concurrently (QD1 each, 8 s) before and with the rule: the reads' completion latency
# p50 rises by at least 20 ms, the writes' (running alongside, unmatched) by less than 10 ms: a delayed
# command does not hold up the others. The rule's counters show it fired on reads only.
# tcmu-runner and LIO fileio have no delay injection: N/A in their columns.
# requires: fio jq blockdev
# timeout: 240
# columns: emud
# n/a: tcmu-runner and LIO fileio cannot delay only the matched commands: neither has fault injection
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/faults.sh"

SIZE=$((64 << 20))
check_start_daemon
mark=$(dmesg_mark fault-delay)
check "disk created" make_disk disk0 "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop disk0 || true)
check "tcm_loop attaches a disk ($BLK)" test -b "${BLK:-/nonexistent}"
check "fio reads + writes without a rule" fio_read_write "$BLK" "$ART/fio-base.json" 8
read -r R0 W0 < <(fio_rw_p50 "$ART/fio-base.json")
check "delay rule added" fault disk0 add delay 20 on=read
check "fio reads + writes with the rule" fio_read_write "$BLK" "$ART/fio-delay.json" 8
read -r R1 W1 < <(fio_rw_p50 "$ART/fio-delay.json")
echo "read clat p50 ${R0} -> ${R1} ns; write clat p50 ${W0} -> ${W1} ns" | tee "$ART/p50.txt"
check "read clat p50 rose by at least 20 ms ($R0 -> $R1 ns)" test "$(( ${R1:-0} - ${R0:-0} ))" -ge 20000000
check "write clat p50 rose by less than 10 ms ($W0 -> $W1 ns)" test "$(( ${W1:-0} - ${W0:-0} ))" -lt 10000000
check "the rule fired (fault list)" fault_fired disk0 1 10
check "rule cleared" fault disk0 clear
check "device removed (unlink + rmdir return)" remove_device disk0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
