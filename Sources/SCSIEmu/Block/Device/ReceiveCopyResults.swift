import Sense

// RECEIVE COPY RESULTS (opcode 84h), the LID1 service actions of SPC-4 ("RECEIVE COPY STATUS(LID1)",
// "RECEIVE COPY FAILURE DETAILS(LID1)", "RECEIVE COPY OPERATING PARAMETERS"). RECEIVE DATA (01h) is not
// supported: no segment descriptor this copy manager implements holds data (HELD DATA LIMIT 0).
//
// CDB:  | 0 | 84h | 1 | SERVICE ACTION (4–0) | 2 | LIST IDENTIFIER | 3–9 | reserved |
//       | 10–13 | ALLOCATION LENGTH | 14 | reserved | 15 | CONTROL |
//
// COPY STATUS (00h), 12 bytes:
//       | 0–3 | AVAILABLE DATA (00000008h) | 4 | HDD (7) | COPY MANAGER STATUS (6–0) |
//       | 5–6 | SEGMENTS PROCESSED | 7 | TRANSFER COUNT UNITS | 8–11 | TRANSFER COUNT |
//   COPY MANAGER STATUS: 00h in progress, 01h completed without errors, 02h completed with errors.
//   TRANSFER COUNT UNITS: 00h bytes, 01h KiB, 02h MiB, 03h GiB, ... (powers of 2^10).
// FAILED SEGMENT DETAILS (04h):
//       | 0–3 | AVAILABLE DATA (n − 3) | 4–55 | reserved | 56 | COPY COMMAND STATUS | 57 | reserved |
//       | 58–59 | SENSE DATA LENGTH (n − 59) | 60–n | SENSE DATA |
//   A copy that did not fail has no details: AVAILABLE DATA 0 and nothing after it.
//
// A LIST IDENTIFIER the copy manager keeps nothing for (never used, expired, already transferred, or
// FAILED SEGMENT DETAILS of a copy still running) is INVALID FIELD IN CDB at byte 2. Results are
// discarded once transferred in full (an ALLOCATION LENGTH of 0 discards the details too).

extension BlockDevice {
    func receiveCopyStatus(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let allocation = Int(cmd.cdb.u32(10))
        let transferred: WritableKeyPath<CopyResults.Entry, Bool>? = allocation >= 12 ? \.statusTransferred : nil
        guard let e = copyResults.take(cmd.cdb[2], now: .now, marking: transferred) else {
            throw SPC.invalidFieldInCDB(byte: 2)
        }
        var b: [UInt8] = []
        b.appendBigEndian(UInt32(8))
        b.append(e.inProgress ? 0x00 : e.failureSense == nil ? 0x01 : 0x02)
        b.appendBigEndian(e.segmentsProcessed)
        var units: UInt8 = 0, count = e.bytesTransferred
        while count > UInt64(UInt32.max) {
            units += 1
            count >>= 10
        }
        b.append(units)
        b.appendBigEndian(UInt32(count))
        return cmd.respond(b, allocationLength: allocation)
    }

    func receiveCopyFailureDetails(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let allocation = Int(cmd.cdb.u32(10))
        let listID = cmd.cdb[2]
        guard let peek = copyResults.take(listID, now: .now, marking: nil), !peek.inProgress else {
            throw SPC.invalidFieldInCDB(byte: 2)
        }
        guard let sense = peek.failureSense else { return cmd.respond([0, 0, 0, 0], allocationLength: allocation) }
        var b = [UInt8](repeating: 0, count: 60)
        b.setBigEndian(UInt32(56 + sense.count), at: 0)
        b[56] = SCSIStatus.checkCondition.rawValue
        b.setBigEndian(UInt16(sense.count), at: 58)
        b += sense
        if allocation == 0 || allocation >= b.count {
            _ = copyResults.take(listID, now: .now, marking: \.detailsTransferred)
        }
        return cmd.respond(b, allocationLength: allocation)
    }

    // RECEIVE COPY RESULTS, OPERATING PARAMETERS (SPC-4 §6.18.4, opcode 84h service action 03h)
    //
    // CDB:  | 1 | SERVICE ACTION (4–0) | 2 | LIST IDENTIFIER | 10–13 | ALLOCATION LENGTH |
    // Data: | 0–3 | AVAILABLE DATA (n − 3) | 4 | SNLID (0) | 8–9 | MAXIMUM CSCD DESCRIPTOR COUNT |
    //       | 10–11 | MAXIMUM SEGMENT DESCRIPTOR COUNT | 12–15 | MAXIMUM DESCRIPTOR LIST LENGTH |
    //       | 16–19 | MAXIMUM SEGMENT LENGTH | 20–23 | MAXIMUM INLINE DATA LENGTH | 24–27 | HELD DATA LIMIT |
    //       | 28–31 | MAXIMUM STREAM DEVICE TRANSFER SIZE | 34–35 | TOTAL CONCURRENT COPIES |
    //       | 36 | MAXIMUM CONCURRENT COPIES | 37 | DATA SEGMENT GRANULARITY (log2) |
    //       | 38 | INLINE DATA GRANULARITY (log2) | 39 | HELD DATA GRANULARITY (log2) |
    //       | 43 | IMPLEMENTED DESCRIPTOR LIST LENGTH | 44… | implemented descriptor type codes |
    func receiveCopyOperatingParameters(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let codes: [UInt8] = [0x02, 0xE4]
        var b: [UInt8] = []
        b.appendBigEndian(UInt32(40 + codes.count))
        b += [0x01, 0, 0, 0]  // SNLID: LIST ID USAGE 11b supported
        b.appendBigEndian(UInt16(Self.copyMaxCSCDDescriptors))
        b.appendBigEndian(UInt16(Self.copyMaxSegmentDescriptors))
        b.appendBigEndian(UInt32(Self.copyMaxDescriptorListLength))
        b.appendBigEndian(Self.copyMaxSegmentLength)
        b.appendBigEndian(UInt32(0))  // no inline data
        b.appendBigEndian(UInt32(0))  // no held data
        b.appendBigEndian(UInt32(0))  // no stream devices
        b += [0, 0]
        b.appendBigEndian(UInt16(1))  // total concurrent copies
        b.append(1)  // maximum concurrent copies
        b.append(UInt8(blockSize.trailingZeroBitCount))
        b += [9, 9, 0, 0, 0]
        b.append(UInt8(codes.count))
        b += codes
        return cmd.respond(b, allocationLength: Int(cmd.cdb.u32(10)))
    }
}
