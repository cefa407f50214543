#!/usr/bin/env bash
# fbo-burn: emud as a DVD/CD burner (issue 17). A blank DVD+R (`profile-dvd+r/capacity-N`, the image
# missing) is burned by growisofs -Z, a second session appended with growisofs -M; the mount shows both
# sessions' files; udev cdrom_id and dvd+rw-mediainfo report blank → appendable with the
# session count at each step, and mediainfo's NWA and free blocks of the open track are emud's; `emud ctl
# dvd0 export` writes an ISO holding both sessions; a third session reads back with the first two. Then `emud ctl dvd0 insert
# --blank cdr`: a CD-R burned by `xorriso -as cdrecord -tao` reads back equal; then a DVD+RW overwritten by
# growisofs -Z twice. QEMU's scsi-cd, tcmu-runner's fbo (DVD-RAM only) and scsi_debug cannot do this.
# timeout: 600
# requires: growisofs dvd+rw-mediainfo xorriso genisoimage sg_turs
# columns: emud
# n/a: tcmu-runner's fbo emulates DVD-RAM only: no recordable media; LIO fileio has no optical drive
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/optical.sh"

IMG=$SCRATCH/dvdr.img BLOCKS=65536 SIZE=$((65536 * 2048))
rm -f "$IMG" "$IMG.disc"
make_iso one ONE 2048
mkdir -p "$SCRATCH/more"; pattern_file "$SCRATCH/more/TWO.BIN" 1024 two
check_start_daemon
mark=$(dmesg_mark fbo-burn)
check "blank DVD+R drive created (image missing)" \
  create_device dvd0 "fbo/profile-dvd+r/capacity-$BLOCKS/$IMG" "$SIZE" hw_block_size=2048
BLK= SG=
read -r BLK SG < <(link_loop dvd0 || true)
check "sr attaches ($BLK)" sh -c "case '$BLK' in /dev/sr*) test -b '$BLK';; *) false;; esac"
media_state() { /lib/udev/cdrom_id "$BLK" | grep -E '^ID_CDROM_MEDIA_(STATE|SESSION_COUNT|DVD_PLUS_R|DVD_PLUS_RW|CD_R)=' | sort; }
# MMC-6 §6.22.3.1.5: NUMBER OF SESSIONS counts the last, possibly empty, session: 1 on a blank disc, 2
# once session 1 is closed (dvd+rw-mediainfo: "Number of Sessions: 2, State of Last Session: empty").
check "cdrom_id: DVD+R, blank, 1 (empty) session" \
  equals "$(printf '%s\n' ID_CDROM_MEDIA_DVD_PLUS_R=1 ID_CDROM_MEDIA_SESSION_COUNT=1 ID_CDROM_MEDIA_STATE=blank)" media_state
check "dvd+rw-mediainfo: blank, 1 session (empty), NWA 0, free blocks = the capacity ($BLOCKS)" \
  disc_report_is "$BLK" dvd0 blank blank 1 empty
artifact cdrskin-minfo-blank.txt cdrskin dev="$BLK" -minfo > /dev/null
check "dvd+rw-mediainfo: mounted media DVD+R (1Bh)" grep -q 'Mounted Media: *1Bh, DVD+R' "$ART/mediainfo-blank.txt"

check "growisofs -Z burns session 1" artifact growisofs-Z.txt growisofs -Z "$BLK=$SCRATCH/one.iso"
status_has() { emud_ctl dvd0 status | tee -a "$ART/status.txt"; emud_ctl dvd0 status | grep -q "$1"; }
check "emud ctl status: appendable, session 1 closed" status_has 'state=appendable sessions=2 last-session=empty' 
check "dvd+rw-mediainfo: appendable, 2 sessions (the last empty), NWA and free blocks of track 2 = emud's" \
  disc_report_is "$BLK" dvd0 1 appendable 2 empty
artifact cdrskin-minfo-1.txt cdrskin dev="$BLK" -minfo > /dev/null
check "cdrom_id: appendable, session 1 closed + the empty session 2" \
  equals "$(printf '%s\n' ID_CDROM_MEDIA_DVD_PLUS_R=1 ID_CDROM_MEDIA_SESSION_COUNT=2 ID_CDROM_MEDIA_STATE=appendable)" media_state
mkdir -p /mnt/burn
check "session 1 mounts; LABEL.TXT reads back" sh -c \
  "mount -t iso9660 -o ro $BLK /mnt/burn && cmp /mnt/burn/LABEL.TXT $SCRATCH/one-src/LABEL.TXT; r=\$?; umount /mnt/burn; exit \$r"
check "growisofs -M appends session 2" artifact growisofs-M.txt growisofs -M "$BLK" -R -J "$SCRATCH/more"
check "cdrom_id: appendable, 2 closed sessions + the empty session 3" \
  equals "$(printf '%s\n' ID_CDROM_MEDIA_DVD_PLUS_R=1 ID_CDROM_MEDIA_SESSION_COUNT=3 ID_CDROM_MEDIA_STATE=appendable)" media_state
check "dvd+rw-mediainfo: appendable, 3 sessions (the last empty), NWA and free blocks of track 3 = emud's" \
  disc_report_is "$BLK" dvd0 2 appendable 3 empty
