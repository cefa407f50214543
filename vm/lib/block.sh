# Guest helpers for the block scenarios (50–59) and the fio performance job (vm/perf/).
# Sourced after vm/lib/guest.sh.

# allocated_bytes FILE: bytes the file system has allocated for FILE (st_blocks × 512).
allocated_bytes() {
  echo $(( $(stat -c %b "$1") * $(stat -c %B "$1") ))
}

# fio_json_field FILE JQ: one value from fio's JSON output (the first job). fio may write warning lines
# ("multiple writers may overwrite blocks…" with numjobs > 1 and verify) before the JSON: skipped.
fio_json_field() {
  sed -n '/^{/,$p' "$1" | jq -r ".jobs[0]$2"
}

# fio_verify_ok JSON KIB: fio's JSON says the job ended without error, wrote KIB KiB and read
# KIB KiB back in its verify phase (so the verification really covered every block).
fio_verify_ok() {
  local json=$1 kib=$2 err w r
  err=$(fio_json_field "$json" .error) w=$(fio_json_field "$json" .write.io_kbytes) r=$(fio_json_field "$json" .read.io_kbytes)
  echo "fio: error=$err written=${w} KiB verified=${r} KiB (want $kib)"
  [ "$err" = 0 ] && [ "$w" = "$kib" ] && [ "$r" = "$kib" ]
}

# fstrim_at_least MOUNT BYTES: `fstrim -v MOUNT` succeeds and says it trimmed at least BYTES.
fstrim_at_least() {
  local out n; out=$(fstrim -v "$1") || return 1
  echo "$out"
  n=$(echo "$out" | sed -n 's/^.*(\([0-9]*\) bytes) trimmed.*$/\1/p')      # "M: 716.8 MiB (751603712 bytes) trimmed"
  [ "${n:-0}" -ge "$2" ]
}

# discard_queue_ok DEV GRANULARITY: the block queue of DEV (sdX) takes discards of GRANULARITY.
discard_queue_ok() {
  local q=/sys/block/$1/queue
  echo "discard_max_bytes=$(cat "$q/discard_max_bytes") discard_granularity=$(cat "$q/discard_granularity")"
  [ "$(cat "$q/discard_max_bytes")" -gt 0 ] && [ "$(cat "$q/discard_granularity")" = "$2" ]
}

# set_backstore_attrib NAME ATTRIB VALUE: writes attrib/ATTRIB of backstore NAME (before export).
set_backstore_attrib() {
  local bs; bs=$(backstore_dir "$1") || return 1
  write_bounded "$3" "$bs/attrib/$2" && [ "$(cat "$bs/attrib/$2")" = "$3" ]
}

# pattern_at IMAGE DEV OFFSET_BYTES SIZE_BYTES SEED: writes SEED's pattern to DEV (direct I/O)
# and at the same offset into the expected raw IMAGE. Offsets and sizes are multiples of 512.
pattern_at() {
  local img=$1 dev=$2 off=$3 size=$4 seed=$5 f=/tmp/pattern-at.$$
  head -c "$size" < <(openssl enc -aes-128-ctr -pass "pass:$seed" -nosalt -pbkdf2 < /dev/zero 2>/dev/null) > "$f"
  dd if="$f" of="$dev" bs=256k seek="$off" oflag=direct,seek_bytes conv=notrunc status=none || return 1
  dd if="$f" of="$img" bs=256k seek="$off" oflag=seek_bytes conv=notrunc status=none || return 1
  rm -f "$f"
}

# zero_at IMAGE OFFSET_BYTES SIZE_BYTES: zeros in the expected raw IMAGE.
zero_at() {
  dd if=/dev/zero of="$1" bs=512 seek=$(($2 / 512)) count=$(($3 / 512)) conv=notrunc status=none
}

# create_fileio_buffered NAME FILE SIZE: LIO fileio as targetcli makes it by default (write_back:
# fd_buffered_io=1, so it advertises a write cache like emud's WCE=1), with thin provisioning
# (emulate_tpu, emulate_tpws) like emud's `file/` default. sd discards with WRITE SAME(16) UNMAP of
# up to 65535 blocks, more than fileio's default max_write_same_len (4096: "critical target error"),
# hence max_write_same_len=65535.
create_fileio_buffered() {
  local name=$1 file=$2 size=$3
  create_fileio "$name" "$file" "$size" ",fd_buffered_io=1" || return 1
  set_backstore_attrib "$name" emulate_tpu 1 && set_backstore_attrib "$name" emulate_tpws 1 &&
    set_backstore_attrib "$name" max_write_same_len 65535
}

# check_timed SECS "description" CMD...: `check` for a long-running external command, bounded by
# coreutils `timeout` instead of run_bounded's polling loop. Under TCG every poll forks a `sleep`
# (loaded over 9p) ten times a second, which halved the IOPS fio measured.
check_timed() {
  local secs=$1 desc=$2; shift 2
  local out rc=0 t0=$SECONDS
  out=$(timeout -k 5 "$secs" "$@" 2>&1) || rc=$?
  record_check "$desc" "$rc" $((SECONDS - t0)) "$out" "$@"
}
