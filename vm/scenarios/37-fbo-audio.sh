#!/usr/bin/env bash
# fbo-audio: a mixed-mode CUE/BIN disc (issue 17, audio CD part) served as /dev/srN: track 1 data
# (MODE1/2048, an ISO 9660 image), tracks 2 and 3 audio (one BIN, track 2 after a 2 s PREGAP). cd-info
# lists the three tracks (1 data, 2 audio) at their LBAs; cd-paranoia rips each audio track bit-exact
# against its part of the BIN (raw little-endian output); the data track mounts and a file compares.
# emud only: tcmu-runner's fbo serves one flat image (a .cue would be read as sectors of text).
# timeout: 300
# requires: genisoimage cd-info cd-paranoia
# columns: emud
# n/a: CUE/BIN discs are emud's (tcmu-runner fbo reads one flat image); LIO fileio has no optical drive
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/optical.sh"

DIR=$SCRATCH/audio-cd
rm -rf "$DIR"; mkdir -p "$DIR"
make_iso audio-data AUDIODATA 512
cp "$SCRATCH/audio-data.iso" "$DIR/data.iso"
DATA_SECTORS=$(blocks_of "$DIR/data.iso")
T2=300 T3=450                                  # audio sectors: 4 s and 6 s
pattern_file "$DIR/audio.bin.tmp" $(( (T2 + T3) * 2352 / 1024 + 1 )) audio-cd
head -c $(( (T2 + T3) * 2352 )) "$DIR/audio.bin.tmp" > "$DIR/audio.bin"; rm -f "$DIR/audio.bin.tmp"
head -c $(( T2 * 2352 )) "$DIR/audio.bin" > "$DIR/track2.raw"
tail -c $(( T3 * 2352 )) "$DIR/audio.bin" > "$DIR/track3.raw"
cat > "$DIR/disc.cue" <<CUE
CATALOG 0123456789012
FILE "data.iso" BINARY
  TRACK 01 MODE1/2048
    INDEX 01 00:00:00
FILE "audio.bin" BINARY
  TRACK 02 AUDIO
    PREGAP 00:02:00
    INDEX 01 00:00:00
  TRACK 03 AUDIO
    INDEX 01 00:04:00
CUE
# LBAs: track 1 at 0; track 2 at DATA_SECTORS + 150; track 3 300 later; lead-out after it.
L2=$((DATA_SECTORS + 150)); L3=$((L2 + T2)); LEADOUT=$((L3 + T3))
SIZE=$((LEADOUT * 2048))
echo "data sectors $DATA_SECTORS, track 2 at $L2, track 3 at $L3, lead-out $LEADOUT"

check_start_daemon
mark=$(dmesg_mark fbo-audio)
check "CD drive created on the CUE sheet" create_device cd0 "fbo/$DIR/disc.cue" "$SIZE" hw_block_size=2048
BLK= SG=
read -r BLK SG < <(link_loop cd0 || true)
check "tcm_loop attaches an optical drive ($BLK)" sh -c "case '$BLK' in /dev/sr*) test -b '$BLK';; *) false;; esac"
if [ -n "$BLK" ]; then
  tur_ready "$SG" >/dev/null 2>&1
  artifact cd-info.txt cd-info --no-cddb --no-device-info "$BLK" > /dev/null
  # Track list lines: "  1: 00:02:00  000000 data  ..." / "  2: MM:SS:FF  LBA audio ..."; the list ends
  # with the lead-out ("170: MM:SS:FF  LBA leadout ..."), which is no track.
  tracks() { sed -n 's/^ *\([0-9]*\): *[0-9:]* *\([0-9]*\) *\(data\|audio\) .*/\1 \2 \3/p' "$ART/cd-info.txt"; }
  want=$(printf '1 %06d data\n2 %06d audio\n3 %06d audio' 0 "$L2" "$L3")
  check "cd-info lists track 1 data, tracks 2 and 3 audio at their LBAs" equals "$want" tracks
  check "cd-info reads the media catalogue number" grep -q "0123456789012" "$ART/cd-info.txt"
  for t in 2 3; do
    rm -f "$DIR/rip$t.raw"
    # -c: the drive returns little-endian samples (as the BIN holds them, and as real drives do). Without
    # it cd-paranoia guesses the drive's byte order from how smooth the audio looks, and on this
    # pseudo-random pattern the guess is arbitrary (a wrong "big endian" swaps every sample: run of 11/3).
    check "cd-paranoia rips track $t" sh -c "cd-paranoia -c -d '$BLK' -r '$t' '$DIR/rip$t.raw' > '$ART/cd-paranoia-$t.txt' 2>&1"
    check "track $t is bit-exact against the BIN ($(stat -c %s "$DIR/track$t.raw") bytes)" cmp "$DIR/rip$t.raw" "$DIR/track$t.raw"
  done
  # Information, not a check: what cd-paranoia guesses without -c (its verbose log names the byte order).
  cd-paranoia -v -d "$BLK" -r 2 "$DIR/rip2-guess.raw" > "$ART/cd-paranoia-guess.txt" 2>&1
  log "without -c: $(grep -i -m1 'endian' "$ART/cd-paranoia-guess.txt"); rip $(cmp -s "$DIR/rip2-guess.raw" "$DIR/track2.raw" && echo equals || echo differs from) the BIN"
  mkdir -p /mnt/cd
  modprobe isofs 2>/dev/null
  check "the data track mounts as iso9660" mount -t iso9660 -o ro "$BLK" /mnt/cd
  check "its file matches" cmp /mnt/cd/DATA.BIN "$SCRATCH/audio-data-src/DATA.BIN"
  umount /mnt/cd 2>/dev/null
fi
check "device removed" remove_device cd0
check "no kernel warnings or errors overall" dmesg_clean_since "$mark"
summary
