#!/usr/bin/env bash
# Reproduces the judgement in tsan.supp: ThreadSanitizer reports "Swift access race" on state that only
# Synchronization.Mutex guards, and none when the same program uses a pthread mutex. Builds
# tsan-mutex-repro.swift at -Onone (as `swift test` does), runs each variant RUNS times (default 5), prints
# the report counts; exit 0 when the Mutex variant reports and the pthread variant does not.
set -euo pipefail
cd "$(dirname "$0")"
RUNS=${RUNS:-5} out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
${SWIFTC:-swiftc} -sanitize=thread -Onone -o "$out/repro" tsan-mutex-repro.swift
count() {
  local n=0 i
  for i in $(seq 1 "$RUNS"); do
    MUTEX=$1 TSAN_OPTIONS=exitcode=0 "$out/repro" > "$out/log" 2>&1
    n=$((n + $(grep -c 'WARNING: ThreadSanitizer' "$out/log" || true)))
  done
  echo "$n"
}
mutex=$(count mutex) pthread=$(count pthread)
echo "Synchronization.Mutex: $mutex reports in $RUNS runs; pthread mutex: $pthread reports in $RUNS runs"
[ "$mutex" -gt 0 ] && [ "$pthread" = 0 ]
