#!/usr/bin/env bash
# `make e2e`'s runner. With E2E_VMS=2 (the default) and the gate column beside reference columns, the
# gate column (emud) runs in one VM and the reference columns (tcmu-runner, fileio) in a second VM at
# the same time; the two result folders are merged into one side-by-side report. A lone TCG guest
# used 0.74–0.85 of a core on average while a second VM and builds shared the 2 cores (QEMU's CPU
# seconds over wall seconds, session 13), so two guests overlap rather than queue. E2E_VMS=1, or a
# column list without both kinds, runs the single VM of vm/run.sh unchanged.
#
# Usage: vm/e2e.sh COLUMNS RUN_ARGS... SCENARIO...   (COLUMNS comma-separated; the gate is emud)
# Results: VM_OUT (default out/vm): results.tsv and report.md of both VMs, COLUMN/SCENARIO/ of each
# column (links into vm-emud/ and vm-reference/, each VM's own folder with its console.log).
# Exit status: the emud VM's (its scenarios are the gate), else the reference VM's harness failures.
set -uo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
COLUMNS=$1; shift
OUT=${VM_OUT:-$VM_DIR/../out/vm}

gate=() reference=()
for c in ${COLUMNS//,/ }; do
  if [ "$c" = emud ]; then gate+=("$c"); else reference+=("$c"); fi
done
if [ "${E2E_VMS:-2}" = 1 ] || [ ${#gate[@]} = 0 ] || [ ${#reference[@]} = 0 ]; then
  exec "$VM_DIR/run.sh" --gate emud --columns "$COLUMNS" --out "$OUT" "$@"
fi

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
find "$OUT" -mindepth 1 -delete
ref_columns=$(IFS=,; echo "${reference[*]}")
echo "e2e: two VMs at once: emud in $OUT/vm-emud, $ref_columns in $OUT/vm-reference"
# Each VM's lines carry its name; the console logs are whole in each folder.
{ "$VM_DIR/run.sh" --gate emud --columns emud --out "$OUT/vm-emud" "$@" 2>&1; echo $? > "$OUT/.emud-status"; } |
  sed -u 's/^/[emud VM] /' &
{ "$VM_DIR/run.sh" --gate none --columns "$ref_columns" --out "$OUT/vm-reference" "$@" 2>&1
  echo $? > "$OUT/.reference-status"; } | sed -u 's/^/[reference VM] /' &
wait
emud_rc=$(cat "$OUT/.emud-status" 2>/dev/null || echo 2)
ref_rc=$(cat "$OUT/.reference-status" 2>/dev/null || echo 2)

# One results table and one report over both VMs.
{
  head -n 1 "$OUT/vm-emud/results.tsv" 2>/dev/null || printf 'column\tscenario\tstatus\tpassed\tfailed\tseconds\n'
  for d in vm-emud vm-reference; do tail -n +2 "$OUT/$d/results.tsv" 2>/dev/null; done
} > "$OUT/results.tsv"
for d in vm-emud vm-reference; do
  for c in "$OUT/$d"/*/; do
    c=$(basename "$c")
    case " emud ${reference[*]} " in *" $c "*) ln -sfn "$d/$c" "$OUT/$c" ;; esac
  done
done
"$VM_DIR/report.sh" "$OUT" > /dev/null || echo "e2e: WARNING: report.sh failed" >&2
echo "e2e: emud VM exit $emud_rc, reference VM exit $ref_rc; report: $OUT/report.md"
[ "$emud_rc" = 0 ] || exit "$emud_rc"
exit "$ref_rc"
