#!/usr/bin/env bash
# fbo-udf: a blank DVD-RAM (an empty 128 MiB image, `profile-dvdram`, read-write) is written like a
# real one. cdrom_id and dvd+rw-mediainfo see a blank DVD-RAM; mkudffs --media-type=dvdram formats it
# through sr; it mounts read-write as UDF; a file written and synced survives a daemon restart after
# SIGTERM (unmounted) and a second file survives SIGKILL right after `sync` (still mounted); both read
# back after a remount with the caches dropped, and udfinfo finds the volume in the image file.
# emud only: tcmu-runner's fbo has no page 2Ah, so sr makes it a read-only "scsi-1 drive".
# timeout: 240
# requires: openssl genisoimage mkudffs dvd+rw-mediainfo sg_turs
# columns: emud
# n/a: tcmu-runner's fbo has no page 2Ah: sr attaches it read-only (scsi-1 drive); LIO fileio has no optical drive
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/optical.sh"

IMG=$SCRATCH/dvdram.img SIZE=$((128 << 20)) BLOCKS=$(((128 << 20) / 2048))
rm -f "$IMG"; truncate -s "$SIZE" "$IMG"
pattern_file "$SCRATCH/file1.bin" 4096 udf-one
pattern_file "$SCRATCH/file2.bin" 1024 udf-two
check_start_daemon
mark=$(dmesg_mark fbo-udf)
check "DVD-RAM drive created on an empty image" create_device ram0 "fbo/profile-dvdram/$IMG" "$SIZE" hw_block_size=2048
BLK= SG=
read -r BLK SG < <(link_loop ram0 || true)
SR=${BLK#/dev/}
check "sr attaches ($BLK)" sh -c "case '$BLK' in /dev/sr*) test -b '$BLK';; *) false;; esac"
check "sr: scsi3-mmc drive with DVD-RAM writing" \
  equals "scsi3-mmc drive: 48x/48x writer dvd-ram cd/rw xa/form2 cdda tray" sr_capabilities_line "$SR"
check "kernel size: $BLOCKS blocks" equals "$BLOCKS" sr_size_blocks "$SR"
check "udev cdrom_id: medium DVD-RAM, blank (nothing in blocks 0 and 16)" \
  equals "$(printf '%s\n' ID_CDROM_MEDIA=1 ID_CDROM_MEDIA_DVD_RAM=1 ID_CDROM_MEDIA_STATE=blank)" \
  sh -c "/lib/udev/cdrom_id $BLK | grep -E '^ID_CDROM_MEDIA(=|_DVD|_STATE|_CD)' | sort"
check "dvd+rw-mediainfo succeeds" artifact dvd+rw-mediainfo.txt dvd+rw-mediainfo "$BLK"
check "dvd+rw-mediainfo: 12h DVD-RAM, lead-out $BLOCKS, unprotected, status other, formatted, format 00h(800)" sh -c "
  f=$ART/dvd+rw-mediainfo.txt
  grep -qx ' Mounted Media:         12h, DVD-RAM' \$f &&
  grep -qx ' Legacy lead-out at:    $BLOCKS\*2KB=$SIZE' \$f &&
  grep -qx ' Persistent Write Protection is off' \$f &&
  grep -qx ' Disc status:           other' \$f &&
  grep -qxP ' formatted:\t\t$BLOCKS\*2048=$SIZE' \$f &&
  grep -qxP ' 00h\(800\):\t\t$BLOCKS\*2048=$SIZE' \$f"

check "mkudffs --media-type=dvdram formats it through sr" \
  artifact mkudffs.txt mkudffs --media-type=dvdram --label=EMUDRAM "$BLK"
check "udev cdrom_id now: not blank (other)" \
  sh -c "/lib/udev/cdrom_id $BLK | grep -qx ID_CDROM_MEDIA_STATE=other"
modprobe udf 2>/dev/null
mkdir -p /mnt/udf
check "mounts read-write as UDF" sh -c "mount -t udf -o rw $BLK /mnt/udf && grep -q '^$BLK /mnt/udf udf rw' /proc/mounts"
check "file 1 (4 MiB) written and synced" sh -c "cp $SCRATCH/file1.bin /mnt/udf/file1.bin && sync -f /mnt/udf/file1.bin"
check "umount" umount /mnt/udf

# Reads after a restart must come from the image, not from the guest's caches.
fresh_mount() { blockdev --flushbufs "$BLK" && echo 3 > /proc/sys/vm/drop_caches && mount -t udf -o rw "$BLK" /mnt/udf; }
check "daemon stops on SIGTERM" stop_daemon
check "daemon starts again" start_daemon
check "remounts after the restart" fresh_mount
check "file 1 reads back equal" cmp /mnt/udf/file1.bin "$SCRATCH/file1.bin"
check "file 2 written and synced (still mounted)" sh -c "cp $SCRATCH/file2.bin /mnt/udf/file2.bin && sync"
kill -KILL "$(cat "$STATE/daemon.pid")"; sleep 1; stop_daemon > /dev/null 2>&1
check "daemon starts again after SIGKILL" start_daemon
check "umount after the SIGKILL restart" umount /mnt/udf
check "remounts" fresh_mount
check "file 1 reads back equal" cmp /mnt/udf/file1.bin "$SCRATCH/file1.bin"
check "file 2 reads back equal" cmp /mnt/udf/file2.bin "$SCRATCH/file2.bin"
check "umount" umount /mnt/udf
check "udfinfo finds volume EMUDRAM in the image file" \
  sh -c "udfinfo $IMG > $ART/udfinfo.txt 2>&1; grep -qx 'label=EMUDRAM' $ART/udfinfo.txt"

check "device removed" remove_device ram0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
