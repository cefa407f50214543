#!/usr/bin/env bash
# demo: what `make run` shows in the VM. emud serves three devices created through configfs
# and linked to tcm_loop — a disk, a DVD holding a generated ISO, a host-managed ZBC disk —
# then a person sees them work (lsscsi, a file system on the disk, the ZBC zone report, the
# DVD mounted and a file read from it) and emud shuts down cleanly on SIGTERM.
# Every step prints the command ("$ ...") and its output; a step that fails is marked FAILED
# and counted; the scenario ends with "N passed, M failed" like the others.
# timeout: 300
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
[ "$DAEMON" = emud ] || not_applicable "the demo shows emud"

# step "what this shows" 'SHELL COMMAND': print the command and its output, count it.
step() {
  local desc=$1 cmd=$2
  echo
  echo "# $desc"
  echo "\$ $cmd"
  local rc=0
  run_bounded "$STEP_TIMEOUT" sh -c "$cmd" 2>&1 | sed "s/^/  /"
  rc=${PIPESTATUS[0]}
  if [ "$rc" = 0 ]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); echo "  FAILED (exit status $rc)"; fi
}

# quiet "what" CMD...: a setup step; only a failure is shown.
quiet() {
  local desc=$1; shift
  local out rc=0
  out=$(run_bounded "$STEP_TIMEOUT" "$@" 2>&1) || rc=$?
  if [ "$rc" = 0 ]; then PASSED=$((PASSED + 1)); echo "ok: $desc"
  else FAILED=$((FAILED + 1)); echo "FAILED: $desc (exit status $rc)"; echo "$out" | tail -n 8 | sed 's/^/  | /'; fi
}

echo "emud demo in a QEMU guest: Linux $(uname -r), target_core_user + tcm_loop"
quiet "emud serve started ($EMUD_BIN)" start_daemon

DISK=$SCRATCH/disk.img ISO=$SCRATCH/dvd.iso ISODIR=$SCRATCH/dvd-src ZBC=$SCRATCH/zbc.raw
truncate -s 512M "$DISK"
mkdir -p "$ISODIR"
printf 'Hello from a DVD served by emud.\nThis ISO was generated at %s.\n' "$(date -u +%FT%TZ)" > "$ISODIR/HELLO.TXT"
head -c 1048576 /dev/urandom > "$ISODIR/random.bin"
genisoimage -quiet -V EMUD_DEMO -R -J -o "$ISO" "$ISODIR"

echo
echo "# Three TCMU devices through configfs (user_1), each answered by emud over netlink:"
echo "#   disk0  file/$DISK                                  512 MiB disk"
echo "#   dvd0   fbo/$ISO                                    DVD drive holding the ISO"
echo "#   zbc0   zbc/model-HM/zsize-64/conv-4@$ZBC  2 GiB host-managed zoned disk"
quiet "disk0 created" create_user_device disk0 "file/$DISK" $((512 << 20))
quiet "dvd0 created" create_user_device dvd0 "fbo/$ISO" "$(stat -c %s "$ISO")" hw_block_size=2048
quiet "zbc0 created" create_user_device zbc0 "zbc/model-HM/zsize-64/conv-4@$ZBC" $((2 << 30))
D_BLK= D_SG= C_BLK= C_SG= Z_BLK= Z_SG=
read -r D_BLK D_SG < <(link_loop disk0 || true)
read -r C_BLK C_SG < <(link_loop dvd0 || true)
read -r Z_BLK Z_SG < <(link_loop zbc0 || true)
echo "ok: linked to tcm_loop: disk0 $D_BLK, dvd0 $C_BLK, zbc0 $Z_BLK"

step "The kernel's SCSI view (tcm_loop LUNs served by emud)" 'lsscsi -g'
step "Block devices" "lsblk -o NAME,SIZE,TYPE,ZONED,MODEL $D_BLK $C_BLK $Z_BLK"

mkdir -p /mnt/disk /mnt/dvd
step "A file system on the disk" "mkfs.ext4 -q -F -L emud-disk $D_BLK"
step "Mount it, write a file, read it back" \
  "mount $D_BLK /mnt/disk && echo 'written through emud' > /mnt/disk/note.txt && umount /mnt/disk && mount -o ro $D_BLK /mnt/disk && cat /mnt/disk/note.txt && df -h /mnt/disk | tail -n1 && umount /mnt/disk"

step "The ZBC disk: zone model and zone count as the kernel sees them" \
  "cat /sys/block/${Z_BLK#/dev/}/queue/zoned /sys/block/${Z_BLK#/dev/}/queue/nr_zones"
step "The ZBC zone report (head): 4 conventional zones, then sequential-write-required ones" "blkzone report $Z_BLK | head -n 6"
step "Write 1 MiB at the first sequential zone's write pointer; the pointer moves" \
  "dd if=/dev/urandom of=$Z_BLK bs=64k count=16 seek=4096 oflag=direct status=none && blkzone report -o 524288 -c 1 $Z_BLK"

modprobe isofs 2>/dev/null
step "The DVD: mount the ISO 9660 file system" "mount -t iso9660 -o ro $C_BLK /mnt/dvd"
step "List it and read a file from it" "ls -l /mnt/dvd && cat /mnt/dvd/HELLO.TXT"
step "The file on the DVD matches the one the ISO was made from" "cmp /mnt/dvd/random.bin $ISODIR/random.bin && echo identical"
umount /mnt/dvd 2>/dev/null

echo
echo "# Shutdown: devices removed from configfs, then emud stopped with SIGTERM"
quiet "disk0 removed" remove_device disk0
quiet "dvd0 removed" remove_device dvd0
quiet "zbc0 removed" remove_device zbc0
quiet "emud still running" daemon_alive
quiet "emud exits with status 0 on SIGTERM" stop_daemon
echo
echo "# emud's log"
grep -v ' trace ' "$ART/daemon.log" | cut -c 12- | tail -n 20 | sed 's/^/  /'
echo
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ] && [ "$PASSED" -gt 0 ]
