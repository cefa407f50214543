#!/usr/bin/env bash
# Installs what building, testing and running emud needs: the packages of scripts/deps.txt, the one
# dependency list (a script needing a package adds it there, in a group if only it needs it).
# deps.txt's packages before its first `[NAME]` line are always installed; a group's only with
# `--group NAME` (make ceph-test asks for `ceph`, vm/setup.sh for `vm`). apt runs only when something is missing: a second
# run costs one dpkg-query. Works as root (no sudo needed) and, for an ordinary user, through sudo.
# Usage: scripts/install-deps.sh [--print] [--group NAME]...
#   --print        list the packages it would install (deps.txt's and the groups') and exit
#   --group NAME   also the packages of deps.txt's group NAME (an unknown group is an error)
# Knob: EMUD_SKIP_DEPS=1 skips everything (a machine managed some other way).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "deps: $*" >&2; }

print=0
groups=()
while [ $# -gt 0 ]; do
  case $1 in
  --print) print=1 ;;
  --group) groups+=("${2:?--group needs a group name}"); shift ;;
  *) log "unknown argument '$1': packages go into scripts/deps.txt (usage: install-deps.sh [--print] [--group NAME]...)"; exit 2 ;;
  esac
  shift
done

wanted() {  # GROUP: whether deps.txt's group GROUP ("" for the common packages) is asked for
  [ -z "$1" ] && return 0
  local g
  for g in "${groups[@]}"; do [ "$g" = "$1" ] && return 0; done
  return 1
}

packages=()
known=()
group=""
while read -r line; do
  line=${line%%#*}
  if [[ $line =~ ^[[:space:]]*\[([A-Za-z0-9_-]+)\][[:space:]]*$ ]]; then
    group=${BASH_REMATCH[1]}
    known+=("$group")
    continue
  fi
  wanted "$group" || continue
  for word in $line; do packages+=("$word"); done
done < "$here/deps.txt"

for g in "${groups[@]}"; do
  [[ " ${known[*]} " == *" $g "* ]] || { log "no group [$g] in scripts/deps.txt (groups: ${known[*]:-none})"; exit 2; }
done

if [ $print = 1 ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi
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
