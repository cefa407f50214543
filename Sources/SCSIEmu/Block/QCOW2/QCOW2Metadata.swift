import Logging

/// The mutable metadata of an open qcow2 image: L1 table, cached L2 tables, refcount table and cached
/// refcount blocks, and the next free host cluster. Lives behind the store's mutex.
///
/// Every change is written through to the file at once, in crash-safe order: a new cluster's refcount
/// before the entry that points at it, data before its L2 entry. New clusters are always taken at the
/// end of the file (freed clusters get their space back by hole punching, not reuse), so a fresh
/// cluster reads as zeros.
struct QCOW2Metadata: Sendable {
    let header: QCOW2Header
    let file: StoreFile<StoreError>
    /// Where marking the image corrupt is reported.
    let logger: Logger?
    private(set) var l1: [UInt64]
    private var l2Cache: [Int: [UInt64]] = [:]
    private var refcountTable: [UInt64]
    private var refcountBlocks: [UInt64: [UInt8]] = [:]
    private(set) var nextFree: UInt64
    /// Where the metadata lives: no data cluster may land there.
    private var overlap: QCOW2Overlap
    /// Why the image was marked corrupt in this session (nil: it was not); every write is refused then.
    private(set) var corruption: String?

    var clusterSize: UInt64 { header.clusterSize }
    private var refcountsPerBlock: UInt64 { clusterSize * 8 / header.refcountBits }

    init(header: QCOW2Header, file: StoreFile<StoreError>, fileSize: UInt64, logger: Logger? = nil) throws(StoreError) {
        self.header = header
        self.file = file
        self.logger = logger
        let l1Bytes = try file.readBytes(count: Int(header.l1Size) * 8, at: header.l1TableOffset)
        l1 = stride(from: 0, to: l1Bytes.count, by: 8).map { l1Bytes.bigEndianValue(at: $0, width: 8) }
        let rtBytes = try file.readBytes(
            count: Int(header.refcountTableClusters) * Int(header.clusterSize), at: header.refcountTableOffset)
        refcountTable = stride(from: 0, to: rtBytes.count, by: 8).map {
            rtBytes.bigEndianValue(at: $0, width: 8) & ~0x1FF
        }
        overlap = QCOW2Overlap(header: header, l1: l1, refcountTable: refcountTable)
        // A table a corrupt image places past its end is caught when allocation reaches it.
        nextFree = (fileSize + header.clusterSize - 1) / header.clusterSize * header.clusterSize
    }

    // MARK: - Metadata overlap (QEMU's pre-write overlap check)

    /// Refuses any write once the image is marked corrupt.
    func checkWritable() throws(StoreError) {
        if let corruption { throw .corrupt(corruption) }
    }

    /// Refuses to write data into, allocate, or free the host cluster at `host` when it holds metadata,
    /// and marks the image corrupt: only a corrupt image maps a guest cluster onto its own tables.
    /// - Parameter action: what was about to happen, for the message ("writing guest offset 65536").
    mutating func checkDataCluster(_ host: UInt64, _ action: @autoclosure () -> String) throws(StoreError) {
        guard let kind = overlap.metadata(at: host) else { return }
        let reason = "\(action()): host cluster \(host) holds \(kind.rawValue)"
        try markCorrupt(reason)
        throw .corrupt(reason)
    }

    /// Sets incompatible feature bit 1 ("corrupt") in the header, durably, as QEMU does when it prevents
    /// a write onto metadata. A version 2 header has no such bit: the refusal then lasts this session.
    private mutating func markCorrupt(_ reason: String) throws(StoreError) {
        guard corruption == nil else { return }
        corruption = "image marked corrupt: " + reason
        guard header.version >= 3 else {
            logger?.error("qcow2: write onto metadata prevented (\(reason)); every further write is refused (a version 2 image has no corrupt flag to set)")
            return
        }
        logger?.error("qcow2: write onto metadata prevented (\(reason)); image marked corrupt (repair: qemu-img check -r all)")
        try file.writeBytes(bigEndian(header.incompatibleFeatures | QCOW2Header.incompatibleCorrupt), at: 72)
        try file.dataSync()
    }

