import Sense

// EXTENDED COPY (LID1) (SPC-4 §6.4, opcode 83h service action 00h), copies within this logical unit.
//
// CDB:  | 0 | 83h | 1 | SERVICE ACTION 00h (4–0) | 2–9 | reserved | 10–13 | PARAMETER LIST LENGTH |
//       | 14 | reserved | 15 | CONTROL |
// Parameter list:
//       | 0 | LIST IDENTIFIER | 1 | STR (5) | LIST ID USAGE (4–3) | PRIORITY (2–0) |
//       | 2–3 | CSCD DESCRIPTOR LIST LENGTH | 4–7 | reserved | 8–11 | SEGMENT DESCRIPTOR LIST LENGTH |
//       | 12–15 | INLINE DATA LENGTH | 16… | CSCD descriptors | segment descriptors | inline data |
// Identification CSCD descriptor (E4h), 32 bytes:
//       | 0 | E4h | 1 | LU ID TYPE (7–6) | NUL (5) | PERIPHERAL DEVICE TYPE (4–0) |
//       | 2–3 | RELATIVE INITIATOR PORT IDENTIFIER | 4 | CODE SET (3–0) | 5 | ASSOCIATION (5–4) | DESIGNATOR TYPE (3–0) |
//       | 6 | reserved | 7 | DESIGNATOR LENGTH | 8–27 | DESIGNATOR | 28 | PAD (2) | 29–31 | DISK BLOCK LENGTH |
// Block → block segment descriptor (02h), 28 bytes:
//       | 0 | 02h | 1 | DC (1) | CAT (0) | 2–3 | DESCRIPTOR LENGTH (0018h) | 4–5 | SOURCE CSCD DESCRIPTOR ID |
//       | 6–7 | DESTINATION CSCD DESCRIPTOR ID | 8–9 | reserved | 10–11 | NUMBER OF BLOCKS |
//       | 12–19 | SOURCE LBA | 20–27 | DESTINATION LBA |
//
// Limits are tcmu-runner's (RECEIVE COPY RESULTS reports them): 2 CSCD descriptors, 1 segment, 1024
// bytes of descriptors, no inline data. A CSCD must name this logical unit by one of its VPD 83h
// designators (never another device: CVE-2021-3139) with this block length. Errors in the list are
// ILLEGAL REQUEST; errors found while copying are COPY ABORTED (the codes libiscsi accepts: 0D/02 for a
// CSCD that is not this unit, 00/00 with a segment pointer for a range past the capacity).

extension BlockDevice {
    static let copyMaxCSCDDescriptors = 2
    static let copyMaxSegmentDescriptors = 1
    static let copyMaxDescriptorListLength = 1024
    static let copyMaxSegmentLength: UInt32 = 16 << 20

    /// LIST ID USAGE (byte 1 bits 4–3): 00b and 10b name the copy by its LIST IDENTIFIER, whose results
    /// RECEIVE COPY RESULTS then reports (`copyResults`); 11b has no identifier (LIST IDENTIFIER must be
    /// 0); 01b is reserved. A list refused as ILLEGAL REQUEST never started; a copy ended by any other
    /// sense (COPY ABORTED, a medium error) keeps that sense for FAILED SEGMENT DETAILS.
    func extendedCopy(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let listLength = Int(cmd.cdb.u32(10))
        guard listLength > 0 else { return .good }
        try engine.checkWritable()
        let p = cmd.dataOut.bytes(from: 0, length: listLength)
        guard p.count >= 16, listLength >= 16 else { throw SPC.parameterListLengthError }
        let usage = p[1] >> 3 & 0x03
        if usage == 0x01 { throw SPC.invalidFieldInParameterList(byte: 1, bit: 4) }
        if usage == 0x03 {
            guard p[0] == 0 else { throw SPC.invalidFieldInParameterList(byte: 0) }
            _ = try runCopyList(p)
            return .good
        }
        let listID = p[0]
        try copyResults.begin(listID, now: .now)
        do throws(Sense) {
            let done = try runCopyList(p)
            copyResults.finish(listID, segments: done.segments, bytes: done.bytes, failure: nil, now: .now)
        } catch {
            if error.key == .illegalRequest {
                copyResults.forget(listID)
            } else {
                copyResults.finish(listID, segments: 0, bytes: 0, failure: error.encoded(as: unit.senseFormat), now: .now)
            }
            throw error
        }
        return .good
    }