artifact cdrskin-minfo-2.txt cdrskin dev="$BLK" -minfo > /dev/null
check "the mount shows both sessions' files" sh -c "blockdev --flushbufs $BLK; mount -t iso9660 -o ro $BLK /mnt/burn &&
  cmp /mnt/burn/DATA.BIN $SCRATCH/one-src/DATA.BIN && cmp /mnt/burn/TWO.BIN $SCRATCH/more/TWO.BIN; r=\$?; umount /mnt/burn; exit \$r"
check "emud ctl export writes the ISO" emud_ctl dvd0 export "$SCRATCH/export.iso"
# A loop device has no multi-session TOC: mount the last session by its start (track 2, from status).
S2=$(emud_ctl dvd0 status | tr ' ' '\n' | sed -n 's/^track2=s2:\([0-9]*\)+.*/\1/p')
check "the exported ISO holds both sessions (session 2 at block ${S2:-?})" sh -c "mount -o loop,ro,sbsector=$S2 $SCRATCH/export.iso /mnt/burn &&
  cmp /mnt/burn/TWO.BIN $SCRATCH/more/TWO.BIN && cmp /mnt/burn/DATA.BIN $SCRATCH/one-src/DATA.BIN; r=\$?; umount /mnt/burn; exit \$r"

# A third session (growisofs -M; with -M, growisofs 7.1 closes the session, not the disc, even with
# -dvd-compat: seen in the VM, 4 sessions, the last empty). Finalizing a DVD+R is not proven here.
mkdir -p "$SCRATCH/third"; echo "third session" > "$SCRATCH/third/THREE.TXT"
check "growisofs -M appends session 3" artifact growisofs-third.txt growisofs -M "$BLK" -R -J "$SCRATCH/third"
check "dvd+rw-mediainfo: appendable, 4 sessions (the last empty), NWA and free blocks of track 4 = emud's" \
  disc_report_is "$BLK" dvd0 3 appendable 4 empty
artifact cdrskin-minfo-3.txt cdrskin dev="$BLK" -minfo > /dev/null
check "cdrom_id: appendable, 4 sessions" \
  equals "$(printf '%s\n' ID_CDROM_MEDIA_DVD_PLUS_R=1 ID_CDROM_MEDIA_SESSION_COUNT=4 ID_CDROM_MEDIA_STATE=appendable)" media_state
check "all three sessions' files read back" sh -c "blockdev --flushbufs $BLK; mount -t iso9660 -o ro $BLK /mnt/burn &&
  cmp /mnt/burn/DATA.BIN $SCRATCH/one-src/DATA.BIN && cmp /mnt/burn/TWO.BIN $SCRATCH/more/TWO.BIN &&
  cmp /mnt/burn/THREE.TXT $SCRATCH/third/THREE.TXT; r=\$?; umount /mnt/burn; exit \$r"

# CD-R, track at once.
CD=$SCRATCH/cdr.img
check "emud ctl insert --blank cdr" emud_ctl dvd0 insert --blank cdr --capacity 40000 "$CD"
check "sg_turs after the disc change" tur_ready "$SG"
check "cdrom_id: CD-R, blank" \
  equals "$(printf '%s\n' ID_CDROM_MEDIA_CD_R=1 ID_CDROM_MEDIA_SESSION_COUNT=1 ID_CDROM_MEDIA_STATE=blank)" media_state
check "xorriso -as cdrecord -tao burns the CD-R" artifact xorriso-tao.txt \
  xorriso -as cdrecord -v dev="$BLK" -tao "$SCRATCH/one.iso"
state_is() { media_state | tee -a "$ART/states.txt" | grep -qx "ID_CDROM_MEDIA_STATE=$1"; }
check "cdrom_id: CD-R complete" state_is complete
# Linux keeps the size it read at the disc change (blank: 1 block) until the medium is reloaded, as with a
# real burner (growisofs reloads the tray itself; xorriso -as cdrecord without -eject does not).
check "reload the tray" sh -c "eject $BLK && eject -t $BLK"
check "sg_turs after the reload" tur_ready "$SG"
check "the CD-R reads back equal" sh -c "blockdev --flushbufs $BLK; mount -t iso9660 -o ro $BLK /mnt/burn &&
  cmp /mnt/burn/DATA.BIN $SCRATCH/one-src/DATA.BIN; r=\$?; umount /mnt/burn; exit \$r"

# DVD+RW overwrite.
RW=$SCRATCH/dvdrw.img
check "emud ctl insert --blank dvd+rw" emud_ctl dvd0 insert --blank dvd+rw --capacity 65536 "$RW"
check "sg_turs after the disc change" tur_ready "$SG"
check "growisofs -Z on the DVD+RW" artifact growisofs-rw-1.txt growisofs -Z "$BLK=$SCRATCH/one.iso"
check "growisofs -Z again overwrites" artifact growisofs-rw-2.txt growisofs -use-the-force-luke=tty -Z "$BLK" -R -J "$SCRATCH/more"
check "the DVD+RW holds the second image" sh -c "blockdev --flushbufs $BLK; echo 3 > /proc/sys/vm/drop_caches;
  mount -t iso9660 -o ro $BLK /mnt/burn && cmp /mnt/burn/TWO.BIN $SCRATCH/more/TWO.BIN && ! test -e /mnt/burn/DATA.BIN;
  r=\$?; umount /mnt/burn; exit \$r"

check "device removed" remove_device dvd0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
