#!/usr/bin/env bash
# fbo-burn-sao-audio: audio burned session at once on a CD-R (issue 17). `wodim -dao -audio` with a media
# catalog number and an ISRC per track sends a cue sheet of CD-DA forms (00h; MCN and ISRC descriptor
# pairs) and writes from LBA -150: the pre-gap, then 2352-byte sectors; track 2's pre-gap is the last 150
# sectors of track 1 (INDEX 00, cdrecord's layout). `emud ctl` shows the closed disc, cd-info lists two
# audio tracks at their starts, `cdrskin -minfo` the complete disc, cd-paranoia rips each track bit-exact
# against its WAV's PCM; READ CD's Q sub-channel in track 2's pre-gap says TNO 02, INDEX 00 and counts
# down; READ SUB-CHANNEL answers the MCN and ISRCs. `cdrskin -sao` burns the same WAVs (libburn's cue
# sheet: form 01h pause as track 1's pre-gap), they rip bit-exact. Then mixed mode: `wodim -dao data.iso -audio t.wav`
# (track 2's 255-block pre-gap written as CD-DA silence), the data track mounts, the audio track rips
# bit-exact. QEMU's scsi-cd (read-only), tcmu-runner's fbo (DVD-RAM only) and scsi_debug (no optical
# device) burn nothing.
# timeout: 600
# requires: wodim cdrskin cd-info cd-paranoia genisoimage python3 sg_turs sg_raw
# columns: emud
# n/a: tcmu-runner's fbo emulates DVD-RAM only: no recordable media; LIO fileio has no optical drive
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/optical.sh"

DIR=$SCRATCH/burn-sao
rm -rf "$DIR"; mkdir -p "$DIR"
make_iso sao-burn SAOBURN 1024
make_wav "$DIR/t1" 600 one
make_wav "$DIR/t2" 450 two
MCN=0123456789012 ISRC1=DEXYZ2600001 ISRC2=DEXYZ2600002

check_start_daemon
mark=$(dmesg_mark fbo-burn-sao-audio)
check "drive created on a blank CD-R" \
  create_device cd0 "fbo/profile-cdr/capacity-40000/$SCRATCH/cdr-sao.img" $((40000 * 2048)) hw_block_size=2048
BLK= SG=
read -r BLK SG < <(link_loop cd0 || true)
check "sr attaches ($BLK)" sh -c "case '$BLK' in /dev/sr*) test -b '$BLK';; *) false;; esac"

check "wodim -dao burns two audio tracks with an MCN and ISRCs" \
  artifact wodim-dao-audio.txt wodim -v dev="$BLK" gracetime=2 -dao mcn=$MCN -audio isrc=$ISRC1 "$DIR/t1.wav" isrc=$ISRC2 "$DIR/t2.wav"
# Track 1 holds LBA 0-599 (its last 150 sectors are track 2's pre-gap), track 2 starts at 600.
check "emud ctl status: complete, two closed tracks" \
  ctl_status_matches cd0 'state=complete sessions=1 last-session=complete tracks=2 track1=s1:0\+600/600,closed track2=s1:600\+450/450,closed'
reload() { eject "$BLK" >/dev/null 2>&1; eject -t "$BLK" >/dev/null 2>&1; tur_ready "$SG"; }
check "tray reload" reload
artifact cd-info-sao.txt cd-info --no-cddb --no-device-info "$BLK" > /dev/null
tracks() { sed -n 's/^ *\([0-9]*\): *[0-9:]* *\([0-9]*\) *\(data\|audio\) .*/\1 \2 \3/p' "$1"; }
check "cd-info lists tracks 1 and 2 audio at 0 and 600" \
  equals "$(printf '1 000000 audio\n2 000600 audio')" tracks "$ART/cd-info-sao.txt"
codes() { sed -n 's/^Media Catalog Number (MCN): *\(.*\)/MCN \1/p; s/^TRACK *\([0-9]*\) ISRC: *\(.*\)/\1 \2/p' "$ART/cd-info-sao.txt"; }
check "cd-info shows the MCN and both ISRCs (READ SUB-CHANNEL 02h/03h)" \
  equals "$(printf 'MCN %s\n1 %s\n2 %s' "$MCN" "$ISRC1" "$ISRC2")" codes
check "cdrskin -minfo: the disc is complete, two audio tracks" minfo sao 'status: *(complete|closed|finalized)' '^ *2 +1 +audio'
for t in 1 2; do
  rm -f "$DIR/rip$t.raw"
  check "cd-paranoia rips track $t" sh -c "cd-paranoia -c -d '$BLK' -r '$t' '$DIR/rip$t.raw' > '$ART/cd-paranoia-sao-$t.txt' 2>&1"
  check "track $t is bit-exact against its WAV's PCM ($(stat -c %s "$DIR/t$t.pcm") bytes)" cmp "$DIR/rip$t.raw" "$DIR/t$t.pcm"
done

