#!/usr/bin/env bash
# fbo-burn-audio: audio burned on a CD-R (issue 17). `wodim -tao` burns a mixed-mode CD-R — track 1 an ISO
# 9660 data track, tracks 2 and 3 audio from WAV files (page 05h TAO, DATA BLOCK TYPE 0: 2352-byte CD-DA
# sectors) —; `emud ctl` shows three closed tracks, cd-info lists 1 data and 2, 3 audio at the tracks' starts,
# `cdrskin -minfo` lists the tracks, cd-paranoia rips tracks 2 and 3 bit-exact against the WAV files' PCM
# data, the data track mounts and a file compares. `wodim -dummy` (TEST WRITE) on a second blank CD-R
# goes through a whole burn and leaves the disc blank (emud ctl, cdrom_id). QEMU's scsi-cd (read-only),
# tcmu-runner's fbo (DVD-RAM only) and scsi_debug (no optical device) burn nothing.
# timeout: 600
# requires: wodim cdrskin cd-info cd-paranoia genisoimage python3 sg_turs
# columns: emud
# n/a: tcmu-runner's fbo emulates DVD-RAM only: no recordable media; LIO fileio has no optical drive
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/optical.sh"

DIR=$SCRATCH/burn-audio
rm -rf "$DIR"; mkdir -p "$DIR"
make_iso audio-burn AUDIOBURN 1024
make_wav "$DIR/t2" 300 two
make_wav "$DIR/t3" 450 three

check_start_daemon
mark=$(dmesg_mark fbo-burn-audio)
check "drive created on a blank CD-R" \
  create_device cd0 "fbo/profile-cdr/capacity-40000/$SCRATCH/cdr-audio.img" $((40000 * 2048)) hw_block_size=2048
BLK= SG=
read -r BLK SG < <(link_loop cd0 || true)
check "sr attaches ($BLK)" sh -c "case '$BLK' in /dev/sr*) test -b '$BLK';; *) false;; esac"

check "wodim -tao burns a data track and two audio tracks" \
  artifact wodim-tao-audio.txt wodim -v dev="$BLK" gracetime=2 -tao "$SCRATCH/audio-burn.iso" -audio "$DIR/t2.wav" "$DIR/t3.wav"
check "emud ctl status: complete, three closed tracks" \
  ctl_status_matches cd0 'state=complete .*tracks=3 .*track1=s1:0\+[0-9]+/[0-9]+,closed .*track2=.*,closed .*track3=.*,closed'
start_of() { emud_ctl cd0 status | tr ' ' '\n' | sed -n "s/^track$1=s1:\([0-9]*\)+.*/\1/p"; }
L2=$(start_of 2) L3=$(start_of 3)
reload() { eject "$BLK" >/dev/null 2>&1; eject -t "$BLK" >/dev/null 2>&1; tur_ready "$SG"; }
check "tray reload" reload
artifact cd-info-burned.txt cd-info --no-cddb --no-device-info "$BLK" > /dev/null
tracks() { sed -n 's/^ *\([0-9]*\): *[0-9:]* *\([0-9]*\) *\(data\|audio\) .*/\1 \2 \3/p' "$ART/cd-info-burned.txt"; }
check "cd-info lists track 1 data, tracks 2 and 3 audio at their starts" \
  equals "$(printf '1 %06d data\n2 %06d audio\n3 %06d audio' 0 "${L2:-0}" "${L3:-0}")" tracks
minfo_tracks() {
  cdrskin dev="$BLK" -minfo > "$ART/minfo-audio.txt" 2>&1
  grep -Eic '^ *[0-9]+ +[0-9]+ +audio' "$ART/minfo-audio.txt" | grep -qx 2 && grep -Eiq '^ *1 +1 +data' "$ART/minfo-audio.txt" \
    || { cat "$ART/minfo-audio.txt"; false; }
}
check "cdrskin -minfo lists the data track and two audio tracks" minfo_tracks
for t in 2 3; do
  rm -f "$DIR/rip$t.raw"
  check "cd-paranoia rips track $t" sh -c "cd-paranoia -c -d '$BLK' -r '$t' '$DIR/rip$t.raw' > '$ART/cd-paranoia-$t.txt' 2>&1"
  check "track $t is bit-exact against its WAV's PCM ($(stat -c %s "$DIR/t$t.pcm") bytes)" cmp "$DIR/rip$t.raw" "$DIR/t$t.pcm"
done
mkdir -p /mnt/cd
modprobe isofs 2>/dev/null
check "the data track mounts as iso9660" mount -t iso9660 -o ro "$BLK" /mnt/cd
check "its file matches" cmp /mnt/cd/DATA.BIN "$SCRATCH/audio-burn-src/DATA.BIN"
umount /mnt/cd 2>/dev/null

# TEST WRITE: a whole dummy burn, the disc stays blank.
insert_blank() { emud_ctl cd0 insert --blank cdr --capacity 40000 "$SCRATCH/$1.img" && tur_ready "$SG"; }
check "emud ctl insert --blank cdr" insert_blank cdr-dummy
check "wodim -dummy -tao burns a data and an audio track with the laser off" \
  artifact wodim-dummy.txt wodim -v dev="$BLK" gracetime=2 -dummy -tao "$SCRATCH/audio-burn.iso" -audio "$DIR/t2.wav"
check "emud ctl status: still blank" ctl_status_matches cd0 'state=blank sessions=1 last-session=empty tracks=1 nwa=0 free=40000'
check "cdrom_id: blank" media_state_is "$BLK" blank
check "the image and its audio store hold no data" sh -c "cmp -n $((40000 * 2048)) '$SCRATCH/cdr-dummy.img' /dev/zero && cmp -n $((40000 * 2352)) '$SCRATCH/cdr-dummy.img.cdda' /dev/zero"

check "device removed" remove_device cd0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
