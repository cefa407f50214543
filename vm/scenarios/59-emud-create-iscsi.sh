#!/usr/bin/env bash
# emud-create-iscsi: (emud) `emud create NAME CFGSTRING --size S --iscsi IQN` exports the new device
# over LIO's iSCSI target (TPG 1, portal 0.0.0.0:3260, no authentication, demo-mode ACLs) instead of a
# tcm_loop LUN. It prints the LUN and the portal (no /dev node: nothing is logged in here) and makes no
# SCSI disk on this machine. An initiator then reaches emud's disk on 127.0.0.1:3260 (libiscsi:
# `iscsi-inq`, `qemu-img info` with the size given, `qemu-io`): a pattern written over iSCSI lands in the
# backing file at its offset and reads back, and a pattern put into the backing file beforehand reads
# over iSCSI. `emud list` names the iSCSI LUN; `emud remove` leaves no object under core/ or iscsi/
# and iSCSI logins then fail.
# timeout: 300
# requires: iscsi-inq qemu-img qemu-io lsscsi
# columns: emud
# n/a: emud create/remove/list are emud's commands
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

IMG=$SCRATCH/create-iscsi.img IQN=iqn.2026-12.org.emud.vm:create-iscsi
URL=iscsi://127.0.0.1/$IQN/0 SIZE=$((64 << 20)) MIB=$((1 << 20))
emud() { emud_run "$@"; }

# byte_run FILE OFFSET LEN BYTE: LEN bytes of FILE at OFFSET are all BYTE (octal escape, e.g. '\132').
byte_run() { [ "$(dd if="$1" bs=$MIB skip=$(($2 / MIB)) count=$(($3 / MIB)) status=none | tr -d "$4" | wc -c)" = 0 ]; }

# qemu_io COMMAND: one qemu-io command against the iSCSI LUN; fails on an error or a pattern mismatch.
qemu_io() {
  local out; out=$(qemu-io -f raw -c "$1" "$URL" 2>&1); local rc=$?
  echo "$out"
  [ "$rc" = 0 ] && ! echo "$out" | grep -q 'Pattern verification failed'
}

# iscsi_objects: what is left under core/user_* and iscsi/ (nothing when clean).
iscsi_objects() {
  find "$CFS"/core/user_* -mindepth 1 -maxdepth 1 -type d 2>/dev/null
  find "$CFS/iscsi" -mindepth 1 -maxdepth 1 -type d -name 'iqn.*' 2>/dev/null
}
no_objects_left() { local left; left=$(iscsi_objects); [ -z "$left" ] || { echo "left behind:"; echo "$left"; return 1; }; }

# created: `emud create` printed the iSCSI LUN and the portal.
created() {
  emud create cr0 "file/$IMG" --size 64M --iscsi "$IQN" > "$ART/create.out" 2> "$ART/create.err" || { cat "$ART/create.err"; return 1; }
  cat "$ART/create.out"
  grep -qx "iscsi/$IQN/tpgt_1/lun_0 portal 0.0.0.0:3260" "$ART/create.out"
}

# tpg_ready: the TPG is enabled, has the portal, and its LUN 0 links the object cr0.
tpg_ready() {
  local tpg=$CFS/iscsi/$IQN/tpgt_1
  [ "$(cat "$tpg/enable")" = 1 ] && [ -d "$tpg/np/0.0.0.0:3260" ] || return 1
  local link; link=$(find "$tpg/lun/lun_0" -maxdepth 1 -type l | head -n 1)
  readlink -f "$link"; [ "$(basename "$(readlink -f "$link")")" = cr0 ]
}

# listed LINE_ERE: `emud list` has a line matching LINE_ERE.
listed() { local out; out=$(emud list); echo "$out"; echo "$out" | grep -Eq -- "$1"; }

# qemu_img_size: `qemu-img info` over iSCSI reports the device size.
qemu_img_size() { qemu-img info "$URL" | tee "$ART/qemu-img-info.txt" | grep -F "($SIZE bytes)"; }

# login_fails: libiscsi cannot reach the LUN any more.
login_fails() { iscsi-inq "$URL" 2>&1 && return 1; return 0; }

rm -f "$IMG"; truncate -s "$SIZE" "$IMG"
# 0xA5 (octal 245) in the image's third MiB before the device exists: served over iSCSI below.
head -c "$MIB" /dev/zero | tr '\000' '\245' | dd of="$IMG" bs=$MIB seek=2 conv=notrunc status=none
check_start_daemon
mark=$(dmesg_mark emud-create-iscsi)
disks_before=$(lsscsi | wc -l)

check "emud create --iscsi prints the LUN and the portal" created
check "the TPG is enabled with the portal; LUN 0 links cr0" tpg_ready
check "no SCSI device appeared here (lsscsi count unchanged)" test "$(lsscsi | wc -l)" = "$disks_before"
check "emud list names the iSCSI LUN" listed "^cr0  user_[0-9]+  $SIZE  file/$IMG  iscsi/$IQN/tpgt_1/lun_0\$"
check "iscsi-inq answers over 127.0.0.1:3260" artifact iscsi-inq.txt iscsi-inq "$URL"
check "qemu-img info over iSCSI: 64 MiB" qemu_img_size
check "qemu-io writes 0x5A at 1 MiB over iSCSI" qemu_io "write -P 0x5a $MIB $MIB"
check "the written MiB is in the backing file at 1 MiB" byte_run "$IMG" "$MIB" "$MIB" '\132'
check "qemu-io reads 0x5A back at 1 MiB" qemu_io "read -P 0x5a $MIB $MIB"
check "qemu-io reads the image's 0xA5 at 2 MiB" qemu_io "read -P 0xa5 $((2 * MIB)) $MIB"
check "the first MiB reads as zeros" qemu_io "read -P 0 0 $MIB"
check "no kernel warnings or errors while served" dmesg_clean_since "$mark"
check "emud remove cr0" artifact remove.out emud remove cr0
check "no object left under core/user_* or iscsi/" no_objects_left
check "an iSCSI login now fails" login_fails
check "emud list is empty" listed '^\(no TCMU devices\)$'
summary
