# The kernel side: target modules and configfs, dmesg marks and the clean-log check.
# Part of the guest helpers: sourced by vm/lib/guest.sh, never on its own.

load_target_modules() {
  # target_core_mod complains about a missing db_root otherwise. (Its PR metadata directory,
  # db_root/pr, is opened by kernel threads in the initramfs root: initramfs/init makes it.)
  mkdir -p /etc/target/pr
  local m
  for m in configfs target_core_mod target_core_user target_core_file tcm_loop \
           sd_mod sr_mod sg cdrom uio; do
    modprobe "$m" || { echo "modprobe $m failed" >&2; return 1; }
  done
  mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
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
