#!/usr/bin/env bash
# reconfig: live changes through configfs reach the daemon as netlink RECONFIG_DEVICE and are
# answered. A `file/` disk grows (attrib/dev_size): the write returns, sd sees the new
# capacity after a rescan and the new last MiB reads back; a dev_size of 2^63 is refused, the disk
# keeps serving. An `fbo/` drive gets another ISO
# (attrib/dev_config): sr notices the medium change and the new disc mounts. udev's own
# probes (scsi_id page 83, cdrom_id) answer for both.
# timeout: 240
# requires: openssl genisoimage sg_reset blockdev
# columns: emud
# n/a: RECONFIG of file size and fbo discs is emud's (tcmu-runner has no file handler)
set -uo pipefail
source "$REPO/vm/lib/guest.sh"

IMG=$SCRATCH/grow.img SIZE=$((256 << 20)) NEW=$((512 << 20))
truncate -s "$SIZE" "$IMG"
check_start_daemon
mark=$(dmesg_mark reconfig)
check "file disk created" create_device disk0 "file/$IMG" "$SIZE"
BLK= SG=
read -r BLK SG < <(link_loop disk0 || true)
check "tcm_loop attaches a disk ($BLK)" test -b "${BLK:-/nonexistent}"
check "udev scsi_id reads the page 83 identifier" artifact scsi_id.txt /lib/udev/scsi_id --whitelisted --export "${BLK:-/nonexistent}"
bs=$(backstore_dir disk0)
check "attrib/dev_size grows the live disk (RECONFIG answered 0)" write_bounded "$NEW" "$bs/attrib/dev_size"
check "the backing file grew" sh -c "[ \$(stat -c %s $IMG) -ge $NEW ]"
echo 1 > "/sys/block/${BLK#/dev/}/device/rescan" 2>/dev/null
check "sd sees 512 MiB after a rescan" sh -c "[ \$(blockdev --getsize64 $BLK) = $NEW ]"
check "write + read back the new last MiB" write_read_back "$BLK" $((NEW / 1024 - 1024)) 1024 grown
# A hostile size (issue 13): 2^63 bytes is refused with the size named, and the disk keeps serving.
check "attrib/dev_size 2^63 is refused (RECONFIG answered an error)" sh -c "! printf %s 9223372036854775808 > $bs/attrib/dev_size"
check "the daemon named the refused size" grep -q "9223372036854775808 bytes is larger" "$ART/daemon.log"
check "configfs keeps dev_size 512 MiB" sh -c "[ \$(cat $bs/attrib/dev_size) = $NEW ]"
check "write + read back after the refused resize" write_read_back "$BLK" 0 1024 after-refusal
# TMR notification: a LUN RESET (sg_reset -d through tcm_loop) is queued on the ring as a TMR entry.
if write_bounded 1 "$bs/attrib/tmr_notification" 2>/dev/null; then
  check "LUN reset with tmr_notification=1 (sg_reset -d) completes" sg_reset -d "$SG"
  check "I/O works after the LUN reset" write_read_back "$BLK" 0 256 after-reset
  [ "$DAEMON" = emud ] && check "the daemon saw the TMR entry" grep -q "task management" "$ART/daemon.log"
fi
check "disk removed" remove_device disk0

# Two discs with different volume labels.
for v in ONE TWO; do
  mkdir -p "$SCRATCH/iso-$v"; echo "disc $v" > "$SCRATCH/iso-$v/DISC.TXT"
  genisoimage -quiet -V "DISC_$v" -R -o "$SCRATCH/$v.iso" "$SCRATCH/iso-$v"
done
check "fbo drive created with disc ONE" create_device cd0 "fbo/$SCRATCH/ONE.iso" "$(stat -c %s "$SCRATCH/ONE.iso")" hw_block_size=2048
read -r BLK SG < <(link_loop cd0 || true)
check "tcm_loop attaches an optical drive ($BLK)" test -b "${BLK:-/nonexistent}"
check "udev cdrom_id sees a drive with a medium" sh -c "/lib/udev/cdrom_id $BLK > $ART/cdrom_id-1.txt 2>&1; grep -q ID_CDROM_MEDIA=1 $ART/cdrom_id-1.txt"
mkdir -p /mnt/cd; modprobe isofs 2>/dev/null
check "disc ONE mounts and reads" sh -c "mount -t iso9660 -o ro $BLK /mnt/cd && grep -qx 'disc ONE' /mnt/cd/DISC.TXT; rc=\$?; umount /mnt/cd; exit \$rc"
bs=$(backstore_dir cd0)
check "attrib/dev_config puts disc TWO in (RECONFIG answered 0)" write_bounded "fbo/$SCRATCH/TWO.iso" "$bs/attrib/dev_config"
check "disc TWO mounts and reads" sh -c "mount -t iso9660 -o ro $BLK /mnt/cd && grep -qx 'disc TWO' /mnt/cd/DISC.TXT; rc=\$?; umount /mnt/cd; exit \$rc"
check "a config string for another handler is refused" sh -c "! printf %s 'zbc/model-HM@$SCRATCH/z.raw' > $bs/attrib/dev_config"
check "drive removed" remove_device cd0
# Expected: sd reports the UNIT ATTENTIONs the resize and the LUN reset raise, and the kernel logs our refusal
# of the other handler's config string.
DMESG_IGNORE="sd .*: Capacity data has changed|sd .*: Power-on or device reset occurred|Unable to reconfigure device${DMESG_IGNORE:+|$DMESG_IGNORE}" \
  check "no other kernel warnings or errors" dmesg_clean_since "$mark"
summary
