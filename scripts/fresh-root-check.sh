#!/usr/bin/env bash
# The README's commands on a fresh Debian 12, as a new user runs them: debootstrap a minimal bookworm
# root into the project's out/ folder, bind the Swift toolchain (/opt/swift) into it read-only, put the
# checkout there, then run `make build`, `make unit` and `make release` inside (chroot, as root, no sudo).
# Each entry point must install what it needs from scripts/deps.txt by itself; the root starts with
# nothing but what a user who cloned the repo has: make, git, ca-certificates. Last, the release
# binary runs with the toolchain unmounted (static Swift runtime).
#
# Usage: scripts/fresh-root-check.sh [--keep] [TARGET...]   (default targets: build unit release)
#   --keep   leave the root in place afterwards (mounts are always undone)
# Knobs: FRESH_ROOT (default out/fresh-root), FRESH_ROOT_MIRROR (http://deb.debian.org/debian),
#   FRESH_ROOT_CACHE (a folder kept between runs for debootstrap's .debs; default none),
#   SWIFT_TOOLCHAIN (/opt/swift), FRESH_ROOT_TIMEOUT (seconds for the whole check, 1800).
# Exit status: 0 when every target passed and the release binary ran without the toolchain.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=${FRESH_ROOT:-$REPO/out/fresh-root}
MIRROR=${FRESH_ROOT_MIRROR:-http://deb.debian.org/debian}
TOOLCHAIN=${SWIFT_TOOLCHAIN:-/opt/swift}
LIMIT=${FRESH_ROOT_TIMEOUT:-1800}
KEEP=0
if [ "${1:-}" = --keep ]; then KEEP=1; shift; fi
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(build unit release)

log() { echo "fresh-root: $*" >&2; }
die() { log "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount)"
[ -x "$TOOLCHAIN/usr/bin/swift" ] || die "no Swift toolchain at $TOOLCHAIN"
case "$ROOT" in /|/usr|/usr/*|/opt|/opt/*|"") die "refusing FRESH_ROOT=$ROOT" ;; esac

# ---- mounts: every one is recorded and undone on every exit path ----------------------------
MOUNTS=()
mounts_under_root() { awk -v r="$ROOT/" 'index($2 "/", r) == 1 { print $2 }' /proc/self/mounts | sort -r; }
undo_mounts() {
  local m
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    m=${MOUNTS[$i]}
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "WARNING: could not unmount $m"
  done
  MOUNTS=()
  # Anything left from an earlier, killed run.
  for m in $(mounts_under_root); do umount "$m" 2>/dev/null || umount -l "$m" || true; done
}
remove_root() {
  undo_mounts
  # Never delete through a mount: the toolchain is bound in there.
  [ -z "$(mounts_under_root)" ] || die "mounts remain under $ROOT; not deleting it"
  rm -rf --one-file-system "$ROOT"
}
cleanup() {
  local rc=$?
  undo_mounts
  if [ "$KEEP" = 0 ] && [ -d "$ROOT" ]; then remove_root; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
bind() {  # bind SRC DEST [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2"
  MOUNTS+=("$2")
  [ "${3:-}" != ro ] || mount -o remount,bind,ro "$2"
}

t_start=$(date +%s)
step_times=()
timed() {  # timed NAME COMMAND...: runs it, records its seconds, returns its status
  local name=$1 t0=$(date +%s) rc=0; shift
  log "== $name"
  "$@" || rc=$?   # (set -e does not act inside a function called left of ||)
  step_times+=("$name $(( $(date +%s) - t0 ))s")
  log "   $name: $(( $(date +%s) - t0 ))s, status $rc"
  return "$rc"
}

# ---- the root ---------------------------------------------------------------------------
"$REPO/scripts/install-deps.sh" --group fresh-root
[ ! -e "$ROOT" ] || remove_root
mkdir -p "$(dirname "$ROOT")" "$REPO/out"
cache_args=()
if [ -n "${FRESH_ROOT_CACHE:-}" ]; then mkdir -p "$FRESH_ROOT_CACHE"; cache_args=(--cache-dir="$(cd "$FRESH_ROOT_CACHE" && pwd)"); fi
timed debootstrap timeout "$LIMIT" debootstrap --variant=minbase "${cache_args[@]}" bookworm "$ROOT" "$MIRROR" \
  > "$REPO/out/fresh-root-debootstrap.log" 2>&1 || { tail -20 "$REPO/out/fresh-root-debootstrap.log" >&2; die "debootstrap"; }
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

mkdir -p "$ROOT/proc" "$ROOT/dev"
mount -t proc proc "$ROOT/proc"; MOUNTS+=("$ROOT/proc")
bind /dev "$ROOT/dev"
bind "$TOOLCHAIN" "$ROOT/opt/swift" ro
# This machine's git rewrites for package dependencies (a local mirror of github.com, say) come
# along, with the folders they point to: a new user's machine would have its own network path.
while read -r key value; do
  target=${key#url.}; target=${target%.insteadof}
  case "$target" in /*) [ -d "$target" ] && [ ! -d "$ROOT$target" ] && bind "$target" "$ROOT$target" ro ;; esac
  git config --file "$ROOT/etc/gitconfig" --add "$key" "$value"
done < <(git config --system --get-regexp '^url\..*\.insteadof$' 2>/dev/null || true)

in_root() {  # a login-like environment: no variables of this shell leak in
  timeout "$LIMIT" chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "$1"
}
# What a user who cloned the repository has: make and git. Everything else is the entry points' job.
timed premise in_root 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq &&
  apt-get install -y -qq --no-install-recommends make git ca-certificates >/dev/null'

# The checkout: the files git knows (committed or not, less the ignored ones), as a clone has them.
mkdir -p "$ROOT/root/emud"
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard |
  tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -x -C "$ROOT/root/emud"

for t in "${TARGETS[@]}"; do
  timed "make $t" in_root "cd /root/emud && make $t" > "$REPO/out/fresh-root-$t.log" 2>&1 ||
    { tail -30 "$REPO/out/fresh-root-$t.log" >&2; die "make $t (log: out/fresh-root-$t.log)"; }
done

# The release binary runs where no toolchain is: /opt/swift unmounted, no LD_LIBRARY_PATH.
case " ${TARGETS[*]} " in *" release "*)
  umount "$ROOT/opt/swift"
  for i in "${!MOUNTS[@]}"; do [ "${MOUNTS[$i]}" != "$ROOT/opt/swift" ] || unset 'MOUNTS[i]'; done
  MOUNTS=("${MOUNTS[@]}")
  version=$(in_root '/root/emud/.build/release/emud --version') || die "the release emud does not run without the toolchain"
  log "release binary without the toolchain: $version"
  ;;
esac

log "PASS in $(( $(date +%s) - t_start ))s: ${step_times[*]/%/;}"
