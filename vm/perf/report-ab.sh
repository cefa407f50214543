#!/usr/bin/env bash
# Tables of a `make perf-vm` run in PERF_MODE=ab (vm/perf/fio-ab.sh rows, one ab.tsv per boot) on
# stdout and in OUT/perf.md. Per boot: each daemon ÷ fileio and emud ÷ tcmu-runner per job, as the
# ratio of the IOPS summed over the repetitions (ABBA: a linear drift cancels) with the spread of the
# per-repetition ratios (min–max; a repetition's disks ran minutes apart at most); the raw IOPS (mean,
# min–max); the host's 1-minute load average during the job (OUT/host-load.tsv, sampled on the host);
# latency, CPU seconds and wake-ups per 1000 commands of each daemon; with rows of a second emud
# (column "emud-b": another binary or environment) its columns too. With several boots, how far they agree. Usage: vm/perf/report-ab.sh [OUT]  (default out/vm-perf)
set -euo pipefail
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$VM_DIR/../out/vm-perf}
rows=''
b=0
for f in "$OUT"/boot-ab*/fileio/fio-ab/ab.tsv; do
  [ -s "$f" ] || continue
  b=$((b + 1))
  rows+=$(sed "s/^/B$b\t/" "$f")$'\n'
done
[ "$b" -gt 0 ] || { echo "perf report: no $OUT/boot-ab*/fileio/fio-ab/ab.tsv" >&2; exit 1; }
load=$(awk '{ printf "L\t%s\t%s\n", $1, $2 }' "$OUT/host-load.tsv" 2>/dev/null || true)

