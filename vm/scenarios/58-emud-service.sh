#!/usr/bin/env bash
# emud-service: what `make install` puts on a machine works with no hand step, as far as a guest without
# systemd (busybox init) can show. `make install PREFIX=/usr/local` (the release binary the host built:
# `make -o release`) installs the binary, the unit, the D-Bus policy and activation file, the man page,
# the completions and keeps Debian's /etc/tcmu/tcmu.conf. With tcmu-runner's bus files set aside, a
# system dbus-daemon on Debian's system.conf reads only the installed ones; no emud runs; targetcli's
# first call to org.kernel.TCMUService1 makes the bus start the installed emud (the activation file's
# Exec= line through dbus-daemon's launch helper, as on a machine without systemd activation), which
# owns the name under the installed policy and serves: targetcli lists emud's four handlers, and the
# installed `emud create` makes a disk whose I/O it serves. Not shown here (no systemd in the guest):
# the unit's Type=notify readiness, ExecReload and SystemdService= activation; install-check runs
# systemd-analyze verify on the unit.
# timeout: 480
# requires: targetcli dbus-daemon dbus-send make man
# columns: emud
# n/a: installs and activates emud
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/optical.sh"
source "$REPO/vm/lib/targetcli.sh"
STEP_TIMEOUT=${TARGETCLI_STEP_TIMEOUT:-240}
BIN=/usr/local/bin/emud
ACTIVATION=/usr/share/dbus-1/system-services/org.kernel.TCMUService1.service
POLICY=/usr/share/dbus-1/system.d/org.kernel.TCMUService1.conf
ASIDE=$STATE/aside

# tcmu-runner's activation file (same path as ours: make install replaces it) and its policy, and the
# policy copy other scenarios put in /etc/dbus-1/system.d: set aside, put back at the end.
mkdir -p "$ASIDE"
cp -p "$ACTIVATION" "$ASIDE/activation" 2>/dev/null
mv /etc/dbus-1/system.d/tcmu-runner.conf "$ASIDE/" 2>/dev/null
rm -f /etc/dbus-1/system.d/emud-org.kernel.TCMUService1.conf
activated_pid() { pgrep -x emud | head -n1; }
restore() {
  stop_system_bus
  local pid; pid=$(activated_pid); [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
  [ -e "$ASIDE/activation" ] && cp -p "$ASIDE/activation" "$ACTIVATION"
  [ -e "$ASIDE/tcmu-runner.conf" ] && mv "$ASIDE/tcmu-runner.conf" /etc/dbus-1/system.d/
  rm -f "$POLICY"
}
trap restore EXIT
load_target_modules

check "make install PREFIX=/usr/local (make -o release: the host's release build)" \
  artifact install.txt make -C "$REPO" -o release install PREFIX=/usr/local
check "the installed binary runs without the toolchain (ldd: no libswift)" sh -c \
  "$BIN --version && ! ldd $BIN | grep -q libswift"
check "emud(8) renders" sh -c "MANWIDTH=80 man -l /usr/local/share/man/man8/emud.8 2>/dev/null | grep -q 'emud create'"
check "bash, zsh and fish completions are installed" test -s /usr/local/share/bash-completion/completions/emud \
  -a -s /usr/local/share/zsh/vendor-completions/_emud -a -s /usr/local/share/fish/vendor_completions.d/emud.fish
check "the activation file runs the installed binary" grep -qx "Exec=$BIN serve" "$ACTIVATION"
check "the policy is in the bus's system.d" cmp "$POLICY" "$REPO/packaging/dbus/org.kernel.TCMUService1.conf"
check "Debian's /etc/tcmu/tcmu.conf was kept" grep -q 'kept the existing /etc/tcmu/tcmu.conf' "$ART/install.txt"
check "the unit names the installed binary" grep -q "^ExecStart=$BIN serve" /usr/local/lib/systemd/system/emud.service

check "no emud runs before activation" sh -c "! pgrep -x emud"
check "a system dbus-daemon runs on the installed files alone" start_system_bus --as-installed
mark=$(dmesg_mark emud-service)
check "targetcli session (ls /backstores) activates emud over D-Bus" tcli_session activate "ls /backstores"
check "targetcli lists emud's handlers: user:fbo user:file user:qcow user:rbd user:zbc" \
  equals "user:fbo user:file user:qcow user:rbd user:zbc" user_backstores "$ART/targetcli-activate.txt"
PID=$(activated_pid)
check "the bus started the installed binary (pid ${PID:-none}: $BIN)" \
  test "$(readlink "/proc/${PID:-0}/exe" 2>/dev/null)" = "$BIN"
owner_pid() {
  dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.kernel.TCMUService1 | awk '/uint32/ {print $2}'
}
check "it owns org.kernel.TCMUService1 on the bus" equals "${PID:-none}" owner_pid

rm -f "$SCRATCH/service.img"
serves_disk() {
  local out blk sg
  out=$("$BIN" create svc0 "file/$SCRATCH/service.img" --size 64M) || return 1
  echo "$out"; read -r blk sg <<< "$out"
  write_read_back "$blk" 0 1024 service && write_read_back "$blk" $((63 * 1024)) 1024 service-end
}
check "the installed emud create makes a disk the activated emud serves (write, read back)" serves_disk
check "emud remove svc0" artifact remove.txt "$BIN" remove svc0
stop_activated() {
  kill -TERM "$PID" || return 1
  local i; for i in $(seq 100); do kill -0 "$PID" 2>/dev/null || return 0; sleep 0.1; done
  echo "pid $PID still runs 10 s after SIGTERM"; return 1
}
check "the activated emud stops on SIGTERM" stop_activated
check "no kernel warnings or errors" dmesg_clean_since "$mark"
check "make uninstall removes what it installed" sh -c \
  "make -C '$REPO' uninstall PREFIX=/usr/local && ! test -e $BIN && ! test -e $POLICY"
summary
