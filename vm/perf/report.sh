#!/usr/bin/env bash
# Turn the perf.tsv rows of a `make perf-vm` run into a markdown table (stdout and OUT/perf.md):
# each daemon's IOPS relative to the LIO fileio disk of its own boot (emud file, tcmu-runner fbo) and
# emud over tcmu-runner by those ratios; then IOPS, MiB/s, mean completion latency and CPU seconds
# per job per disk.
# Usage: vm/perf/report.sh [OUT]  (default out/vm-perf)
set -euo pipefail
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$VM_DIR/../out/vm-perf}
rows=$(cat "$OUT"/*/fio-perf/perf.tsv "$OUT"/*/*/fio-perf/perf.tsv 2>/dev/null || true)  # one boot, or a boot per column
[ -n "$rows" ] || { echo "perf report: no $OUT/*/fio-perf/perf.tsv" >&2; exit 1; }

echo "$rows" | awk -F'\t' -v date="$(date -u '+%Y-%m-%d')" -v kver="$(cat "${VM_CACHE:-$VM_DIR/cache}/kernel-version" 2>/dev/null || echo '?')" '
  { key = $1 "/" $2; iops[key, $3] = $4; mibs[key, $3] = $5; lat[key, $3] = $6; dcpu[key, $3] = $7; gcpu[key, $3] = $8
    wake[key, $3] = NF >= 9 ? $9 : "–"
    if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
  function cell(k, j) { return ((k, j) in iops) ? sprintf("%s IOPS, %s MiB/s, %s µs", iops[k, j], mibs[k, j], lat[k, j]) : "–" }
  # rel(a, b, j): IOPS of disk a over disk b (a number, or -1 when either is missing).
  function rel(a, b, j) { return ((a, j) in iops) && ((b, j) in iops) && iops[b, j] > 0 ? iops[a, j] / iops[b, j] : -1 }
  function show(r) { return r < 0 ? "–" : sprintf("%.2f", r) }
  END {
    split("randread-4k randwrite-4k randread-4k-qd1 seqread-1m seqwrite-1m fill", jobs, " ")
    split("4 KiB random read QD16|4 KiB random write QD16|4 KiB random read QD1|1 MiB sequential read QD4|1 MiB sequential write QD4|fill (1 MiB sequential, QD16)", names, "|")
    printf "Measured %s, guest kernel %s (QEMU TCG, 2 vCPUs, 3 GiB), raw block device through tcm_loop, fio libaio O_DIRECT.\n", date, kver
    printf "Each daemon relative to the LIO fileio disk of its own boot (IOPS ratios).\n\n"
    printf "| job | tcmu-runner fbo ÷ fileio | emud file ÷ fileio | emud ÷ tcmu-runner (by those ratios) | emud ÷ tcmu-runner (raw IOPS) |\n|---|---|---|---|---|\n"
    for (j = 1; j <= 6; j++) {
      t = rel("tcmu-runner/fbo", "tcmu-runner/fileio", jobs[j]); e = rel("emud/file", "emud/fileio", jobs[j])
      printf "| %s | %s | %s | %s | %s |\n", names[j], show(t), show(e), (t > 0 && e >= 0) ? show(e / t) : "–",
        show(rel("emud/file", "tcmu-runner/fbo", jobs[j]))
    }
    printf "\n| job |"; for (i = 1; i <= n; i++) printf " %s |", order[i]; printf "\n|---|"
    for (i = 1; i <= n; i++) printf "---|"; printf "\n"
    for (j = 1; j <= 6; j++) {
      printf "| %s |", jobs[j]
      for (i = 1; i <= n; i++) printf " %s |", cell(order[i], jobs[j])
      printf "\n"
    }
    printf "\nCPU seconds during each job (daemon process / whole guest, %s):\n\n", "user+system"
    printf "| job |"; for (i = 1; i <= n; i++) printf " %s |", order[i]; printf "\n|---|"
    for (i = 1; i <= n; i++) printf "---|"; printf "\n"
    for (j = 1; j <= 6; j++) {
      printf "| %s |", jobs[j]
      for (i = 1; i <= n; i++) { k = order[i]; printf " %s |", ((k, jobs[j]) in iops) ? dcpu[k, jobs[j]] " / " gcpu[k, jobs[j]] : "–" }
      printf "\n"
    }
    printf "\nThe daemon'"'"'s voluntary context switches (a thread sleeping, then woken) per 1000 commands:\n\n"
    printf "| job |"; for (i = 1; i <= n; i++) if (order[i] !~ /fileio/) printf " %s |", order[i]; printf "\n|---|"
    for (i = 1; i <= n; i++) if (order[i] !~ /fileio/) printf "---|"; printf "\n"
    for (j = 1; j <= 6; j++) {
      printf "| %s |", jobs[j]
      for (i = 1; i <= n; i++) { k = order[i]; if (k !~ /fileio/) printf " %s |", ((k, jobs[j]) in iops) ? wake[k, jobs[j]] : "–" }
      printf "\n"
    }
  }' | tee "$OUT/perf.md"
