/// Where an image's metadata lives, so that no data write, allocation or freed cluster ever lands on it
/// (QEMU's "overlap check", default mode: header, active L1 and L2 tables, refcount table and blocks).
///
/// A data cluster on metadata is found only in a corrupt image (an L2 entry pointing at a table, tables
/// past the end of the file). The store then refuses the write, marks the image corrupt (incompatible
/// feature bit 1, as QEMU does: `qemu-img check -r all` repairs it, and a corrupt image opens read-only
/// only) and stops writing; reads go on.
struct QCOW2Overlap: Sendable {
    enum Kind: String, Sendable {
        case header = "the image header"
        case l1Table = "the L1 table"
        case l2Table = "an L2 table"
        case refcountTable = "the refcount table"
        case refcountBlock = "a refcount block"
    }

    private let clusterBits: UInt64
    /// Host cluster index → what it holds.
    private var clusters: [UInt64: Kind] = [:]

    /// The metadata of an image as its header, L1 table and refcount table describe it.
    init(header: QCOW2Header, l1: [UInt64], refcountTable: [UInt64]) {
        clusterBits = UInt64(header.clusterBits)
        add(0, length: UInt64(header.headerLength), .header)
        add(header.l1TableOffset, length: UInt64(header.l1Size) * 8, .l1Table)
        add(header.refcountTableOffset, length: UInt64(header.refcountTableClusters) << clusterBits, .refcountTable)
        for e in l1 where e & QCOW2Mapping.offsetMask != 0 { add(e & QCOW2Mapping.offsetMask, length: 1, .l2Table) }
        for off in refcountTable where off != 0 { add(off, length: 1, .refcountBlock) }
    }

    /// Records `length` bytes at `offset` (whole clusters) as holding `kind`.
    mutating func add(_ offset: UInt64, length: UInt64, _ kind: Kind) {
        guard length > 0 else { return }
        let first = offset >> clusterBits, last = (offset + length - 1) >> clusterBits
        for c in first...last where clusters[c] == nil { clusters[c] = kind }
    }

    /// What metadata the host cluster at `offset` holds, nil for none.
    func metadata(at offset: UInt64) -> Kind? {
        clusters.isEmpty ? nil : clusters[offset >> clusterBits]
    }
}
