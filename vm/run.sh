#!/usr/bin/env bash
# Boot the harness VM once and run scenarios in it, for one or more columns.
#
# Usage: vm/run.sh [options] SCENARIO... | all
#   SCENARIO          a file in vm/scenarios, by name with or without its NN- prefix and .sh,
#                     or the path of any scenario file (e.g. vm/selftest/hang.sh)
#   --columns LIST    comma-separated: emud,tcmu-runner,fileio   (env VM_COLUMNS;
#                     default tcmu-runner,fileio,emud)
#   --timeout S       time limit for each scenario, overriding its "# timeout:" header
#   --vm-timeout S    wall-clock limit for the whole VM (default: sum of limits + 180,
#                     at most VM_TIMEOUT_MAX=4500)
#   --gate WHAT       which failures set the exit status: all (default), a column name
#                     (e.g. emud), or none (only harness failures: panic, VM timeout, ...)
#   --out DIR         results folder (env VM_OUT; default out/vm); emptied first
# Other knobs (environment): EMUD_BIN, EMUD_LOG_LEVEL, EMUD_LD_LIBRARY_PATH (default: from `swift` on PATH),
#   VM_ALLOW_SKIP (1: SKIP rows do not fail the gate), VM_MEM (3072), VM_SMP (2),
#   VM_CACHE, VM_CPU (QEMU -cpu), VM_APPEND (more kernel parameters), VM_CLOCK (tsc: the guest keeps
#   time with the TSC, `tsc=reliable`; kernel: the kernel's own choice, HPET under TCG), and scenario
#   knobs (see vm/README.md), passed on to the guest.
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_DIR/.." && pwd)
CACHE=${VM_CACHE:-$VM_DIR/cache}
COLUMNS=${VM_COLUMNS:-tcmu-runner,fileio,emud}
OUT=${VM_OUT:-$REPO/out/vm}
TIMEOUT='' VM_TIMEOUT='' GATE=all
SCEN_ARGS=()

die() { echo "run.sh: ERROR: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --columns) COLUMNS=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --vm-timeout) VM_TIMEOUT=$2; shift 2 ;;
    --gate) GATE=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) SCEN_ARGS+=("$1"); shift ;;
  esac
