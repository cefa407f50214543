# Guest helpers for the targetcli scenario (56-targetcli). Sourced after guest.sh.

# start_system_bus [--as-installed]: a system dbus-daemon (the guest boots none), with emud's bus policy
# installed beside tcmu-runner's (Debian's tcmu-runner ships /etc/dbus-1/system.d/tcmu-runner.conf);
# --as-installed: with the configuration as it is (what `make install` put there). In the
# scenario's process group, so the harness's clean-up kills it too; stop_system_bus ends it.
start_system_bus() {
  mkdir -p /run/dbus /etc/dbus-1/system.d
  [ "${1:-}" = --as-installed ] || \
    cp "$REPO/packaging/dbus/org.kernel.TCMUService1.conf" /etc/dbus-1/system.d/emud-org.kernel.TCMUService1.conf
  rm -f /run/dbus/pid /run/dbus/system_bus_socket
  dbus-daemon --system --nofork --nopidfile > "$ART/dbus-daemon.log" 2>&1 &
  echo $! > "$STATE/dbus.pid"
  local i
  for i in $(seq 100); do [ -S /run/dbus/system_bus_socket ] && return 0; sleep 0.1; done
  echo "no /run/dbus/system_bus_socket after 10 s"; cat "$ART/dbus-daemon.log"; return 1
}

# stop_system_bus: ends it and removes its socket. A socket left behind (the harness kills the process
# group) made the next scenario's targetcli fail at start-up: it connects to the system bus before
# anything else (Gio.bus_get_sync in ui_backstore.py, outside its try) and exits 255 when nothing answers.
stop_system_bus() {
  local pid i; pid=$(cat "$STATE/dbus.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null; rm -f "$STATE/dbus.pid"
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f /run/dbus/system_bus_socket
}

# tcli_session NAME COMMAND...: one interactive targetcli session running the COMMANDs (fed on its
# standard input). Python starts in ~30 s under TCG, so a scenario runs a few sessions rather than one
# targetcli per command. Input and output are kept as $ART/targetcli-NAME.{in,txt}; the output is
# printed. targetcli reports a failed command on its output, not in its exit status: callers look for
# its words (has_text).
tcli_session() {
  local name=$1; shift
  { echo "set global auto_save_on_exit=false"; printf '%s\n' "$@"; echo exit; } > "$ART/targetcli-$name.in"
  HOME=$STATE run_bounded "$STEP_TIMEOUT" sh -c 'targetcli < "$1" > "$2" 2>&1' _ \
    "$ART/targetcli-$name.in" "$ART/targetcli-$name.txt"
  local rc=$?
  cat "$ART/targetcli-$name.txt"
  return "$rc"
}

# has_text FILE TEXT: FILE holds TEXT (a fixed string).
has_text() { grep -qF -- "$2" "$1" || { echo "not found in $1: [$2]"; return 1; }; }

# user_backstores FILE: the user:<handler> backstores a targetcli `ls` in FILE lists, sorted, one line.
user_backstores() { grep -o 'o- user:[a-z]*' "$1" | sed 's/^o- //' | sort -u | tr '\n' ' ' | sed 's/ $//'; }

# loopback_nodes WWN: the nodes of LUN 0 of loopback target WWN (after a restoreconfig, too).
loopback_nodes() {
  local a; a=$(cat "$CFS/loopback/$1/tpgt_1/address" 2>/dev/null) || { echo "no loopback target $1" >&2; return 1; }
  wait_scsi_nodes "$a"
}

# zone_lines BLK: how many zones `blkzone report` lists.
zone_lines() { blkzone report "$1" | grep -c 'start:'; }
# zones_settle BLK N: blkzone report lists N zones within 30 s. Right after restoreconfig, sd's zone
# revalidation can meet the INQUIRY DATA HAS CHANGED unit attention and leave the disk without zones
# until the next revalidation (seen 20:50 UTC: one report at 0 s failed); the zone count is then checked.
zones_settle() {
  local i n=''
  for i in $(seq 30); do
    n=$(zone_lines "$1" 2>/dev/null) && [ "$n" = "$2" ] && return 0
    [ "$i" = 10 ] && blockdev --rereadpt "$1" 2>/dev/null
    sleep 1
  done
  echo "blkzone report on $1 lists ${n:-no} zones, not $2"; return 1
}
