#!/usr/bin/env bash
# Build the busybox initramfs: /init, a static busybox, and the few modules needed to
# reach the host's root over virtio-9p and put a tmpfs overlay on it.
# Usage: build.sh KERNEL_TREE KERNEL_VERSION OUTPUT.cpio.gz
set -euo pipefail

KDIR=$1 KVER=$2 OUTPUT=$3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODULES="virtio_pci 9pnet_virtio 9p overlay"   # dependencies are resolved below

# Rebuild only when an input changed.
stamp="$(sha256sum "$HERE/init" "$HERE/build.sh" /bin/busybox | sha256sum | cut -c1-16)-$KVER"
if [ -f "$OUTPUT" ] && [ "$(cat "$OUTPUT.stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,modules,host,rw,newroot}
cp /bin/busybox "$work/bin/busybox"
ln -s busybox "$work/bin/sh"
cp "$HERE/init" "$work/init"
chmod 755 "$work/init"

# modprobe --show-depends prints "insmod PATH" lines in load order.
: > "$work/modules/order"
for m in $MODULES; do
  modprobe -d "$KDIR" -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r path; do
  name=$(basename "$path")
  case "$name" in
    *.ko.xz)  xz -dc "$path" > "$work/modules/${name%.xz}"; name=${name%.xz} ;;
    *.ko.zst) zstd -qdc "$path" > "$work/modules/${name%.zst}"; name=${name%.zst} ;;
    *.ko.gz)  gzip -dc "$path" > "$work/modules/${name%.gz}"; name=${name%.gz} ;;
    *)        cp "$path" "$work/modules/$name" ;;
  esac
  echo "$name" >> "$work/modules/order"
done

(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUTPUT.tmp"
mv "$OUTPUT.tmp" "$OUTPUT"
echo "$stamp" > "$OUTPUT.stamp"
echo "initramfs: $(wc -l < "$work/modules/order") modules: $(tr '\n' ' ' < "$work/modules/order")" >&2
