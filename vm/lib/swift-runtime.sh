# Host side (vm/run.sh, vm/demo.sh): where the Swift runtime libraries of the toolchain that built emud
# are, so a dynamically linked emud finds libswiftCore.so & co. The guest sees the host's / read-only,
# so the same path works inside the VM.

# swift_runtime_dir: <toolchain>/usr/lib/swift/linux of the `swift` on PATH; fails when there is none.
swift_runtime_dir() {
  local swift root
  swift=$(command -v swift) || return 1
  root=$(dirname "$(dirname "$(readlink -f "$swift")")")   # <toolchain>/usr (bin/swift → …/usr/bin/swift-driver)
  [ -d "$root/lib/swift/linux" ] || return 1
  echo "$root/lib/swift/linux"
}

# EMUD_LD_LIBRARY_PATH: kept when set; empty when $EMUD_BIN links the Swift runtime statically (what
# `make release` builds); else derived from `swift`.
if [ -z "${EMUD_LD_LIBRARY_PATH+set}" ] && [ -x "${EMUD_BIN:-}" ] && ! ldd "$EMUD_BIN" 2>/dev/null | grep -q libswiftCore; then
  EMUD_LD_LIBRARY_PATH=
fi
if [ -z "${EMUD_LD_LIBRARY_PATH+set}" ]; then
  EMUD_LD_LIBRARY_PATH=$(swift_runtime_dir) || {
    EMUD_LD_LIBRARY_PATH=
    echo "swift-runtime: no 'swift' on PATH: set EMUD_LD_LIBRARY_PATH to the Swift runtime directory" \
      "(<toolchain>/usr/lib/swift/linux) unless emud is linked statically" >&2
  }
fi
export EMUD_LD_LIBRARY_PATH
