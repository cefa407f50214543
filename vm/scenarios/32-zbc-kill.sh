#!/usr/bin/env bash
# zbc-kill: emud is killed (SIGKILL) while a writer appends to a host-managed `zbc/` disk (4 MiB zones)
# with synchronous direct writes, then restarted; the zone report and the data must agree with what
# the writer had been acknowledged.
#
# The writer appends 256 KiB chunks of a random pattern from the first sequential zone, one
# `dd oflag=direct,sync` per chunk, and logs chunk i to ack.log only after that dd exited 0.
# O_DIRECT|O_DSYNC makes every bio REQ_FUA; sd sends it as WRITE(16) with FUA=1 (the disk reports
# DPOFUA and a write-back cache: checked), and emud commits the write pointer before completing a
# FUA write. So "acknowledged" = the chunks in ack.log, and ACKED_END = first sector + 512 * count.
# After the restart the write frontier F (the first non-FULL zone's write pointer; zones before it
# FULL, after it EMPTY) must satisfy ACKED_END <= F <= ACKED_END + 512 (at most the one chunk in
# flight at the kill), and [first sector, F) must read back as the pattern: a write pointer past
# durable data would expose zeros or stale blocks there. Finally the zone accepts the rest of the
# pattern at F and the whole range reads back.
# timeout: 240
# requires: openssl blkzone
# columns: emud
# n/a: crash consistency of emud's zoned store (tcmu-runner keeps zone state in an mmap synced only by SYNCHRONIZE CACHE)
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/zoned.sh"

RAW=$SCRATCH/zbc-kill.raw SIZE=$((256 << 20))
ZONE_SECTORS=8192                         # 4 MiB zones; zones 0-1 conventional
FIRST=$((2 * ZONE_SECTORS))               # first sequential sector
CHUNK=512 CHUNKS=64                       # 256 KiB chunks, 16 MiB = zones 2-5
KILL_AFTER=20                             # acknowledged chunks before the kill (zone 2 full, zone 3 open)
DATA=/tmp/zbc-kill.data ACK=/tmp/zbc-kill.ack STOP=/tmp/zbc-kill.stop
rm -f "$RAW" "$ACK" "$STOP" "$ACK.err"
pattern_file "$DATA" $((CHUNKS * CHUNK / 2)) zbc-kill

check_start_daemon
mark=$(dmesg_mark zbc-kill)
check "device created through configfs (enable returns)" \
  create_device zbc0 "zbc/model-HM/zsize-4/conv-2/open-4@$RAW" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop zbc0 || true)
check "tcm_loop attaches a host-managed disk ($BLK)" sysfs_is "${BLK:-/nonexistent}" zoned host-managed
[ -b "${BLK:-/nonexistent}" ] || { summary; exit; }
check "queue/fua = 1 (sd sends FUA writes)" sysfs_is "$BLK" fua 1
check "queue/write_cache = write back" sysfs_is "$BLK" write_cache "write back"

# writer: chunk i (256 KiB of the pattern) at FIRST + i*CHUNK; logs i after its dd succeeded; stops at the
# first failure or when STOP exists.
writer() {
  local i
  for ((i = 0; i < CHUNKS; i++)); do
    [ -e "$STOP" ] && break
    dd if="$DATA" of="$BLK" bs=256k skip="$i" seek=$((FIRST / CHUNK + i)) count=1 \
       oflag=direct,sync conv=notrunc status=none 2>> "$ACK.err" || { echo "chunk $i failed" >> "$ACK.err"; break; }
    echo "$i" >> "$ACK"
  done
}
acked() { [ -s "$ACK" ] && wc -l < "$ACK" || echo 0; }

kill_during_writes() {
  writer &
  local w=$! i
  for i in $(seq 600); do [ "$(acked)" -ge "$KILL_AFTER" ] && break; kill -0 "$w" 2>/dev/null || break; sleep 0.05; done
  local before; before=$(acked)
  kill -0 "$w" 2>/dev/null || { echo "the writer ended before the kill ($before chunks)"; return 1; }
  kill -KILL "$(cat "$STATE/daemon.pid")"
  touch "$STOP"
  echo "SIGKILL after $before acknowledged chunks"
  sleep 1; stop_daemon > /dev/null 2>&1
  start_daemon || return 1
  for i in $(seq 600); do kill -0 "$w" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$w" 2>/dev/null && { echo "the writer is still blocked 60 s after the restart"; return 1; }
  wait "$w"
  echo "writer done: $(acked) chunks acknowledged; errors: $(cat "$ACK.err" 2>/dev/null)"
  [ "$(acked)" -ge "$before" ]
}
STEP_TIMEOUT=150 check "SIGKILL of emud during synchronous sequential writes; restart; the writer ends" kill_during_writes

