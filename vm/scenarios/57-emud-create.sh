#!/usr/bin/env bash
# emud-create: `emud create NAME CFGSTRING` makes a working device of each kind in one command and
# prints its Linux nodes: a DVD drive on an ISO (mounted, a file read back), a raw `file/` disk and a
# `qcow/` disk (mkfs.ext4, mount, a file written and read back), a host-managed `zbc/` disk on a
# `truncate -s` image (formatted, not refused; `blkzone report`). `emud list` shows every device with
# its config string and exactly the nodes lsscsi shows; `targetcli ls` (over a system bus started here)
# lists the objects; targetcli's saveconfig, clearconfig, restoreconfig bring all four back, emud
# serves them and the data on them is intact. Refusals: a name that exists, an image check-config
# refuses (no object left behind), emud not serving, tcmu-runner running. `emud remove` (of the restored
# objects) leaves no object under core/, loopback/ or iscsi/.
# timeout: 720
# requires: targetcli dbus-daemon lsscsi blkzone genisoimage qemu-img tcmu-runner
# columns: emud
# n/a: emud create/remove/list are emud's commands
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/targetcli.sh"
STEP_TIMEOUT=${TARGETCLI_STEP_TIMEOUT:-240}

emud() { emud_run "$@"; }

# created NAME: the nodes `emud create` printed for NAME (kept in $STATE by create_with).
created() { cat "$STATE/create.$1" 2>/dev/null; }

# create_with NAME ARGS...: runs `emud create NAME ARGS...`; keeps its output; succeeds when it
# printed "/dev/XXX /dev/sgN".
create_with() {
  local name=$1; shift
  emud create "$name" "$@" > "$STATE/create.$name" 2> "$ART/create-$name.err" || { cat "$ART/create-$name.err"; return 1; }
  cp "$STATE/create.$name" "$ART/create-$name.out"
  grep -Eq '^/dev/(sd[a-z]+|sr[0-9]+) /dev/sg[0-9]+$' "$STATE/create.$name"
}

# fs_roundtrip BLK DIR: mkfs.ext4, mount, write a file, remount, read it back.
fs_roundtrip() {
  local blk=$1 dir=$2
  mkfs.ext4 -q -F "$blk" || return 1
  mkdir -p "$dir" && mount "$blk" "$dir" || return 1
  pattern_file "$dir/data.bin" 1024 "$dir" && sync && umount "$dir" || return 1
  mount "$blk" "$dir" || return 1
  pattern_file /tmp/fs-roundtrip.bin 1024 "$dir"
  cmp "$dir/data.bin" /tmp/fs-roundtrip.bin; local rc=$?
  umount "$dir"; return $rc
}

