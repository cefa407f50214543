import Sense

// FORMAT UNIT (SBC-4 §5.4) and READ DEFECT DATA(10/12) (§5.22, §5.23)
//
// FORMAT UNIT CDB: | 1 | FMTPINFO (7–6) | LONGLIST (5) | FMTDATA (4) | CMPLST (3) | DEFECT LIST FORMAT (2–0) |
//                  | 2 | vendor specific | 3–4 | obsolete | 5 | CONTROL |
// Parameter list header (FMTDATA = 1), short (LONGLIST = 0) / long (LONGLIST = 1):
//                  | 0 | reserved (7–3) | PROTECTION FIELD USAGE (2–0) |
//                  | 1 | FOV (7) | DPRY (6) | DCRT (5) | STPF (4) | IP (3) | obsolete (2) | IMMED (1) | VS (0) |
//                  | 2–3 | DEFECT LIST LENGTH (short) | or 2 reserved, 3 P_I_INFORMATION, 4–7 DEFECT LIST LENGTH |
//
// FMTPINFO ≠ 0 is outside the usage mask (no protection information). An initialization pattern (IP) or
// a defect list cannot be honoured: INVALID FIELD IN PARAMETER LIST. Formatting zeroes the medium
// (deallocating on a thin unit) in pieces, reporting progress to other commands as NOT READY 04/04.
//
// READ DEFECT DATA(10): | 2 | REQ_PLIST (4) | REQ_GLIST (3) | DEFECT LIST FORMAT (2–0) | 7–8 | ALLOCATION LENGTH |
//    data:              | 0 | reserved | 1 | PLISTV (4) | GLISTV (3) | DEFECT LIST FORMAT (2–0) | 2–3 | LENGTH (0) |
// READ DEFECT DATA(12): | 1 | REQ_PLIST (4) | REQ_GLIST (3) | FORMAT (2–0) | 2–5 | ADDRESS DESCRIPTOR INDEX |
//                       | 6–9 | ALLOCATION LENGTH |
//    data:              | 0 | reserved | 1 | PLISTV | GLISTV | FORMAT | 2–3 | GENERATION CODE | 4–7 | LENGTH (0) |
// A file has no defects: both lists are valid and empty.

extension BlockDevice {
    /// Bytes zeroed between two progress updates.
    static let formatPiece: UInt64 = 256 << 20

    func formatUnit(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        try engine.checkWritable()
        if cmd.cdb.bit(1, 4) {
            let long = cmd.cdb.bit(1, 5)
            let headerLength = long ? 8 : 4
            let header = cmd.dataOut.bytes(from: 0, length: headerLength)
            guard header.count == headerLength else { throw SPC.parameterListLengthError }
            if header[0] & 0x07 != 0 { throw SPC.invalidFieldInParameterList(byte: 0, bit: 2) }
            if header[1] & 0x08 != 0 { throw SPC.invalidFieldInParameterList(byte: 1, bit: 3) }
            let defects = long ? header.bigEndianValue(at: 4, width: 4) : header.bigEndianValue(at: 2, width: 2)
            if defects != 0 { throw SPC.invalidFieldInParameterList(byte: long ? 4 : 2) }
        }
        let total = blockCount * UInt64(blockSize)
        try engine.ordering.exclusive { () throws(Sense) in
            defer { unit.setCondition(.ready) }
            var done: UInt64 = 0
            while done < total {
                unit.setCondition(.formatting(progress: UInt16(done * 65536 / max(total, 1))))
                let n = min(Self.formatPiece, total - done)
                try engine.storeIO(writing: true) { () throws(StoreError) in
                    try store.writeZeroes(at: done, length: n, deallocate: isThin)
                }
                done += n
            }
            try engine.synchronize()
        }
        return .good
    }

    func readDefectData10(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let format = cmd.cdb[2] & 0x1F
        return cmd.respond([0, format, 0, 0], allocationLength: Int(cmd.cdb.u16(7)))
    }

    func readDefectData12(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let format = cmd.cdb[1] & 0x1F
        return cmd.respond([0, format, 0, 0, 0, 0, 0, 0], allocationLength: Int(cmd.cdb.u32(6)))
    }
}
