#!/usr/bin/env bash
# Turn the perf.tsv rows of a `make perf-vm` run into a markdown table (stdout and OUT/perf.md):
# IOPS and MiB/s per job per disk, mean completion latency, CPU seconds, and the ratios
# emud file / LIO fileio and emud qcow / tcmu-runner qcow.
# Usage: vm/perf/report.sh [OUT]  (default out/vm-perf)
set -euo pipefail
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$VM_DIR/../out/vm-perf}
rows=$(cat "$OUT"/*/fio-perf/perf.tsv 2>/dev/null || true)
[ -n "$rows" ] || { echo "perf report: no $OUT/*/fio-perf/perf.tsv" >&2; exit 1; }

echo "$rows" | awk -F'\t' -v date="$(date -u '+%Y-%m-%d')" -v kver="$(cat "${VM_CACHE:-$VM_DIR/cache}/kernel-version" 2>/dev/null || echo '?')" '
  { key = $1 "/" $2; iops[key, $3] = $4; mibs[key, $3] = $5; lat[key, $3] = $6; dcpu[key, $3] = $7; gcpu[key, $3] = $8
    if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
  function cell(k, j) { return ((k, j) in iops) ? sprintf("%s IOPS, %s MiB/s, %s µs", iops[k, j], mibs[k, j], lat[k, j]) : "–" }
  function ratio(a, b, j) {
    if (!((a, j) in iops) || !((b, j) in iops) || iops[b, j] == 0) return "–"
    return sprintf("%.2f×", iops[a, j] / iops[b, j])
  }
  END {
    split("randread-4k randwrite-4k seqread-1m seqwrite-1m fill", jobs, " ")
    printf "Measured %s, guest kernel %s (QEMU TCG, 2 vCPUs, 3 GiB), raw block device through tcm_loop, fio libaio O_DIRECT QD16.\n\n", date, kver
    printf "| job |"; for (i = 1; i <= n; i++) printf " %s |", order[i]; printf " emud file / fileio | emud qcow / tcmu-runner qcow |\n"
    printf "|---|"; for (i = 1; i <= n; i++) printf "---|"; printf "---|---|\n"
    for (j = 1; j <= 5; j++) {
      printf "| %s |", jobs[j]
      for (i = 1; i <= n; i++) printf " %s |", cell(order[i], jobs[j])
      printf " %s | %s |\n", ratio("emud/file", "fileio/fileio", jobs[j]), ratio("emud/qcow", "tcmu-runner/qcow", jobs[j])
    }
    printf "\nCPU seconds during each job (daemon process / whole guest, %s):\n\n", "user+system"
    printf "| job |"; for (i = 1; i <= n; i++) printf " %s |", order[i]; printf "\n|---|"
    for (i = 1; i <= n; i++) printf "---|"; printf "\n"
    for (j = 1; j <= 5; j++) {
      printf "| %s |", jobs[j]
      for (i = 1; i <= n; i++) { k = order[i]; printf " %s |", ((k, jobs[j]) in iops) ? dcpu[k, jobs[j]] " / " gcpu[k, jobs[j]] : "–" }
      printf "\n"
    }
  }' | tee "$OUT/perf.md"
