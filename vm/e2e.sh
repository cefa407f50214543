#!/usr/bin/env bash
# `make e2e`'s runner: the scenarios in one VM, or in two VMs at once (E2E_VMS=2), one merged report.
#   VM 1: emud's column, scenarios numbered below E2E_SPLIT (56);
#   VM 2: the reference columns (tcmu-runner, fileio) over every scenario, then emud's column from
#         E2E_SPLIT on (the service and fault scenarios, in their own order) in a second boot.
# emud's column is ~3/4 of the VM time (session 13, load 8–14: emud 10–51 3416 s, tcmu-runner 1331 s), so
# its tail goes with the reference columns to even the two VMs out.
# E2E_VMS (default: 2 with at least 4 CPUs, else 1). A lone guest (-smp 2, QEMU's multi-threaded TCG) on
# a quiet 2-core machine uses 1.4 cores (QEMU's CPU seconds over wall seconds: 475 s over 346 s, session
# 14), so a second guest there only halves each one's speed: CI (2 cores) ran emud's scenarios below 56
# into the 4500 s VM limit with two VMs, where one VM had run all three columns in time. The 0.74–0.85
# core that made two VMs pay off in session 13 was measured on a machine loaded by other work.
# E2E_VMS=1 (or a run without both emud and a reference column) is vm/run.sh's single VM.
#
# Usage: vm/e2e.sh COLUMNS RUN_ARG... SCENARIO...   (COLUMNS comma-separated; emud's scenarios gate)
#   RUN_ARG: vm/run.sh options (--timeout S, ...); SCENARIO: as vm/run.sh takes them, or all.
# Results: VM_OUT (default out/vm): results.tsv and report.md of every boot; COLUMN/SCENARIO links into
# vm-emud/, vm-reference/, vm-emud-tail/ (each boot's own folder, with its console.log).
# Exit status: 1 when an emud scenario failed, 3 on harness trouble in any boot (as vm/run.sh).
set -uo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
COLUMNS=$1; shift
OUT=${VM_OUT:-$VM_DIR/../out/vm}
SPLIT=${E2E_SPLIT:-56}

gate=0 reference=()
for c in ${COLUMNS//,/ }; do
  if [ "$c" = emud ]; then gate=1; else reference+=("$c"); fi
done
VMS=${E2E_VMS:-}
[ -n "$VMS" ] || { VMS=1; [ "$(nproc)" -lt 4 ] || VMS=2; }
if [ "$VMS" = 1 ] || [ "$gate" = 0 ] || [ ${#reference[@]} = 0 ]; then
  exec "$VM_DIR/run.sh" --gate emud --columns "$COLUMNS" --out "$OUT" "$@"
fi

# Options go to every boot; scenarios are resolved here (as run.sh does) to split them by number.
run_args=() head=() tail=() all=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out|--columns|--gate) echo "e2e: $1 is chosen by vm/e2e.sh" >&2; exit 2 ;;
    --*) run_args+=("$1" "$2"); shift 2; continue ;;
    all) all+=("$VM_DIR"/scenarios/*.sh) ;;
    *) if [ -f "$1" ]; then all+=("$1")
       else
         f=$(ls "$VM_DIR/scenarios/${1%.sh}.sh" "$VM_DIR"/scenarios/[0-9][0-9]-"${1%.sh}".sh 2>/dev/null | head -n1)
         [ -n "$f" ] || { echo "e2e: no scenario '$1' in vm/scenarios" >&2; exit 2; }
         all+=("$f")
       fi ;;
  esac
  shift
done
for f in "${all[@]}"; do
  n=$(basename "$f" | sed -n 's/^\([0-9][0-9]*\)-.*/\1/p')
  if [ -n "$n" ] && [ "$((10#$n))" -ge "$SPLIT" ]; then tail+=("$f"); else head+=("$f"); fi
done

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
find "$OUT" -mindepth 1 -delete
ref_columns=$(IFS=,; echo "${reference[*]}")
echo "e2e: two VMs at once: emud ${#head[@]} scenarios | $ref_columns ${#all[@]}, then emud ${#tail[@]} (from $SPLIT)"

boot() {  # boot NAME GATE COLUMNS SCENARIO...: one vm/run.sh, its status in $OUT/.NAME-status
  local name=$1 gate=$2 columns=$3; shift 3
  "$VM_DIR/run.sh" --gate "$gate" --columns "$columns" --out "$OUT/$name" "${run_args[@]}" "$@" 2>&1
  echo $? > "$OUT/.$name-status"
}
if [ ${#head[@]} -gt 0 ]; then
  boot vm-emud emud emud "${head[@]}" | sed -u 's/^/[VM 1] /' &
fi
{
  boot vm-reference none "$ref_columns" "${all[@]}"
  [ ${#tail[@]} = 0 ] || boot vm-emud-tail emud emud "${tail[@]}"
} | sed -u 's/^/[VM 2] /' &
wait

# One results table and one report over every boot: a column's folder holds links to its scenarios.
printf 'column\tscenario\tstatus\tpassed\tfailed\tseconds\n' > "$OUT/results.tsv"
rc=0
for d in vm-emud vm-reference vm-emud-tail; do
  [ -d "$OUT/$d" ] || continue
  tail -n +2 "$OUT/$d/results.tsv" 2>/dev/null >> "$OUT/results.tsv"
  for s in "$OUT/$d"/*/*/; do
    s=${s%/}; c=$(basename "$(dirname "$s")")
    case " emud ${reference[*]} " in *" $c "*) mkdir -p "$OUT/$c"; ln -sfn "../$d/$c/$(basename "$s")" "$OUT/$c/" ;; esac
  done
  status=$(cat "$OUT/.$d-status" 2>/dev/null || echo 3)
  echo "e2e: $d exit $status"
  # a harness failure (3, or anything but 0/1) outranks a failed scenario (1)
  if [ "$status" != 0 ] && { [ "$rc" = 0 ] || [ "$status" != 1 ]; }; then rc=$status; fi
done
"$VM_DIR/report.sh" "$OUT" > /dev/null || echo "e2e: WARNING: report.sh failed" >&2
echo "e2e: report: $OUT/report.md; exit $rc"
exit "$rc"
