# Helpers for the corpus capture jobs (vm/capture/*.sh, run by `make capture`; never in CI).
#
# emud runs with `serve --capture $CAPDIR`, so every device it serves is recorded into
# $CAPDIR/<backstore name>.corpus. One tool run = one fresh device = one corpus, so each corpus
# replays from a fresh (zero-filled) image and a diff shows one tool's exchanges:
#
#   capture NAME MODE CFG SIZE -- CMD...
#
# creates the image for CFG (file: truncate; zbc: none, emud formats it; fbo: a zero-filled
# disc), a user backstore NAME with a fixed unit serial (CAPTURE_SERIAL, so identity comes from
# the config), links it to tcm_loop, runs CMD with @SG@ and @BLK@ replaced by the device nodes,
# and removes the device. MODE:
#   bare    the SCSI bus does not bind sd/sr (/sys/bus/scsi/drivers_autoprobe = 0): the corpus
#           holds the mid-layer scan (INQUIRY, VPD pages) and the tool, nothing else
#   driver  sd/sr attach: the corpus starts with the Linux probe (sd/sd_zbc/sr, partition scan)
#           and ends with what the driver sends on removal
# The command line and its output are kept beside the corpus (NAME.cmd, NAME.out); the host
# step (vm/capture/collect.sh) turns NAME.cmd into `note` lines.
source "$REPO/vm/lib/guest.sh"

CAPDIR=${CAPDIR_OVERRIDE:-$ART/corpora}
CAPTURE_SERIAL=${CAPTURE_SERIAL:-emud-capture}
CAPTURE_SETTLE=${CAPTURE_SETTLE:-2}   # seconds for the kernel's probe to finish after attach
mkdir -p "$CAPDIR"

# capture_start_daemon: emud serve --capture $CAPDIR (through a wrapper: start_daemon's command
# line is fixed).
capture_start_daemon() {
  local real=$EMUD_BIN wrapper=/tmp/emud-capture
  printf '#!/bin/sh\nexec %q "$@" --capture %q\n' "$real" "$CAPDIR" > "$wrapper"
  chmod 755 "$wrapper"
  EMUD_BIN=$wrapper start_daemon emud
}

# capture_create NAME CFG SIZE [CONTROL...]: a user backstore with the fixed serial.
capture_create() {
  local name=$1 cfg=$2 size=$3; shift 3
  local d=$CFS/core/user_1/$name
  mkdir -p "$d" || return 1
  write_bounded "dev_config=$cfg" "$d/control" || return 1
  write_bounded "dev_size=$size" "$d/control" || return 1
  local extra
  for extra in "$@"; do write_bounded "$extra" "$d/control" || return 1; done
  write_bounded "$CAPTURE_SERIAL" "$d/wwn/vpd_unit_serial" || return 1
  write_bounded 1 "$d/enable" || return 1
  [ "$(cat "$d/enable")" = 1 ]
}

# capture_link NAME MODE: LUN 0 of a new tcm_loop target; prints "BLK SG" (BLK '-' in bare mode).
capture_link() {
  local name=$1 mode=$2
  echo "$([ "$mode" = bare ] && echo 0 || echo 1)" > /sys/bus/scsi/drivers_autoprobe
  local addr i s blk sg
  addr=$(loop_target "$name") || return 1
  s=/sys/bus/scsi/devices/$addr:0
  for i in $(seq 300); do
    blk=- sg=
    [ -d "$s/scsi_generic" ] && sg=/dev/$(ls "$s/scsi_generic" | head -n1)
    [ -d "$s/block" ] && blk=/dev/$(ls "$s/block" | head -n1)
    if [ -n "$sg" ] && [ -c "$sg" ] && { [ "$mode" = bare ] || [ -b "$blk" ]; }; then
      sleep "$CAPTURE_SETTLE"
      echo "$blk $sg"; return 0
    fi
    sleep 0.1
  done
  echo "capture_link: no SCSI device at $addr:0 after 30 s" >&2
  return 1
}

