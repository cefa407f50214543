#!/usr/bin/env bash
# fbo-tray: the optical drive as Linux and the disc tools see it, and its tray. sr attaches as a
# "scsi3-mmc drive" with exactly the capabilities of our mode page 2Ah; udev's cdrom_id reports the
# drive and medium profiles; dvd+rw-mediainfo and cd-info identify the DVD-ROM; the kernel's own lock
# (while mounted) refuses `emud ctl eject`; `eject` opens the tray (TEST UNIT READY: 3A/02 tray open)
# and `eject -t` closes it; `emud ctl insert` of another ISO is seen by the kernel (new size, new
# files); a PREVENT from the host makes START STOP eject fail with 53/02 and `emud ctl eject` refuse.
# emud only: tcmu-runner's fbo has no tray, no page 2Ah and no runtime disc change.
# timeout: 240
# requires: genisoimage cd-info dvd+rw-mediainfo eject sg_get_config sg_modes sg_prevent sg_start sg_turs
# columns: emud
# n/a: tray, page 2Ah and runtime disc changes are emud's (tcmu-runner fbo has none); LIO fileio has no optical drive
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/optical.sh"

make_iso one ONE 1024     # ~1.4 MiB
make_iso two TWO 3072     # ~3.4 MiB: a different size
ONE=$SCRATCH/one.iso TWO=$SCRATCH/two.iso
ONE_BLOCKS=$(blocks_of "$ONE") TWO_BLOCKS=$(blocks_of "$TWO")
check_start_daemon
mark=$(dmesg_mark fbo-tray)
check "DVD-ROM drive created with disc ONE" create_device dvd0 "fbo/ro/$ONE" "$(stat -c %s "$ONE")" hw_block_size=2048
BLK= SG=
read -r BLK SG < <(link_loop dvd0 || true)
SR=${BLK#/dev/}
check "sr attaches ($BLK, $SG)" sh -c "case '$BLK' in /dev/sr*) test -b '$BLK' && test -c '$SG';; *) false;; esac"

# --- identification --------------------------------------------------------------------------
check "sr: 'scsi3-mmc drive: 48x/48x writer dvd-ram cd/rw xa/form2 cdda tray' (page 2Ah: CD/DVD writer; XA and CD-DA read)" \
  equals "scsi3-mmc drive: 48x/48x writer dvd-ram cd/rw xa/form2 cdda tray" sr_capabilities_line "$SR"
check "sr did not fall back to 'scsi-1 drive'" expect_fail sh -c "dmesg | grep -q '\[$SR\] scsi-1 drive'"
check "kernel size of disc ONE: $ONE_BLOCKS blocks" equals "$ONE_BLOCKS" sr_size_blocks "$SR"
artifact cdrom_id.txt /lib/udev/cdrom_id "$BLK" > /dev/null
# The drive's profile list (GET CONFIGURATION feature 0) and sr's write capabilities (page 2Ah) make it
# a CD/DVD±R/RW/DVD-RAM/BD-R/RE burner for cdrom_id; no BD-ROM profile (0040h), so no ID_CDROM_BD.
check "udev cdrom_id: drive CD/DVD/BD burner, medium DVD-ROM complete, 1 session, 1 data track" \
  equals "$(printf '%s\n' ID_CDROM=1 ID_CDROM_BD_R=1 ID_CDROM_BD_RE=1 ID_CDROM_BD_R_SRM=1 ID_CDROM_CD=1 ID_CDROM_CD_R=1 \
      ID_CDROM_CD_RW=1 ID_CDROM_DVD=1 ID_CDROM_DVD_PLUS_R=1 ID_CDROM_DVD_PLUS_RW=1 ID_CDROM_DVD_R=1 ID_CDROM_DVD_RAM=1 \
      ID_CDROM_DVD_RW=1 ID_CDROM_DVD_RW_RO=1 ID_CDROM_DVD_RW_SEQ=1 ID_CDROM_MEDIA=1 \
      ID_CDROM_MEDIA_DVD=1 ID_CDROM_MEDIA_SESSION_COUNT=1 ID_CDROM_MEDIA_STATE=complete \
      ID_CDROM_MEDIA_TRACK_COUNT=1 ID_CDROM_MEDIA_TRACK_COUNT_DATA=1)" \
  cdrom_id_props "$BLK"
check "dvd+rw-mediainfo succeeds" artifact dvd+rw-mediainfo.txt dvd+rw-mediainfo "$BLK"
# (Its "Media Book Type" line prints a byte of the previous reply, a dvd+rw-mediainfo 7.1 quirk; the
# "DVD-ROM media detected" line is what tests our book type, DVD-ROM = 0h, and the lead-out our PSNs.)
check "dvd+rw-mediainfo: 10h DVD-ROM, lead-out at $ONE_BLOCKS blocks, DVD-ROM book" sh -c "
  grep -qx ' Mounted Media:         10h, DVD-ROM' $ART/dvd+rw-mediainfo.txt &&
  grep -qx ' Legacy lead-out at:    $ONE_BLOCKS\*2KB=$((ONE_BLOCKS * 2048))' $ART/dvd+rw-mediainfo.txt &&
  grep -qx 'DVD-ROM media detected, exiting...' $ART/dvd+rw-mediainfo.txt"
check "cd-info succeeds" artifact cd-info.txt cd-info --no-cddb --no-device-info -C "$BLK"
check "cd-info: disc mode DVD-ROM" has_line "$ART/cd-info.txt" '^Disc mode is listed as: DVD-ROM$'
artifact sg_get_config.txt sg_get_config "$SG" > /dev/null
artifact sg_modes-2a.txt sg_modes --page=0x2a "$SG" > /dev/null

# --- the kernel's own lock while mounted --------------------------------------------------------
mkdir -p /mnt/cd; modprobe isofs 2>/dev/null
check "disc ONE mounts as iso9660" mount -t iso9660 -o ro "$BLK" /mnt/cd
check "its files match" sh -c "grep -qx 'disc ONE' /mnt/cd/LABEL.TXT && cmp /mnt/cd/DATA.BIN $SCRATCH/one-src/DATA.BIN"
check "while mounted, sr has locked the tray (status locked=yes)" ctl_status_matches dvd0 'locked=yes'
check "emud ctl eject is refused while mounted (exit 1)" ctl_refused dvd0 eject
check "umount" umount /mnt/cd
check "after umount the lock is released (locked=no)" ctl_status_matches dvd0 'locked=no'

# --- eject / eject -t ---------------------------------------------------------------------------
check "eject opens the tray" eject "$BLK"
check "TEST UNIT READY: NOT READY, medium not present - tray open (3A/02)" \
  fails_saying 'not ready' 'medium not present - tray open' -- sg_turs -v "$SG"
check "emud ctl status: tray=open disc=yes" ctl_status_matches dvd0 '^tray=open disc=yes'
check "eject -t closes it" eject -t "$BLK"
check "TEST UNIT READY: ready again" tur_ready "$SG"
check "emud ctl status: tray=closed disc=yes" ctl_status_matches dvd0 '^tray=closed disc=yes'

# --- a different disc at runtime ----------------------------------------------------------------
check "emud ctl insert disc TWO" emud_ctl dvd0 insert "$TWO" ro
check "blockdev sees disc TWO's size ($((TWO_BLOCKS * 2048)) bytes)" equals "$((TWO_BLOCKS * 2048))" blockdev --getsize64 "$BLK"
check "sysfs size is disc TWO's: $TWO_BLOCKS blocks" equals "$TWO_BLOCKS" sr_size_blocks "$SR"
check "disc TWO mounts and its files match" disc_matches "$BLK" iso9660 TWO "$SCRATCH/two-src"

# --- PREVENT from the host ----------------------------------------------------------------------
check "sg_prevent --prevent=1" sg_prevent --prevent=1 "$SG"
check "START STOP eject is refused: NOT READY, medium removal prevented (53/02)" \
  fails_saying 'not ready' 'medium removal prevented' -- sg_start --eject -v "$SG"
check "emud ctl eject is refused too (exit 1)" ctl_refused dvd0 eject
check "the tray stayed closed" tur_ready "$SG"
check "sg_prevent --allow" sg_prevent --allow "$SG"
check "START STOP eject now opens the tray" sg_start --eject "$SG"
check "TEST UNIT READY: tray open" fails_saying 'medium not present - tray open' -- sg_turs -v "$SG"
check "START STOP load closes it" sg_start --load "$SG"
check "ready again" tur_ready "$SG"

# --- the same ISO as a CD-ROM ----------------------------------------------------------------------
check "emud ctl insert disc ONE as a CD-ROM (profile-cdrom)" emud_ctl dvd0 insert "$ONE" profile-cdrom ro
check "udev cdrom_id: medium CD (no state: plain CD-ROM), 1 session, 1 data track" \
  equals "$(printf '%s\n' ID_CDROM_MEDIA=1 ID_CDROM_MEDIA_CD=1 ID_CDROM_MEDIA_SESSION_COUNT=1 \
      ID_CDROM_MEDIA_TRACK_COUNT=1 ID_CDROM_MEDIA_TRACK_COUNT_DATA=1)" \
  sh -c "/lib/udev/cdrom_id $BLK | grep '^ID_CDROM_MEDIA' | sort"
check "cd-info on the CD succeeds" artifact cd-info-cd.txt cd-info --no-cddb --no-device-info -C "$BLK"
check "cd-info: a data CD with track 1 and the lead-out" sh -c "
  grep -q '^Disc mode is listed as: CD-DATA' $ART/cd-info-cd.txt &&
  grep -Eq '^ +1: 00:02:00  000000 data' $ART/cd-info-cd.txt &&
  grep -Eq '^170: [0-9:]+  0*$ONE_BLOCKS leadout' $ART/cd-info-cd.txt &&
  grep -q '^ISO 9660: $ONE_BLOCKS blocks, label .ONE ' $ART/cd-info-cd.txt"
check "disc ONE mounts from the CD" disc_matches "$BLK" iso9660 ONE "$SCRATCH/one-src"

check "device removed" remove_device dvd0
# The refused eject, the open-tray TURs and the disc changes leave no warning in the kernel log.
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
