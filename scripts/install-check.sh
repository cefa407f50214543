#!/usr/bin/env bash
# `make install-check`: `make install DESTDIR=<temp>` as a distribution package build runs it, then the
# file list, the unit, the generated man page and completions, the kept config, and `make uninstall`.
# Needs the release binary (the Makefile target builds it first).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "install-check: FAIL: $*" >&2; exit 1; }
mk() { make -C "$REPO" --no-print-directory "$@" DESTDIR="$d" PREFIX=/usr >/dev/null; }

mk install
expected=$(DESTDIR=$d PREFIX=/usr "$REPO/scripts/install.sh" --list | sort)
actual=$(find "$d" -type f | sort)
[ "$expected" = "$actual" ] || fail "installed files differ from the list:
$(diff <(echo "$expected") <(echo "$actual"))"
for f in usr/bin/emud usr/lib/systemd/system/emud.service usr/share/man/man8/emud.8 etc/tcmu/tcmu.conf \
         usr/share/bash-completion/completions/emud usr/share/zsh/vendor-completions/_emud \
         usr/share/fish/vendor_completions.d/emud.fish; do
  [ -s "$d/$f" ] || fail "missing or empty: /$f"
done

unit=$d/usr/lib/systemd/system/emud.service
grep -qx 'ExecStart=/usr/bin/emud serve' "$unit" || fail "ExecStart does not name /usr/bin/emud serve"
grep -qx 'Type=notify' "$unit" && grep -qx 'Conflicts=tcmu-runner.service' "$unit" || fail "unit: Type/Conflicts"
if command -v systemd-analyze >/dev/null; then
  # The one complaint allowed: the binary is in DESTDIR, not yet at /usr/bin.
  complaints=$(systemd-analyze verify --man=no "$unit" 2>&1 | grep -v 'Command /usr/bin/emud is not executable' || true)
  [ -z "$complaints" ] || fail "systemd-analyze verify: $complaints"
fi

# The installed binary runs with nothing from the toolchain (static Swift runtime).
env -i "$d/usr/bin/emud" --version | grep -q '^emud ' || fail "installed emud does not run"
! ldd "$d/usr/bin/emud" | grep -q libswift || fail "installed emud links the Swift runtime dynamically"
# Generated from the parser: every subcommand is in the page and the completions.
for sub in serve check-config handlers; do
  grep -q "^\.SS emud $sub" "$d/usr/share/man/man8/emud.8" || fail "man page lacks $sub"
  grep -q "$sub" "$d/usr/share/bash-completion/completions/emud" || fail "bash completion lacks $sub"
done
bash -n "$d/usr/share/bash-completion/completions/emud" || fail "bash completion does not parse"
if command -v man >/dev/null; then
  warnings=$(MANWIDTH=100 man --warnings -l "$d/usr/share/man/man8/emud.8" 2>&1 >/dev/null) || true
  [ -z "$warnings" ] || fail "man page warnings: $warnings"
fi

# An edited config survives both a second install and the uninstall; the rest goes.
echo 'log_level = 4' >> "$d/etc/tcmu/tcmu.conf"
mk install
grep -q '^log_level = 4' "$d/etc/tcmu/tcmu.conf" || fail "reinstall overwrote an edited tcmu.conf"
mk uninstall
left=$(find "$d" -type f)
[ "$left" = "$d/etc/tcmu/tcmu.conf" ] || fail "after uninstall: $left"
echo "install-check: PASS ($(echo "$expected" | wc -l) files installed, listed, uninstalled)"