    /// Checks the descriptors of parameter list `p` (header already checked), then copies its segments.
    /// Returns the segments processed and the bytes written.
    private func runCopyList(_ p: [UInt8]) throws(Sense) -> (segments: UInt16, bytes: UInt64) {
        let cscdLength = Int(p.bigEndianValue(at: 2, width: 2))
        let segmentLength = Int(p.bigEndianValue(at: 8, width: 4))
        let inlineLength = Int(p.bigEndianValue(at: 12, width: 4))
        guard cscdLength + segmentLength <= Self.copyMaxDescriptorListLength else { throw SPC.parameterListLengthError }
        guard inlineLength == 0 else { throw SPC.invalidFieldInParameterList(byte: 12) }
        guard 16 + cscdLength + segmentLength <= p.count, cscdLength % 32 == 0 else {
            throw SPC.parameterListLengthError
        }
        let cscdCount = cscdLength / 32
        guard cscdCount <= Self.copyMaxCSCDDescriptors else {
            throw Sense(.illegalRequest, .tooManyTargetDescriptors)
        }
        for i in 0..<cscdCount { try checkCSCD(p, at: 16 + i * 32) }
        var segments: [(source: UInt64, destination: UInt64, blocks: UInt64)] = []
        var at = 16 + cscdLength
        while at < 16 + cscdLength + segmentLength {
            guard segments.count < Self.copyMaxSegmentDescriptors else {
                throw Sense(.illegalRequest, .tooManySegmentDescriptors)
            }
            // The type code first: a descriptor of another type is unsupported whatever its length.
            guard p[at] == 0x02 else {
                throw Sense(.illegalRequest, .unsupportedSegmentDescriptorTypeCode,
                            keySpecific: .fieldPointer(inCDB: false, byte: UInt16(at), bit: 7))
            }
            guard at + 28 <= 16 + cscdLength + segmentLength else { throw SPC.parameterListLengthError }
            guard p.bigEndianValue(at: at + 2, width: 2) == 0x18 else { throw SPC.invalidFieldInParameterList(byte: at + 2) }
            for field in [at + 4, at + 6] where p.bigEndianValue(at: field, width: 2) >= UInt64(cscdCount) {
                throw Sense(.copyAborted, .copyTargetDeviceNotReachable,
                            keySpecific: .segmentPointer(inSegmentDescriptor: true, byte: UInt16(field - at), bit: nil))
            }
            let blocks = p.bigEndianValue(at: at + 10, width: 2)
            let source = p.bigEndianValue(at: at + 12, width: 8)
            let destination = p.bigEndianValue(at: at + 20, width: 8)
            for (lba, field) in [(source, 12), (destination, 20)] {
                guard lba <= blockCount, blocks <= blockCount - lba else {
                    throw Sense(.copyAborted, .noAdditionalSenseInformation,
                                keySpecific: .segmentPointer(inSegmentDescriptor: true, byte: UInt16(field), bit: nil))
                }
            }
            guard blocks * UInt64(blockSize) <= UInt64(Self.copyMaxSegmentLength) else {
                throw SPC.invalidFieldInParameterList(byte: at + 10)
            }
            segments.append((source, destination, blocks))
            at += 28
        }
        let durable = !engine.writeCacheEnabled
        try engine.ordering.shared { () throws(Sense) in
            for s in segments where s.blocks > 0 && s.source != s.destination {
                try copyBlocks(from: s.source, to: s.destination, count: s.blocks, durable: durable)
            }
        }
        let bytes = segments.reduce(UInt64(0)) { $0 + $1.blocks * UInt64(blockSize) }
        return (UInt16(segments.count), bytes)
    }

    /// Checks an identification CSCD descriptor: type E4h, a disk, one of this unit's designators, this
    /// block length. LU ID TYPE and NUL are ignored (obsolete in SPC-4).
    private func checkCSCD(_ p: [UInt8], at d: Int) throws(Sense) {
        guard p[d] == 0xE4 else {
            throw Sense(.illegalRequest, .unsupportedTargetDescriptorTypeCode,
                        keySpecific: .fieldPointer(inCDB: false, byte: UInt16(d), bit: 7))
        }
        guard p[d + 1] & 0x1F == 0, p.bigEndianValue(at: d + 29, width: 3) == UInt64(blockSize) else {
            throw Sense(.copyAborted, .incorrectCopyTargetDeviceType)
        }
        let length = Int(p[d + 7])
        guard length <= 20, matchesDesignator(codeSet: p[d + 4] & 0x0F, typeAndAssociation: p[d + 5] & 0x3F,
                                              Array(p[(d + 8)..<(d + 8 + length)]))
        else { throw Sense(.copyAborted, .copyTargetDeviceNotReachable) }
    }

    /// Whether a designator is one of this unit's VPD 83h logical-unit designators.
    private func matchesDesignator(codeSet: UInt8, typeAndAssociation: UInt8, _ designator: [UInt8]) -> Bool {
        let list = SPC.deviceIdentificationDescriptors(unit.identity)
        var i = 0
        while i + 4 <= list.count {
            let n = Int(list[i + 3])
            if list[i] & 0x0F == codeSet, list[i + 1] & 0x3F == typeAndAssociation, n == designator.count,
                i + 4 + n <= list.count, Array(list[(i + 4)..<(i + 4 + n)]) == designator
            {
                return true
            }
            i += 4 + n
        }
        return false
    }

    /// Copies blocks within the store in pieces of up to 1 MiB, back to front when the destination
    /// overlaps the source from above.
    func copyBlocks(from source: UInt64, to destination: UInt64, count: UInt64, durable: Bool) throws(Sense) {
        let bs = UInt64(blockSize)
        let total = count * bs
        let piece = UInt64(max(Int(bs), BlockEngine.verifyChunk / Int(bs) * Int(bs)))
        let scratch = OwnedDataBuffer(count: Int(min(total, piece)))
        let backwards = destination > source && destination < source + count
        var done: UInt64 = 0
        while done < total {
            let n = min(piece, total - done)
            let offset = backwards ? total - done - n : done
            try engine.storeIO(writing: false) { () throws(StoreError) in
                try store.read(into: scratch.view, 0..<Int(n), at: engine.byteOffset(source) + offset)
            }
            try engine.storeIO(writing: true) { () throws(StoreError) in
                try store.write(from: scratch.view, 0..<Int(n), at: engine.byteOffset(destination) + offset, durable: durable)
            }
            done += n
        }
    }
}
