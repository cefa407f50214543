#!/usr/bin/env bash
# bench-ab: two builds of emud-ring-bench compared on a shared machine, A and B alternating (ABAB…), so
# a change in the machine's load hits both alike. Each invocation runs the workloads RUNS times and
# reports its median run's p50 (the median batch of 32: the unpreempted cost per command); this
# script prints, per binary and workload, the median of those p50s over the pairs and their range.
#
# Usage: scripts/bench-ab.sh BIN_A BIN_B [PAIRS (7)] [N (200000)] [RUNS (3)]
# Env: BENCH_AB_WORKLOADS (tur,file), BENCH_AB_CPU (pin both to this CPU with taskset; default 1,
#      empty for no pinning), OUT (out/bench-ab: each invocation's log, p50s.tsv).
set -euo pipefail
shopt -s inherit_errexit

[ $# -ge 2 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
A=$1 B=$2 PAIRS=${3:-7} N=${4:-200000} RUNS=${5:-3}
WORKLOADS=${BENCH_AB_WORKLOADS:-tur,file}
CPU=${BENCH_AB_CPU-1}
OUT=${OUT:-out/bench-ab}
for bin in "$A" "$B"; do [ -x "$bin" ] || { echo "bench-ab: $bin is not an executable" >&2; exit 2; }; done
mkdir -p "$OUT"
pin=()
[ -n "$CPU" ] && pin=(taskset -c "$CPU")

# p50s LOG: "workload<TAB>p50" per workload of one invocation (the median of its runs' p50s); the
# file workloads also give their pread/memcpy floor's p50 as "workload floor", and the file READ its
# data-area floor's (pread into rotating data-area blocks) as "workload data-area floor".
p50s() {
  awk '/ run [0-9]+: ring / {
         name = $0; sub(/^ +/, "", name); sub(/ run [0-9]+:.*/, "", name)
         match($0, /p50 batch [0-9]+/); v = substr($0, RSTART + 10, RLENGTH - 10)
         n[name]++; s[name, n[name]] = v
         if (match($0, /floor [0-9]+ ns \(p50 [0-9]+/)) {
           f = substr($0, RSTART, RLENGTH); sub(/.*p50 /, "", f)
           fname = name " floor"; n[fname]++; s[fname, n[fname]] = f
         }
         if (match($0, /data-area floor [0-9]+ ns \(p50 [0-9]+/)) {
           f = substr($0, RSTART, RLENGTH); sub(/.*p50 /, "", f)
           fname = name " data-area floor"; n[fname]++; s[fname, n[fname]] = f
         }
       }
       END { for (k in n) { m = n[k]; for (i = 1; i <= m; i++) a[i] = s[k, i] + 0
               for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
               printf "%s\t%d\n", k, a[int((m + 1) / 2)] } }' "$1"
}

: > "$OUT/p50s.tsv"
for p in $(seq 1 "$PAIRS"); do
  for side in A B; do
    bin=$A; [ "$side" = B ] && bin=$B
    log=$OUT/$side.$p.log
    "${pin[@]}" "$bin" "$N" "$WORKLOADS" "$RUNS" > "$log" 2>&1 || { echo "bench-ab: $bin failed ($log)" >&2; exit 1; }
    p50s "$log" | sed "s/^/$side\t$p\t/" >> "$OUT/p50s.tsv"
  done
  echo "pair $p of $PAIRS done (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done

echo "A = $A"
echo "B = $B"
echo "$PAIRS pairs ABAB…, $N commands × $RUNS runs per invocation${CPU:+, pinned to CPU $CPU}; p50 ns per command:"
echo "median of the pairs' p50s [min–max]"
printf '| workload | A | B | B ÷ A |\n|---|---|---|---|\n'
awk -F'\t' '{ k = $3; v[$1, k, ++n[$1, k]] = $4; keys[k] = 1 }
     function med(side, k,   m, i, j, t, a) { m = n[side, k]
       for (i = 1; i <= m; i++) a[i] = v[side, k, i]
       for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
       lo = a[1]; hi = a[m]
       return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
     function show(m, l, h) { return m ? sprintf("%d [%d–%d]", m, l, h) : "–" }
     END { for (k in keys) { ma = med("A", k); la = lo; ha = hi; mb = med("B", k)
             printf "| %s | %s | %s | %s |\n", k, show(ma, la, ha), show(mb, lo, hi), (ma && mb) ? sprintf("%.2f", mb / ma) : "–" } }' \
  "$OUT/p50s.tsv" | sort

# Each workload against each of its floors, per invocation (READ and its floors run in the same one):
# the median [min–max] of the pairs' ratios.
echo
echo "workload ÷ floor, the ratio of each invocation's p50s: median of the pairs [min–max]"
printf '| ratio | A | B |\n|---|---|---|\n'
awk -F'\t' '{ v[$1, $2, $3] = $4; keys[$3] = 1; pairs[$1, $2] = 1 }
     function ratios(side, k, base,   m, i, j, t, a, key, p) { m = 0
       for (key in pairs) { split(key, p, SUBSEP)
         if (p[1] == side && v[side, p[2], k] > 0 && v[side, p[2], base] > 0) a[++m] = v[side, p[2], base] / v[side, p[2], k] }
       if (!m) return "–"
       for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
       return sprintf("%.2f [%.2f–%.2f]", (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2, a[1], a[m]) }
     END { for (k in keys) if (k ~ / floor$/) { base = k; sub(/ (data-area )?floor$/, "", base)
             printf "| %s ÷ %s | %s | %s |\n", base, substr(k, length(base) + 2), ratios("A", k, base), ratios("B", k, base) } }' \
  "$OUT/p50s.tsv" | sort
