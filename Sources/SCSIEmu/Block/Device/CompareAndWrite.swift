import Sense

// COMPARE AND WRITE (SBC-4 §5.3)
//
// | 0 | 89h | 1 | WRPROTECT (7–5) | DPO (4) | FUA (3) | reserved (2–0) |
// | 2–9 | LOGICAL BLOCK ADDRESS | 10–12 | reserved | 13 | NUMBER OF LOGICAL BLOCKS |
// | 14 | GROUP NUMBER (4–0) | 15 | CONTROL |
//
// Data-Out: NUMBER OF LOGICAL BLOCKS blocks of verify data, then as many blocks of write data. The
// compare and the write are one atomic operation: the handler holds the device's ordering lock
// exclusively, so no other read or write of any range runs in between.

extension BlockDevice {
    func compareAndWrite(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let lba = cmd.cdb.u64(2)
        let count = UInt64(cmd.cdb[13])
        try engine.checkWritable()
        guard count <= UInt64(limits.maxCompareAndWriteBlocks) else { throw SPC.invalidFieldInCDB(byte: 13) }
        try engine.checkRange(lba, count)
        guard count > 0 else { return .good }
        let bytes = Int(count) * Int(blockSize)
        try engine.checkDataOut(cmd, bytes: 2 * bytes)
        let data = cmd.dataOut
        let durable = cmd.cdb.bit(1, 3) || !engine.writeCacheEnabled
        if let atomic = store as? any AtomicCompareAndWriteStore,
            atomic.canCompareAndWrite(at: engine.byteOffset(lba), length: UInt64(bytes))
        {
            if let sink = engine.completionSink(cmd) {
                let request = StoreRequest.compareAndWrite(data, compare: 0..<bytes, write: bytes..<(2 * bytes), at: engine.byteOffset(lba))
                return engine.submit(request, then: durable ? [.flush] : [], via: sink, lba: lba, writing: true, outcome: .good)
            }
            // The store's own compare-and-write (librbd's, done by the OSD): atomic for every writer of
            // the image, not only those behind this device's lock.
            let mismatch = try engine.ordering.shared { () throws(Sense) in
                try engine.storeIO(at: lba, writing: true) { () throws(StoreError) in
                    try atomic.compareAndWrite(data, compare: 0..<bytes, write: bytes..<(2 * bytes), at: engine.byteOffset(lba))
                }
            }
            if let mismatch { throw BlockEngine.miscompare(at: mismatch) }
            if durable { try engine.synchronize() }
            return .good
        }
        // Across objects: the device's exclusive lock, which waits; on an I/O worker, not the ring thread.
        if let sink = engine.completionSink(cmd) {
            sink.declined()
            return .good
        }
        try engine.ordering.exclusive { () throws(Sense) in
            try engine.compareMedium(lba: lba, blocks: count, with: data, repeating: false)
            try engine.storeIO(writing: true) { () throws(StoreError) in
                try store.write(from: data, bytes..<(2 * bytes), at: engine.byteOffset(lba), durable: durable)
            }
        }
        return .good
    }
}
