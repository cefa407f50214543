# The daemon under test: emud_run / emud_ctl (emud with the Swift runtime path), start_daemon,
# daemon_alive, stop_daemon, check_start_daemon, ldd_clean.
# Part of the guest helpers: sourced by vm/lib/guest.sh, never on its own.

# emud_run ARGS...: the emud binary ($EMUD_BIN) with the Swift runtime on its library path
# ($EMUD_LD_LIBRARY_PATH, which vm/run.sh derives from the host's `swift`; empty for a static build).
emud_run() {
  env ${EMUD_LD_LIBRARY_PATH:+"LD_LIBRARY_PATH=$EMUD_LD_LIBRARY_PATH"} "$EMUD_BIN" "$@"
}

# emud_ctl ARGS...: `emud ctl` against the daemon started by start_daemon (default control socket).
emud_ctl() { emud_run ctl "$@"; }

# start_daemon [emud|tcmu-runner|none]: start in the background, log to $ART/daemon.log
start_daemon() {
  local which=${1:-$DAEMON}
  [ "$which" = none ] && return 0
  load_target_modules
  if [ -s "$STATE/daemon.pid" ] && kill -0 "$(cat "$STATE/daemon.pid")" 2>/dev/null; then
    echo "start_daemon: a daemon is already running (pid $(cat "$STATE/daemon.pid"))" >&2; return 1
  fi
  spawn_daemon "$which" || return 1
  local pid; pid=$(cat "$STATE/daemon.pid")
  # Readiness. emud: its "D-Bus:" line (served or refused), logged after netlink is connected and the
  # existing devices are served, where a Type=notify unit gets READY=1 (at most DAEMON_SETTLE_MAX, 20 s).
  # tcmu-runner has no such line: alive for DAEMON_SETTLE seconds.
  if [ "$which" = emud ]; then
    logged_while_alive "$pid" "$ART/daemon.log" 'D-Bus: ' "${DAEMON_SETTLE_MAX:-20}" || true
  else
    sleep "${DAEMON_SETTLE:-2}"
  fi
  daemon_alive || return 1
  log "daemon $which started (pid $pid, log $(readlink "$ART/daemon.log"))"
}

# logged_while_alive PID FILE TEXT SECS: waits (0.1 s polls, no process started) until a line of FILE
# holds TEXT; 1 when PID has exited first or after SECS.
logged_while_alive() {
  local pid=$1 file=$2 text=$3 i line
  for ((i = 0; i < $4 * 10; i++)); do
    while IFS= read -r line; do [[ $line == *"$text"* ]] && return 0; done < "$file" 2>/dev/null
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# spawn_daemon emud|tcmu-runner: launch the daemon in the background with its log in $ART/daemon.N.log
# ($ART/daemon.log links to it) and its pid in $STATE/daemon.pid; returns once the pid is known. No
# module loading, no readiness wait (start_daemon does both; the kill scenarios restart with this alone).
spawn_daemon() {
  local which=$1 n=1 logf cmd
  while [ -e "$ART/daemon.$n.log" ]; do n=$((n + 1)); done
  logf="$ART/daemon.$n.log"
  ln -sfn "daemon.$n.log" "$ART/daemon.log"
  case "$which" in
    emud)
      [ -x "${EMUD_BIN:-}" ] || { echo "start_daemon: emud binary not found (EMUD_BIN=${EMUD_BIN:-unset})" >&2; return 1; }
      # emud_run's command line, not the function: $! below must be emud itself (env execs it), so
      # SIGTERM and the exit status are emud's, not a subshell's.
      cmd=(env ${EMUD_LD_LIBRARY_PATH:+"LD_LIBRARY_PATH=$EMUD_LD_LIBRARY_PATH"} "$EMUD_BIN" serve --log-level "$EMUD_LOG_LEVEL") ;;
    tcmu-runner)
      mkdir -p /etc/tcmu "$ART/tcmu-log"
      # -d (debug) logs every CDB: ~5 MB per iscsi-test-cu run, slow under TCG. Knob.
      cmd=(tcmu-runner ${TCMU_RUNNER_DEBUG:+-d} -l "$ART/tcmu-log") ;;
    *) echo "start_daemon: unknown daemon '$which'" >&2; return 1 ;;
  esac
  rm -f "$STATE/daemon.pid" "$STATE/daemon.status"
  echo "$which" > "$STATE/daemon.name"
  # A small wrapper records the daemon's exit status, so any later check (even one run in
  # a subshell) can tell "exited with 1" from "killed by SIGSEGV".
  ( "${cmd[@]}" > "$logf" 2>&1 &
    echo $! > "$STATE/daemon.pid.tmp"; mv "$STATE/daemon.pid.tmp" "$STATE/daemon.pid"
    rc=0; wait $! || rc=$?
    echo "$rc" > "$STATE/daemon.status" ) < /dev/null > /dev/null 2>&1 &
  local i
  for i in $(seq 50); do [ -s "$STATE/daemon.pid" ] && return 0; sleep 0.1; done
  echo "spawn_daemon: no pid after 5 s" >&2; return 1
}

