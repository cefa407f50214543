#!/usr/bin/env bash
# rbd-cluster: a one-node Ceph cluster inside the guest (scripts/ceph-cluster.sh: monitor, manager, one
# BlueStore OSD on a sparse file in the ext4 scratch file system; tmpfs has no O_DIRECT), an `rbd/` disk
# made by `emud create` without --size (docs/rbd.md's line: the device takes the image's 512 MiB) on
# tcm_loop, ext4 + fio randwrite 4 KiB QD16 with crc32c verify, e2fsck, `emud remove`. The cluster's
# start time under TCG and its memory go to memory.txt. Measured: cluster up in 44 s, fio 111 s
# (261 write IOPS, 346 verify-read IOPS), guest memory used 859 MiB of 2935 at the end; 180 s in all.
# With RBDVM_BENCH_SECONDS=N, before the file system, a raw-device measurement both columns run the same
# way (rbd_bench_raw): 64 MiB written sequentially, then fio 4 KiB randread and randwrite QD32 for N s
# each, IOPS to raw-bench.txt (off by default: docs/rbd.md says why). The tcmu-runner column (Debian's tcmu-runner 1.5.4, handler_rbd.so, on the
# same kind of cluster, the device made through configfs with the same config string) runs only with
# RBDVM_TCMU_RUNNER=1: it costs another cluster start and fio run under TCG (~3 min).
# Knobs: RBDVM_FIO_MIB (fio file and bytes verified, 64), RBDVM_WAIT_FACTOR (10: CEPH_WAIT_FACTOR),
#   RBDVM_BENCH_SECONDS (0: no raw measurement), RBDVM_TCMU_RUNNER (0).
# timeout: 1500
# requires: ceph-mon ceph-mgr ceph-osd ceph rbd monmaptool fio jq mkfs.ext4 e2fsck bc
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/block.sh"

case $DAEMON in
  emud) ;;
  tcmu-runner) [ "${RBDVM_TCMU_RUNNER:-0}" = 1 ] ||
    not_applicable "tcmu-runner's rbd handler runs only with RBDVM_TCMU_RUNNER=1 (another ~3 min of cluster under TCG)" ;;
  *) not_applicable "fileio has no rbd" ;;
esac
CEPH=$SCRATCH/ceph MNT=/mnt/rbd FIO_MIB=${RBDVM_FIO_MIB:-64} SIZE=$((512 << 20)) BENCH_S=${RBDVM_BENCH_SECONDS:-0}
CFG="rbd/emud/disk;osd_op_timeout=30;conf=$CEPH/ceph.conf"
export CEPH_WAIT_FACTOR=${RBDVM_WAIT_FACTOR:-10} CEPH_OSD_BLOCK_SIZE=$((2 << 30)) RBD_IMAGE_SIZE=512M
free -m | tee "$ART/memory.txt"
t0=$SECONDS
check_timed 900 "one-node cluster starts in the guest" "$REPO/scripts/ceph-cluster.sh" start "$CEPH"
echo "cluster start took $((SECONDS - t0)) s under TCG" | tee -a "$ART/memory.txt"
cp -r "$CEPH/log" "$ART/ceph-log-start" 2>/dev/null
{ "$REPO/scripts/ceph-cluster.sh" status "$CEPH"; free -m; } | tee -a "$ART/memory.txt"

check_start_daemon
STEP_TIMEOUT=240
mark=$(dmesg_mark rbd-cluster)
# emud: the line docs/rbd.md gives (no --size, so the device takes the image's size). tcmu-runner:
# the same config string through configfs (dev_size given), then a tcm_loop LUN.
create_rbd() {
  if [ "$DAEMON" = emud ]; then
    emud_run create disk0 "$CFG" > "$STATE/create.disk0" 2> "$ART/create.err" || { cat "$ART/create.err"; return 1; }
  else
    { create_user_device disk0 "$CFG" "$SIZE" && link_loop disk0; } > "$STATE/create.disk0" 2> "$ART/create.err" ||
      { cat "$ART/create.err"; return 1; }
  fi
  cat "$STATE/create.disk0"
  grep -Eq '^/dev/sd[a-z]+ /dev/sg[0-9]+$' "$STATE/create.disk0"
}
check "$DAEMON: disk0 '$CFG' on tcm_loop prints its nodes" create_rbd
BLK= SG=
read -r BLK SG < "$STATE/create.disk0" 2>/dev/null || true
check "the disk ($BLK) has the image's size (512 MiB)" sh -c "[ \$(blockdev --getsize64 ${BLK:-/nonexistent}) = $SIZE ]"
check "no kernel warnings or errors after attach" dmesg_clean_since "$mark"

