# LIO objects in configfs: user and fileio backstores, tcm_loop and iSCSI fabrics, removal and
# the cleanup between scenarios.
# Part of the guest helpers: sourced by vm/lib/guest.sh, never on its own.

# create_user_device NAME CFGSTRING SIZE [EXTRA_CONTROL...]: a TCMU (user_1) backstore.
# Enabling blocks until the daemon answers the netlink ADDED_DEVICE event.
create_user_device() {
  local name=$1 cfg=$2 size=$3; shift 3
  load_target_modules
  local d=$CFS/core/user_1/$name
  mkdir -p "$d"
  write_bounded "dev_config=$cfg" "$d/control" || return 1
  write_bounded "dev_size=$size" "$d/control" || return 1
  local extra
  for extra in "$@"; do write_bounded "$extra" "$d/control" || return 1; done
  # A unit serial, as targetcli gives every backstore: the daemon builds VPD 80h/83h from it, so
  # devices without one would all share one NAA designator (udev by-id links collide).
  [ -w "$d/wwn/vpd_unit_serial" ] && { write_bounded "$(cat /proc/sys/kernel/random/uuid)" "$d/wwn/vpd_unit_serial" || true; }
  write_bounded 1 "$d/enable" || { echo "enable of $name did not complete (daemon answer?)" >&2; return 1; }
  [ "$(cat "$d/enable")" = 1 ]
}

# create_fileio NAME FILE SIZE [CONTROL]: LIO's own file backstore (the reference without a daemon);
# CONTROL adds words to its control string (",fd_buffered_io=1").
create_fileio() {
  local name=$1 file=$2 size=$3 extra=${4:-}
  load_target_modules
  local d=$CFS/core/fileio_0/$name
  mkdir -p "$d"
  [ -e "$file" ] || truncate -s "$size" "$file"
  write_bounded "fd_dev_name=$file,fd_dev_size=$size$extra" "$d/control" || return 1
  write_bounded 1 "$d/enable"
}

# create_device NAME SUBTYPE_CFGSTRING SIZE: user or fileio according to $BACKSTORE.
# For fileio the config string must be file/PATH.
create_device() {
  if [ "$BACKSTORE" = fileio ]; then
    case "$2" in file/*) create_fileio "$1" "${2#file/}" "$3" ;; *) echo "fileio cannot serve $2" >&2; return 1 ;; esac
  else
    create_user_device "$@"
  fi
}

backstore_dir() {
  local d
  for d in "$CFS"/core/*/"$1"; do [ -d "$d" ] && { echo "$d"; return 0; }; done
  echo "no backstore named $1" >&2; return 1
}

# ---- fabrics ------------------------------------------------------------------
next_naa() {
  local n; n=$(cat "$STATE/naa.counter" 2>/dev/null || echo 0); n=$((n + 1))
  echo "$n" > "$STATE/naa.counter"
  printf 'naa.5001405%09x' "$n"
}

# loop_target NAME: a new tcm_loop target with NAME as LUN 0 and an I_T nexus; prints its SCSI
# address "H:0:T" (host, channel, target). The device nodes appear under /sys/bus/scsi/devices/ADDR:0.
loop_target() {
  local name=$1 bs; bs=$(backstore_dir "$name") || return 1
  local wwn; wwn=$(next_naa)
  local t=$CFS/loopback/$wwn/tpgt_1
  mkdir -p "$t/lun/lun_0" || return 1
  write_bounded "$(next_naa)" "$t/nexus" || return 1
  ln -s "$bs" "$t/lun/lun_0/$name" || return 1
  echo "$wwn" > "$STATE/loop.$name"
  cat "$t/address"
}

# link_loop NAME: export NAME as LUN 0 of a new tcm_loop target; waits for the SCSI device
# and prints "/dev/sdX /dev/sgN" (or /dev/srN for optical devices).
link_loop() {
  local addr
  addr=$(loop_target "$1") || return 1
  wait_scsi_nodes "$addr"
}

# wait_scsi_nodes H:0:T: waits for LUN 0 at that SCSI address to get its nodes; prints
# "/dev/sdX /dev/sgN" (or /dev/srN for optical devices).
wait_scsi_nodes() {
  local addr=$1 i
  for i in $(seq 300); do
    local s=/sys/bus/scsi/devices/$addr:0
    if [ -d "$s/block" ] || [ -d "$s/scsi_generic" ]; then
      local blk='' sg=''
      [ -d "$s/block" ] && blk=/dev/$(ls "$s/block" | head -n1)
      [ -d "$s/scsi_generic" ] && sg=/dev/$(ls "$s/scsi_generic" | head -n1)
      # sd/sr attach a little after the sg node shows up
      if [ -n "$blk" ] || [ "$i" -gt 100 ]; then
        [ -n "$blk" ] && [ ! -b "$blk" ] && { sleep 0.1; continue; }
        [ -n "$sg" ] && [ ! -c "$sg" ] && { sleep 0.1; continue; }
        echo "$blk $sg"; return 0
      fi
    fi
    sleep 0.1
  done
  echo "link_loop: no SCSI device at $addr:0 after 30 s" >&2
  return 1
}

