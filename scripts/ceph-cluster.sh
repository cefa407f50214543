#!/usr/bin/env bash
# A one-node Ceph cluster on this machine's loopback, for the rbd store's tests and benchmarks: one
# monitor, one manager, one OSD (BlueStore on a sparse file, so an OSD restart keeps the data), the
# pool `emud` and the image `emud/disk` (RBD_IMAGE_SIZE, 64 MiB). No cephx (loopback only).
# Usage: scripts/ceph-cluster.sh start|stop|status|osd-stop|osd-start|osd-pause|osd-resume DIR
#   start      installs the Ceph daemons when missing (deps.txt's group [ceph], through
#              scripts/install-deps.sh --group ceph), writes DIR/ceph.conf,
#              starts the daemons and waits until the image answers; prints the seconds it took
#   stop       stops every daemon of DIR (by the pid files in DIR/run) and removes DIR
#   osd-stop / osd-start    stops / starts the OSD only (the data stays in DIR/osd/block)
#   osd-pause / osd-resume  SIGSTOP / SIGCONT the OSD: it stops answering without closing its sockets
# Knobs: CEPH_PORT (monitor port, 46789), RBD_IMAGE_SIZE (64M), CEPH_OSD_BLOCK_SIZE (2G, sparse),
#   CEPH_WAIT_FACTOR (1: multiplies every wait limit; the kernel VM under TCG needs more).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmd=${1:?usage: ceph-cluster.sh start|stop|status|osd-stop|osd-start|osd-pause|osd-resume DIR}
dir=${2:?usage: ceph-cluster.sh $cmd DIR}
port=${CEPH_PORT:-46789}
log() { echo "ceph-cluster: $*" >&2; }
conf="$dir/ceph.conf"

pid_of() { cat "$dir/run/$1.pid" 2>/dev/null || true; }
# Running and not a zombie (an exited daemon stays one until its new parent reaps it).
running() { local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$state" ] && [ "$state" != Z ]; }
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && running "$p"; }

stop_daemon() {  # NAME: TERM, then KILL after 10 s
  local p; p=$(pid_of "$1")
  [ -n "$p" ] || return 0
  kill -CONT "$p" 2>/dev/null || true
  kill "$p" 2>/dev/null || return 0
  for _ in $(seq 100); do running "$p" || return 0; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true
}

wait_for() {  # SECONDS DESCRIPTION COMMAND...
  local limit=$(($1 * ${CEPH_WAIT_FACTOR:-1})) what=$2; shift 2
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || { log "timed out after ${limit}s waiting for $what (logs in $dir/log)"; return 1; }
    sleep 0.3
  done
}

# Starts a daemon with only stdin/stdout/stderr: a daemon that kept a descriptor of its caller (a pipe,
# or the socket Foundation's Process watches for the child's exit) would make the caller wait until the
# daemon exits.
daemon() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -le 2 ] || eval "exec $fd>&-"
    done
    exec "$@" </dev/null >/dev/null 2>&1
  )
}

start_osd() {
  daemon ceph-osd -c "$conf" -i 0
  wait_for 60 "osd.0 up" sh -c "ceph -c '$conf' osd dump 2>/dev/null | grep -q '^osd.0 up'"
}

write_conf() {
  mkdir -p "$dir"/{run,log,mon/ceph-a,mgr/ceph-x,osd/ceph-0}
  cat >"$conf" <<EOF
[global]
fsid = $(cat /proc/sys/kernel/random/uuid)
mon host = v2:127.0.0.1:$port
public addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
run dir = $dir/run
pid file = $dir/run/\$name.pid
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
mon data = $dir/mon/\$cluster-\$id
mgr data = $dir/mgr/\$cluster-\$id
osd data = $dir/osd/\$cluster-\$id
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
osd objectstore = bluestore
bluestore block path = $dir/osd/block
bluestore block create = true
bluestore block size = ${CEPH_OSD_BLOCK_SIZE:-2147483648}
bluestore fsck on mount = false
osd memory target = 939524096
bluestore cache autotune = false
bluestore cache size = 67108864
osd op num shards = 1
osd op num threads per shard = 2
mgr disabled modules = dashboard
# The pool is replicated: no erasure-code plugin is preloaded (jerasure's gf-complete dies with SIGILL
# on QEMU's default CPU model, which the kernel VM's run of vm/ceph/rbd-cluster.sh uses).
osd erasure code plugins = ""
[mgr]
mgr initial modules = 
EOF
}

case $cmd in
start)
  "$here/install-deps.sh" --group ceph
  [ ! -e "$conf" ] || { log "$dir already holds a cluster: stop it first"; exit 1; }
  t0=$(date +%s.%N)
  write_conf
  monmaptool --create --fsid "$(sed -n 's/^fsid = //p' "$conf")" --addv a "[v2:127.0.0.1:$port]" "$dir/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap"
  daemon ceph-mon -c "$conf" -i a
  wait_for 30 "the monitor" timeout $((5 * ${CEPH_WAIT_FACTOR:-1})) ceph -c "$conf" mon stat
  daemon ceph-mgr -c "$conf" -i x
  uuid=$(cat /proc/sys/kernel/random/uuid)
  ceph -c "$conf" osd new "$uuid" 0 >/dev/null
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$uuid" 2>>"$dir/log/osd-mkfs.log"
  start_osd
  ceph -c "$conf" osd pool create emud 8 8 >/dev/null 2>&1
  ceph -c "$conf" osd pool application enable emud rbd >/dev/null 2>&1
  rbd -c "$conf" create emud/disk --size "${RBD_IMAGE_SIZE:-64M}"
  wait_for 60 "the image" timeout $((10 * ${CEPH_WAIT_FACTOR:-1})) rbd -c "$conf" info emud/disk
  t1=$(date +%s.%N)
  log "cluster up in $(echo "$t1 - $t0" | bc) s (conf $conf)"
  ;;
stop)
  [ -e "$conf" ] || { log "no cluster in $dir"; exit 0; }
  for d in osd.0 mgr.x mon.a; do stop_daemon "$d"; done
  rm -rf "$dir"
  ;;
status)
  for d in mon.a mgr.x osd.0; do
    if alive "$d"; then echo "$d $(pid_of "$d") rss=$(awk '/VmRSS/{print $2 $3}' "/proc/$(pid_of "$d")/status")"
    else echo "$d down"; fi
  done
  ;;
osd-stop) stop_daemon osd.0 ;;
osd-start) alive osd.0 || start_osd ;;
osd-pause) kill -STOP "$(pid_of osd.0)" ;;
osd-resume) kill -CONT "$(pid_of osd.0)" ;;
*) log "unknown command $cmd"; exit 2 ;;
esac
