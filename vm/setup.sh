#!/usr/bin/env bash
# Prepare everything the VM harness needs; idempotent and fast on a second run.
#  - Debian packages: emud's build dependencies and the VM's own (scripts/deps.txt, group [vm]),
#    through scripts/install-deps.sh (apt only when something is missing)
#  - the Debian kernel package, downloaded and extracted (not installed) into vm/cache/kernel
#  - the busybox initramfs (vm/cache/initramfs.cpio.gz)
# Knobs: VM_CACHE (default vm/cache), VM_KERNEL_PKG (force a linux-image-* package name).
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${VM_CACHE:-$VM_DIR/cache}
mkdir -p "$CACHE"

log() { echo "setup: $*" >&2; }


APT_UPDATED=0
apt_update_once() {
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    apt-get update -qq
    APT_UPDATED=1
  fi
}

# emud's own build dependencies, the VM's packages (scripts/deps.txt's group [vm]) and the Ceph daemons
# the rbd-cluster scenario runs in the guest (group [ceph]), in one apt run when something is missing.
"$VM_DIR/../scripts/install-deps.sh" --group vm --group ceph

# ---- kernel -----------------------------------------------------------------
KDIR=$CACHE/kernel
if [ -n "${VM_KERNEL_PKG:-}" ]; then
  kpkg=$VM_KERNEL_PKG
elif [ -s "$CACHE/kernel-package" ] && [ -d "$KDIR/lib/modules" ]; then
  kpkg=$(cat "$CACHE/kernel-package")          # cached: no apt look-up needed
else
  kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
  if [ -z "$kpkg" ]; then
    apt_update_once
    kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
  fi
fi
[ -n "$kpkg" ] || { log "cannot resolve the kernel package"; exit 1; }

if [ "$(cat "$CACHE/kernel-package" 2>/dev/null)" != "$kpkg" ] || [ ! -d "$KDIR/lib/modules" ]; then
  log "fetching $kpkg"
  rm -rf "$KDIR" "$CACHE"/debs
  mkdir -p "$CACHE/debs" "$KDIR"
  (cd "$CACHE/debs" && apt-get download "$kpkg" >&2) || { apt_update_once; (cd "$CACHE/debs" && apt-get download "$kpkg" >&2); }
  dpkg -x "$CACHE"/debs/"$kpkg"_*.deb "$KDIR"
  kver=$(ls "$KDIR/lib/modules" | head -n1)
  depmod -b "$KDIR" "$kver"
  echo "$kpkg" > "$CACHE/kernel-package"
  rm -rf "$CACHE/debs"
fi
kver=$(ls "$KDIR/lib/modules" | head -n1)
echo "$kver" > "$CACHE/kernel-version"
[ -f "$KDIR/boot/vmlinuz-$kver" ] || { log "no vmlinuz in $KDIR/boot"; exit 1; }

# ---- initramfs --------------------------------------------------------------
"$VM_DIR/initramfs/build.sh" "$KDIR" "$kver" "$CACHE/initramfs.cpio.gz"
log "ready: kernel $kver ($kpkg), initramfs $CACHE/initramfs.cpio.gz"