# export_iscsi NAME IQN: LIO iSCSI target on 127.0.0.1:3260, LUN 0, open ACLs, no auth.
export_iscsi() {
  local name=$1 iqn=$2 bs; bs=$(backstore_dir "$name") || return 1
  modprobe crc32c_generic && modprobe iscsi_target_mod || return 1
  ip link set lo up
  local t=$CFS/iscsi/$iqn/tpgt_1
  mkdir -p "$t/lun/lun_0" || return 1
  ln -s "$bs" "$t/lun/lun_0/$name" || return 1
  mkdir -p "$t/np/127.0.0.1:3260" || return 1
  local a
  for a in generate_node_acls=1 authentication=0 demo_mode_write_protect=0 cache_dynamic_acls=1; do
    write_bounded "${a#*=}" "$t/attrib/${a%%=*}" || return 1
  done
  write_bounded 1 "$t/enable" || return 1
  echo "$iqn" > "$STATE/iscsi.$name"
}

# remove_device NAME: unlink NAME from every fabric, rmdir the LUNs/targets and the
# backstore. Every step is bounded; fails if any step does not return.
remove_device() {
  local name=$1 rc=0 wwn iqn
  if [ -f "$STATE/loop.$name" ]; then
    wwn=$(cat "$STATE/loop.$name")
    remove_target_dir "$CFS/loopback/$wwn" || rc=1
    rm -f "$STATE/loop.$name"
  fi
  if [ -f "$STATE/iscsi.$name" ]; then
    iqn=$(cat "$STATE/iscsi.$name")
    remove_target_dir "$CFS/iscsi/$iqn" || rc=1
    rm -f "$STATE/iscsi.$name"
  fi
  local bs; bs=$(backstore_dir "$name" 2>/dev/null) || return "$rc"
  run_bounded "$STEP_TIMEOUT" rmdir "$bs" || rc=1
  return "$rc"
}

# remove_target_dir WWN_DIR: tear down a fabric WWN (loopback or iscsi) completely.
remove_target_dir() {
  local w=$1 rc=0 tpg lun l np
  [ -d "$w" ] || return 0
  for tpg in "$w"/tpgt_*; do
    [ -d "$tpg" ] || continue
    [ -f "$tpg/enable" ] && write_bounded 0 "$tpg/enable" 2>/dev/null
    for lun in "$tpg"/lun/lun_*; do
      [ -d "$lun" ] || continue
      for l in "$lun"/*; do [ -L "$l" ] && { run_bounded "$STEP_TIMEOUT" rm -f "$l" || rc=1; }; done
      run_bounded "$STEP_TIMEOUT" rmdir "$lun" || rc=1
    done
    for np in "$tpg"/np/*; do [ -d "$np" ] && { run_bounded "$STEP_TIMEOUT" rmdir "$np" || rc=1; }; done
    for l in "$tpg"/acls/*; do [ -d "$l" ] && { run_bounded "$STEP_TIMEOUT" rmdir "$l" || rc=1; }; done
    run_bounded "$STEP_TIMEOUT" rmdir "$tpg" || rc=1
  done
  run_bounded "$STEP_TIMEOUT" rmdir "$w" || rc=1
  return "$rc"
}

# harness_cleanup: remove every target object and stop the daemon (between scenarios).
# remove_all_targets: every loopback and iSCSI target. sd sends SYNCHRONIZE CACHE when its disk goes, so a
# scenario that leaves LUNs behind removes them while its daemon still serves them (after the daemon has
# stopped, each removal waits in D state for the command's timeout: ~100 s after 56-targetcli).
remove_all_targets() {
  local w rc=0
  for w in "$CFS"/loopback/naa.* "$CFS"/iscsi/iqn.*; do [ -d "$w" ] && { remove_target_dir "$w" || rc=1; }; done
  return "$rc"
}

harness_cleanup() {
  local d
  if [ -d "$CFS" ]; then
    remove_all_targets
    for d in "$CFS"/core/*/*/; do
      d=${d%/}
      [ -f "$d/enable" ] && run_bounded "$STEP_TIMEOUT" rmdir "$d"
    done
    for d in "$CFS"/core/*_[0-9]*; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
  fi
  stop_daemon >/dev/null 2>&1 || true
  rm -f "$STATE"/loop.* "$STATE"/iscsi.* "$STATE"/daemon.*
}
