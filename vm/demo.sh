#!/usr/bin/env bash
# `make run`: emud for real.
#   - Where this machine's kernel has target_core_user (loaded, or loadable with modprobe),
#     emud serves this machine's TCMU devices in the foreground (`emud serve`; Ctrl-C stops it).
#   - Otherwise (no TCMU here, e.g. a container or CI runner) it boots the harness VM
#     (vm/setup.sh, QEMU TCG) and runs vm/demo/guest-demo.sh there: a disk, a DVD holding a
#     generated ISO and a host-managed ZBC disk are created through configfs, shown working
#     (lsscsi, a file system, the zone report head, the DVD mounted and a file read from it),
#     then removed and emud is stopped. The transcript is printed at the end and kept in
#     out/demo/emud/demo/log.txt.
# Usage: vm/demo.sh [--vm] [emud serve options...]   (--vm: the VM even where TCMU is present)
# Exit status: 0 when every demo step worked (host mode: emud's own status).
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_DIR/.." && pwd)
source "$VM_DIR/lib/swift-runtime.sh"   # EMUD_LD_LIBRARY_PATH, from the `swift` on PATH
FORCE_VM=0
if [ "${1:-}" = --vm ]; then FORCE_VM=1; shift; fi

build_emud() {
  if [ -n "${EMUD_BIN:-}" ]; then return 0; fi
  EMUD_BIN=$REPO/.build/release/emud
  echo "demo: building emud (make release: the Swift runtime linked statically)"
  make -C "$REPO" --no-print-directory release || { echo "demo: emud did not build" >&2; exit 2; }
  export EMUD_BIN
}

host_has_tcmu() {
  [ -d /sys/module/target_core_user ] && return 0
  modprobe target_core_user 2>/dev/null && [ -d /sys/module/target_core_user ]
}

if [ "$FORCE_VM" = 0 ] && host_has_tcmu; then
  build_emud
  echo "demo: this kernel has target_core_user: emud serves this machine's TCMU devices (Ctrl-C stops it)."
  echo "demo: create one with e.g. mkdir /sys/kernel/config/target/core/user_1/disk0 ... (see /work/shared/reference/kernel-vm.md)"
  exec env ${EMUD_LD_LIBRARY_PATH:+"LD_LIBRARY_PATH=$EMUD_LD_LIBRARY_PATH"} "$EMUD_BIN" serve --log-level 3 "$@"
fi

echo "demo: no target_core_user in this kernel: booting a QEMU guest with Debian's kernel to show emud there."
"$VM_DIR/setup.sh"
build_emud
OUT=${VM_OUT:-$REPO/out/demo}
rc=0
EMUD_LOG_LEVEL=${EMUD_LOG_LEVEL:-3} "$VM_DIR/run.sh" --columns emud --gate emud --out "$OUT" \
  "$VM_DIR/demo/guest-demo.sh" || rc=$?
T=$OUT/emud/guest-demo/log.txt
echo
echo "==================== transcript (from the guest) ===================="
if [ -f "$T" ]; then cat "$T"; else echo "demo: no transcript at $T" >&2; [ "$rc" != 0 ] || rc=3; fi
exit "$rc"
