#!/usr/bin/env bash
# targetcli: Debian's targetcli-fb 2.1.53 drives user backstores through the daemon's D-Bus service
# (org.kernel.TCMUService1), unchanged. A system dbus-daemon runs in the guest; `targetcli ls
# /backstores` lists the daemon's handlers; `create … cfgstring=` makes a host-managed zoned disk and a
# loopback LUN shows it (`blkzone report`); a bad cfgstring is refused with the daemon's own reason and
# leaves no object behind; `changemedium` swaps the disc of a live fbo drive (sr sees the new size; the
# tcmu-runner column shows that tcmu-runner has no ChangeMedium); `saveconfig`, `clearconfig`,
# `restoreconfig` bring both devices back and the daemon serves them.
# timeout: 360
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/optical.sh"
source "$REPO/vm/lib/zoned.sh"
source "$REPO/vm/lib/targetcli.sh"
[ "$BACKSTORE" = user ] || not_applicable "targetcli's user: backstores need a TCMU daemon"

ZWWN=naa.5001405000000d01 CWWN=naa.5001405000000d02
make_iso cm-one ONE 256
make_iso cm-two TWO 2048
ONE=$SCRATCH/cm-one.iso TWO=$SCRATCH/cm-two.iso
rm -f "$SCRATCH/z.raw" "$SCRATCH/saved.json"
trap stop_system_bus EXIT
check "targetcli is installed (vm/setup.sh)" command -v targetcli
check "a system dbus-daemon runs" start_system_bus
check_start_daemon
mark=$(dmesg_mark targetcli)

# --- discovery ------------------------------------------------------------------------------------
if [ "$DAEMON" = emud ]; then kinds="user:fbo user:file user:qcow user:zbc"; else kinds="user:fbo user:qcow user:zbc"; fi
check "targetcli ls /backstores lists $kinds" equals "$kinds" user_backstores
[ "$DAEMON" = emud ] && check "emud logged no D-Bus warning" sh -c "! grep -n 'D-Bus' $ART/daemon.log | grep -v 'serving org.kernel.TCMUService1'"

# --- a zoned disk, made the targetcli way -------------------------------------------------------------
check "create user:zbc z0 size=1G cfgstring=model-HM/zsize-64@…" \
  tcli_says "Created user-backed storage object z0 size 1073741824." \
  /backstores/user:zbc create name=z0 size=1G "cfgstring=model-HM/zsize-64@$SCRATCH/z.raw"
ZBLK= ZSG=
read -r ZBLK ZSG < <(targetcli_loop /backstores/user:zbc/z0 "$ZWWN" || true)
check "the loopback LUN is a host-managed disk ($ZBLK)" sysfs_is "$ZBLK" zoned host-managed
check "blkzone report lists 16 zones of 64 MiB" equals 16 zone_lines "$ZBLK"

