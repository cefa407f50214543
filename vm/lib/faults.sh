# Guest helpers for the fault-injection scenarios (6x-fault-*). Sourced after guest.sh.
source "$REPO/vm/lib/optical.sh"   # expect_fail, make_iso, disc_matches (emud_ctl is daemon.sh's)

# fault DEV WORDS...: `emud ctl DEV fault WORDS...`, output kept in checks.log.
fault() { local dev=$1; shift; emud_ctl "$dev" fault "$@"; }

# fault_fired DEV ID N: rule ID of DEV has fired at least N times (from `fault list`).
fault_fired() {
  local out; out=$(fault "$1" list) || return 1
  echo "$out"
  echo "$out" | awk -v id="$2" -v n="$3" '$1 == id { sub("fired=", "", $3); ok = ($3 + 0 >= n) } END { exit !ok }'
}

# fault_counter DEV ID FIELD: rule ID's counter FIELD (matched or fired) from `fault list`.
fault_counter() {
  fault "$1" list | awk -v id="$2" -v f="$3=" '$1 == id { for (i = 2; i <= NF; i++) if (index($i, f) == 1) { print substr($i, length(f) + 1); exit } }'
}

# fault_counter_is DEV ID FIELD N: rule ID's counter FIELD is exactly N.
fault_counter_is() { local n; n=$(fault_counter "$1" "$2" "$3"); echo "$3=$n"; [ "$n" = "$4" ]; }

# fault_counter_above DEV ID FIELD N: rule ID's counter FIELD is more than N.
fault_counter_above() { local n; n=$(fault_counter "$1" "$2" "$3"); echo "$3=$n"; [ -n "$n" ] && [ "$n" -gt "$4" ]; }

# read_blocks DEV BS SKIP COUNT: direct read of COUNT blocks of BS bytes at block SKIP (dd's status).
read_blocks() { dd if="$1" of=/dev/null bs="$2" skip="$3" count="$4" iflag=direct status=none; }

# write_blocks DEV BS SEEK COUNT: direct write of zeros.
write_blocks() { dd if=/dev/zero of="$1" bs="$2" seek="$3" count="$4" oflag=direct,sync conv=notrunc status=none; }

# dmesg_has MARK ERE: a kernel line after MARK matches ERE (printed).
dmesg_has() { dmesg_since "$1" | grep -E -- "$2"; }

# fault_list_has DEV LINE: `fault list` of DEV has exactly LINE.
fault_list_has() { local out; out=$(fault "$1" list); echo "$out"; echo "$out" | grep -qx -- "$2"; }

# dd_stops_at DEV BS COUNT N: a direct dd read of COUNT blocks fails after exactly N whole blocks.
dd_stops_at() {
  local out; out=$(dd if="$1" of=/dev/null bs="$2" count="$3" iflag=direct 2>&1) && { echo "$out"; return 1; }
  echo "$out"; echo "$out" | grep -q "^$4+0 records in"
}

# badblocks_lists DEV BS "B1 B2 ...": `badblocks -sv -b BS` over DEV lists exactly those blocks.
badblocks_lists() {
  local last=$(( $(blockdev --getsize64 "$1") / $2 - 1 ))
  badblocks -sv -b "$2" -o "$ART/badblocks.txt" "$1" "$last" 0 || return 1
  cat "$ART/badblocks.txt"
  [ "$(tr '\n' ' ' < "$ART/badblocks.txt")" = "$3 " ]
}

# daemon_logged ERE: the daemon's log has a line matching ERE.
daemon_logged() { grep -E -- "$1" "$ART"/daemon*.log; }

# fio_rw_p50 JSON: "READ_P50_NS WRITE_P50_NS" of a two-job fio JSON (job 0 reads, job 1 writes).
fio_rw_p50() {
  echo "$(jq -r '.jobs[0].read.clat_ns.percentile["50.000000"]' "$1") $(jq -r '.jobs[1].write.clat_ns.percentile["50.000000"]' "$1")"
}

# fio_read_write DEV JSON SECS: 4 KiB random reads (first half of DEV) and writes (second half) at
# QD1, concurrently, for SECS seconds; fio's JSON in JSON.
fio_read_write() {
  local half=$(( $(blockdev --getsize64 "$1") / 2 ))
  timeout $(( $3 + 60 )) fio --filename="$1" --direct=1 --ioengine=libaio --iodepth=1 --bs=4k --runtime="$3" \
    --time_based --size="$half" --output-format=json --output="$2" \
    --name=r --rw=randread --offset=0 --name=w --rw=randwrite --offset="$half" > /dev/null
}

# iso_extent ISO NAME: the first logical block (2048 bytes) of file NAME on an ISO 9660 image.
iso_extent() {
  isoinfo -l -i "$1" | awk -v n="$2;1" '$NF == n { gsub(/\[/, ""); for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/ && $(i + 1) == "00]") { print $i; exit } }'
}

# read_fails_eio FILE: reading FILE fails with "Input/output error".
read_fails_eio() {
  local out; out=$(cat "$1" 2>&1 > /dev/null) && { echo "read succeeded"; return 1; }
  echo "$out"; echo "$out" | grep -q 'Input/output error'
}

# md_state MD: "[UU]"-style member map of MD from /proc/mdstat.
md_state() { awk -v md="${1#/dev/}" '$1 == md { getline; print $NF }' /proc/mdstat; }

# md_state_is MD STATE: /proc/mdstat shows STATE ([UU], [U_], …) for MD.
md_state_is() { cat /proc/mdstat; [ "$(md_state "$1")" = "$2" ]; }

# sha_of DEV MIB: sha256 of the first MIB MiB of DEV, read with O_DIRECT.
sha_of() { dd if="$1" bs=1M count="$2" iflag=direct status=none | sha256sum | cut -d' ' -f1; }

# sha_is DEV MIB SUM: the first MIB MiB of DEV hash to SUM.
sha_is() { local s; s=$(sha_of "$1" "$2"); echo "$s"; [ "$s" = "$3" ]; }
