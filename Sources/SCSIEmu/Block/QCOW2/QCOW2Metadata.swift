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
    private(set) var l1: [UInt64]
    private var l2Cache: [Int: [UInt64]] = [:]
    private var refcountTable: [UInt64]
    private var refcountBlocks: [UInt64: [UInt8]] = [:]
    private(set) var nextFree: UInt64

    var clusterSize: UInt64 { header.clusterSize }
    private var refcountsPerBlock: UInt64 { clusterSize * 8 / header.refcountBits }

    init(header: QCOW2Header, file: StoreFile<StoreError>, fileSize: UInt64) throws(StoreError) {
        self.header = header
        self.file = file
        let l1Bytes = try file.readBytes(count: Int(header.l1Size) * 8, at: header.l1TableOffset)
        l1 = stride(from: 0, to: l1Bytes.count, by: 8).map { l1Bytes.bigEndianValue(at: $0, width: 8) }
        let rtBytes = try file.readBytes(
            count: Int(header.refcountTableClusters) * Int(header.clusterSize), at: header.refcountTableOffset)
        refcountTable = stride(from: 0, to: rtBytes.count, by: 8).map {
            rtBytes.bigEndianValue(at: $0, width: 8) & ~0x1FF
        }
        nextFree = (fileSize + header.clusterSize - 1) / header.clusterSize * header.clusterSize
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
        nextFree += clusterSize
        try adjustRefcount(of: off, by: 1)
        return off
    }

    /// Drops one reference from each cluster; a cluster reaching 0 gets its space punched out.
    mutating func release(_ clusters: [UInt64]) throws(StoreError) {
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
        for k in 0..<width {
            block[i * width + k] = UInt8(truncatingIfNeeded: value >> UInt64((width - 1 - k) * 8))
        }
        return i * width..<(i + 1) * width
    }

    private func bigEndian(_ v: UInt64) -> [UInt8] {
        var b: [UInt8] = []
        b.appendBigEndian(v)
        return b
    }
}