# --- a bad cfgstring: refused before any configfs object exists -------------------------------------
BAD="model-HX@$SCRATCH/bad.raw"
if [ "$DAEMON" = emud ]; then
  reason=$(env "LD_LIBRARY_PATH=${EMUD_LD_LIBRARY_PATH:-/opt/swift/usr/lib/swift/linux}" "$EMUD_BIN" check-config "zbc/$BAD" 2>&1)
  reason=${reason#"zbc/$BAD: "}
  check "targetcli refuses it with emud's reason: $reason" \
    tcli_says "cfgstring invalid: $reason" /backstores/user:zbc create name=bad size=1G "cfgstring=$BAD"
else
  check "targetcli refuses it (cfgstring invalid)" \
    tcli_says "cfgstring invalid" /backstores/user:zbc create name=bad size=1G "cfgstring=$BAD"
fi
check "no storage object 'bad' was made" sh -c "! ls -d $CFS/core/user_*/bad 2>/dev/null"

# --- changemedium on a live fbo drive ---------------------------------------------------------------
check "create user:fbo cd0 on disc ONE" \
  tcli_says "Created user-backed storage object cd0" \
  /backstores/user:fbo create name=cd0 "size=$(stat -c %s "$ONE")" "cfgstring=$ONE" control=hw_block_size=2048
CBLK= CSG=
read -r CBLK CSG < <(targetcli_loop /backstores/user:fbo/cd0 "$CWWN" || true)
check "sr attaches ($CBLK)" sh -c "case '$CBLK' in /dev/sr*) test -b '$CBLK';; *) false;; esac"
check "sr size is disc ONE's ($(blocks_of "$ONE") blocks)" equals "$(blocks_of "$ONE")" sr_size_blocks "${CBLK#/dev/}"
if [ "$DAEMON" = emud ]; then
  check "changemedium cd0 puts disc TWO in: Medium Changed." \
    tcli_says "Medium Changed." /backstores/user:fbo changemedium cd0 "$(stat -c %s "$TWO")" "$TWO"
  check "blockdev sees disc TWO's size" equals "$(stat -c %s "$TWO")" blockdev --getsize64 "$CBLK"
  check "configfs holds disc TWO (info Config)" grep -qF "Config: fbo/$TWO " "$(backstore_dir cd0)/info"
  check "disc TWO mounts and reads" disc_matches "$CBLK" iso9660 TWO "$SCRATCH/cm-two-src"
  check "changemedium to a missing image is refused with the reason" \
    tcli_says "ChangeMedium failed: cfgstring invalid:" /backstores/user:fbo changemedium cd0 1M "$SCRATCH/none.iso"
  CD_DISC=TWO
else
  check "tcmu-runner has no ChangeMedium (targetcli: ChangeMedium failed)" \
    tcli_says "ChangeMedium failed" /backstores/user:fbo changemedium cd0 "$(stat -c %s "$TWO")" "$TWO"
  CD_DISC=ONE
fi

# --- saveconfig / clearconfig / restoreconfig ---------------------------------------------------------
check "saveconfig" tcli_says "Configuration saved to $SCRATCH/saved.json" saveconfig "$SCRATCH/saved.json"
check "the saved file has z0 and cd0 (disc $CD_DISC)" \
  sh -c "grep -qF '\"config\": \"zbc/model-HM/zsize-64@$SCRATCH/z.raw\"' $SCRATCH/saved.json && grep -qF '\"config\": \"fbo/$SCRATCH/cm-$(echo $CD_DISC | tr A-Z a-z).iso\"' $SCRATCH/saved.json"
check "clearconfig confirm=true" tcli_says "All configuration cleared" clearconfig confirm=true
check "configfs has no user storage objects" sh -c "! ls -d $CFS/core/user_*/*/ 2>/dev/null | grep -q ."
check "$DAEMON is still running" daemon_alive
check "restoreconfig" tcli restoreconfig "$SCRATCH/saved.json"
read -r ZBLK ZSG < <(loopback_nodes "$ZWWN" || true)
check "the zoned disk is back ($ZBLK): blkzone report lists 16 zones" equals 16 zone_lines "${ZBLK:-/dev/null}"
read -r CBLK CSG < <(loopback_nodes "$CWWN" || true)
check "the drive is back ($CBLK) with disc $CD_DISC, which mounts and reads" \
  disc_matches "${CBLK:-/dev/null}" iso9660 "$CD_DISC" "$SCRATCH/cm-$(echo $CD_DISC | tr A-Z a-z)-src"
[ "$DAEMON" = emud ] && check "emud ctl list shows both" sh -c \
  "env LD_LIBRARY_PATH=${EMUD_LD_LIBRARY_PATH:-/opt/swift/usr/lib/swift/linux} $EMUD_BIN ctl list | tee /dev/stderr | grep -c ' \(zbc\|fbo\) ' | grep -qx 2"
tcli clearconfig confirm=true > /dev/null
# Expected: sr's medium-change and sd's capacity notices.
DMESG_IGNORE="Capacity data has changed|Medium may have changed|Unit Attention${DMESG_IGNORE:+|$DMESG_IGNORE}" \
  check "no other kernel warnings or errors" dmesg_clean_since "$mark"
summary
