#!/usr/bin/env bash
# capture iscsi: a short libiscsi iscsi-test-cu suite per device kind over LIO iSCSI (127.0.0.1)
# into the same TCMU device; one corpus per kind. Output: corpora/ (see vm/lib/capture.sh).
# timeout: 1200
set -uo pipefail
source "$REPO/vm/lib/capture.sh"
[ "$COLUMN" = emud ] || not_applicable "captures record emud"

check "emud starts with --capture" capture_start_daemon
common=SCSI.Inquiry,SCSI.TestUnitReady,SCSI.ModeSense6,SCSI.ReportSupportedOpcodes
capture_iscsi iscsi-test-cu-sbc "file/$SCRATCH/disk.img" $((64 << 20)) \
  "$common,SCSI.ReadCapacity10,SCSI.ReadCapacity16,SCSI.Prefetch10,SCSI.Prefetch16,SCSI.Read10,SCSI.GetLBAStatus.Simple,SCSI.GetLBAStatus.BeyondEol"
capture_iscsi iscsi-test-cu-zbc "zbc/model-HM/zsize-64/conv-4@$SCRATCH/zbc.raw" $((2 << 30)) \
  "$common,SCSI.ReadCapacity16"
CAPTURE_CONTROL=(hw_block_size=2048)
capture_iscsi iscsi-test-cu-mmc "fbo/$SCRATCH/disc.img" $((64 << 20)) "$common,SCSI.ReadCapacity10"
summary
