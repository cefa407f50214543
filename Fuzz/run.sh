#!/usr/bin/env bash
# Builds the fuzz targets (libFuzzer + AddressSanitizer), writes the seed corpora and runs every target
# for FUZZ_SECONDS. Prints one line per target: executions, new corpus entries, crashes. Exit status 1
# when any target crashed (the input is kept in $OUT/crashes/TARGET/; reproduce with
# `Fuzz/.build/debug/TARGET FILE`; then add the file to Fuzz/regressions/TARGET/ with the fix).
#
# Knobs: FUZZ_SECONDS (60 per target), FUZZ_TARGETS (all), FIXTURES (the conformance corpora:
# fixtures/ or Tests/Conformance/fixtures/), FUZZ_OUT (out/fuzz), FUZZ_JOBS (targets run at once, 1).
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(cd .. && pwd)
SECONDS_EACH=${FUZZ_SECONDS:-60}
OUT=${FUZZ_OUT:-$ROOT/out/fuzz}
FIXTURES=${FIXTURES:-$(for d in "$ROOT/fixtures" "$ROOT/Tests/Conformance/fixtures"; do [ -d "$d" ] && { echo "$d"; break; }; done)}
ALL="FuzzCDBDisk FuzzCDBQcow2 FuzzCDBOptical FuzzCDBZoned FuzzRing FuzzCorpus FuzzConfigString FuzzTCMUConf FuzzControlRequest FuzzQcow2Image FuzzZonedImage"
TARGETS=${FUZZ_TARGETS:-$ALL}
command -v qemu-img > /dev/null && command -v qemu-io > /dev/null || { echo "fuzz: qemu-img and qemu-io needed (qemu-utils)"; exit 2; }

t0=$SECONDS
echo "== build (libFuzzer + AddressSanitizer)"
swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -v 'Cannot export local symbol' | tail -n 3
[ "${PIPESTATUS[0]}" = 0 ] || { echo "fuzz: build failed"; exit 2; }
BIN=$(swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)
echo "   built in $((SECONDS - t0)) s"

echo "== seeds from ${FIXTURES:-no fixtures} and fresh images"
rm -rf "$OUT"; mkdir -p "$OUT/seeds" "$OUT/corpus" "$OUT/crashes" "$OUT/logs"
export TMPDIR=$OUT/tmp; mkdir -p "$TMPDIR"
"$BIN/FuzzSeeds" "${FIXTURES:-/nonexistent}" "$OUT/seeds" < /dev/null || { echo "fuzz: seeds failed"; exit 2; }

# One target: runs it for SECONDS_EACH and writes its summary line to $OUT/logs/TARGET.line (status 1 on a crash).
run_target() {
  local t=$1 rc execs rate crashes note=""
  mkdir -p "$OUT/corpus/$t" "$OUT/crashes/$t"
  # A target reads its seeds and adds what it finds to its own corpus directory. Fuzz/regressions/TARGET
  # holds every input that once crashed it: they run first, on every run, whatever the clock allows.
  local regress=(); [ -d "regressions/$t" ] && regress=("$PWD/regressions/$t")
  "$BIN/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$OUT/crashes/$t/" "$OUT/corpus/$t" "$OUT/seeds/$t" "${regress[@]}" \
      < /dev/null > "$OUT/logs/$t.log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/logs/$t.log" | tail -n1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$OUT/logs/$t.log" | tail -n1)
  crashes=$(find "$OUT/crashes/$t" -type f | wc -l)
  if [ "$rc" != 0 ] || [ "$crashes" -gt 0 ]; then
    note="FAILED (status $rc): $(grep -m1 -E 'Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|deadly signal' "$OUT/logs/$t.log")"
  fi
  printf '%-20s %12s %10s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "$crashes" "$note" > "$OUT/logs/$t.line"
  [ -z "$note" ]
}

# FUZZ_JOBS targets at once (each libFuzzer process uses one core); the summary keeps the targets' order.
JOBS=${FUZZ_JOBS:-1}
case "$JOBS" in ''|*[!0-9]*|0) echo "fuzz: FUZZ_JOBS must be a positive number, not '$JOBS'"; exit 2 ;; esac
failed=0
printf '%-20s %12s %10s %8s %s\n' target executions exec/s crashes "" > "$OUT/summary.txt"
running=0
for t in $TARGETS; do
  if [ "$running" -ge "$JOBS" ]; then wait -n || failed=1; running=$((running - 1)); fi
  run_target "$t" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do wait -n || failed=1; running=$((running - 1)); done
for t in $TARGETS; do
  if [ -f "$OUT/logs/$t.line" ]; then cat "$OUT/logs/$t.line"; else echo "$t: no result"; failed=1; fi
done | tee -a "$OUT/summary.txt"
echo "fuzz: $((SECONDS - t0)) s in all; summary in $OUT/summary.txt, logs in $OUT/logs/"
exit "$failed"
