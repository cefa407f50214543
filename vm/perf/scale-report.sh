#!/usr/bin/env bash
# Turn the scale.tsv rows of a `make scale-vm` run (vm/perf/scale.sh, one boot per column) into a markdown
# table (stdout and OUT/scale.md).
# Usage: vm/perf/scale-report.sh [OUT]  (default out/vm-scale)
set -euo pipefail
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$VM_DIR/../out/vm-scale}
rows=$(cat "$OUT"/*/*/scale/scale.tsv "$OUT"/*/scale/scale.tsv 2>/dev/null || true)
[ -n "$rows" ] || { echo "scale report: no $OUT/*/scale/scale.tsv" >&2; exit 1; }
{
  printf 'Measured %s, guest kernel %s (QEMU TCG, %s vCPUs, %s MiB): one daemon, N file-backed disks of %s MiB,\n' \
    "$(date -u '+%Y-%m-%d')" "$(cat "${VM_CACHE:-$VM_DIR/cache}/kernel-version" 2>/dev/null || echo '?')" \
    "${VM_SMP:-2}" "${VM_MEM:-3072}" "${SCALE_SIZE_MIB:-16}"
  printf 'fio 4 KiB QD%s libaio O_DIRECT on all at once, %s s. Threads and RSS per device are the daemon'"'"'s growth\n' \
    "${SCALE_QD:-4}" "${SCALE_RUNTIME:-10}"
  printf 'over its own figures with no device, divided by N; wake-ups are voluntary context switches while idle.\n\n'
  printf '| daemon | N | create s (enable all / attach LUNs) | threads (per device) | RSS KiB per device | guest memory KiB per device | idle wake-ups/s per device, CPU %% | randread IOPS, min–max per device (min/max, Jain), daemon CPU s | randwrite IOPS, min–max (min/max, Jain), CPU s | remove s (LUNs / backstores) | threads after |\n'
  printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
  echo "$rows" | awk -F'\t' '{
    jr = ($25 == "" || $25 == "-") ? "-" : sprintf("%.3f", $25); jw = ($26 == "" || $26 == "-") ? "-" : sprintf("%.3f", $26)
    printf "| %s | %s | %s / %s | %s (%s) | %s | %s | %s, %s | %s, %s–%s (%s, %s), %s | %s, %s–%s (%s, %s), %s | %s / %s | %s |\n",
      $1, $2, $3, $4, $5, $6, $8, $9, $10, $11, $12, $13, $14, $15, jr, $16, $17, $18, $19, $20, jw, $21, $22, $23, $24 }'
} | tee "$OUT/scale.md"
