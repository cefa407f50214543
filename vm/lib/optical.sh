# Guest helpers for the optical-drive scenarios (27-fbo-tray, 28-fbo-udf). Sourced after guest.sh.

# expect_fail CMD...: succeeds when CMD fails (its output is kept in checks.log).
expect_fail() { ! "$@"; }

# make_iso NAME LABEL KIB: an ISO 9660 image $SCRATCH/NAME.iso holding LABEL.TXT ("disc LABEL") and
# DATA.BIN (KIB KiB of a pattern seeded by LABEL); the source tree stays in $SCRATCH/NAME-src.
make_iso() {
  local name=$1 label=$2 kib=$3 src=$SCRATCH/$1-src
  rm -rf "$src" "$SCRATCH/$name.iso"; mkdir -p "$src"
  echo "disc $label" > "$src/LABEL.TXT"
  pattern_file "$src/DATA.BIN" "$kib" "$label"
  genisoimage -quiet -V "$label" -R -J -o "$SCRATCH/$name.iso" "$src"
}

# make_wav PATH SECTORS SEED: a 44.1 kHz 16-bit stereo WAV PATH.wav of SECTORS × 2352 bytes of
# pseudo-random PCM seeded by SEED, and its PCM data alone as PATH.pcm (what a burned CD-DA track must hold).
make_wav() {
  python3 - "$1" "$2" "$3" <<'PY'
import random, struct, sys
path, sectors, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pcm = random.Random(seed).randbytes(sectors * 2352)
head = b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 2, 44100, 176400, 4, 16)
open(path + ".wav", "wb").write(head + b"data" + struct.pack("<I", len(pcm)) + pcm)
open(path + ".pcm", "wb").write(pcm)
PY
}

# minfo NAME REGEX...: `cdrskin -minfo` of $BLK kept as minfo-NAME.txt holds every extended REGEX.
minfo() {
  local name=$1 p; shift
  cdrskin dev="$BLK" -minfo > "$ART/minfo-$name.txt" 2>&1
  for p in "$@"; do grep -Eqi -- "$p" "$ART/minfo-$name.txt" || { cat "$ART/minfo-$name.txt"; echo "missing: $p"; return 1; }; done
}

# blocks_of FILE: the file's size in 2048-byte blocks.
blocks_of() { echo $(( $(stat -c %s "$1") / 2048 )); }

# sr_capabilities_line SRNAME: the "scsi3-mmc drive: …" (or "scsi-1 drive") text sr logged for SRNAME.
sr_capabilities_line() {
  dmesg | sed -n "s/.*\[$1\] \(scsi3-mmc drive: .*\|scsi-1 drive\)\$/\1/p" | tail -n 1
}

# equals EXPECTED CMD...: CMD's stdout (trailing blanks trimmed) is exactly EXPECTED; shows both.
equals() {
  local want=$1; shift
  local got; got=$("$@" 2>&1 | sed 's/[[:space:]]*$//')
  echo "expected: [$want]"; echo "got:      [$got]"
  [ "$got" = "$want" ]
}

# cdrom_id_props DEV: udev's cdrom_id output (KEY=VALUE lines), sorted.
cdrom_id_props() { /lib/udev/cdrom_id "$1" | sort; }

# tur_ready SG: TEST UNIT READY succeeds, allowing for the one UNIT ATTENTION a medium change raises.
tur_ready() {
  local i
  for i in 1 2 3; do sg_turs "$1" && return 0; done
  return 1
}

# sr_size_blocks SRNAME: the kernel's size of /dev/SRNAME in 2048-byte blocks (sysfs counts 512-byte
# sectors).
sr_size_blocks() { echo $(( $(cat "/sys/block/$1/size") / 4 )); }

# has_line FILE REGEX: FILE has a line matching the extended REGEX (prints the file when not).
has_line() { grep -Eq -- "$2" "$1" || { cat "$1"; return 1; }; }

# ctl_status_matches DEVICE REGEX: `emud ctl DEVICE status` matches the extended REGEX.
ctl_status_matches() {
  local out; out=$(emud_ctl "$1" status 2>&1); echo "$out"
  echo "$out" | grep -Eq -- "$2"
}

# ctl_refused ARGS...: `emud ctl ARGS` is refused (exit status 1, not 0 and not 2 "no daemon").
ctl_refused() {
  local rc=0; emud_ctl "$@" || rc=$?
  echo "emud ctl $* -> exit $rc"
  [ "$rc" = 1 ]
}

