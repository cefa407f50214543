import Sense

// GET LBA STATUS (SERVICE ACTION IN(16) 9Eh/12h, SBC-4 §5.8)
//
// CDB:  | 0 | 9Eh | 1 | 12h | 2–9 | STARTING LOGICAL BLOCK ADDRESS | 10–13 | ALLOCATION LENGTH |
//       | 14 | reserved | 15 | CONTROL |
// Parameter data:
//       | 0–3 | PARAMETER DATA LENGTH (n − 3) | 4–7 | reserved |
//       | 8–n | LBA status descriptors, 16 bytes each:
//       |       0–7 LBA | 8–11 NUMBER OF LOGICAL BLOCKS | 12 PROVISIONING STATUS (3–0): 0 mapped,
//       |       1 deallocated, 2 anchored | 13 ADDITIONAL STATUS | 14–15 reserved |
//
// Descriptors come from the store's holes (SEEK_DATA/SEEK_HOLE, qcow2 L2 entries). A block partly in a
// hole is mapped. At most as many descriptors as the allocation length holds (at least one, 64 at most).

extension BlockDevice {
    static let maxLBAStatusDescriptors = 64

    func getLBAStatus(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let start = cmd.cdb.u64(2)
        let allocation = Int(cmd.cdb.u32(10))
        let capacity = blockCount
        guard start < capacity else {
            throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
        }
        let wanted = min(Self.maxLBAStatusDescriptors, max(1, (allocation - 8) / 16))
        var extents: [(lba: UInt64, blocks: UInt64, mapped: Bool)] = []
        var lba = start
        let bs = UInt64(blockSize)
        try engine.ordering.shared { () throws(Sense) in
            while lba < capacity, extents.count < wanted {
                let run = try engine.storeIO(writing: false) { () throws(StoreError) in try store.allocationStatus(at: lba * bs) }
                let endByte = lba * bs + run.length
                var end = run.mapped ? (endByte + bs - 1) / bs : endByte / bs
                var mapped = run.mapped
                if end <= lba {  // a hole smaller than a block: the block holds data
                    end = lba + 1
                    mapped = true
                }
                end = min(end, capacity, lba + UInt64(UInt32.max))
                if let last = extents.last, last.mapped == mapped, last.lba + last.blocks == lba,
                    last.blocks + (end - lba) <= UInt64(UInt32.max)
                {
                    extents[extents.count - 1].blocks += end - lba
                } else {
                    extents.append((lba, end - lba, mapped))
                }
                lba = end
            }
        }
        var data: [UInt8] = []
        data.reserveCapacity(8 + 16 * extents.count)
        data.appendBigEndian(UInt32(4 + 16 * extents.count))
        data.appendBigEndian(UInt32(0))
        for e in extents {
            data.appendBigEndian(e.lba)
            data.appendBigEndian(UInt32(e.blocks))
            data.append(e.mapped ? 0 : 1)
            data += [0, 0, 0]
        }
        return cmd.respond(data, allocationLength: allocation)
    }
}
