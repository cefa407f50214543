import Sense

// READ and WRITE (SBC-4 §5.15–5.18, §5.41–5.44), and WRITE AND VERIFY (§5.46–5.48).
//
// READ(10)/WRITE(10):  | 0 op | 1 RDPROTECT/WRPROTECT (7–5) DPO (4) FUA (3) RARC (2, READ) |
//                      | 2–5 LOGICAL BLOCK ADDRESS | 6 GROUP NUMBER (4–0) | 7–8 TRANSFER LENGTH | 9 CONTROL |
// READ(12)/WRITE(12):  LBA 2–5, TRANSFER LENGTH 6–9, GROUP 10.  (16): LBA 2–9, TRANSFER LENGTH 10–13, GROUP 14.
// READ(6)/WRITE(6):    | 1 LBA 20–16 (4–0) | 2–3 LBA 15–0 | 4 TRANSFER LENGTH (0 = 256) |.
// WRITE AND VERIFY:    byte 1 WRPROTECT (7–5) DPO (4) BYTCHK (2–1); fields as WRITE of the same length.
//
// RDPROTECT/WRPROTECT are outside the usage masks: without protection information a non-zero value is
// INVALID FIELD IN CDB (SBC-4 §4.22.2). DPO only hints at cache retention and is accepted. FUA on a write
// makes the data durable before GOOD; with the Caching page's WCE = 0 every write is. MMC-6 §6.17/§6.45 give
// the optical drive's READ/WRITE(10/12) and WRITE AND VERIFY(10) the same fields (no RDPROTECT).
//
// A Data-In buffer smaller than the transfer gets what fits (the transport reports the residual); a
// Data-Out that is not exactly the transfer is refused before anything is written (`checkDataOut`).

extension BlockEngine {
    /// READ(6/10/12/16): range and transfer length first, then the write-pointer policy (a zoned disk
    /// refuses some reads and zero-fills what lies past a pointer), then the data straight from the store
    /// into the Data-In iovecs. The fields are read in the layout of the CDB's own length.
    public func read(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        try read(&cmd, CDB.OwnLength.self)
    }

    /// READ with the fields in `layout`: a READ row names its own (`CommandSpec.read`), and this is
    /// specialised per layout, the fields' offsets constants.
    public func read<Layout: CDBFieldLayout>(
        _ cmd: inout SCSICommand, _ layout: Layout.Type
    ) throws(Sense) -> CommandOutcome {
        let (lba, count) = Layout.lbaAndLength(cmd.cdb)
        try checkRange(lba, UInt64(count))
        try checkTransferLength(cmd.cdb, count)
        guard count > 0 else { return .good }
        if cmd.blocking == .mustNotBlock { return readWithoutBlocking(&cmd, lba: lba, count: count) }
        if let sink = completionSink(cmd) {
            let buffer = cmd.dataIn, n = min(Int(count) * Int(blockSize), buffer.count)
            return submit(.read(buffer, 0..<n, at: byteOffset(lba)), via: sink, lba: lba, writing: false,
                          outcome: .good(dataInLength: n))
        }
        // The stored buffer `cmd.dataIn` names, passed where it lies (the computed property copied it and
        // consumed the copy, two calls per READ).
        switch cmd.dataInSource {
        case .none: return .good(dataInLength: try readBlocks(lba: lba, count: count, into: DataBuffer()))
        case .bidiIn: return .good(dataInLength: try readBlocks(lba: lba, count: count, into: cmd.bidiIn))
        case .data: return .good(dataInLength: try readBlocks(lba: lba, count: count, into: cmd.data))
        }
    }

    /// A checked READ the caller must not wait for: served whole from what the store holds at hand (the
    /// page cache) with `ordering` shared, or, when any of it would wait, when an exclusive command holds
    /// the device or the store cannot, `wouldBlock` set and nothing reported (the caller runs it again,
    /// blocking, on a worker: a partial hit is never answered as complete).
    func readWithoutBlocking(_ cmd: inout SCSICommand, lba: UInt64, count: UInt32) -> CommandOutcome {
        let buffer = cmd.dataIn, n = min(Int(count) * Int(blockSize), buffer.count), at = byteOffset(lba)
        guard let cachedReads, ordering.sharedIfFree({ cachedReads.readIfCached(into: buffer, 0..<n, at: at) }) == true
        else {
            cmd.blocking = .wouldBlock
            return .good
        }
        return .good(dataInLength: n)
    }

    /// Reads `count` blocks (range checked, > 0) from `lba` into the start of `buffer`, as much as it
    /// holds; returns the bytes produced.
    /// Inlined for a store without a write-pointer policy (READ's usual case: the store's read, under
    /// `ordering` shared); the policy's path is `readBlocks(…admittedBy:)`.
    @inline(__always)
    public func readBlocks(lba: UInt64, count: UInt32, into buffer: DataBuffer) throws(Sense) -> Int {
        if let writePointers { return try readBlocks(lba: lba, count: count, into: buffer, admittedBy: writePointers) }
        let n = min(Int(count) * Int(blockSize), buffer.count)
        try ordering.shared { () throws(Sense) in
            try storeIO(at: lba, writing: false) { () throws(StoreError) in
                // A file store's read without its witness: one call level less before the `pread`.
                if fileStore != nil {
                    try fileStore?.read(into: buffer, 0..<n, at: byteOffset(lba))
                } else {
                    try store.read(into: buffer, 0..<n, at: byteOffset(lba))
                }
            }
        }
        return n
    }

