#!/usr/bin/env bash
# sg-replay: `emud replay --sg /dev/sgN` proved against real SCSI devices. Every bare-attach sg3_utils
# corpus under fixtures/captured/<kind>/ (sg_*.corpus) is replayed through SG_IO
# against a fresh emud device of the corpus's kind, attached the same way (emud runs with --capture
# into a throwaway folder, so the device has the identifiers the corpus was captured with): every
# exchange must pass. Then, as information, the sbc corpora against LIO's own fileio backstore
# (a different device: identity, VPD and mode pages differ; the counts are kept in fileio.txt).
# timeout: 900
set -uo pipefail
CAPDIR_OVERRIDE=/tmp/sg-replay-capture
source "$REPO/vm/lib/capture.sh"
[ "$COLUMN" = emud ] || not_applicable "replays against emud devices"
FIX=$REPO/fixtures/captured
EMUD=(emud_run)
check "emud starts with --capture" capture_start_daemon

# sg_replay NAME MODE CFG SIZE CORPUS: fresh device, replay CORPUS through its sg node.
sg_replay() {
  local name=$1 mode=$2 cfg=$3 size=$4 corpus=$5
  capture_image "$cfg" "$size" && capture_create "$name" "$cfg" "$size" "${CAPTURE_CONTROL[@]}" || { check "$name created" false; return; }
  local blk sg; read -r blk sg < <(capture_link "$name" "$mode" || true)
  check "replay --sg $sg ${corpus#$FIX/}" sh -c '"$@" > "$0" 2>&1' "$ART/replay-$(basename "$(dirname "$corpus")")-$name.txt" \
    "${EMUD[@]}" replay --sg "$sg" "$corpus"
  tail -n1 "$ART/replay-$(basename "$(dirname "$corpus")")-$name.txt"
  remove_device "$name"
  echo 1 > /sys/bus/scsi/drivers_autoprobe
}

n=0
for corpus in "$FIX"/sbc/sg_*.corpus; do
  sg_replay "r$((n++))" bare "file/$SCRATCH/disk.img" $((64 << 20)) "$corpus"
done
for corpus in "$FIX"/zbc/sg_*.corpus; do
  sg_replay "r$((n++))" bare "zbc/model-HM/zsize-64/conv-4@$SCRATCH/zbc.raw" $((2 << 30)) "$corpus"
done
CAPTURE_CONTROL=(hw_block_size=2048)
for corpus in "$FIX"/mmc/sg_*.corpus; do
  sg_replay "r$((n++))" bare "fbo/$SCRATCH/disc.img" $((64 << 20)) "$corpus"
done

# Information: the same sbc corpora against LIO fileio (not counted).
truncate -s $((64 << 20)) "$SCRATCH/fileio.img"
if create_fileio fio0 "$SCRATCH/fileio.img" $((64 << 20)); then
  read -r blk sg < <(capture_link fio0 bare || true)
  for corpus in "$FIX"/sbc/sg_*.corpus; do
    printf '%s: %s\n' "$(basename "$corpus")" \
      "$("${EMUD[@]}" replay --sg "$sg" "$corpus" 2>&1 | tail -n1)" >> "$ART/fileio.txt"
  done
  remove_device fio0
fi
echo 1 > /sys/bus/scsi/drivers_autoprobe
summary
