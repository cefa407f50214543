# Disks and their data: plain disks of the column's kind, pattern writes and read-back, the
# sg3_utils probe.
# Part of the guest helpers: sourced by vm/lib/guest.sh, never on its own.

# disk_subtype: the user-backstore subtype used for "a plain disk" in this column:
# file, except for tcmu-runner, whose Debian package ships no file handler (qcow instead).
# Knob: DISK_SUBTYPE.
disk_subtype() {
  if [ -n "${DISK_SUBTYPE:-}" ]; then echo "$DISK_SUBTYPE"
  elif [ "$DAEMON" = tcmu-runner ]; then echo qcow
  else echo file; fi
}

# make_disk NAME SIZE [CONTROL...]: create a plain disk backstore of this column's kind (fresh
# image under $SCRATCH) and print its image path. CONTROL strings (hw_max_sectors=N, ...) apply
# to user backstores only.
make_disk() {
  local name=$1 size=$2 st; st=$(disk_subtype)
  shift 2
  local img=$SCRATCH/$name.img
  rm -f "$img"
  if [ "$BACKSTORE" = fileio ] || [ "$st" = file ]; then
    truncate -s "$size" "$img"
  else
    qemu-img create -q -f qcow2 "$img" "$size" || return 1
  fi
  [ "$BACKSTORE" = fileio ] && st=file
  if [ "$BACKSTORE" = fileio ]; then
    create_device "$name" "$st/$img" "$size" >&2 || return 1
  else
    create_device "$name" "$st/$img" "$size" "$@" >&2 || return 1
  fi
  echo "$img"
}

# pattern_file PATH SIZE_KIB SEED: deterministic data
pattern_file() {
  head -c "$(($2 * 1024))" < <(openssl enc -aes-128-ctr -pass "pass:$3" -nosalt -pbkdf2 < /dev/zero 2>/dev/null) > "$1"
}

# write_read_back DEV OFFSET_KIB SIZE_KIB SEED: direct write then direct read, compare.
write_read_back() {
  local dev=$1 off=$2 size=$3 seed=$4 f=/tmp/pattern.$$
  pattern_file "$f" "$size" "$seed"
  dd if="$f" of="$dev" bs=4k seek=$((off / 4)) oflag=direct conv=notrunc,fsync status=none || return 1
  read_compare "$dev" "$off" "$size" "$seed"
}

# read_compare DEV OFFSET_KIB SIZE_KIB SEED: read back and compare with pattern SEED.
read_compare() {
  local dev=$1 off=$2 size=$3 seed=$4 f=/tmp/pattern.$$
  pattern_file "$f" "$size" "$seed"
  cmp <(dd if="$dev" bs=4k skip=$((off / 4)) count=$((size / 4)) iflag=direct status=none) "$f"
}

# probe_scsi SG [mmc]: the standard sg3_utils questions; each answer is kept as an artifact.
# An MMC drive (mmc) is asked READ CAPACITY(10): MMC-6 defines no READ CAPACITY(16), so
# `sg_readcap -l` must be refused there with ILLEGAL REQUEST (sg3_utils exit status 9).
probe_scsi() {
  local sg=$1 kind=${2:-disk}
  check "sg_inq answers"        artifact sg_inq.txt sg_inq "$sg"
  check "sg_vpd -a answers"     artifact sg_vpd-a.txt sg_vpd -a "$sg"
  if [ "$kind" = mmc ]; then
    check "sg_readcap answers"  artifact sg_readcap.txt sg_readcap "$sg"
    check "sg_readcap -l refused (ILLEGAL REQUEST: no READ CAPACITY(16) in MMC-6)" \
      sh -c 'sg_readcap -l "$1" > "$2" 2>&1; test $? = 9' _ "$sg" "$ART/sg_readcap-l.txt"
  else
    check "sg_readcap -l answers" artifact sg_readcap-l.txt sg_readcap -l "$sg"
  fi
  check "sg_opcodes answers"    artifact sg_opcodes.txt sg_opcodes "$sg"
  check "sg_modes -a answers"   artifact sg_modes-a.txt sg_modes -a "$sg"
  artifact sg_inq-d.txt sg_inq -d "$sg" > /dev/null || true         # descriptors, info only
  artifact lsscsi.txt lsscsi -g > /dev/null || true
}
