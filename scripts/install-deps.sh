#!/usr/bin/env bash
# Installs what building, testing and running emud needs: the packages of scripts/deps.txt (the one
# dependency list) plus any package names given as arguments (vm/setup.sh adds the VM's own).
# apt runs only when something is missing: a second run costs one dpkg-query. Works as root (no sudo
# needed) and, for an ordinary user, through sudo.
# Usage: scripts/install-deps.sh [--print] [EXTRA-PACKAGE...]
#   --print   list the packages of deps.txt (and the extras) and exit
# Knob: EMUD_SKIP_DEPS=1 skips everything (a machine managed some other way).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "deps: $*" >&2; }

packages=()
while read -r line; do
  line=${line%%#*}
  for word in $line; do packages+=("$word"); done
done < "$here/deps.txt"

if [ "${1:-}" = --print ]; then
  shift
  printf '%s\n' "${packages[@]}" "$@"
  exit 0
fi
packages+=("$@")
[ "${EMUD_SKIP_DEPS:-0}" = 1 ] && exit 0

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0

as_root=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { log "missing ${missing[*]}; run as root or install sudo"; exit 1; }
  as_root=(sudo)
fi
log "installing: ${missing[*]}"
"${as_root[@]}" apt-get update -qq
# RUNLEVEL=1: no daemon is started by a maintainer script (containers, CI, the fresh-root check).
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