    // MARK: - Guest → host lookup

    private func indices(_ guest: UInt64) -> (l1: Int, l2: Int) {
        let cluster = guest >> UInt64(header.clusterBits)
        return (Int(cluster / header.l2Entries), Int(cluster % header.l2Entries))
    }

    /// The mapping of the guest cluster containing byte `guest`.
    mutating func mapping(at guest: UInt64) throws(StoreError) -> QCOW2Mapping {
        let (i1, i2) = indices(guest)
        guard let table = try l2Table(i1) else { return .unallocated }
        return try QCOW2Mapping(entry: table[i2], clusterBits: header.clusterBits)
    }

    /// The L2 table of L1 entry `index` (nil when unallocated), loaded once and cached.
    private mutating func l2Table(_ index: Int) throws(StoreError) -> [UInt64]? {
        guard index < l1.count else { throw .outOfRange }
        if let t = l2Cache[index] { return t }
        let off = l1[index] & QCOW2Mapping.offsetMask
        guard off != 0 else { return nil }
        guard off % clusterSize == 0 else { throw .corrupt("L1 entry \(index) is not cluster aligned") }
        let bytes = try file.readBytes(count: Int(clusterSize), at: off)
        let t = stride(from: 0, to: bytes.count, by: 8).map { bytes.bigEndianValue(at: $0, width: 8) }
        l2Cache[index] = t
        return t
    }

    /// Points the guest cluster containing `guest` at `entry` (an encoded L2 entry), allocating the L2
    /// table when needed, and writes the entry to the file.
    mutating func setEntry(at guest: UInt64, _ entry: UInt64) throws(StoreError) {
        let (i1, i2) = indices(guest)
        if try l2Table(i1) == nil {
            let off = try allocateCluster()
            try file.writeBytes([UInt8](repeating: 0, count: Int(clusterSize)), at: off)
            overlap.add(off, length: clusterSize, .l2Table)
            l1[i1] = off | QCOW2Mapping.copiedFlag
            try file.writeBytes(bigEndian(l1[i1]), at: header.l1TableOffset + UInt64(i1) * 8)
            l2Cache[i1] = [UInt64](repeating: 0, count: Int(header.l2Entries))
        }
        guard l1[i1] & QCOW2Mapping.copiedFlag != 0 else {
            throw .unsupported("L2 table \(i1) is shared with a snapshot")
        }
        l2Cache[i1]![i2] = entry
        try file.writeBytes(bigEndian(entry), at: (l1[i1] & QCOW2Mapping.offsetMask) + UInt64(i2) * 8)
    }

    // MARK: - Refcounts

    /// Takes a new cluster at the end of the file, with refcount 1.
    mutating func allocateCluster() throws(StoreError) -> UInt64 {
        let off = nextFree
        try checkDataCluster(off, "allocating a cluster")
        nextFree += clusterSize
        try adjustRefcount(of: off, by: 1)
        return off
    }

    /// Drops one reference from each cluster; a cluster reaching 0 gets its space punched out.
    mutating func release(_ clusters: [UInt64]) throws(StoreError) {
        // A cluster an L2 entry shares with metadata must not lose a reference (at 0 it is punched out).
        for c in clusters { try checkDataCluster(c, "freeing a data cluster") }
        for c in clusters where try adjustRefcount(of: c, by: -1) == 0 {
            _ = try file.punchHole(at: c, length: clusterSize)
        }
    }

    /// The refcount of the host cluster at `offset`.
    mutating func refcount(of offset: UInt64) throws(StoreError) -> UInt64 {
        let (t, i) = refcountIndex(offset)
        guard t < refcountTable.count, refcountTable[t] != 0 else { return 0 }
        let block = try refcountBlock(t)
        return Self.refcountEntry(block, i, header.refcountOrder)
    }

