#!/usr/bin/env bash
# `make install` / `make uninstall`: emud as a system service in place of tcmu-runner.
# Installs the binary, the systemd unit, the D-Bus policy and activation files (packaging/dbus/),
# a default /etc/tcmu/tcmu.conf (never over an existing one), the man page emud(8) and bash, zsh and
# fish completions; the page and the completions are generated from the binary's argument parser.
# Usage: scripts/install.sh [--uninstall | --list] EMUD-BINARY
#   --list       print the installed paths (under DESTDIR) and exit
# Knobs (environment; the Makefile passes its variables): DESTDIR, PREFIX (/usr/local), BINDIR,
#   DATADIR, MANDIR, SYSTEMDUNITDIR ($PREFIX/lib/systemd/system), SYSCONFDIR (/etc: emud reads
#   /etc/tcmu/tcmu.conf wherever it is installed), DBUSDIR (/usr/share/dbus-1: the system bus reads
#   its policy there whatever the prefix).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=install
case "${1:-}" in --uninstall) MODE=uninstall; shift ;; --list) MODE=list; shift ;; esac
EMUD=${1:-$REPO/.build/release/emud}

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
BINDIR=${BINDIR:-$PREFIX/bin}
DATADIR=${DATADIR:-$PREFIX/share}
MANDIR=${MANDIR:-$DATADIR/man}
SYSTEMDUNITDIR=${SYSTEMDUNITDIR:-$PREFIX/lib/systemd/system}
SYSCONFDIR=${SYSCONFDIR:-/etc}
DBUSDIR=${DBUSDIR:-/usr/share/dbus-1}
D=$DESTDIR

# What goes where: "destination source-or-generator mode". Sources are files under packaging/;
# generators are "gen:NAME".
entries=(
  "$BINDIR/emud bin 0755"
  "$SYSTEMDUNITDIR/emud.service unit 0644"
  "$MANDIR/man8/emud.8 gen:man 0644"
  "$DATADIR/bash-completion/completions/emud gen:bash 0644"
  "$DATADIR/zsh/vendor-completions/_emud gen:zsh 0644"
  "$DATADIR/fish/vendor_completions.d/emud.fish gen:fish 0644"
)
# The D-Bus files, whatever packaging/dbus holds: policies (*.conf) and activation files (*.service).
for f in "$REPO"/packaging/dbus/*.conf; do [ -e "$f" ] && entries+=("$DBUSDIR/system.d/$(basename "$f") $f 0644"); done
for f in "$REPO"/packaging/dbus/*.service; do [ -e "$f" ] && entries+=("$DBUSDIR/system-services/$(basename "$f") $f 0644"); done
CONF=$SYSCONFDIR/tcmu/tcmu.conf

if [ "$MODE" = list ]; then
  for e in "${entries[@]}"; do echo "$D${e%% *}"; done
  echo "$D$CONF"
  exit 0
fi

if [ "$MODE" = uninstall ]; then
  for e in "${entries[@]}"; do rm -f "$D${e%% *}"; done
  # The config only when it is still the shipped one: an edited tcmu.conf is the admin's.
  if cmp -s "$D$CONF" "$REPO/packaging/tcmu/tcmu.conf"; then rm -f "$D$CONF"; fi
  [ -e "$D$CONF" ] && echo "install: kept $D$CONF (changed since install)"
  exit 0
fi

[ -x "$EMUD" ] || { echo "install: no emud binary at $EMUD (make release)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Absolute paths in the unit and the activation files point at the installed binary.
installed_paths() { sed -e "s|/usr/bin/emud|$BINDIR/emud|g" "$1"; }
for e in "${entries[@]}"; do
  read -r dest src mode <<< "$e"
  case "$src" in
    bin) cp "$EMUD" "$tmp/file" ;;
    unit) installed_paths "$REPO/packaging/systemd/emud.service" > "$tmp/file" ;;
    gen:man) "$REPO/scripts/manpage.sh" "$EMUD" > "$tmp/file" ;;
    gen:*) "$EMUD" --generate-completion-script "${src#gen:}" > "$tmp/file" ;;
    *) installed_paths "$src" > "$tmp/file" ;;
  esac
  install -D -m "$mode" "$tmp/file" "$D$dest"
  echo "install: $D$dest"
done
if [ -e "$D$CONF" ]; then
  echo "install: kept the existing $D$CONF"
else
  install -D -m 0644 "$REPO/packaging/tcmu/tcmu.conf" "$D$CONF"
  echo "install: $D$CONF"
fi
