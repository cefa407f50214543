#!/usr/bin/env bash
# qcow-image: qcow2 images made by qemu-img, written and read through the `qcow/` handler.
#  1. `qemu-img create -f qcow2` (64 KiB clusters) and a 4 KiB-cluster image
#     (`-o cluster_size=4096,lazy_refcounts=off`): a known pattern at scattered offsets (direct
#     I/O; inside a cluster, across cluster and L2-table boundaries, the last block, a partial
#     overwrite), a WRITE SAME zero-out (`blkdiscard -z`) of an unaligned range and a
#     cluster-aligned UNMAP (`blkdiscard`); the same edits go into an expected raw image built
#     in the guest. After removal: `qemu-img check` is clean, and `qemu-img convert -O raw`
#     equals the expected image byte for byte.
#  2. A compressed image (`qemu-img convert -c`, asserted to hold compressed clusters) reads
#     back through the device equal to its source; a partial write into a compressed cluster
#     reads back, and after removal the image checks clean and converts to the expected bytes.
# timeout: 300
# requires: openssl qemu-img
# columns: emud tcmu-runner
# n/a: qcow needs a user backstore
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/block.sh"

SIZE=$((64 << 20)) K=1024 M=$((1024 * 1024))
check_start_daemon
mark=$(dmesg_mark qcow-image)

# scattered_writes IMG EXPECTED DEV CLUSTER: the edits of part 1, on the device and the expected image.
scattered_writes() {
  local img=$1 exp=$2 dev=$3 cs=$4 rc=0
  pattern_at "$exp" "$dev" 0 $((4 * K)) s1 || rc=1                          # first block
  pattern_at "$exp" "$dev" $((cs - 2 * K)) $((8 * K)) s2 || rc=1            # across a cluster boundary
  pattern_at "$exp" "$dev" $((5 * M + 512)) $((300 * K)) s3 || rc=1         # unaligned, many clusters
  pattern_at "$exp" "$dev" $((17 * M + 7 * 4096)) $((1 * M)) s4 || rc=1
  pattern_at "$exp" "$dev" $((5 * M + 64 * K)) $((16 * K)) s5 || rc=1       # overwrite inside s3
  pattern_at "$exp" "$dev" $((32 * M - 3 * K)) $((6 * K)) s6 || rc=1        # across the 32 MiB mark
  pattern_at "$exp" "$dev" $((40 * M)) $((2 * M)) s7 || rc=1                # 2 MiB (two commands or more)
  pattern_at "$exp" "$dev" $((SIZE - 4 * K)) $((4 * K)) s8 || rc=1          # last block
  # WRITE SAME zero-out of an unaligned range inside s7 (exact zeros whatever the granularity)
  blkdiscard -z -o $((40 * M + 3 * K)) -l $((200 * K)) "$dev" && zero_at "$exp" $((40 * M + 3 * K)) $((200 * K)) || rc=1
  # UNMAP of whole clusters inside s4: LBPRZ, so they read as zeros
  local u=$(( (17 * M + 7 * 4096 + cs - 1) / cs * cs ))
  blkdiscard -o "$u" -l $((4 * cs)) "$dev" && zero_at "$exp" "$u" $((4 * cs)) || rc=1
  return "$rc"
}

# image_round_trip LABEL IMG CLUSTER: part 1 for one image.
image_round_trip() {
  local label=$1 img=$2 cs=$3 exp=$SCRATCH/$1.expected
  rm -f "$exp"; truncate -s "$SIZE" "$exp"
  check "$label: device created" create_user_device "$label" "qcow/$img" "$SIZE"
  local blk= sg=
  read -r blk sg < <(link_loop "$label" || true)
  check "$label: tcm_loop attaches a disk ($blk)" test -b "${blk:-/nonexistent}"
  if [ -b "${blk:-/nonexistent}" ]; then
    check "$label: scattered writes, zero-out and unmap" scattered_writes "$img" "$exp" "$blk" "$cs"
    check "$label: device reads back the expected image" cmp <(dd if="$blk" bs=1M iflag=direct status=none) "$exp"
  fi
  check "$label: device removed" remove_device "$label"
  check "$label: qemu-img check is clean" artifact "$label-check.txt" qemu-img check "$img"
  check "$label: qemu-img convert -O raw equals what was written" \
    sh -c 'qemu-img convert -f qcow2 -O raw "$1" "$1.raw" && cmp "$1.raw" "$2"; r=$?; rm -f "$1.raw"; exit $r' _ "$img" "$exp"
  rm -f "$exp"
}

IMG1=$SCRATCH/qcow-default.qcow2 IMG2=$SCRATCH/qcow-4k.qcow2
qemu-img create -q -f qcow2 "$IMG1" "$SIZE"
qemu-img create -q -f qcow2 -o cluster_size=4096,lazy_refcounts=off "$IMG2" "$SIZE"
image_round_trip q64k "$IMG1" $((64 * K))
image_round_trip q4k "$IMG2" $((4 * K))

# ---- compressed clusters -----------------------------------------------------------------
# compressed_writes EXPECTED DEV: partial writes into two compressed clusters (one crossing into the next).
compressed_writes() {
  pattern_at "$1" "$2" $((M + 4 * K)) $((8 * K)) c1 && pattern_at "$1" "$2" $((63 * M + 64 * K - 512)) $((1 * K)) c2
}
SRC=$SCRATCH/qcow-src.raw CMP=$SCRATCH/qcow-compressed.qcow2 EXP=$SCRATCH/qcow-compressed.expected
# Compressible, different in every cluster: numbered text lines; 2 MiB of random data; a hole.
truncate -s "$SIZE" "$SRC"
seq -f 'emud qcow compressed line %.0f' 1 400000 | head -c $((12 * M)) | dd of="$SRC" conv=notrunc status=none
pattern_file /tmp/rnd.$$ 2048 rnd && dd if=/tmp/rnd.$$ of="$SRC" bs=1M seek=20 conv=notrunc status=none && rm -f /tmp/rnd.$$
seq -f 'tail %.0f' 1 100000 | head -c $((1 * M)) | dd of="$SRC" bs=1M seek=63 conv=notrunc status=none
qemu-img convert -q -c -f raw -O qcow2 "$SRC" "$CMP"
check "compressed image holds compressed clusters" \
  sh -c 'qemu-img check "$1" | tee /dev/stderr | grep -Eq "[1-9][0-9.]*% compressed clusters"' _ "$CMP"
check "compressed: device created" create_user_device qz "qcow/$CMP" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop qz || true)
check "compressed: tcm_loop attaches a disk ($BLK)" test -b "${BLK:-/nonexistent}"
if [ -b "${BLK:-/nonexistent}" ]; then
  check "compressed: device reads back the source image" cmp <(dd if="$BLK" bs=1M iflag=direct status=none) "$SRC"
  cp "$SRC" "$EXP"
  check "compressed: partial writes into compressed clusters" compressed_writes "$EXP" "$BLK"
  check "compressed: device reads back source + writes" cmp <(dd if="$BLK" bs=1M iflag=direct status=none) "$EXP"
fi
check "compressed: device removed" remove_device qz
check "compressed: qemu-img check is clean" artifact qz-check.txt qemu-img check "$CMP"
check "compressed: qemu-img convert -O raw equals source + writes" \
  sh -c 'qemu-img convert -f qcow2 -O raw "$1" "$1.raw" && cmp "$1.raw" "$2"; r=$?; rm -f "$1.raw"; exit $r' _ "$CMP" "$EXP"
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
