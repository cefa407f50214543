import Sense

// WRITE SAME(10) and WRITE SAME(16) (SBC-4 §5.49, §5.50)
//
// (10): | 1 | WRPROTECT (7–5) | ANCHOR (4) | UNMAP (3) | obsolete (2–1) | reserved (0) |
//       | 2–5 | LBA | 6 | GROUP NUMBER | 7–8 | NUMBER OF LOGICAL BLOCKS | 9 | CONTROL |
// (16): | 1 | WRPROTECT (7–5) | ANCHOR (4) | UNMAP (3) | obsolete (2–1) | NDOB (0) |
//       | 2–9 | LBA | 10–13 | NUMBER OF LOGICAL BLOCKS | 14 | GROUP NUMBER | 15 | CONTROL |
//
// ANCHOR is outside the usage masks (ANC_SUP = 0: INVALID FIELD IN CDB). NUMBER OF LOGICAL BLOCKS 0 is
// INVALID FIELD IN CDB because the Block Limits page sets WSNZ. UNMAP = 1 on a thin unit deallocates when
// the block is all zeros (LBPRZ: deallocated blocks read as zeros); any other pattern is written. A
// fully provisioned unit has no UNMAP bit in its usage data (INVALID FIELD IN CDB). NDOB = 1: no
// Data-Out, the block is zeros.

extension BlockDevice {
    func writeSame(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let sixteen = cmd.cdb.count == 16
        let lba = sixteen ? cmd.cdb.u64(2) : UInt64(cmd.cdb.u32(2))
        let count = sixteen ? UInt64(cmd.cdb.u32(10)) : UInt64(cmd.cdb.u16(7))
        let unmap = cmd.cdb.bit(1, 3)
        let noDataOut = sixteen && cmd.cdb.bit(1, 0)
        try engine.checkWritable()
        guard count > 0, count <= limits.maxWriteSameBlocks else {
            throw SPC.invalidFieldInCDB(byte: sixteen ? 10 : 7)
        }
        try engine.checkRange(lba, count)
        let bs = Int(blockSize)
        var block: [UInt8] = []
        if !noDataOut {
            try engine.checkDataOut(cmd, bytes: bs)
            block = cmd.dataOut.bytes(from: 0, length: bs)
        }
        let zeros = noDataOut || block.allSatisfy { $0 == 0 }
        let offset = engine.byteOffset(lba), length = count * UInt64(bs)
        let durable = !engine.writeCacheEnabled
        if let sink = engine.completionSink(cmd) {
            let request: StoreRequest = zeros
                ? .writeZeroes(at: offset, length: length, deallocate: unmap && isThin)
                : .writeSame(pattern: block, at: offset, length: length)
            return engine.submit(request, then: durable ? [.flush] : [], via: sink, lba: nil, writing: true, outcome: .good)
        }
        try engine.ordering.shared { () throws(Sense) in
            try engine.storeIO(writing: true) { () throws(StoreError) in
                if zeros {
                    try store.writeZeroes(at: offset, length: length, deallocate: unmap && isThin)
                } else {
                    try replicate(block, at: offset, length: length)
                }
                if durable { try store.flush() }
            }
        }
        return .good
    }

    /// Writes `block` over `length` bytes, from a buffer of up to 1 MiB of copies.
    private func replicate(_ block: [UInt8], at offset: UInt64, length: UInt64) throws(StoreError) {
        let copies = Int(min(length, UInt64(BlockEngine.verifyChunk))) / block.count
        let chunk = OwnedDataBuffer(count: copies * block.count)
        for i in 0..<copies { chunk.view.write(block, at: i * block.count) }
        var done: UInt64 = 0
        while done < length {
            let n = Int(min(UInt64(chunk.view.count), length - done))
            try store.write(from: chunk.view, 0..<n, at: offset + done)
            done += UInt64(n)
        }
    }
}
