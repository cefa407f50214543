#!/usr/bin/env bash
# perf-vm: the host side of `make perf-vm`. Records the host's load average every 5 s while it runs
# (PERF_OUT/host-load.tsv: epoch, 1-, 5- and 15-minute load), then, by PERF_MODE:
#   ab    (default) PERF_BOOTS (1) boots, each running vm/perf/fio-ab.sh: the fileio, emud and
#         tcmu-runner disks in one boot (and a second emud's with PERF_EMUD_B or PERF_EMUD_B_BIN;
#         PERF_AB_DISKS to choose), job by job in ABBA repetitions (PERF_REPS, 2); results in
#         PERF_OUT/boot-abN/, tables by vm/perf/report-ab.sh (the agreement of the boots among them)
#   boot  the method before session 11: one boot per daemon of PERF_COLUMNS (emud,tcmu-runner), each
#         beside a fileio disk of its own boot (vm/perf/fio-perf.sh); table by vm/perf/report.sh
# Both write PERF_OUT/perf.md (default out/vm-perf). VM_RUN: a command run.sh runs under (the shared
# machine's VM slot lock). Other PERF_ knobs travel into the guest (see fio-ab.sh, fio-perf.sh).
set -euo pipefail
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${PERF_OUT:-out/vm-perf} MODE=${PERF_MODE:-ab}
rm -rf "$OUT"
mkdir -p "$OUT"

( while :; do echo "$(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 5; done ) > "$OUT/host-load.tsv" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null' EXIT

rc=0
case "$MODE" in
  ab)
    # The guest's limit: per measured run (disks × jobs × repetitions) the runtime, ramp and fio's
    # start under TCG; per job and repetition a daemon switch between each two daemons' disks (stop,
    # start, the fbo disk again); fills; PERF_DIAG's three runs per daemon disk and job.
    runtime=${PERF_RUNTIME:-12} reps=${PERF_REPS:-2} diag=0
    [ "${PERF_DIAG:-0}" = 1 ] && diag=$(echo ${PERF_DIAG_JOBS:-randwrite-4k} | wc -w)
    disks="fileio file fbo"
    [ -n "${PERF_EMUD_B+set}" ] || [ -n "${PERF_EMUD_B_BIN:-}" ] && disks="fileio file file-b fbo"
    nd=$(echo ${PERF_AB_DISKS:-$disks} | wc -w) daemons=$(echo ${PERF_AB_DISKS:-$disks} | tr ' ' '\n' | grep -cv '^fileio$' || true)
    limit=$(( 600 + 5 * reps * nd * (runtime + 25) + 5 * reps * 40 * (daemons > 1 ? daemons - 1 : 1) \
      + 3 * daemons * diag * (runtime + 40) ))
    for b in $(seq "${PERF_BOOTS:-1}"); do
      # shellcheck disable=SC2086  # VM_RUN is a command with its arguments
      VM_OUT=$OUT/boot-ab$b ${VM_RUN:-} "$VM_DIR/run.sh" --gate none --timeout "$limit" --vm-timeout $((limit + 400)) \
        --columns fileio "$VM_DIR/perf/fio-ab.sh" || rc=$?
    done
    "$VM_DIR/perf/report-ab.sh" "$OUT" ;;
  boot)
    cols=${PERF_COLUMNS:-emud,tcmu-runner}
    for c in ${cols//,/ }; do
      # shellcheck disable=SC2086  # VM_RUN is a command with its arguments
      VM_OUT=$OUT/boot-$c ${VM_RUN:-} "$VM_DIR/run.sh" --gate none --vm-timeout 2400 --columns "$c" "$VM_DIR/perf/fio-perf.sh" || { rc=$?; break; }
    done
    "$VM_DIR/perf/report.sh" "$OUT" ;;
  *) echo "perf-vm: PERF_MODE is ab or boot, not '$MODE'" >&2; exit 2 ;;
esac
exit "$rc"
