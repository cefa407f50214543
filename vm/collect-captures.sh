#!/usr/bin/env bash
# Host step of `make capture`: copies the corpora the capture jobs (vm/capture/*.sh) wrote in the
# VM's out share into fixtures/captured/<kind>/, with their blobs/.
#
# Usage: vm/collect-captures.sh [OUT]   (OUT: the run's results folder, default out/capture)
# Each corpus gets `note` lines naming the job and the tool command line (from NAME.cmd, device
# nodes written /dev/sgN and /dev/BLK) and its exit status. A kind's folder is replaced whole,
# so a regeneration is a plain diff. Corpora of iscsi.sh go to the kind in their name.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$REPO/out/capture}
DEST=$REPO/fixtures/captured
[ -d "$OUT/emud" ] || { echo "collect-captures: no $OUT/emud (run make capture first)" >&2; exit 2; }

kind_of() {   # job, corpus name -> sbc | zbc | mmc
  case "$1" in
    iscsi) echo "${2##*-}" ;;
    *) echo "$1" ;;
  esac
}

declare -A cleaned=()
n=0
for jobdir in "$OUT"/emud/*/; do
  job=$(basename "$jobdir")
  src=$jobdir/corpora
  [ -d "$src" ] || continue
  for corpus in "$src"/*.corpus; do
    [ -e "$corpus" ] || continue
    name=$(basename "$corpus" .corpus)
    kind=$(kind_of "$job" "$name")
    if [ -z "${cleaned[$kind]:-}" ]; then rm -rf "${DEST:?}/$kind"; mkdir -p "$DEST/$kind/blobs"; cleaned[$kind]=1; fi
    {
      head -n1 "$corpus"
      echo "note        captured in the kernel VM by vm/capture/$job.sh (make capture; vm/collect-captures.sh)"
      [ -f "$src/$name.cmd" ] && sed 's/^/note        tool: /' "$src/$name.cmd"
      [ -f "$src/$name.status" ] && echo "note        tool exit status $(cat "$src/$name.status")"
      tail -n +2 "$corpus"
    } > "$DEST/$kind/$name.corpus"
    # The blobs this corpus names (Data-Out larger than the inline limit).
    for sha in $(awk '$1 == "out-sha256" {print $2}' "$corpus"); do
      cp "$src/blobs/$sha" "$DEST/$kind/blobs/$sha"
    done
    n=$((n + 1))
  done
done
for kind in "${!cleaned[@]}"; do rmdir "$DEST/$kind/blobs" 2>/dev/null || true; done
echo "collect-captures: $n corpora into $DEST ($(du -sh "$DEST" | cut -f1))"