# capture_image CFG SIZE: a fresh backing file for CFG (the path after the last '@' or after the
# handler options). Config strings are written SUBTYPE/[OPTIONS/]/ABSOLUTE-PATH or zbc/…@PATH.
capture_image() {
  local cfg=$1 size=$2
  case "$cfg" in
    zbc/*) rm -f "${cfg##*@}" ;;                     # emud formats a missing zbc file
    *//*) rm -f "/${cfg#*//}"; truncate -s "$size" "/${cfg#*//}" ;;
    *) echo "capture_image: write the config as SUBTYPE/[OPTIONS/]/ABSOLUTE-PATH: $cfg" >&2; return 1 ;;
  esac
}

# capture NAME MODE CFG SIZE -- CMD...: see the top of this file. Counted as one check.
capture() {
  local name=$1 mode=$2 cfg=$3 size=$4; shift 4
  [ "$1" = -- ] && shift
  capture_image "$cfg" "$size" || { check "$name: image" false; return 1; }
  if ! capture_create "$name" "$cfg" "$size" "${CAPTURE_CONTROL[@]}"; then
    check "$name: device created" false; remove_device "$name"; return 1
  fi
  local blk sg
  read -r blk sg < <(capture_link "$name" "$mode" || true)
  if [ -z "$sg" ]; then check "$name: device attached" false; remove_device "$name"; return 1; fi
  local args=() a
  for a in "$@"; do a=${a//@SG@/$sg}; args+=("${a//@BLK@/$blk}"); done
  local blkname=$blk; [ "$blk" = - ] && blkname=/dev/no-block-node   # bare: no block node to rewrite
  printf '%s\n' "${args[*]}" | sed "s#$sg#/dev/sgN#g; s#$blkname#/dev/BLK#g; s#$SCRATCH#@DIR@#g" > "$CAPDIR/$name.cmd"
  run_bounded "$STEP_TIMEOUT" "${args[@]}" > "$CAPDIR/$name.out" 2>&1
  echo "$?" > "$CAPDIR/$name.status"
  remove_device "$name"
  echo 1 > /sys/bus/scsi/drivers_autoprobe
  check "$name: captured ($(grep -c '^exchange' "$CAPDIR/$name.corpus" 2>/dev/null) exchanges, tool status $(cat "$CAPDIR/$name.status"))" \
    test -s "$CAPDIR/$name.corpus"
}
# Extra configfs control strings for the next capture (e.g. hw_max_sectors=16384).
CAPTURE_CONTROL=()

# capture_iscsi NAME CFG SIZE TESTS: the device exported by LIO iSCSI (no kernel initiator: no
# probe) and a short `iscsi-test-cu -d -n -t TESTS` run against it; one corpus.
capture_iscsi() {
  local name=$1 cfg=$2 size=$3 tests=$4 iqn=iqn.2003-01.org.emud:capture-$1
  capture_image "$cfg" "$size" || { check "$name: image" false; return 1; }
  if ! capture_create "$name" "$cfg" "$size" "hw_max_sectors=${ISCSI_HW_MAX_SECTORS:-16384}" "${CAPTURE_CONTROL[@]}" \
    || ! export_iscsi "$name" "$iqn"; then
    check "$name: device created and exported" false; remove_device "$name"; return 1
  fi
  printf 'iscsi-test-cu -d -n -t %s iscsi://127.0.0.1/IQN/0\n' "$tests" > "$CAPDIR/$name.cmd"
  run_bounded "${ISCSI_TEST_TIMEOUT:-480}" iscsi-test-cu -d -n -t "$tests" "iscsi://127.0.0.1/$iqn/0" \
    > "$CAPDIR/$name.out" 2>&1
  echo "$?" > "$CAPDIR/$name.status"
  remove_device "$name"
  check "$name: captured ($(grep -c '^exchange' "$CAPDIR/$name.corpus" 2>/dev/null) exchanges, $(grep -m1 -E '^ +tests' "$CAPDIR/$name.out" | tr -s ' '))" \
    test -s "$CAPDIR/$name.corpus"
}