    @discardableResult
    private mutating func adjustRefcount(of offset: UInt64, by delta: Int) throws(StoreError) -> UInt64 {
        let (t, i) = refcountIndex(offset)
        guard t < refcountTable.count else { throw .noSpace }  // growing the refcount table: not supported
        if refcountTable[t] == 0 { try createRefcountBlock(t) }
        var block = try refcountBlock(t)
        let old = Self.refcountEntry(block, i, header.refcountOrder)
        let maximum = header.refcountBits == 64 ? UInt64.max : (1 << header.refcountBits) - 1
        guard delta > 0 ? old < maximum : old > 0 else {
            throw .corrupt("refcount of cluster \(offset) would leave 0…\(maximum)")
        }
        let new = delta > 0 ? old + 1 : old - 1
        let changed = Self.setRefcountEntry(&block, i, header.refcountOrder, new)
        refcountBlocks[refcountTable[t]] = block
        try file.writeBytes(Array(block[changed]), at: refcountTable[t] + UInt64(changed.lowerBound))
        return new
    }

    private func refcountIndex(_ offset: UInt64) -> (table: Int, index: Int) {
        let cluster = offset / clusterSize
        return (Int(cluster / refcountsPerBlock), Int(cluster % refcountsPerBlock))
    }

    private mutating func refcountBlock(_ t: Int) throws(StoreError) -> [UInt8] {
        let off = refcountTable[t]
        if let b = refcountBlocks[off] { return b }
        guard off % clusterSize == 0 else { throw .corrupt("refcount table entry \(t) is not cluster aligned") }
        let b = try file.readBytes(count: Int(clusterSize), at: off)
        refcountBlocks[off] = b
        return b
    }

    /// Creates refcount block `t` in a new cluster at the end of the file; the block counts itself when
    /// it covers its own cluster, otherwise the covering block is found (or made) the same way.
    private mutating func createRefcountBlock(_ t: Int) throws(StoreError) {
        let off = nextFree
        nextFree += clusterSize
        try file.writeBytes([UInt8](repeating: 0, count: Int(clusterSize)), at: off)
        refcountBlocks[off] = [UInt8](repeating: 0, count: Int(clusterSize))
        overlap.add(off, length: clusterSize, .refcountBlock)
        refcountTable[t] = off
        try file.writeBytes(bigEndian(off), at: header.refcountTableOffset + UInt64(t) * 8)
        try adjustRefcount(of: off, by: 1)
    }

    /// Reads entry `i` of a refcount block (entries under 8 bits fill each byte from its low bits).
    static func refcountEntry(_ block: [UInt8], _ i: Int, _ order: UInt32) -> UInt64 {
        let bits = 1 << Int(order)
        if bits < 8 {
            let perByte = 8 / bits
            return UInt64(block[i / perByte] >> UInt8((i % perByte) * bits) & UInt8((1 << bits) - 1))
        }
        let width = bits / 8
        return block.bigEndianValue(at: i * width, width: width)
    }

    /// Sets entry `i`; returns the bytes that changed.
    static func setRefcountEntry(_ block: inout [UInt8], _ i: Int, _ order: UInt32, _ value: UInt64) -> Range<Int> {
        let bits = 1 << Int(order)
        if bits < 8 {
            let perByte = 8 / bits, shift = UInt8((i % perByte) * bits), mask = UInt8((1 << bits) - 1) << shift
            block[i / perByte] = block[i / perByte] & ~mask | (UInt8(value) << shift) & mask
            return i / perByte..<i / perByte + 1
        }
        let width = bits / 8
        block.setBigEndian(value, width: width, at: i * width)
        return i * width..<(i + 1) * width
    }

    private func bigEndian(_ v: UInt64) -> [UInt8] {
        var b: [UInt8] = []
        b.appendBigEndian(v)
        return b
    }
}