    /// `readBlocks` through the write-pointer policy: it admits the read (or refuses it) and names the
    /// ranges that read as zeros.
    func readBlocks(
        lba: UInt64, count: UInt32, into buffer: DataBuffer, admittedBy writePointers: any WritePointerPolicy
    ) throws(Sense) -> Int {
        let n = min(Int(count) * Int(blockSize), buffer.count)
        let unwritten = try writePointers.admitRead(lba: lba, blocks: UInt64(count))
        let bs = Int(blockSize)
        if unwritten.reduce(0, { $0 + $1.count }) < Int(count) {
            try storeIO(at: lba, writing: false) { () throws(StoreError) in
                try store.read(into: buffer, 0..<n, at: byteOffset(lba))
            }
        }
        for r in unwritten { buffer.zero(Int(r.lowerBound - lba) * bs..<Int(r.upperBound - lba) * bs) }
        return n
    }

    /// WRITE(6/10/12/16). Byte 1 bit 3 is FUA (WRITE(6) has none). (Not specialised per row as READ is:
    /// the generic handler was not inlined into the row's closure, +11 instructions, session 15.)
    public func write(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let (lba, count) = cmd.cdb.lbaAndLength
        let fua = cmd.cdb.count > 6 && cmd.cdb.bit(1, 3)
        return try writeBlocks(&cmd, lba: lba, count: count, durable: fua || !writeCacheEnabled)
    }

    /// WRITE AND VERIFY(10/12/16): the write is durable (verification is against the medium); BYTCHK 01b
    /// then compares the medium with the Data-Out. 10b and 11b are reserved.
    public func writeAndVerify(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let (lba, count) = cmd.cdb.lbaAndLength
        let bytchk = cmd.cdb[1] >> 1 & 0x03
        guard bytchk <= 1 else { throw SPC.invalidFieldInCDB(byte: 1, bit: 2) }
        let written = try writeBlocks(&cmd, lba: lba, count: count, durable: true)
        guard written == .good else { return written }
        if bytchk == 1, count > 0 {
            try ordering.shared { () throws(Sense) in
                try compareMedium(lba: lba, blocks: UInt64(count), with: cmd.dataOut, repeating: false)
            }
        }
        return .good
    }

    /// A checked WRITE the ring thread runs itself: into the store's cache (`CachedWriteStore`) with
    /// `ordering` shared. Declined (`wouldBlock`, nothing written) when it must reach the medium (FUA, or
    /// the Caching page's WCE = 0), when an exclusive command holds the device, or when the store has no
    /// cache; the caller then runs it on a worker. A failure of the write itself is its answer, as on a
    /// worker. Not "without blocking" in the strict sense: the kernel may make the writer wait, which the
    /// ring measures (`InlineWriteGate`).
    func writeIntoCache(
        _ cmd: inout SCSICommand, _ buffer: DataBuffer, _ range: Range<Int>, lba: UInt64, durable: Bool
    ) throws(Sense) -> CommandOutcome {
        let result = durable || !cachedWrites ? nil : ordering.sharedIfFree { () -> Result<Void, Sense> in
            Result { () throws(Sense) in
                try storeIO(at: lba, writing: true) { () throws(StoreError) in
                    try store.write(from: buffer, range, at: byteOffset(lba))
                }
            }
        }
        guard let result else {
            cmd.blocking = .wouldBlock
            return .good
        }
        try result.get()
        return .good
    }

    /// The write part shared by WRITE and WRITE AND VERIFY: write protection, range, transfer length,
    /// Data-Out size, then the store (through the write-pointer policy when there is one). GOOD; or, when
    /// the policy refused the write but holds it until its pointer reaches it (`WritePointerPolicy.holdAhead`),
    /// the command's deferral set to `awaitWritePointer` (the ring holds it and runs it again) and BUSY,
    /// what a caller without a ring (a replay) sees.
    func writeBlocks(_ cmd: inout SCSICommand, lba: UInt64, count: UInt32, durable: Bool) throws(Sense) -> CommandOutcome {
        try checkWritable()
        try checkRange(lba, UInt64(count))
        try checkTransferLength(cmd.cdb, count)
        guard count > 0 else { return .good }
        let bytes = Int(count) * Int(blockSize)
        try checkDataOut(cmd, bytes: bytes)
        let buffer = cmd.dataOut
        if cmd.blocking == .mustNotBlock { return try writeIntoCache(&cmd, buffer, 0..<bytes, lba: lba, durable: durable) }
        if let sink = completionSink(cmd) {
            return submit(.write(buffer, 0..<bytes, at: byteOffset(lba)), then: durable ? [.flush] : [], via: sink,
                          lba: lba, writing: true, outcome: .good)
        }
        guard let writePointers else {
            try ordering.shared { () throws(Sense) in
                try storeIO(at: lba, writing: true) { () throws(StoreError) in
                    try store.write(from: buffer, 0..<bytes, at: byteOffset(lba), durable: durable)
                }
            }
            return .good
        }
        do throws(Sense) {
            try writePointers.write(
                lba: lba, blocks: UInt64(count), durable: durable,
                holdsData: { (try? compareMedium(lba: lba, blocks: UInt64(count), with: buffer, repeating: false)) != nil }
            ) { () throws(Sense) in
                try storeIO(at: lba, writing: true) { () throws(StoreError) in
                    try store.write(from: buffer, 0..<bytes, at: byteOffset(lba))
                }
            }
        } catch {
            guard let deadline = writePointers.holdAhead(refused: error, lba: lba, blocks: UInt64(count)) else { throw error }
            cmd.deferral = .awaitWritePointer(lba: lba, blocks: UInt64(count), deadline: ContinuousInstant(deadline))
            return .busy
        }
        return .good
    }
}