# rbd_bench_raw DEV: 64 MiB written sequentially (so reads hit written objects), then 4 KiB randread
# and randwrite QD32 over it for BENCH_S seconds each; "randread IOPS randwrite IOPS" to raw-bench.txt.
rbd_bench_raw() {
  local dev=$1 common="--filename=$1 --size=64M --ioengine=libaio --direct=1 --output-format=json"
  fio --name=fill $common --rw=write --bs=1M --iodepth=4 --output="$ART/raw-fill.json" || return 1
  fio --name=rr $common --rw=randread --bs=4k --iodepth=32 --time_based --runtime="$BENCH_S" --output="$ART/raw-randread.json" || return 1
  fio --name=rw $common --rw=randwrite --bs=4k --iodepth=32 --time_based --runtime="$BENCH_S" --output="$ART/raw-randwrite.json" || return 1
  local r w
  r=$(jq '.jobs[0].read.iops | floor' "$ART/raw-randread.json") && w=$(jq '.jobs[0].write.iops | floor' "$ART/raw-randwrite.json") || return 1
  echo "$DAEMON rbd raw 4k QD32 (${BENCH_S} s each, TCG): randread $r IOPS, randwrite $w IOPS" | tee "$ART/raw-bench.txt"
  [ "$(jq -s '[.[].jobs[0].error] | add' "$ART/raw-fill.json" "$ART/raw-randread.json" "$ART/raw-randwrite.json")" = 0 ]
}
if [ -b "${BLK:-/nonexistent}" ] && [ "$BENCH_S" -gt 0 ]; then
  STEP_TIMEOUT=$((BENCH_S * 2 + 240)) check "raw 4k randread/randwrite QD32 on the rbd disk (fio, no error)" rbd_bench_raw "$BLK"
fi
if [ -b "${BLK:-/nonexistent}" ]; then
  check "mkfs.ext4" artifact mkfs.txt mkfs.ext4 -F -q "$BLK"
  mkdir -p "$MNT"
  check "mount ext4" mount -t ext4 "$BLK" "$MNT"
  t1=$SECONDS
  check_timed 900 "fio randwrite 4k QD16 over $FIO_MIB MiB, verify=crc32c" \
    fio --name=verify --filename="$MNT/fio.dat" --size="${FIO_MIB}M" --rw=randwrite --bs=4k \
      --iodepth=16 --ioengine=libaio --direct=1 --verify=crc32c --do_verify=1 --verify_fatal=1 \
      --output-format=json --output="$ART/fio.json"
  echo "fio took $((SECONDS - t1)) s"
  check "fio: no error, every block written and verified" fio_verify_ok "$ART/fio.json" $((FIO_MIB * 1024))
  jq -c '.jobs[0] | {write_iops: .write.iops, verify_read_iops: .read.iops}' "$ART/fio.json" 2>/dev/null | tee "$ART/fio-summary.txt"
  check "unmount" umount "$MNT"
  check "e2fsck -fn is clean" artifact e2fsck.txt e2fsck -fn "$BLK"
fi
{ "$REPO/scripts/ceph-cluster.sh" status "$CEPH"; free -m; } | tee -a "$ART/memory.txt"
if [ "$DAEMON" = emud ]; then
  check "emud remove disk0" emud_run remove disk0
else
  check "disk0 removed" remove_device disk0
fi
check "no kernel warnings or errors overall" dmesg_clean_since "$mark"
cp -r "$CEPH/log" "$ART/ceph-log" 2>/dev/null
check "cluster stops" "$REPO/scripts/ceph-cluster.sh" stop "$CEPH"
summary