# fails_saying PATTERN... -- CMD...: CMD fails and its output holds every PATTERN (case-insensitive ERE).
fails_saying() {
  local pats=() p
  while [ "$1" != -- ]; do pats+=("$1"); shift; done; shift
  local out rc=0; out=$("$@" 2>&1) || rc=$?
  echo "$out"; echo "exit $rc"
  [ "$rc" != 0 ] || return 1
  for p in "${pats[@]}"; do echo "$out" | grep -Eqi -- "$p" || { echo "missing: $p"; return 1; }; done
}

# disc_matches DEV FSTYPE LABEL SRC: DEV mounts read-only on /mnt/cd, LABEL.TXT says "disc LABEL" and
# DATA.BIN equals SRC/DATA.BIN; unmounted afterwards.
disc_matches() {
  mkdir -p /mnt/cd
  mount -t "$2" -o ro "$1" /mnt/cd || return 1
  local rc=0
  grep -qx "disc $3" /mnt/cd/LABEL.TXT && cmp /mnt/cd/DATA.BIN "$4/DATA.BIN" || rc=1
  umount /mnt/cd || rc=1
  return "$rc"
}

# --- recordable discs (29-fbo-burn, 33-fbo-burn-cd, 35-fbo-burn-dvd-bd, 38-fbo-burn-kill) ------------

# burned_disc_reads_back BLK SG NAME LABEL: after a tray reload (sr rereads the burned disc's size) with
# the caches dropped, BLK mounts as ISO 9660 and holds the files of `make_iso NAME LABEL` (disc_matches).
burned_disc_reads_back() {
  eject "$1" && eject -t "$1" && tur_ready "$2" || return 1
  blockdev --flushbufs "$1"; echo 3 > /proc/sys/vm/drop_caches
  disc_matches "$1" iso9660 "$4" "$SCRATCH/$3-src"
}

# media_state_is BLK STATE: udev cdrom_id reports ID_CDROM_MEDIA_STATE=STATE (blank, appendable, complete).
media_state_is() { /lib/udev/cdrom_id "$1" | grep -x "ID_CDROM_MEDIA_STATE=$2"; }

# ctl_word NAME KEY: the value of KEY=… in `emud ctl NAME status` (empty when absent).
ctl_word() { emud_ctl "$1" status | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

# last_track_info FILE: the last "READ TRACK INFORMATION[#N]" block of a dvd+rw-mediainfo output.
last_track_info() { awk '/^READ TRACK INFORMATION/ {b = $0 "\n"; c = 1; next} /^[^ ]/ {c = 0} c {b = b $0 "\n"} END {printf "%s", b}' "$1"; }

# track_blocks FILE KEY: the N of "KEY: N*2KB" in the last track block of FILE (empty when absent).
track_blocks() { last_track_info "$1" | sed -n "s/^ $2: *\([0-9]*\)\*2KB.*/\1/p"; }

# disc_report_is DEV NAME LABEL STATUS SESSIONS LAST: dvd+rw-mediainfo DEV (kept as mediainfo-LABEL.txt)
# says "Disc status: STATUS", "Number of Sessions: SESSIONS", "State of Last Session: LAST"; and while
# the drive has a next writable address (`emud ctl NAME status` nwa=, free=), the last track's "Next
# Writable Address" and "Free Blocks" are those numbers (MMC-6 §6.27.3: FREE BLOCKS of the open track =
# the blocks after its NWA), free > 0; a complete disc has no nwa= and its last track no NWA.
disc_report_is() {
  local dev=$1 name=$2 f=$ART/mediainfo-$3.txt
  local want="Disc status: $4|Number of Sessions: $5|State of Last Session: $6"
  dvd+rw-mediainfo "$dev" > "$f" 2>&1 || { cat "$f"; return 1; }
  local got; got=$(sed -n 's/^ \(Disc status\|Number of Sessions\|State of Last Session\): */\1: /p' "$f" | paste -sd '|')
  echo "expected: [$want]"; echo "got:      [$got]"
  last_track_info "$f"
  [ "$got" = "$want" ] || return 1
  local nwa free; nwa=$(ctl_word "$name" nwa); free=$(ctl_word "$name" free)
  echo "emud ctl: nwa=$nwa free=$free; mediainfo: NWA $(track_blocks "$f" 'Next Writable Address') free $(track_blocks "$f" 'Free Blocks')"
  if [ -z "$nwa" ]; then
    [ -z "$(track_blocks "$f" 'Next Writable Address')" ]
  else
    [ "$(track_blocks "$f" 'Next Writable Address')" = "$nwa" ] && [ "$(track_blocks "$f" 'Free Blocks')" = "$free" ] &&
      [ "$free" -gt 0 ]
  fi
}
