import Sense

// ORWRITE(16) (SBC-4, the ORWRITE(16) command: no BMOP, the OR operation only)
//
// | 0 | 8Bh | 1 | ORPROTECT (7–5) | DPO (4) | FUA (3) | reserved (2) | obsolete (1) | reserved (0) |
// | 2–9 | LOGICAL BLOCK ADDRESS | 10–13 | TRANSFER LENGTH | 14 | reserved (7–5) | GROUP NUMBER (4–0) |
// | 15 | CONTROL |
//
// As one uninterrupted series of actions: read the blocks, OR the Data-Out into them bit by bit, write
// the result. The handler holds the device's ordering lock exclusively (as COMPARE AND WRITE does), so
// no other read or write of any range runs in between. ORPROTECT is outside the usage mask (no
// protection information: INVALID FIELD IN CDB). TRANSFER LENGTH 0 is not an error and does nothing.
// FUA (or WCE = 0) makes the result durable before GOOD.

extension BlockDevice {
    func orWrite(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let lba = cmd.cdb.u64(2)
        let count = cmd.cdb.u32(10)
        try engine.checkWritable()
        try engine.checkRange(lba, UInt64(count))
        try engine.checkTransferLength(cmd.cdb, count)
        guard count > 0 else { return .good }
        let total = Int(count) * Int(blockSize)
        try engine.checkDataOut(cmd, bytes: total)
        let data = cmd.dataOut
        let durable = cmd.cdb.bit(1, 3) || !engine.writeCacheEnabled
        let scratch = OwnedDataBuffer(count: min(total, BlockEngine.verifyChunk))
        try engine.ordering.exclusive { () throws(Sense) in
            var done = 0
            while done < total {
                let n = min(scratch.view.count, total - done)
                let at = engine.byteOffset(lba) + UInt64(done)
                try engine.storeIO(writing: false) { () throws(StoreError) in try store.read(into: scratch.view, 0..<n, at: at) }
                var merged = scratch.view.bytes(from: 0, length: n)
                let incoming = data.bytes(from: done, length: n)
                for i in 0..<n { merged[i] |= incoming[i] }
                _ = scratch.view.write(merged, at: 0)
                try engine.storeIO(writing: true) { () throws(StoreError) in
                    try store.write(from: scratch.view, 0..<n, at: at, durable: durable)
                }
                done += n
            }
        }
        return .good
    }
}
