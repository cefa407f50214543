import Sense

// VERIFY(10/12/16) (SBC-4 §5.35–5.37)
//
// | 1 | VRPROTECT (7–5) | DPO (4) | BYTCHK (2–1) | reserved (0) |
// VERIFY(10): LBA 2–5, GROUP 6, VERIFICATION LENGTH 7–8.  (12): LBA 2–5, LENGTH 6–9, GROUP 10.
// (16): LBA 2–9, LENGTH 10–13, GROUP 14.
//
// BYTCHK 00b: verify the medium (read it, no data transferred); 01b: compare with VERIFICATION LENGTH
// blocks of Data-Out; 10b: reserved; 11b: compare every block with the one block of Data-Out.
// A difference is MISCOMPARE / MISCOMPARE DURING VERIFY OPERATION with INFORMATION = the byte offset of
// the first differing byte from the start of the verified range (= of the Data-Out for 01b).
// MMC-6 §6.46 VERIFY(10) has the same fields (BYTCHK bit 1 only: 00b or 01b).

extension BlockEngine {
    /// The most bytes read from the store at a time when comparing or verifying.
    static let verifyChunk = 1 << 20

    public func verify(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let (lba, count) = cmd.cdb.lbaAndLength
        let bytchk = cmd.cdb[1] >> 1 & 0x03
        guard bytchk != 2 else { throw SPC.invalidFieldInCDB(byte: 1, bit: 2) }
        try checkRange(lba, UInt64(count))
        guard count > 0 else { return .good }
        if let writePointers { _ = try writePointers.admitRead(lba: lba, blocks: UInt64(count)) }
        let data = cmd.dataOut
        switch bytchk {
        case 0:
            try ordering.shared { () throws(Sense) in try readMedium(lba: lba, blocks: UInt64(count)) }
        case 1:
            try checkTransferLength(cmd.cdb, count)
            try checkDataOut(cmd, bytes: Int(count) * Int(blockSize))
            try ordering.shared { () throws(Sense) in
                try compareMedium(lba: lba, blocks: UInt64(count), with: data, repeating: false)
            }
        default:
            try checkDataOut(cmd, bytes: Int(blockSize))
            try ordering.shared { () throws(Sense) in
                try compareMedium(lba: lba, blocks: UInt64(count), with: data, repeating: true)
            }
        }
        return .good
    }

    /// Reads a range and throws away the data: a medium error surfaces as sense.
    func readMedium(lba: UInt64, blocks: UInt64) throws(Sense) {
        let total = blocks * UInt64(blockSize)
        let scratch = OwnedDataBuffer(count: Int(min(total, UInt64(Self.verifyChunk))))
        var done: UInt64 = 0
        while done < total {
            let n = Int(min(UInt64(scratch.view.count), total - done))
            try storeIO(at: lba + done / UInt64(blockSize), writing: false) { () throws(StoreError) in
                try store.read(into: scratch.view, 0..<n, at: byteOffset(lba) + done)
            }
            done += UInt64(n)
        }
    }

    /// Compares a range of the medium with `data` (the whole range, or with `repeating` one block for
    /// every block). The caller holds `ordering`.
    /// - Throws: MISCOMPARE 1D/00 with the byte offset of the first difference in INFORMATION.
    func compareMedium(lba: UInt64, blocks: UInt64, with data: DataBuffer, repeating: Bool) throws(Sense) {
        let bs = Int(blockSize)
        let total = Int(blocks) * bs
        let chunk = repeating ? max(bs, Self.verifyChunk / bs * bs) : Self.verifyChunk
        let scratch = OwnedDataBuffer(count: min(total, chunk))
        let pattern = repeating ? data.bytes(from: 0, length: bs) : []
        var done = 0
        while done < total {
            let n = min(scratch.view.count, total - done)
            try storeIO(at: lba + UInt64(done / bs), writing: false) { () throws(StoreError) in
                try store.read(into: scratch.view, 0..<n, at: byteOffset(lba) + UInt64(done))
            }
            let stored = scratch.view.prefix(n)
            if repeating {
                for b in stride(from: 0, to: n, by: bs) {
                    if let at = stored.firstMismatch(from: b, against: pattern) {
                        throw Self.miscompare(at: done + b + at)
                    }
                }
            } else if let at = data.firstMismatch(from: done, against: stored.bytes()) {
                throw Self.miscompare(at: done + at)
            }
            done += n
        }
    }

    static func miscompare(at offset: Int) -> Sense {
        Sense(.miscompare, .miscompareDuringVerifyOperation, information: UInt64(offset))
    }
}