{ echo "$load"; printf '%s' "$rows"; } | awk -F'\t' -v date="$(date -u '+%Y-%m-%d')" \
  -v kver="$(cat "${VM_CACHE:-$VM_DIR/cache}/kernel-version" 2>/dev/null || echo '?')" '
  $1 == "L" { nl++; lt[nl] = $2; l1[nl] = $3; next }
  # B<boot> column disk job IOPS MiB/s lat dcpu gcpu wake rep seq t0 t1
  NF >= 14 {
    bt = substr($1, 2) + 0; if (bt > nb) nb = bt
    c = $2; j = $4; r = $11
    if (r == 0) next      # the fill: not repeated, not in the tables
    if (r > nr[bt]) nr[bt] = r
    if (c == "emud-b") hasb[bt] = 1
    iops[bt, j, c, r] = $5; iopsum[bt, j, c] += $5; lat[bt, j, c] += $7; cpu[bt, j, c] += $8; wake[bt, j, c] += $10; n[bt, j, c]++
    if (!((bt, j) in t0) || $13 < t0[bt, j]) t0[bt, j] = $13
    if ($14 > t1[bt, j]) t1[bt, j] = $14
    if (!(bt in b0) || $13 < b0[bt]) b0[bt] = $13
    if ($14 > b1[bt]) b1[bt] = $14
  }
  function hhmm(t) { return sprintf("%02d:%02d", int(t % 86400 / 3600), int(t % 3600 / 60)) }
  # ratio(b, j, x, y): IOPS of x over y summed over the repetitions of boot b (b = 0: all boots);
  # sets LO and HI to the min and max of the per-repetition ratios. -1 when nothing to divide.
  function ratio(b, j, x, y,   bb, r, sx, sy, q) {
    sx = sy = 0; LO = 1e9; HI = -1
    for (bb = (b ? b : 1); bb <= (b ? b : nb); bb++)
      for (r = 1; r <= nr[bb]; r++)
        if (((bb, j, x, r) in iops) && ((bb, j, y, r) in iops) && iops[bb, j, y, r] > 0) {
          sx += iops[bb, j, x, r]; sy += iops[bb, j, y, r]; q = iops[bb, j, x, r] / iops[bb, j, y, r]
          if (q < LO) LO = q; if (q > HI) HI = q
        }
    return sy > 0 ? sx / sy : -1
  }
  function rcell(b, j, x, y,   q) { q = ratio(b, j, x, y); return q < 0 ? "–" : sprintf("%.2f (%.2f–%.2f)", q, LO, HI) }
  function rshort(b, j, x, y,   q) { q = ratio(b, j, x, y); return q < 0 ? "–" : sprintf("%.2f", q) }
  function icell(b, j, c,   r, s, k, lo, hi) {
    s = k = 0; lo = 1e12; hi = -1
    for (r = 1; r <= nr[b]; r++) if ((b, j, c, r) in iops) { s += iops[b, j, c, r]; k++; if (iops[b, j, c, r] < lo) lo = iops[b, j, c, r]; if (iops[b, j, c, r] > hi) hi = iops[b, j, c, r] }
    return k ? sprintf("%.0f (%d–%d)", s / k, lo, hi) : "–"
  }
  function mean(a, b, j, c) { return n[b, j, c] ? sprintf("%.0f", a[b, j, c] / n[b, j, c]) : "–" }
  function meanf(a, b, j, c) { return n[b, j, c] ? sprintf("%.1f", a[b, j, c] / n[b, j, c]) : "–" }
  # loads(from, to): "min–max" of the host samples in [from, to], or – without any.
  function loads(from, to,   i, lo, hi) {
    lo = 1e9; hi = -1
    for (i = 1; i <= nl; i++) if (lt[i] >= from - 5 && lt[i] <= to + 5) { if (l1[i] < lo) lo = l1[i]; if (l1[i] > hi) hi = l1[i] }
    return hi < 0 ? "–" : (lo == hi ? lo : lo "–" hi)
  }
  END {
    split("randread-4k randwrite-4k randread-4k-qd1 seqread-1m seqwrite-1m", jobs, " ")
    split("4 KiB random read QD16|4 KiB random write QD16|4 KiB random read QD1|1 MiB sequential read QD4|1 MiB sequential write QD4", names, "|")
    printf "Measured %s, guest kernel %s (QEMU TCG, 2 vCPUs, 3 GiB), raw block device through tcm_loop, fio libaio O_DIRECT.\n", date, kver
    printf "One boot holds the LIO fileio disk, the emud `file` disk and the tcmu-runner `fbo` disk; each job runs on each disk in\n"
    printf "ABBA repetitions (fileio, emud, tcmu-runner, tcmu-runner, emud, fileio, …). Ratios: IOPS summed over the repetitions,\n"
    printf "in brackets the min–max of the per-repetition ratios. IOPS: mean (min–max). Host load: its 1-minute load average.\n"
    if (nl) printf "Host load average (1 min) before the first boot %s, after the last %s.\n", l1[1], l1[nl]
    for (b = 1; b <= nb; b++) {
      printf "\n### Boot %d: %d repetitions, %s–%s UTC, host load %s\n\n", b, nr[b], hhmm(b0[b]), hhmm(b1[b]), loads(b0[b], b1[b])
      printf "| job | tcmu-runner ÷ fileio | emud ÷ fileio | emud ÷ tcmu-runner |%s fileio IOPS | tcmu-runner IOPS | emud IOPS |%s host load |\n",
        hasb[b] ? " emud-b ÷ emud | emud-b ÷ tcmu-runner |" : "", hasb[b] ? " emud-b IOPS |" : ""
      printf "|---|---|---|---|---|---|---|%s---|\n", hasb[b] ? "---|---|---|" : ""
      for (i = 1; i <= 5; i++) {
        j = jobs[i]; if (!((b, j) in t0)) continue
        printf "| %s | %s | %s | %s |", names[i], rcell(b, j, "tcmu-runner", "fileio"), rcell(b, j, "emud", "fileio"), rcell(b, j, "emud", "tcmu-runner")
        if (hasb[b]) printf " %s | %s |", rcell(b, j, "emud-b", "emud"), rcell(b, j, "emud-b", "tcmu-runner")
        printf " %s | %s | %s |", icell(b, j, "fileio"), icell(b, j, "tcmu-runner"), icell(b, j, "emud")
        if (hasb[b]) printf " %s |", icell(b, j, "emud-b")
        printf " %s |\n", loads(t0[b, j], t1[b, j])
      }
      printf "\nMeans over the repetitions: completion latency (µs), the daemon'"'"'s CPU seconds per job, its voluntary context switches per 1000 commands.\n\n"
      ns = split(hasb[b] ? "tcmu-runner emud emud-b" : "tcmu-runner emud", ds, " ")
      printf "| job | fileio µs |"; for (k = 1; k <= ns; k++) printf " %s µs |", ds[k]
      for (k = 1; k <= ns; k++) printf " %s CPU s |", ds[k]
      for (k = 1; k <= ns; k++) printf " %s wake-ups |", ds[k]
      printf "\n|---|---|"; for (k = 1; k <= 3 * ns; k++) printf "---|"; printf "\n"
      for (i = 1; i <= 5; i++) {
        j = jobs[i]; if (!((b, j) in t0)) continue
        printf "| %s | %s |", names[i], mean(lat, b, j, "fileio")
        for (k = 1; k <= ns; k++) printf " %s |", mean(lat, b, j, ds[k])
        for (k = 1; k <= ns; k++) printf " %s |", meanf(cpu, b, j, ds[k])
        for (k = 1; k <= ns; k++) printf " %s |", mean(wake, b, j, ds[k])
        printf "\n"
      }
    }
    if (nb < 2) exit
    printf "\n### Agreement of the %d boots (per boot; \"all\": every repetition of every boot)\n\n", nb
    printf "| job | emud ÷ tcmu-runner | all | emud ÷ fileio | tcmu-runner ÷ fileio | fileio IOPS |\n|---|---|---|---|---|---|\n"
    for (i = 1; i <= 5; i++) {
      j = jobs[i]; et = ef = tf = fi = ""
      for (b = 1; b <= nb; b++) {
        s = (b > 1 ? " / " : "")
        et = et s rshort(b, j, "emud", "tcmu-runner"); ef = ef s rshort(b, j, "emud", "fileio")
        tf = tf s rshort(b, j, "tcmu-runner", "fileio"); fi = fi s mean(iopsum, b, j, "fileio")
      }
      printf "| %s | %s | %s | %s | %s | %s |\n", names[i], et, rcell(0, j, "emud", "tcmu-runner"), ef, tf, fi
    }
  }' | tee "$OUT/perf.md"
