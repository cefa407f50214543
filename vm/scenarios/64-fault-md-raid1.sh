#!/usr/bin/env bash
# fault-md-raid1: (emud) md RAID1 over two `file/` disks. 16 MiB of random data are written through
# /dev/md0; `fault add sense 4/44/00 on=write` on the second member makes its writes fail with HARDWARE
# ERROR: md fails that member ([U_]), the array keeps serving (more writes succeed, the content's
# sha256 is unchanged). After `fault clear` the member is removed and added back, the resync completes
# ([UU]), and with the first member failed by hand the second alone serves the same checksum.
# tcmu-runner and LIO fileio cannot inject errors: N/A in their columns.
# requires: mdadm sha256sum
# timeout: 720
# columns: emud
# n/a: tcmu-runner and LIO fileio cannot fail one md member's writes while the other serves: neither has fault injection
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/faults.sh"

SIZE=$((64 << 20)) MD=/dev/md0
modprobe raid1 2>/dev/null
check_start_daemon
mark=$(dmesg_mark fault-md)
check "disk m0 created" make_disk m0 "$SIZE"
check "disk m1 created" make_disk m1 "$SIZE"
A= B= SG=
read -r A SG < <(link_loop m0 || true)
read -r B SG < <(link_loop m1 || true)
check "tcm_loop attaches both ($A, $B)" sh -c "test -b '${A:-/nonexistent}' && test -b '${B:-/nonexistent}'"
check "RAID1 created" run_bounded 60 mdadm --create "$MD" --run --level=1 --raid-devices=2 --metadata=1.2 --assume-clean "$A" "$B"
check "both members active [UU]" md_state_is "$MD" "[UU]"
head -c $((16 << 20)) /dev/urandom > "$SCRATCH/md-data"
check "16 MiB written through md" dd if="$SCRATCH/md-data" of="$MD" bs=1M oflag=direct status=none
SUM=$(sha256sum < "$SCRATCH/md-data" | cut -d' ' -f1)
check "md reads the data back" sha_is "$MD" 16 "$SUM"

check "write errors injected on m1" fault m1 add sense 4/44/00 on=write
check "writes through md still succeed" dd if="$SCRATCH/md-data" of="$MD" bs=1M seek=32 count=4 oflag=direct status=none
check "md failed m1: [U_]" md_state_is "$MD" "[U_]"
check "mdadm --detail lists m1 as faulty" sh -c "mdadm --detail $MD | tee /dev/stderr | grep -E 'faulty.*${B}'"
check "the kernel logged the member failure" dmesg_has "$mark" "md/raid1:md0: Disk failure on ${B#/dev/}"
check "the rule fired on m1 (fault list)" fault_fired m1 1 1
check "the array still serves: checksum unchanged" sha_is "$MD" 16 "$SUM"

check "fault cleared on m1" fault m1 clear
check "m1 removed from the array" mdadm "$MD" --remove "$B"
check "m1 added back" mdadm "$MD" --add "$B"
check "resync completes" run_bounded 200 mdadm --wait "$MD"
check "both members active again [UU]" md_state_is "$MD" "[UU]"
check "m0 failed by hand" mdadm "$MD" --fail "$A"
check "m1 alone serves the same checksum (the resync copied it)" sha_is "$MD" 16 "$SUM"
check "array stopped" mdadm --stop "$MD"
check "disk m0 removed" remove_device m0
check "disk m1 removed" remove_device m1
DMESG_IGNORE="md/raid1|md0|Hardware Error|Internal target failure|Sense Key|Add. Sense|CDB:|Result: hostbyte|sd .*tag#|I/O error, dev|critical target error|Buffer I/O error|md: |raid1${DMESG_IGNORE:+|$DMESG_IGNORE}" \
  check "no other kernel warnings or errors" dmesg_clean_since "$mark"
summary