# q LBA: the formatted Q (READ CD, no main data, sub-channel 010b) of LBA, first 10 bytes in hex.
q() { sg_raw -r 16 -b "$SG" be 00 $(printf '%02x %02x %02x %02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255))) 00 00 01 00 02 00 2>/dev/null | od -An -tx1 -N10 | tr -s ' \n' ' ' | sed 's/^ //;s/ $//'; }
# bcd_msf FRAMES: MIN SEC FRAME of a frame count, each in BCD as the Q sub-channel carries it.
bcd_msf() { printf '%02d %02d %02d' $(($1 / 4500)) $(($1 / 75 % 60)) $(($1 % 75)); }
# Q of LBA 599 (track 2's pre-gap, one block before its index 1): CONTROL 0 ADR 1, TNO 02, INDEX 00,
# relative 00:00:01 counting down, absolute 00:09:74 (LBA 599 + 150 = 749 frames); 450 (its first
# pre-gap block): relative 00:02:00.
check "Q at the end of track 2's pre-gap: TNO 02 INDEX 00, relative 00:00:01" equals "01 02 00 00 00 01 00 00 09 74" q 599
check "Q at the start of track 2's pre-gap: relative 00:02:00 counting down" equals "01 02 00 00 02 00 00 00 08 00" q 450
check "Q of track 2's first block: INDEX 01, relative 00:00:00" equals "01 02 01 00 00 00 00 00 10 00" q 600
check "Q of LBA 449 (track 1, INDEX 01)" equals "01 01 01 00 05 74 00 00 07 74" q 449
# sub NN TRACK: READ SUB-CHANNEL (SUBQ, format NN) data as ASCII from byte 9 on.
sub() { sg_raw -r 24 -b "$SG" 42 00 40 "$1" 00 00 "$2" 00 18 00 2>/dev/null | od -An -c -j9 -N"$3" | tr -d ' \n'; }
check "READ SUB-CHANNEL format 02h: the MCN" equals "$MCN" sub 02 00 13
check "READ SUB-CHANNEL format 03h: track 1's ISRC" equals "$ISRC1" sub 03 01 12
check "READ SUB-CHANNEL format 03h: track 2's ISRC" equals "$ISRC2" sub 03 02 12

# libburn's session at once: `cdrskin -sao` of the same WAV files (its cue sheet: track 1's pre-gap a pause
# the drive generates, form 01h; the host writes from LBA 0).
insert_blank() { emud_ctl cd0 insert --blank cdr --capacity 40000 "$SCRATCH/$1.img" && tur_ready "$SG"; }
check "emud ctl insert --blank cdr" insert_blank cdr-sao-cdrskin
check "cdrskin -sao burns two audio tracks" \
  artifact cdrskin-sao-audio.txt cdrskin -v dev="$BLK" gracetime=2 -sao -audio "$DIR/t1.wav" "$DIR/t2.wav"
check "emud ctl status: complete, two closed tracks of 600 and 450" \
  ctl_status_matches cd0 'state=complete sessions=1 last-session=complete tracks=2 track1=s1:0\+600/600,closed track2=s1:600\+450/450,closed'
check "tray reload" reload
for t in 1 2; do
  rm -f "$DIR/rip$t.raw"
  check "cd-paranoia rips cdrskin's track $t bit-exact" \
    sh -c "cd-paranoia -c -d '$BLK' -r '$t' '$DIR/rip$t.raw' > '$ART/cd-paranoia-cdrskin-$t.txt' 2>&1 && cmp '$DIR/rip$t.raw' '$DIR/t$t.pcm'"
done

# Mixed mode, session at once: a data track, then an audio track after a 255-block CD-DA pre-gap.
check "emud ctl insert --blank cdr" insert_blank cdr-sao-mixed
check "wodim -dao burns a data track and an audio track" \
  artifact wodim-dao-mixed.txt wodim -v dev="$BLK" gracetime=2 -dao "$SCRATCH/sao-burn.iso" -audio "$DIR/t2.wav"
check "emud ctl status: complete, two closed tracks" \
  ctl_status_matches cd0 'state=complete sessions=1 last-session=complete tracks=2 track1=s1:0\+[0-9]+/[0-9]+,closed track2=.*,closed'
L2=$(emud_ctl cd0 status | tr ' ' '\n' | sed -n 's/^track2=s1:\([0-9]*\)+.*/\1/p')
check "tray reload" reload
artifact cd-info-sao-mixed.txt cd-info --no-cddb --no-device-info "$BLK" > /dev/null
check "cd-info lists track 1 data and track 2 audio" \
  equals "$(printf '1 000000 data\n2 %06d audio' "${L2:-0}")" tracks "$ART/cd-info-sao-mixed.txt"
rm -f "$DIR/rip-mixed.raw"
check "cd-paranoia rips track 2" sh -c "cd-paranoia -c -d '$BLK' -r 2 '$DIR/rip-mixed.raw' > '$ART/cd-paranoia-sao-mixed.txt' 2>&1"
check "track 2 is bit-exact against its WAV's PCM" cmp "$DIR/rip-mixed.raw" "$DIR/t2.pcm"
check "Q one block before track 2: TNO 02 INDEX 00 (its CD-DA pre-gap)" \
  equals "01 02 00 00 00 01 00 $(bcd_msf $((${L2:-0} + 149)))" q $((${L2:-0} - 1))
mkdir -p /mnt/cd
modprobe isofs 2>/dev/null
check "the data track mounts as iso9660" mount -t iso9660 -o ro "$BLK" /mnt/cd
check "its file matches" cmp /mnt/cd/DATA.BIN "$SCRATCH/sao-burn-src/DATA.BIN"
umount /mnt/cd 2>/dev/null

check "device removed" remove_device cd0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
