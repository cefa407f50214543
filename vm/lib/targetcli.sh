# Guest helpers for the targetcli scenario (60-targetcli). Sourced after guest.sh.

# start_system_bus: a system dbus-daemon (the guest boots none), with emud's bus policy installed beside
# tcmu-runner's (Debian's tcmu-runner ships /etc/dbus-1/system.d/tcmu-runner.conf). In the
# scenario's process group, so the harness's clean-up kills it too; stop_system_bus ends it.
start_system_bus() {
  mkdir -p /run/dbus /etc/dbus-1/system.d
  cp "$REPO/packaging/dbus/org.kernel.TCMUService1.conf" /etc/dbus-1/system.d/emud-org.kernel.TCMUService1.conf
  rm -f /run/dbus/pid /run/dbus/system_bus_socket
  dbus-daemon --system --nofork --nopidfile > "$ART/dbus-daemon.log" 2>&1 &
  echo $! > "$STATE/dbus.pid"
  local i
  for i in $(seq 100); do [ -S /run/dbus/system_bus_socket ] && return 0; sleep 0.1; done
  echo "no /run/dbus/system_bus_socket after 10 s"; cat "$ART/dbus-daemon.log"; return 1
}

stop_system_bus() {
  local pid; pid=$(cat "$STATE/dbus.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null; rm -f "$STATE/dbus.pid"
}

# tcli ARGS...: targetcli (bounded), its output kept in checks.log. targetcli exits 0 even when a
# command fails, so callers look at what it says (tcli_says).
tcli() { HOME=$STATE run_bounded "$STEP_TIMEOUT" targetcli "$@" 2>&1; }

# tcli_says TEXT ARGS...: targetcli ARGS prints TEXT (a fixed string).
tcli_says() {
  local want=$1; shift
  local out; out=$(tcli "$@"); echo "$out"
  grep -qF -- "$want" <<< "$out"
}

# user_backstores: the user:<handler> backstores targetcli lists, sorted, on one line.
user_backstores() { tcli ls /backstores 1 | grep -o 'o- user:[a-z]*' | sed 's/^o- //' | sort | tr '\n' ' ' | sed 's/ $//'; }

# targetcli_loop SO_PATH WWN: a tcm_loop target WWN with SO_PATH (/backstores/user:zbc/z0) as LUN 0,
# made with targetcli; prints "/dev/sdX /dev/sgN" once the LUN's nodes exist.
targetcli_loop() {
  tcli /loopback create "$2" >&2 || return 1
  tcli "/loopback/$2/luns" create "$1" >&2 || return 1
  loopback_nodes "$2"
}

# loopback_nodes WWN: the nodes of LUN 0 of loopback target WWN (after a restoreconfig, too).
loopback_nodes() {
  local a; a=$(cat "$CFS/loopback/$1/tpgt_1/address" 2>/dev/null) || { echo "no loopback target $1" >&2; return 1; }
  wait_scsi_nodes "$a"
}

# zone_lines BLK: how many zones `blkzone report` lists.
zone_lines() { blkzone report "$1" | grep -c 'start:'; }