done
[ ${#SCEN_ARGS[@]} -gt 0 ] || die "no scenario given (try: all)"
COLUMNS=${COLUMNS//,/ }

# ---- preconditions ------------------------------------------------------------
command -v qemu-system-x86_64 >/dev/null || die "QEMU missing: qemu-system-x86_64 not found (run vm/setup.sh)"
KVER=$(cat "$CACHE/kernel-version" 2>/dev/null) || die "no kernel in $CACHE (run vm/setup.sh)"
KERNEL=$CACHE/kernel/boot/vmlinuz-$KVER
INITRD=$CACHE/initramfs.cpio.gz
[ -f "$KERNEL" ] && [ -f "$INITRD" ] || die "kernel or initramfs missing in $CACHE (run vm/setup.sh)"
"$VM_DIR/initramfs/build.sh" "$CACHE/kernel" "$KVER" "$INITRD"   # no-op when up to date

# ---- scenarios ----------------------------------------------------------------
SCENARIOS=()
for s in "${SCEN_ARGS[@]}"; do
  if [ "$s" = all ]; then
    SCENARIOS+=("$VM_DIR"/scenarios/*.sh)
    continue
  fi
  if [ -f "$s" ]; then SCENARIOS+=("$(cd "$(dirname "$s")" && pwd)/$(basename "$s")"); continue; fi
  s=${s%.sh}
  f=$(ls "$VM_DIR/scenarios/$s.sh" "$VM_DIR"/scenarios/[0-9][0-9]-"$s".sh 2>/dev/null | head -n1 || true)
  [ -n "$f" ] || die "no scenario '$s' in vm/scenarios"
  SCENARIOS+=("$f")
done

scenario_limit() {
  local l=$TIMEOUT
  [ -n "$l" ] || l=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$1" | head -n1)
  echo "${l:-300}"
}
if [ -z "$VM_TIMEOUT" ]; then
  # The sum of the scenario limits, capped (VM_TIMEOUT_MAX, 75 min: the full matrix in three columns plus the kill scenarios of session 8): per-scenario limits
  # catch ordinary hangs inside the guest; this one catches a guest that is stuck as a whole.
  VM_TIMEOUT=180
  for c in $COLUMNS; do for f in "${SCENARIOS[@]}"; do
    VM_TIMEOUT=$((VM_TIMEOUT + $(scenario_limit "$f") + 10)); done; done
  [ "$VM_TIMEOUT" -le "${VM_TIMEOUT_MAX:-4500}" ] || VM_TIMEOUT=${VM_TIMEOUT_MAX:-4500}
fi

# ---- emud binary ----------------------------------------------------------------
if [ -z "${EMUD_BIN:-}" ]; then
  EMUD_BIN=$REPO/.build/release/emud
  [ -x "$EMUD_BIN" ] || [ ! -x "$REPO/.build/debug/emud" ] || EMUD_BIN=$REPO/.build/debug/emud
fi
case " $COLUMNS " in *" emud "*)
  [ -x "$EMUD_BIN" ] || echo "run.sh: WARNING: no emud binary at $EMUD_BIN: emud scenarios will fail" >&2 ;;
esac
# EMUD_LD_LIBRARY_PATH (travels to the guest with the EMUD_ knobs): empty for `make release`'s static
# emud, the toolchain's runtime folder for a debug build.
source "$VM_DIR/lib/swift-runtime.sh"

# ---- what the guest sees ------------------------------------------------------------
# The guest mounts fresh tmpfs on /tmp, /run and /var/log, hiding the host's files there. A checkout
# or an emud binary under those paths (a CI clone in /tmp, say) is staged into /var/tmp, which the
# guest sees through the host-root share.
guest_hidden() { case "$1" in /tmp/*|/run/*|/var/log/*) return 0 ;; *) return 1 ;; esac; }
GUEST_REPO=$REPO
# One staging folder per results folder: vm/e2e.sh runs two VMs at once.
STAGE=/var/tmp/emud-vm-stage.$(id -u).$(printf '%s' "$OUT" | cksum | cut -d' ' -f1)
if guest_hidden "$REPO/" || guest_hidden "$EMUD_BIN"; then
  rm -rf "$STAGE" && mkdir -p "$STAGE/bin"
fi
if guest_hidden "$REPO/"; then
  tar -C "$REPO" --exclude=vm/cache -cf - vm | tar -C "$STAGE" -xf -
  GUEST_REPO=$STAGE
  for i in "${!SCENARIOS[@]}"; do SCENARIOS[$i]=${SCENARIOS[$i]/#$REPO\//$GUEST_REPO/}; done
  echo "run.sh: $REPO is hidden from the guest; staged vm/ in $STAGE"
fi
if [ -x "$EMUD_BIN" ] && guest_hidden "$EMUD_BIN"; then
  cp "$EMUD_BIN" "$STAGE/bin/emud"
  EMUD_BIN=$STAGE/bin/emud
  echo "run.sh: emud staged as $EMUD_BIN"
fi

# ---- job ------------------------------------------------------------------------
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
find "$OUT" -mindepth 1 -delete
{
  echo "# generated by vm/run.sh"
  printf 'export REPO=%q COLUMNS=%q SCENARIOS=%q SCENARIO_TIMEOUT=%q EMUD_BIN=%q\n' \
    "$GUEST_REPO" "$COLUMNS" "${SCENARIOS[*]}" "$TIMEOUT" "$EMUD_BIN"
  # scenario knobs travel with the job
  for v in $(compgen -e | grep -E '^(EMUD_|DAEMON_|STEP_TIMEOUT|ISCSI_|DMESG_IGNORE|FILE_SIZE|SCN_|BLOCKFS_|PERF_|KILL_|SCALE_|RBDVM_)' || true); do
    [ "$v" = EMUD_BIN ] || printf 'export %s=%q\n' "$v" "${!v}"
  done
  echo "exec bash \"\$REPO/vm/lib/guest-main.sh\""
} > "$OUT/job.sh"

echo "run.sh: kernel $KVER; columns: $COLUMNS; scenarios: $(for f in "${SCENARIOS[@]}"; do basename "$f" .sh; done | tr '\n' ' ')"
echo "run.sh: VM wall-clock limit ${VM_TIMEOUT}s; results in $OUT"

t0=$(date +%s)
# If run.sh itself is stopped, do not leave the VM behind.
trap 'kill "$(cat "$OUT/qemu.pid" 2>/dev/null)" 2>/dev/null; exit 130' INT TERM
# log_buf_len=8M: a scenario that floods the log (a file system WARN per write) must not push its own mark out.
# tsc=reliable (VM_CLOCK=tsc, the default): under multi-threaded TCG the kernel's TSC sync check fails
# ("Marking TSC unstable due to TSCs unsynchronized") and it keeps time with the emulated HPET, so every
# clock_gettime in the guest is a system call and an emulated MMIO read (perf: read_hpet 4-5 % of all
# samples under fio). QEMU's TCG TSC is the host's, the same on every vCPU; with it clock_gettime is a
# vDSO read, as on real machines. Measured (vm/README.md): 4 KiB QD1 latency 1687 -> 400 us (emud),
# 2024 -> 497 (tcmu-runner), 27 -> 8 (fileio).
case ${VM_CLOCK:-tsc} in
  tsc) clock_append=" tsc=reliable" ;;
  kernel) clock_append="" ;;
  *) die "VM_CLOCK=$VM_CLOCK: tsc or kernel" ;;
esac
# no_timer_check: under TCG on a loaded host the kernel's early IO-APIC timer check can miss ticks and
# panic ("IO-APIC + timer doesn't work!", seen at load 19 on 2 CPUs); the emulated PIT is fine.
set +e
timeout --foreground -k 10 "$VM_TIMEOUT" qemu-system-x86_64 -pidfile "$OUT/qemu.pid" \
  -accel tcg ${VM_CPU:+-cpu "$VM_CPU"} -m "${VM_MEM:-3072}" -smp "${VM_SMP:-2}" -nographic -no-reboot -nic none \
  -kernel "$KERNEL" -initrd "$INITRD" \
  -append "console=ttyS0 panic=-1 loglevel=4 log_buf_len=8M no_timer_check vmkdir=$CACHE/kernel vmkver=$KVER vmscript=/vmout/job.sh$clock_append${VM_APPEND:+ $VM_APPEND}" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$OUT,mount_tag=out,security_model=none,multidevs=remap" \
  < /dev/null 2>&1 | sed -u 's/\r$//' | tee "$OUT/console.log" | grep --line-buffered -E '^(=== |    |guest:|vm-init|run\.sh)|Kernel panic|BUG:|Oops'
vm_rc=${PIPESTATUS[0]}
set -e
elapsed=$(( $(date +%s) - t0 ))

# ---- verdict --------------------------------------------------------------------
harness_fail=()
if grep -q 'Kernel panic' "$OUT/console.log"; then
  harness_fail+=("KERNEL PANIC: $(grep -m1 'Kernel panic' "$OUT/console.log")")
  grep -B 30 -m1 'Kernel panic' "$OUT/console.log" > "$OUT/panic.txt" || true
fi
if [ "$vm_rc" = 124 ] || [ "$vm_rc" = 137 ]; then
  harness_fail+=("VM TIMEOUT: the VM did not finish within ${VM_TIMEOUT}s")
elif [ "$vm_rc" != 0 ]; then
  harness_fail+=("QEMU exited with status $vm_rc")
fi
grep -q 'VM-INIT-FATAL' "$OUT/console.log" && harness_fail+=("$(grep -m1 'VM-INIT-FATAL' "$OUT/console.log")")
if [ ! -f "$OUT/DONE" ]; then
  harness_fail+=("the guest did not finish all scenarios")
  # Name the scenario that was running when the VM stopped.
  if [ -f "$OUT/progress" ]; then
    last=$(tail -n1 "$OUT/progress")
    case "$last" in start\ *)
      set -- $last
      printf '%s\t%s\t%s\t0\t0\t%s\n' "$2" "$3" "VM-STOPPED" "$(( $(date +%s) - $4 ))" >> "$OUT/results.tsv"
      harness_fail+=("scenario $3 ($2) was running when the VM stopped") ;;
    esac
  fi
fi
[ -f "$OUT/results.tsv" ] || printf 'column\tscenario\tstatus\tpassed\tfailed\tseconds\n' > "$OUT/results.tsv"

"$VM_DIR/report.sh" "$OUT" > /dev/null || echo "run.sh: WARNING: report.sh failed" >&2

echo
echo "run.sh: VM ran ${elapsed}s (QEMU status $vm_rc); results:"
column -t -s $'\t' "$OUT/results.tsv" | sed 's/^/  /'
for h in "${harness_fail[@]}"; do echo "run.sh: HARNESS FAILURE: $h"; done

# scenarios counted by the gate: status other than PASS or N/A. SKIP (a "# requires:" tool missing) is
# a failure too, since vm/setup.sh installs every tool; VM_ALLOW_SKIP=1 lets a partial machine pass.
gated_fail=$(awk -F'\t' -v gate="$GATE" -v allow_skip="${VM_ALLOW_SKIP:-0}" \
  'NR > 1 && (gate == "all" || gate == $1) && $3 != "PASS" && $3 != "N/A" && !(allow_skip == 1 && $3 == "SKIP")' "$OUT/results.tsv")
missing=0
if [ "$GATE" != none ] && [ "$GATE" != all ]; then
  # a gated column must have produced a row for every scenario
  n=$(awk -F'\t' -v gate="$GATE" 'NR > 1 && $1 == gate' "$OUT/results.tsv" | wc -l)
  [ "$n" -ge ${#SCENARIOS[@]} ] || missing=1
fi
echo "run.sh: report: $OUT/report.md"
if [ ${#harness_fail[@]} -gt 0 ]; then exit 3; fi
if [ "$GATE" != none ] && { [ -n "$gated_fail" ] || [ "$missing" = 1 ]; }; then
  echo "run.sh: FAILED (gate: $GATE):"; echo "$gated_fail" | cut -f1-3 | sed 's/^/  /'
  exit 1
fi
echo "run.sh: OK (gate: $GATE)"
