#!/usr/bin/env bash
# Host step of `make capture`: copies the corpora the capture jobs (vm/capture/*.sh) wrote in the
# VM's out share into fixtures/captured/<kind>/, with their blobs/.
#
# Usage: vm/collect-captures.sh [OUT]   (OUT: the run's results folder, default out/capture)
# Each corpus gets `note` lines naming the job and the tool command line (from NAME.cmd, device
# nodes written /dev/sgN and /dev/BLK) and its exit status. The corpora of each job that ran replace
# that job's earlier ones (found by their `captured ... by vm/capture/JOB.sh` note) and nothing else, so
# `make capture CAPTURE_JOBS="mmc iscsi"` leaves sbc.sh's and zbc.sh's corpora as they were; blobs no
# corpus names any more are removed. A regeneration is a plain diff. Corpora of iscsi.sh go to the
# kind in their name.
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

note_of() { echo "note        captured in the kernel VM by vm/capture/$1.sh (make capture; vm/collect-captures.sh)"; }

for jobdir in "$OUT"/emud/*/; do
  job=$(basename "$jobdir")
  [ -d "$jobdir/corpora" ] || continue
  grep -lxF "$(note_of "$job")" "$DEST"/*/*.corpus 2>/dev/null | while read -r old; do rm -f "$old"; done
done

declare -A kinds=()
n=0
for jobdir in "$OUT"/emud/*/; do
  job=$(basename "$jobdir")
  src=$jobdir/corpora
  [ -d "$src" ] || continue
  for corpus in "$src"/*.corpus; do
    [ -e "$corpus" ] || continue
    name=$(basename "$corpus" .corpus)
    kind=$(kind_of "$job" "$name")
    mkdir -p "$DEST/$kind/blobs"; kinds[$kind]=1
    {
      head -n1 "$corpus"
      note_of "$job"
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
# Blobs of the replaced corpora that no corpus of the kind names any more.
for kind in "${!kinds[@]}"; do
  named=$(awk '$1 == "out-sha256" {print $2}' "$DEST/$kind"/*.corpus | sort -u)
  for blob in "$DEST/$kind/blobs"/*; do
    [ -e "$blob" ] || continue
    grep -qxF "$(basename "$blob")" <<<"$named" || rm -f "$blob"
  done
  rmdir "$DEST/$kind/blobs" 2>/dev/null || true
done
echo "collect-captures: $n corpora into $DEST ($(du -sh "$DEST" | cut -f1))"