# objects_left: every configfs object under core/, loopback/, iscsi/ (nothing when clean).
objects_left() {
  find "$CFS"/core/*_[0-9]* -mindepth 1 -maxdepth 1 -type d 2>/dev/null  # HBA/object (not core/alua)
  find "$CFS/loopback" "$CFS/iscsi" -mindepth 1 -maxdepth 1 -type d \( -name 'naa.*' -o -name 'iqn.*' -o -name 'eui.*' \) 2>/dev/null
}

# configfs_clean: no object left (they are listed otherwise); no HBA directory left under core/ either.
configfs_clean() {
  local left; left=$(objects_left; find "$CFS/core" -mindepth 1 -maxdepth 1 -type d -name 'user_*' 2>/dev/null)
  [ -z "$left" ] || { echo "left behind:"; echo "$left"; return 1; }
}

# targetcli connects to the system bus first thing and exits 255 when nothing answers (ui_backstore.py
# calls Gio.bus_get_sync outside its try): what failed here after 56-targetcli, whose killed bus had left
# its socket behind (this scenario then took the socket for a running bus). Shown with a dead socket;
# then the scenario starts its own bus (before emud, so emud registers on it).
ls -l /run/dbus/ > "$ART/run-dbus-before.txt" 2>&1
trap stop_system_bus EXIT
dead_bus_refused() {
  mkdir -p /run/dbus && rm -f /run/dbus/system_bus_socket
  python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("/run/dbus/system_bus_socket")' || return 1
  local rc=0; HOME=$STATE run_bounded "$STEP_TIMEOUT" targetcli ls > "$ART/targetcli-dead-bus.txt" 2>&1 || rc=$?
  rm -f /run/dbus/system_bus_socket
  cat "$ART/targetcli-dead-bus.txt"; echo "targetcli exit status $rc"
  [ "$rc" = 255 ]
}
check "targetcli with a dead bus socket (no daemon) exits 255 — the earlier 'targetcli ls' failure" dead_bus_refused
check "a system dbus-daemon runs" start_system_bus
check_start_daemon
mark=$(dmesg_mark emud-create)

# -- a DVD from an ISO ----------------------------------------------------------------------
SRC=$SCRATCH/create-iso-src ISO=$SCRATCH/create.iso
rm -rf "$SRC" "$ISO"; mkdir -p "$SRC"
pattern_file "$SRC/data.bin" 2048 create-iso
genisoimage -quiet -V EMUDCREATE -R -J -o "$ISO" "$SRC"
check "emud create dvd0 fbo/ro/ISO prints /dev/srN /dev/sgN" create_with dvd0 "fbo/ro/$ISO"
read -r DVD DVDSG < <(created dvd0)
modprobe isofs 2>/dev/null; mkdir -p /mnt/create-dvd
check "the ISO mounts from $DVD" mount -t iso9660 -o ro "${DVD:-/nonexistent}" /mnt/create-dvd
check "a file on the disc reads back" cmp /mnt/create-dvd/data.bin "$SRC/data.bin"
umount /mnt/create-dvd 2>/dev/null

# -- a raw disk and a qcow2 disk: ext4 on each ---------------------------------------------
rm -f "$SCRATCH/create-disk.img"
check "emud create disk0 file/IMG --size 256M prints /dev/sdX /dev/sgN" \
  create_with disk0 "file/$SCRATCH/create-disk.img" --size 256M
read -r DISK DISKSG < <(created disk0)
check "ext4 on $DISK: mkfs, mount, a file written and read back" fs_roundtrip "${DISK:-/nonexistent}" /mnt/create-disk
rm -f "$SCRATCH/create.qcow2"; qemu-img create -q -f qcow2 "$SCRATCH/create.qcow2" 256M
check "emud create qdisk0 qcow/IMG (size from the image) prints /dev/sdX /dev/sgN" \
  create_with qdisk0 "qcow/$SCRATCH/create.qcow2"
read -r QDISK QDISKSG < <(created qdisk0)
check "ext4 on $QDISK: mkfs, mount, a file written and read back" fs_roundtrip "${QDISK:-/nonexistent}" /mnt/create-qdisk

# -- a host-managed SMR disk on a truncate'd image -------------------------------------------
rm -f "$SCRATCH/create-zbc.raw"; truncate -s 1G "$SCRATCH/create-zbc.raw"
check "emud create smr0 zbc/model-HM/zsize-64/conv-2@IMG --size 1G (a sparse image is formatted)" \
  create_with smr0 "zbc/model-HM/zsize-64/conv-2@$SCRATCH/create-zbc.raw" --size 1G
read -r SMR SMRSG < <(created smr0)
check "blkzone report on $SMR lists 16 zones, 2 conventional" sh -c \
  "blkzone report '${SMR:-/nonexistent}' > '$ART/blkzone-report.txt' && test \$(wc -l < '$ART/blkzone-report.txt') = 16 && test \$(grep -c CONVENTIONAL '$ART/blkzone-report.txt') = 2"

# -- emud list against lsscsi -----------------------------------------------------------------
emud list > "$ART/emud-list.txt" 2>&1
lsscsi -g > "$ART/lsscsi.txt" 2>&1
list_matches() {
  local name cfg nodes
  for name in dvd0 disk0 qdisk0 smr0; do
    nodes=$(created "$name")
    case "$name" in
      dvd0) cfg="fbo/ro/$ISO" ;; disk0) cfg="file/$SCRATCH/create-disk.img" ;;
      qdisk0) cfg="qcow/$SCRATCH/create.qcow2" ;; smr0) cfg="zbc/model-HM/zsize-64/conv-2@$SCRATCH/create-zbc.raw" ;;
    esac
    grep -F "$name  user_" "$ART/emud-list.txt" | grep -F "  $cfg  " | grep -Fq "$nodes" \
      || { echo "emud list has no line '$name … $cfg … $nodes'"; return 1; }
    # lsscsi -g: "[H:C:T:L]  type  vendor model rev  /dev/sdX  /dev/sgN": both nodes on one line
    read -r blk sg <<< "$nodes"
    grep -E "[[:space:]]$blk[[:space:]]+$sg[[:space:]]*\$" "$ART/lsscsi.txt" > /dev/null || { echo "lsscsi has no line with $blk $sg"; return 1; }
  done
  # and nothing else: every TCMU LUN lsscsi shows (vendor LIO-ORG) is in emud's list
  local n_list n_lsscsi
  n_list=$(grep -c ' /dev/sg' "$ART/emud-list.txt"); n_lsscsi=$(grep -c 'LIO-ORG' "$ART/lsscsi.txt")
  [ "$n_list" = "$n_lsscsi" ] || { echo "emud list shows $n_list LUNs, lsscsi $n_lsscsi LIO-ORG devices"; return 1; }
}
check "emud list shows each device, its config string and the nodes lsscsi shows" list_matches

# -- targetcli: ls, saveconfig, clearconfig, restoreconfig --------------------------------
check "targetcli session 1 (ls, saveconfig, clearconfig)" tcli_session save \
  "ls" "saveconfig $SCRATCH/create-saved.json" "clearconfig confirm=true"
T1=$ART/targetcli-save.txt
ls_shows() {  # every object under its handler, with emud's handlers listed, and the loopback targets
  local kind name
  for kind in user:fbo user:file user:qcow user:zbc; do grep -qF "o- $kind " "$T1" || { echo "no $kind"; return 1; }; done
  for name in dvd0 disk0 qdisk0 smr0; do
    grep -qE "o- $name [.]+ \[" "$T1" || { echo "no object $name"; return 1; }
    grep -F "o- lun" "$T1" | grep -qF "[user/$name " || { echo "no LUN of $name"; return 1; }
  done
  test "$(grep -c 'o- naa\.' "$T1")" -ge 4 || { echo "fewer than 4 loopback targets"; return 1; }
}
check "targetcli ls shows dvd0 disk0 qdisk0 smr0 under emud's user: handlers, each with a loopback LUN" ls_shows
check "saveconfig wrote the four objects' config strings" sh -c \
  "grep -qF '\"config\": \"fbo/ro/$ISO\"' $SCRATCH/create-saved.json && grep -qF '\"config\": \"zbc/model-HM/zsize-64/conv-2@$SCRATCH/create-zbc.raw\"' $SCRATCH/create-saved.json && grep -c '\"plugin\": \"user\"' $SCRATCH/create-saved.json | grep -qx 4"
check "clearconfig: no object under core/, loopback/, iscsi/" configfs_clean
check "emud is still running" daemon_alive
check "targetcli session 2 (restoreconfig)" tcli_session restore "restoreconfig $SCRATCH/create-saved.json"
check "restoreconfig: 'Configuration restored'" has_text "$ART/targetcli-restore.txt" "Configuration restored"

# restored_nodes NAME: the nodes `emud list` shows for NAME once both exist (30 s); kept as created.NAME.
restored_nodes() {
  local i nodes
  for i in $(seq 30); do
    nodes=$(emud list | awk -v n="$1" '$1 == n' | grep -oE '/dev/(sd[a-z]+|sr[0-9]+|sg[0-9]+)' | tr '\n' ' ' | sed 's/ $//')
    if [ -n "$nodes" ]; then
      read -r blk sg <<< "$nodes"
      [ -b "$blk" ] && [ -c "$sg" ] && { echo "$nodes" > "$STATE/create.$1"; echo "$nodes"; return 0; }
    fi
    sleep 1
  done
  echo "emud list shows no nodes for $1: $nodes"; return 1
}
# same_file_after_mount BLK DIR: the file fs_roundtrip wrote reads back after the restore.
same_file_after_mount() {
  mkdir -p "$2" && mount "$1" "$2" || return 1
  pattern_file /tmp/restored.bin 1024 "$2"
  cmp "$2/data.bin" /tmp/restored.bin; local rc=$?
  umount "$2"; return $rc
}
for n in dvd0 disk0 qdisk0 smr0; do check "$n is back with nodes (emud list)" restored_nodes "$n"; done
read -r DVD DVDSG < <(created dvd0); read -r DISK DISKSG < <(created disk0)
read -r QDISK QDISKSG < <(created qdisk0); read -r SMR SMRSG < <(created smr0)
check "restored dvd0 ($DVD): the ISO mounts, the file reads back" sh -c \
  "mount -t iso9660 -o ro '${DVD:-/nonexistent}' /mnt/create-dvd && cmp /mnt/create-dvd/data.bin '$SRC/data.bin'; rc=\$?; umount /mnt/create-dvd; exit \$rc"
check "restored disk0 ($DISK): its ext4 file reads back" same_file_after_mount "${DISK:-/nonexistent}" /mnt/create-disk
check "restored qdisk0 ($QDISK): its ext4 file reads back" same_file_after_mount "${QDISK:-/nonexistent}" /mnt/create-qdisk
# (sd_zbc's revalidation can meet restoreconfig's unit attention: up to 30 s, as in 56-targetcli)
check "restored smr0 ($SMR): blkzone report lists 16 zones" zones_settle "${SMR:-/nonexistent}" 16
check "restored smr0 ($SMR): 2 of them conventional" sh -c \
  "blkzone report '${SMR:-/nonexistent}' > '$ART/blkzone-restored.txt' && test \$(wc -l < '$ART/blkzone-restored.txt') = 16 && test \$(grep -c CONVENTIONAL '$ART/blkzone-restored.txt') = 2"
emud list > "$ART/emud-list.txt" 2>&1
lsscsi -g > "$ART/lsscsi.txt" 2>&1
check "after the restore, emud list again matches lsscsi" list_matches

# -- refusals -----------------------------------------------------------------------------
refused() {  # refused STATUS TEXT ARGS...: emud create ARGS exits STATUS and says TEXT
  local status=$1 text=$2 rc=0; shift 2
  emud create "$@" > /dev/null 2> "$STATE/refusal.err" || rc=$?
  cat "$STATE/refusal.err"
  [ "$rc" = "$status" ] && grep -Fq "$text" "$STATE/refusal.err"
}
check "a name that exists is refused" refused 1 "a device named 'dvd0' exists" dvd0 "fbo/ro/$ISO"
: > "$SCRATCH/create-empty.iso"
before=$(objects_left | sort)
check "an empty ISO is refused with check-config's reason" refused 1 "empty (0 bytes)" bad0 "fbo/ro/$SCRATCH/create-empty.iso" --size 1M
check "the refusal left no object" test "$(objects_left | sort)" = "$before"

# -- removal ------------------------------------------------------------------------------
for n in dvd0 disk0 qdisk0 smr0; do
  check "emud remove $n" artifact "remove-$n.txt" emud remove "$n"
done
check "configfs is clean: no object under core/, loopback/, iscsi/" configfs_clean
check "the block nodes are gone" sh -c "! ls ${DVD:-/x} ${DISK:-/x} ${QDISK:-/x} ${SMR:-/x} 2>/dev/null | grep -q ."
list_empty() { emud list | grep -qx '(no TCMU devices)'; }
check "emud list is empty" list_empty
# Expected after restoreconfig (as in 56-targetcli): rtslib's dbroot write refused while devices exist,
# the unit attentions of its attribute and serial writes into the restored devices.
DMESG_IGNORE="db_root: cannot be changed|$RESTORECONFIG_DMESG${DMESG_IGNORE:+|$DMESG_IGNORE}" \
  check "no other kernel warnings or errors" dmesg_clean_since "$mark"

# -- emud not serving ---------------------------------------------------------------------
check "$DAEMON stops" stop_daemon
check "emud create without a daemon is refused (exit 2)" refused 2 "emud is not serving" dvd9 "fbo/ro/$ISO"
check "and made nothing" configfs_clean
check "tcmu-runner starts" start_daemon tcmu-runner
check "emud create while tcmu-runner runs is refused (exit 2), naming it" refused 2 "tcmu-runner (pid" dvd9 "fbo/ro/$ISO"
check "and made nothing" configfs_clean
check "tcmu-runner stops" stop_daemon
summary
