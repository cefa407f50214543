#!/usr/bin/env bash
# bench-instr: user-space instructions per command of the ring benchmark, counted by callgrind — a
# figure that does not move with the machine's load (run by `make bench-instr`).
#
# valgrind 3.19 cannot read the DWARF 5 that Swift 6.3 emits, so callgrind runs a copy of the release
# `emud-ring-bench` with its debug sections stripped (`strip --strip-debug`: the symbol table stays, so
# the profile still names the functions).
#
# Two scopes per workload, each the inclusive cost of one function (`callgrind_annotate --inclusive`):
#   ring     `serviceRing` — emud's side: drain, dispatch, handler, store, completion, doorbell;
#   +kernel  `RingHarness.run` — the ring plus the simulated kernel's submit and reap;
# the table also prints their difference, the simulated kernel's and the driver's share, in its own column.
# Each workload runs twice, with N and 2·N commands (one run each, after the benchmark's warm-up of N/10),
# and the figure is the difference in instructions divided by the difference in commands, so one-time
# costs (ring set-up, first touches, lazy initialisation) cancel. Instructions in the kernel (syscalls)
# are not counted: valgrind sees only user space.
#
# Usage: scripts/bench-instr.sh [workloads (tur,memory,memory-write,file,file-write)] [N (3200)]
# Env: BENCH_BIN (a prebuilt release emud-ring-bench; default: build it), OUT (out/bench-instr).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

WORKLOADS=${1:-tur,memory,memory-write,file,file-write}
N=${2:-3200}
OUT=${OUT:-out/bench-instr}
command -v valgrind > /dev/null || { echo "bench-instr: valgrind is not installed (scripts/deps.txt)" >&2; exit 1; }
[ $((N % 320)) = 0 ] || { echo "bench-instr: N must be a multiple of 320 (batches of 32, warm-up N/10)" >&2; exit 2; }

if [ -z "${BENCH_BIN:-}" ]; then
  swift build -c release --static-swift-stdlib --product emud-ring-bench
  BENCH_BIN=.build/release/emud-ring-bench
fi
mkdir -p "$OUT"
BIN=$OUT/emud-ring-bench.stripped
cp "$BENCH_BIN" "$BIN"
strip --strip-debug "$BIN"

# inclusive FILE: "Ir name" per function of a callgrind profile, its inclusive cost: the function's own
# cost lines plus, after each `calls=` line, the cost of the call (which callgrind writes inclusive).
# Names are compressed: "(id) name" the first time an id appears in fn=/cfn=, "(id)" after.
inclusive() {
  awk '/^c?fn=/ { split(substr($0, index($0, "=") + 1), p, " "); id = p[1]
                  if (index($0, " ")) names[id] = substr($0, index($0, " ") + 1)
                  if ($0 ~ /^fn=/) fn = id; next }
       /^[0-9+*-]/ { cost[fn] += $2 }
       END { for (f in cost) print cost[f], names[f] }' "$1"
}

# run WORKLOAD COMMANDS: one callgrind run of the benchmark; prints the inclusive instructions of
# `serviceRing` and of `RingHarness.run` (matched on the demangled names; a specialisation and the
# function it specialises have the same inclusive cost, so the larger figure is taken).
run() {
  local file=$OUT/callgrind.$1.$2.out
  valgrind --tool=callgrind --callgrind-out-file="$file" "$BIN" "$2" "$1" 1 > "$OUT/log.$1.$2.txt" 2>&1 \
    || { echo "bench-instr: $1 failed (see $OUT/log.$1.$2.txt)" >&2; exit 1; }
  inclusive "$file" | swift demangle --simplified \
    | awk '/\.serviceRing\(\)/ && $1 + 0 > ring { ring = $1 + 0 }
           /RingHarness\.run\(/ && $1 + 0 > all { all = $1 + 0 }
           END { if (!ring || !all) exit 1; print ring, all }' \
    || { echo "bench-instr: serviceRing / RingHarness.run not found in the $1 profile ($file)" >&2; exit 1; }
}

# per_command WORKLOAD: "ring | kernel | +kernel" instructions per command from the N and 2·N runs; the
# middle figure (+kernel − ring) is the simulated kernel's and the driver's share, printed on its own so
# that emud's figure is never mistaken for the total or the other way round.
per_command() {
  local a b
  a=$(run "$1" "$N")
  b=$(run "$1" $((2 * N)))
  # Each run also does its warm-up of N/10 commands: the two runs differ by N + N/10 commands.
  echo "$a $b" | awk -v n=$((N + N / 10)) '{ r = ($3 - $1) / n; t = ($4 - $2) / n
                                             printf "%.0f | %.0f | %.0f", r, t - r, t }'
}

printf '%s\n' "instructions per command (callgrind, user space, N=$N and $((2 * N)); $(date -u +%F))" \
  "| workload | ring (emud) | simulated kernel + driver | +kernel (total) |" "|---|---|---|---|" \
  | tee "$OUT/instr.md"
for w in ${WORKLOADS//,/ }; do
  row=$(per_command "$w")
  printf '| %s | %s |\n' "$w" "$row" | tee -a "$OUT/instr.md"
done
