import Sense

// SYNCHRONIZE CACHE(10/16) (SBC-4 §5.27, §5.28) and PRE-FETCH(10/16) (§5.12, §5.13)
//
// SYNCHRONIZE CACHE(10): | 1 | IMMED (1) | 2–5 | LBA | 6 | GROUP | 7–8 | NUMBER OF LOGICAL BLOCKS |
// SYNCHRONIZE CACHE(16): | 1 | IMMED (1) | 2–9 | LBA | 10–13 | NUMBER OF LOGICAL BLOCKS | 14 | GROUP |
// PRE-FETCH(10):         | 1 | IMMED (1) | 2–5 | LBA | 6 | GROUP | 7–8 | PREFETCH LENGTH |
// PRE-FETCH(16):         | 1 | IMMED (1) | 2–9 | LBA | 10–13 | PREFETCH LENGTH | 14 | GROUP |
//
// A count of 0 means "to the last LBA". SYNCHRONIZE CACHE flushes the whole store (fdatasync cannot do
// less); IMMED only moves the status earlier and the flush is done before either way. PRE-FETCH hints
// the store and answers CONDITION MET: the page cache can hold any range.

extension BlockEngine {
    /// SYNCHRONIZE CACHE (SBC-4 §5.27/§5.28; MMC-6 §6.38 has the (10) form): the range is checked, then
    /// everything is made durable, write pointers included.
    public func synchronizeCache(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let (lba, count) = cmd.cdb.lbaAndLength
        try checkRange(lba, UInt64(count))
        if let sink = completionSink(cmd) { return submit(.flush, via: sink, lba: nil, writing: true, outcome: .good) }
        try synchronize()
        return .good
    }

    public func preFetch(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let (lba, count) = cmd.cdb.lbaAndLength
        try checkRange(lba, UInt64(count))
        let blocks = count == 0 ? blockCount - lba : UInt64(count)
        store.prefetch(at: byteOffset(lba), length: blocks * UInt64(blockSize))
        return .conditionMet
    }
}
