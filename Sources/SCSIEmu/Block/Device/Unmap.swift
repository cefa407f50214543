import Sense

// UNMAP (SBC-4 §5.32)
//
// CDB:  | 0 | 42h | 1 | reserved (7–1) | ANCHOR (0) | 2–5 | reserved | 6 | GROUP NUMBER (4–0) |
//       | 7–8 | PARAMETER LIST LENGTH | 9 | CONTROL |
// Parameter list:
//       | 0–1 | UNMAP DATA LENGTH (n − 1) | 2–3 | UNMAP BLOCK DESCRIPTOR DATA LENGTH (n − 7) | 4–7 | reserved |
//       | 8–n | UNMAP block descriptors, 16 bytes each:
//       |       0–7 LOGICAL BLOCK ADDRESS | 8–11 NUMBER OF LOGICAL BLOCKS | 12–15 reserved |
//
// PARAMETER LIST LENGTH 0: nothing to do. 1…7: PARAMETER LIST LENGTH ERROR. A trailing partial
// descriptor is ignored. Every descriptor is checked (count, range, size) before any is applied, so a bad
// list changes nothing. ANCHOR is outside the usage mask (ANC_SUP = 0).

extension BlockDevice {
    func unmap(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        try engine.checkWritable()
        let listLength = Int(cmd.cdb.u16(7))
        guard listLength > 0 else { return .good }
        let list = cmd.dataOut.bytes(from: 0, length: listLength)
        guard listLength >= 8, list.count >= 8 else { throw SPC.parameterListLengthError }
        let described = Int(list.bigEndianValue(at: 2, width: 2))
        let count = min(described, list.count - 8) / 16
        guard count <= Int(limits.maxUnmapDescriptors) else { throw SPC.invalidFieldInParameterList(byte: 2) }
        var ranges: [(UInt64, UInt64)] = []
        ranges.reserveCapacity(count)
        for i in 0..<count {
            let at = 8 + i * 16
            let lba = list.bigEndianValue(at: at, width: 8)
            let blocks = list.bigEndianValue(at: at + 8, width: 4)
            guard blocks <= UInt64(limits.maxUnmapBlocks) else { throw SPC.invalidFieldInParameterList(byte: at + 8) }
            try engine.checkRange(lba, blocks)
            if blocks > 0 { ranges.append((lba, blocks)) }
        }
        if let sink = engine.completionSink(cmd), let first = ranges.first {
            let bs = UInt64(blockSize)
            let requests = ranges.map { StoreRequest.discard(at: engine.byteOffset($0.0), length: $0.1 * bs) }
            return engine.submit(
                requests[0], then: Array(requests.dropFirst()), via: sink, lba: first.0, writing: true, outcome: .good)
        }
        try engine.ordering.shared { () throws(Sense) in
            try engine.storeIO(writing: true) { () throws(StoreError) in
                for (lba, blocks) in ranges {
                    try store.discard(at: engine.byteOffset(lba), length: blocks * UInt64(blockSize))
                }
            }
        }
        return .good
    }
}
