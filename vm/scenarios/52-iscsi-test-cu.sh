#!/usr/bin/env bash
# iscsi-test-cu: libiscsi's conformance suite (`iscsi-test-cu -d -n`) over LIO iSCSI on the
# guest's loopback (127.0.0.1:3260), one initiator, against a plain disk (user `file/`,
# `qcow/` for tcmu-runner, LIO fileio for the fileio column).
# Artifacts: iscsi-test-cu.log (raw), failures.txt (failing "Suite.Test" names),
# skipped.txt (count of [SKIPPED] lines; CUnit counts them as passed), skipped-reasons.txt
# (count per reason), tests-run.txt and
# tests-failed.txt (CUnit's Run Summary; a suite may run several times).
# The checks are that the suite runs to completion and the daemon survives it, and for emud that
# nothing fails outside vm/scenarios/iscsi-allowed-failures.txt (kernel-owned suites, libiscsi
# 1.19 bugs fixed upstream); the failure lists of the other columns are information for the report.
# Knobs: ISCSI_DISK_SIZE (bytes, default 256 MiB),
# ISCSI_TEST_TIMEOUT (default 720 s), ISCSI_MAX_FAILS (optional gate on the failure count),
# ISCSI_TESTS (-t filter; default ALL: every SCSI and iSCSI test once. Empty runs all four
# families ALL, LINUX, SCSI, iSCSI: 615 tests, ~2.7 times longer, same distinct names),
# ISCSI_EMULATE_TPU (1: set emulate_tpu/tpws where writable, default 1), ISCSI_TCMU_RUNNER
# (1: also run it in the tcmu-runner column; default 0).
# timeout: 840
# requires: iscsi-test-cu qemu-img
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
# tcmu-runner's run (qcow; 61 failing names, 182 [SKIPPED] when last measured) is information that
# costs ~5 min of TCG; it runs only when asked for.
[ "$COLUMN" != tcmu-runner ] || [ "${ISCSI_TCMU_RUNNER:-0}" = 1 ] || not_applicable "tcmu-runner's run only with ISCSI_TCMU_RUNNER=1"

IQN=iqn.2003-01.org.linux-iscsi.emud-vm:lun0
URL=iscsi://127.0.0.1/$IQN/0
check_start_daemon
# libiscsi 1.19 ignores the Block Limits MAXIMUM TRANSFER LENGTH over iSCSI (it only clamps for
# SG_IO) and sends up to 2048 blocks in one command; a user backstore's default hw_max_sectors
# (128) makes every larger transfer INVALID FIELD IN CDB (SBC-4 6.6.4). LIO's fileio allows
# 8 MiB, so the user LUN gets the same (ISCSI_HW_MAX_SECTORS, default 16384 blocks of 512).
check "$( [ "$BACKSTORE" = fileio ] && echo fileio || disk_subtype) disk created" make_disk lun0 "${ISCSI_DISK_SIZE:-268435456}" "hw_max_sectors=${ISCSI_HW_MAX_SECTORS:-16384}"
if [ "${ISCSI_EMULATE_TPU:-1}" = 1 ] && bs=$(backstore_dir lun0 2>/dev/null); then
  for a in emulate_tpu emulate_tpws; do write_bounded 1 "$bs/attrib/$a" 2>/dev/null || echo "note: cannot set $a"; done
fi
check "exported over iSCSI on 127.0.0.1:3260" export_iscsi lun0 "$IQN"
check "iscsi-inq answers" artifact iscsi-inq.txt iscsi-inq "$URL"

log "running iscsi-test-cu (limit ${ISCSI_TEST_TIMEOUT:-720}s)"
t0=$SECONDS
filter=()
[ -n "${ISCSI_TESTS-ALL}" ] && filter=(-t "${ISCSI_TESTS-ALL}")
# stdbuf -oL: line-buffered, so a run cut off by the time limit still leaves every line it printed.
run_bounded "${ISCSI_TEST_TIMEOUT:-720}" sh -c 'L=$1; shift; exec stdbuf -oL -eL iscsi-test-cu -d -n "$@" > "$L" 2>&1' _ \
  "$ART/iscsi-test-cu.log" "${filter[@]}" "$URL"
rc=$?
log "iscsi-test-cu exit status $rc after $((SECONDS - t0))s"
echo "$((SECONDS - t0))" > "$ART/seconds.txt"
L=$ART/iscsi-test-cu.log
check "iscsi-test-cu ran to completion (Run Summary)" grep -q 'Run Summary' "$L"
# Suites run more than once (e.g. per iSCSI setting), so a name can fail several times.
grep -o 'Suite [^,]*, Test .* had failures' "$L" | sed 's/^Suite \(.*\), Test \(.*\) had failures$/\1.\2/' | sort -u > "$ART/failures.txt"
grep -o '\[SKIPPED\]' "$L" | wc -l > "$ART/skipped.txt"
# Why: each [SKIPPED] line is a check that found something unsupported (or a flag not given).
grep -o '\[SKIPPED\].*' "$L" | sed 's/^\[SKIPPED\] *//; s/[[:space:]]*$//' | sort | uniq -c | sort -rn > "$ART/skipped-reasons.txt"
awk '$1 == "tests" && NF >= 6 {print $3 > "'"$ART/tests-run.txt"'"; print $5 > "'"$ART/tests-failed.txt"'"; exit}' "$L"
[ -s "$ART/tests-run.txt" ] || echo "incomplete" > "$ART/tests-run.txt"
echo "iscsi-test-cu: $(cat "$ART/tests-run.txt") tests run, $(cat "$ART/tests-failed.txt" 2>/dev/null || echo ?) failed ($(grep -c . "$ART/failures.txt") distinct names), $(cat "$ART/skipped.txt") [SKIPPED] lines"
sed 's/^/  failing: /' "$ART/failures.txt"
sed 's/^ */  skipped: /' "$ART/skipped-reasons.txt"
# The gate (emud): no failing test outside the suites the kernel owns and the listed libiscsi bugs.
unexpected_failures() {
  local allowed=$REPO/vm/scenarios/iscsi-allowed-failures.txt name pattern ok out=
  while read -r name; do
    ok=
    while read -r pattern _; do
      case "$pattern" in ''|'#'*) continue;; esac
      # shellcheck disable=SC2254
      case "$name" in $pattern) ok=1; break;; esac
    done < "$allowed"
    [ -n "$ok" ] || out="$out $name"
  done < "$ART/failures.txt"
  [ -z "$out" ] || { echo "failing outside the allowed list:$out"; return 1; }
}
if [ "$DAEMON" = emud ]; then
  check "no failing test outside kernel-owned suites and known libiscsi 1.19 bugs" unexpected_failures
fi
if [ -n "${ISCSI_MAX_FAILS:-}" ]; then
  check "at most $ISCSI_MAX_FAILS failing tests" test "$(grep -c . "$ART/failures.txt")" -le "$ISCSI_MAX_FAILS"
fi
check "device removed (unlink + rmdir return)" remove_device lun0
summary
