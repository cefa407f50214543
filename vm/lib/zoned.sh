# Helpers for the zoned-disk scenarios (25-zbc-zones, 26-zbc-f2fs, 32-zbc-kill); sourced after guest.sh.
#
# Zones are named by index; ZONE_SECTORS (512-byte sectors per zone) must be set by the scenario.
# Conditions are compared as ZBC-2 numbers (blkzone prints them in decimal as `zcond:N(xx)`):
#   0 NOT WP, 1 EMPTY, 2 IMPLICIT OPEN, 3 EXPLICIT OPEN, 4 CLOSED, 13 READ ONLY, 14 FULL, 15 OFFLINE.

# zone_cond_name N: the condition name `emud ctl … zone` prints for ZBC-2 condition N.
zone_cond_name() {
  case "$1" in
    0) echo not-wp ;; 1) echo empty ;; 2) echo implicit-open ;; 3) echo explicit-open ;; 4) echo closed ;;
    13) echo read-only ;; 14) echo full ;; 15) echo offline ;; *) echo "unknown-$1" ;;
  esac
}

# blkzone_zone BLK ZONE: prints "COND WPTR" for one zone from `blkzone report` (WPTR in sectors,
# relative to the zone start, decimal; the kernel reports a FULL zone's as the zone length).
blkzone_zone() {
  local line
  line=$(blkzone report -o $(($2 * ZONE_SECTORS)) -c 1 "$1") || return 1
  echo "$line" | sed -nE 's/.*wptr 0x([0-9a-f]+).*zcond: *([0-9]+).*/\2 \1/p' | {
    read -r cond wp || { echo "unparsable blkzone line: $line" >&2; return 1; }
    echo "$cond $((16#$wp))"
  }
}

# ctl_zone ZONE: prints "CONDITION WP" from `emud ctl zbc0 zone ZONE` (WP an absolute LBA or `none`).
ctl_zone() {
  local line
  line=$(emud_ctl "${ZBC_DEV:-zbc0}" zone "$1") || return 1
  echo "$line" | sed -nE 's/.* condition=([a-z-]+) wp=([0-9a-z]+).*/\1 \2/p'
}

# expect_zone BLK ZONE COND [WP_OFFSET]: the kernel's zone report (blkzone) and emud's own view (`emud
# ctl`) both show zone ZONE in condition COND, with the write pointer WP_OFFSET sectors into the zone
# (512-byte LBAs); `-` or omitted: the write pointer is not checked (READ ONLY, OFFLINE).
expect_zone() {
  local blk=$1 zone=$2 want=$3 wp=${4:--} got ctl
  got=$(blkzone_zone "$blk" "$zone") || return 1
  ctl=$(ctl_zone "$zone") || return 1
  echo "zone $zone: blkzone '$got', emud ctl '$ctl'; expected condition $want ($(zone_cond_name "$want")) wp offset $wp"
  local gcond=${got% *} gwp=${got#* } cname=${ctl% *} cwp=${ctl#* }
  [ "$gcond" = "$want" ] || { echo "blkzone: condition $gcond"; return 1; }
  [ "$cname" = "$(zone_cond_name "$want")" ] || { echo "emud ctl: condition $cname"; return 1; }
  [ "$wp" = - ] && return 0
  [ "$gwp" = "$wp" ] || { echo "blkzone: wptr $gwp"; return 1; }
  case "$want" in
    1|2|3|4) [ "$cwp" = $((zone * ZONE_SECTORS + wp)) ] || { echo "emud ctl: wp $cwp"; return 1; } ;;
    *) [ "$cwp" = none ] || { echo "emud ctl: wp $cwp, expected none"; return 1; } ;;
  esac
}

# count_zones BLK COND: how many zones blkzone reports in condition COND.
count_zones() {
  blkzone report "$1" | grep -cE "zcond: *$2\("
}

# sysfs_is BLK ATTR VALUE: /sys/block/X/queue/ATTR holds exactly VALUE.
sysfs_is() {
  local v; v=$(cat "/sys/block/${1#/dev/}/queue/$2") || return 1
  echo "queue/$2 = $v (expected $3)"
  [ "$v" = "$3" ]
}

# expect_zones BLK "ZONE COND [WP]"...: expect_zone for several zones; all must match.
expect_zones() {
  local blk=$1 spec rc=0; shift
  for spec in "$@"; do
    # shellcheck disable=SC2086
    expect_zone "$blk" $spec || rc=1
  done
  return "$rc"
}

# w4k BLK SECTOR [COUNT]: COUNT (1) direct 4 KiB writes of random data at SECTOR.
w4k() {
  dd if=/dev/urandom of="$1" bs=4k seek=$(($2 / 8)) count="${3:-1}" oflag=direct conv=notrunc status=none
}

# fails CMD...: succeeds when CMD fails (a refused write), printing its output.
fails() { ! "$@"; }

# dmesg_has MARK ERE: a kernel line after MARK matches ERE (case-insensitive); prints the lines.
dmesg_has() {
  local lines; lines=$(dmesg_since "$1" | grep -iE "$2")
  echo "$lines"
  [ -n "$lines" ]
}

# dmesg_sense MARK KEY TEXT: after MARK, sd logged a sense with key KEY ("Illegal Request", "Data
# Protect") and additional sense TEXT ("Unaligned write command").
dmesg_sense() {
  dmesg_has "$1" "Sense Key : $2" && dmesg_has "$1" "Add\. Sense: $3"
}