ACKED=$(acked)
ACKED_END=$((FIRST + ACKED * CHUNK))
# frontier: the write frontier over zones 2-5 from blkzone (zones before it FULL, after it EMPTY).
frontier() {
  local z f= line
  for z in 2 3 4 5; do
    line=$(blkzone_zone "$BLK" "$z") || return 1
    local cond=${line% *} wp=${line#* }
    echo "zone $z: condition $cond wptr +$wp" >&2
    if [ -z "$f" ]; then
      case "$cond" in
        14) ;;
        1|2|3|4) f=$((z * ZONE_SECTORS + wp)) ;;
        *) echo "zone $z in condition $cond" >&2; return 1 ;;
      esac
    elif [ "$cond" != 1 ]; then echo "zone $z beyond the frontier is not EMPTY" >&2; return 1
    fi
  done
  echo "${f:-$((6 * ZONE_SECTORS))}"
}
F=$(frontier 2> "$ART/frontier.txt") || F=
cat "$ART/frontier.txt"
echo "acknowledged: $ACKED chunks, ACKED_END $ACKED_END; frontier ${F:-?}"
check "zones before the frontier FULL, after it EMPTY" test -n "$F"
F=${F:-0}
check "write frontier ($F) >= acknowledged end ($ACKED_END): no acknowledged write lost" test "$F" -ge "$ACKED_END"
check "write frontier ($F) <= acknowledged end + one chunk ($((ACKED_END + CHUNK)))" test "$F" -le $((ACKED_END + CHUNK))
check "emud ctl agrees on the frontier zone" \
  expect_zone "$BLK" $((F / ZONE_SECTORS)) "$(blkzone_zone "$BLK" $((F / ZONE_SECTORS)) | cut -d' ' -f1)" $((F % ZONE_SECTORS))
below_frontier_is_pattern() {
  local bytes=$(((F - FIRST) * 512))
  cmp <(dd if="$BLK" bs=256k skip=$((FIRST / CHUNK)) count=$(((F - FIRST + CHUNK - 1) / CHUNK)) iflag=direct status=none | head -c "$bytes") \
      <(head -c "$bytes" "$DATA")
}
check "everything below the frontier reads back as the pattern ($(((F - FIRST) / 2)) KiB; acknowledged data intact)" below_frontier_is_pattern
# The rest of the pattern, from the frontier (a partly written chunk continues at F).
finish_pattern() {
  local next=$(((F + CHUNK - 1) / CHUNK * CHUNK))
  if [ "$next" -gt "$F" ]; then
    dd if="$DATA" of="$BLK" bs=4k skip=$(((F - FIRST) / 8)) seek=$((F / 8)) count=$(((next - F) / 8)) \
       oflag=direct conv=notrunc status=none || return 1
  fi
  [ "$next" -ge $((FIRST + CHUNKS * CHUNK)) ] && return 0
  dd if="$DATA" of="$BLK" bs=256k skip=$(((next - FIRST) / CHUNK)) seek=$((next / CHUNK)) \
     oflag=direct conv=notrunc,fsync status=none
}
check "the zone accepts the rest of the pattern at the frontier" finish_pattern
check "all 16 MiB read back identical; zones 2-5 FULL" \
  bash -c "cmp <(dd if=$BLK bs=256k skip=$((FIRST / CHUNK)) count=$CHUNKS iflag=direct status=none) $DATA && [ \$(blkzone report -o $FIRST -c 4 $BLK | grep -c 'zcond:14(') = 4 ]"
artifact blkzone-final.txt blkzone report -c 8 "$BLK" > /dev/null
artifact ack.txt cat "$ACK" "$ACK.err" > /dev/null

check "device removed (unlink + rmdir return)" remove_device zbc0
summary
