# The kernel side: target modules and configfs, dmesg marks and the clean-log check.
# Part of the guest helpers: sourced by vm/lib/guest.sh, never on its own.

# aptpl_folders: <dbroot>/pr for every dbroot LIO may use in this boot, in both roots. LIO writes
# <dbroot>/pr/aptpl_<unit serial> on every PERSISTENT RESERVE OUT that changes registrations, with or
# without APTPL ("No Registrations or Reservations" when APTPL is off; target_core_pr.c,
# core_scsi3_update_and_write_aptpl), and answers NOT READY, LOGICAL UNIT COMMUNICATION FAILURE (08/00)
# when it cannot open the file. The open runs in the kernel thread that executes the command
# (iSCSI's rx thread, the submission workqueue of tcm_loop), whose root is PID 1's: the initramfs root
# (/proc/1/root here), not this chroot; the dbroot itself is checked when set, in the writer's root
# (this chroot). dbroot starts as /etc/target (load_target_modules makes it before the module loads);
# targetcli/rtslib moves it to /etc/rtslib-fb-target, which Debian ships without pr/.
aptpl_folders() {
  local d root
  for d in /etc/target /var/target /etc/rtslib-fb-target $(cat "$CFS/dbroot" 2>/dev/null); do
    for root in "" /proc/1/root; do mkdir -p "$root$d/pr" || return 1; done
  done
}

load_target_modules() {
  # target_core_mod takes /etc/target as db_root when it exists at load time (else /var/target).
  [ -d /etc/target/pr ] || mkdir -p /etc/target/pr
  # Every daemon start calls this: a loaded module is seen in /sys/module without a process (11
  # modprobes cost 3-10 s of a TCG guest, session 14).
  local m
  for m in configfs target_core_mod target_core_user target_core_file tcm_loop \
           sd_mod sr_mod sg cdrom uio; do
    [ -d "/sys/module/$m" ] || { [ "$m" = configfs ] && [ -d /sys/kernel/config ]; } || modprobe "$m" \
      || { echo "modprobe $m failed" >&2; return 1; }
  done
  [ -d "$CFS" ] || mount -t configfs configfs /sys/kernel/config
  [ -d "$CFS" ] || { echo "no $CFS" >&2; return 1; }
}

# dmesg_mark NAME: put a marker line into the kernel log; prints the marker.
dmesg_mark() {
  local m="emud-harness-mark-$1-$RANDOM$RANDOM"
  echo "<6>$m" > /dev/kmsg
  echo "$m"
}

# dmesg_since MARK: kernel log lines after MARK (raw "<prio>[time] text" format).
dmesg_since() {
  dmesg -r | awk -v m="$1" 'found {print} index($0, m) {found=1}'
}

# dmesg_clean_since MARK: fail (printing them) if kernel lines at warning level or worse
# were logged after MARK. Lines matching $DMESG_IGNORE (an ERE) are tolerated, and so are
# the emulation's own timing complaints (TCG is slow): "hrtimer: interrupt took".
dmesg_clean_since() {
  local bad
  bad=$(dmesg_since "$1" | awk '{ if (match($0, /^<[0-9]+>/)) { p = substr($0, 2, RLENGTH - 2) % 8; if (p <= 4) print } }')
  bad=$(echo "$bad" | grep -Ev "hrtimer: interrupt took${DMESG_IGNORE:+|$DMESG_IGNORE}" || true)
  if [ -n "$bad" ]; then echo "$bad"; return 1; fi
}

# RESTORECONFIG_DMESG: what the kernel logs, expectedly, when targetcli's restoreconfig writes saved
# attributes and unit serials into live devices (56-targetcli, 57-emud-create): sr's medium-change and
# sd's capacity notices, refused changes ("Unable to reconfigure device"), LIO's INQUIRY DATA HAS CHANGED
# unit attentions; when one lands on sd_zbc's revalidation REPORT ZONES, sd does not retry it ("REPORT
# ZONES start lba 0 failed") and the block layer warns "failed to revalidate zones" (session 16, e2e of
# 8e0cf1c; the scenario's own zone report listed every zone).
RESTORECONFIG_DMESG="Capacity data has changed|Medium may have changed|Unit Attention|Unable to reconfigure device|Inquiry data has changed|REPORT ZONES start lba 0 failed|failed to revalidate zones"
