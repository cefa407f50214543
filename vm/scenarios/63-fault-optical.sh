#!/usr/bin/env bash
# fault-optical: (emud) a medium error on one sector of a DVD (`fbo/` on an ISO). The ISO holds
# LABEL.TXT and a 2 MiB DATA.BIN; `fault add sense 3/11/00 on=read lba=X+1` makes the sector 1 MiB
# into DATA.BIN unreadable. Mounted as iso9660: reading DATA.BIN fails with EIO (sr logs the
# Medium Error), its first 512 KiB and LABEL.TXT read and match; after `fault clear` the whole file
# reads and matches.
# tcmu-runner and LIO fileio cannot inject errors: N/A in their columns.
# requires: isoinfo genisoimage
# timeout: 240
# columns: emud
# n/a: tcmu-runner and LIO fileio cannot fail one sector of a disc (LIO fileio has no optical drive at all): neither has fault injection
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/faults.sh"

make_iso baddisc BADDISC 2048
ISO=$SCRATCH/baddisc.iso SRC=$SCRATCH/baddisc-src
X=$(iso_extent "$ISO" DATA.BIN)
check "DATA.BIN found on the image (extent ${X:-?})" test -n "$X"
BAD=$(( ${X:-0} + 512 ))
check_start_daemon
mark=$(dmesg_mark fault-optical)
check "DVD drive created" create_device dvd0 "fbo/$ISO" "$(stat -c %s "$ISO")" hw_block_size=2048
BLK= SG=
read -r BLK SG < <(link_loop dvd0 || true)
check "tcm_loop attaches an optical drive ($BLK)" test -b "${BLK:-/nonexistent}"
check "medium error on sector $BAD added" fault dvd0 add sense 3/11/00 on=read lba=$BAD+1
mkdir -p /mnt/cd; modprobe isofs 2>/dev/null
check "the disc mounts" mount -t iso9660 -o ro "$BLK" /mnt/cd
since=$(dmesg_mark read)
check "reading DATA.BIN fails with EIO" read_fails_eio /mnt/cd/DATA.BIN
check "sr logs the Medium Error" dmesg_has "$since" 'Sense Key : Medium Error'
check "the error is at sector $BAD (512-byte sector $((BAD * 4)))" dmesg_has "$since" "medium error.*sector $((BAD * 4))"
check "LABEL.TXT reads" grep -qx "disc BADDISC" /mnt/cd/LABEL.TXT
check "the first 512 KiB of DATA.BIN read and match" cmp <(dd if=/mnt/cd/DATA.BIN bs=64k count=8 status=none) <(head -c 524288 "$SRC/DATA.BIN")
check "the rule fired (fault list)" fault_fired dvd0 1 1
umount /mnt/cd
check "rule cleared" fault dvd0 clear
check "after the clear DATA.BIN reads whole and matches" disc_matches "$BLK" iso9660 BADDISC "$SRC"
check "drive removed (unlink + rmdir return)" remove_device dvd0
DMESG_IGNORE="Medium Error|Unrecovered read error|medium error|Sense Key|Add. Sense|CDB:|Buffer I/O error|Result: hostbyte|sr .*tag#|I/O error, dev|isofs${DMESG_IGNORE:+|$DMESG_IGNORE}" \
  check "no other kernel warnings or errors" dmesg_clean_since "$mark"
summary
