# Checks and their bookkeeping: log, bounded execution (run_bounded, write_bounded), check,
# record_check, artifact, not_applicable, summary.
# Part of the guest helpers: sourced by vm/lib/guest.sh, never on its own.

log() { printf '[%(%T)T] %s\n' -1 "$*"; }   # bash's own clock: no `date` process

# ---- bounded execution --------------------------------------------------------
# run_bounded SECS CMD...: run CMD, give up after SECS. Returns CMD's status, or 124 when
# it did not finish. A command stuck in the kernel (D state) cannot be killed; it is left
# behind (its stack is logged) so the scenario can still report and move on.
run_bounded() {
  local secs=$1; shift
  "$@" &
  local pid=$! deadline=$((SECONDS + secs))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill -TERM "$pid" 2>/dev/null; sleep 1; kill -KILL "$pid" 2>/dev/null; sleep 0.5
      if kill -0 "$pid" 2>/dev/null; then
        echo "run_bounded: '$*' still running after ${secs}s and unkillable (state $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)); kernel stack:" >&2
        cat "/proc/$pid/stack" >&2 2>/dev/null || true
      else
        echo "run_bounded: '$*' killed after ${secs}s" >&2
        wait "$pid" 2>/dev/null || true
      fi
      return 124
    fi
    sleep 0.1
  done
  wait "$pid"
}

# write_bounded VALUE FILE: echo -n VALUE > FILE with a time limit (configfs writes can block).
write_bounded() {
  run_bounded "$STEP_TIMEOUT" sh -c 'printf %s "$1" > "$2"' _ "$1" "$2"
}

# ---- checks -------------------------------------------------------------------
# check "description" CMD...: run CMD (bounded by STEP_TIMEOUT); count and print PASS/FAIL.
check() {
  local desc=$1; shift
  local out rc=0 t0=$SECONDS
  out=$(run_bounded "$STEP_TIMEOUT" "$@" 2>&1) || rc=$?
  record_check "$desc" "$rc" $((SECONDS - t0)) "$out" "$@"
}

# record_check "description" RC SECONDS OUTPUT CMD...: one check's outcome: logged with its command
# and output in checks.log, counted, printed as PASS/FAIL (a failure with its output's tail).
record_check() {
  local desc=$1 rc=$2 took=$3 out=$4; shift 4
  { echo "=== $desc :: $*"; echo "$out"; echo "=== rc=$rc (${took}s)"; } >> "$ART/checks.log"
  if [ "$rc" = 0 ]; then
    PASSED=$((PASSED + 1)); echo "PASS: $desc (${took}s)"
  else
    FAILED=$((FAILED + 1)); echo "FAIL: $desc (rc=$rc, ${took}s)"
    [ -n "$out" ] && echo "$out" | tail -n 8 | sed 's/^/    | /'
  fi
  return 0
}

# artifact NAME CMD...: run CMD, keep stdout+stderr as $ART/NAME; returns CMD's status.
artifact() {
  local name=$1; shift
  local rc=0
  { echo "# $*"; "$@"; } > "$ART/$name" 2>&1 || rc=$?
  [ "$rc" = 0 ] || echo "# exit status $rc" >> "$ART/$name"
  tail -n 20 "$ART/$name"
  return "$rc"
}

not_applicable() { echo "N/A: $*"; echo "0 passed, 0 failed"; exit 77; }

# summary: prints "N passed, M failed" on its own line; exit status 0 only if nothing failed.
summary() {
  if [ -s "$STATE/daemon.pid" ]; then
    check "daemon $DAEMON still running at the end" daemon_alive
    stop_daemon || true
  fi
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ] && [ "$PASSED" -gt 0 ]
}