# daemon_alive: 0 if the daemon started by start_daemon still runs; otherwise reports
# its exit status and the tail of its log.
daemon_alive() {
  local pid; pid=$(cat "$STATE/daemon.pid" 2>/dev/null) || { echo "no daemon was started"; return 1; }
  if [ ! -e "$STATE/daemon.status" ] && kill -0 "$pid" 2>/dev/null; then
    return 0
  fi
  local i; for i in $(seq 20); do [ -s "$STATE/daemon.status" ] && break; sleep 0.1; done
  local rc; rc=$(cat "$STATE/daemon.status" 2>/dev/null || echo unknown)
  local name; name=$(cat "$STATE/daemon.name")
  if [ "$rc" != unknown ] && [ "$rc" -gt 128 ]; then
    echo "DAEMON CRASHED: $name (pid $pid) killed by signal $((rc - 128)) (SIG$(kill -l $((rc - 128)) 2>/dev/null))"
  else
    echo "DAEMON EXITED: $name (pid $pid) exit status $rc"
  fi
  echo "--- daemon log tail ($ART/daemon.log):"; tail -n 30 "$ART/daemon.log" 2>/dev/null
  echo "DAEMON-DIED $name status=$rc" >> "$ART/status-notes"
  return 1
}

# stop_daemon: SIGTERM, then SIGKILL after 10 s. Returns the daemon's exit status.
stop_daemon() {
  local pid; pid=$(cat "$STATE/daemon.pid" 2>/dev/null) || return 0
  rm -f "$STATE/daemon.pid"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 100); do [ -s "$STATE/daemon.status" ] && break; sleep 0.1; done
  if [ ! -s "$STATE/daemon.status" ]; then
    echo "stop_daemon: pid $pid ignored SIGTERM for 10 s; SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 50); do [ -s "$STATE/daemon.status" ] && break; sleep 0.1; done
  fi
  local rc; rc=$(cat "$STATE/daemon.status" 2>/dev/null || echo 1)
  rm -f "$STATE/daemon.status"
  log "daemon stopped (status $rc)"
  return "$rc"
}

# ldd_clean BIN: every shared library of BIN resolves (with the Swift runtime path).
ldd_clean() {
  local out
  out=$(env ${EMUD_LD_LIBRARY_PATH:+"LD_LIBRARY_PATH=$EMUD_LD_LIBRARY_PATH"} ldd "$1" 2>&1) || { echo "$out"; return 1; }
  echo "$out"
  ! echo "$out" | grep -q 'not found'
}

# check_start_daemon: start $DAEMON as a counted check (nothing to do for the fileio column).
check_start_daemon() {
  [ "$DAEMON" = none ] || check "$DAEMON starts" start_daemon
}
