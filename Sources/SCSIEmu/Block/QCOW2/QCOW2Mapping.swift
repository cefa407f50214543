// qcow2 table entries (QEMU docs/interop/qcow2.txt, "Cluster mapping"), 64-bit big-endian each.
//
// L1 entry:  | 63 COPIED (refcount is 1) | 62–56 reserved | 55–9 L2 table offset | 8–0 reserved |
// L2 entry, standard cluster:
//            | 63 COPIED | 62 = 0 | 61–56 reserved | 55–9 host cluster offset | 8–1 reserved | 0 all zeros |
// L2 entry, compressed cluster (x = 62 − (cluster_bits − 8)):
//            | 63 = 0 | 62 = 1 | 61–x additional 512-byte sectors | x−1–0 host byte offset |
//
// An L2 entry of 0 is unallocated: with no backing file, it reads as zeros.

/// Where one guest cluster's data lives.
enum QCOW2Mapping: Sendable, Hashable {
    /// Never written (or discarded): reads as zeros.
    case unallocated
    /// The all-zeros flag (version 3), with the preallocated host cluster if any.
    case zero(host: UInt64?)
    /// A host cluster; `copied` says its refcount is exactly 1 (it may be written in place).
    case data(host: UInt64, copied: Bool)
    /// Compressed data at a host byte offset, `length` bytes long (up to the end of its last sector).
    case compressed(host: UInt64, length: UInt64)

    static let copiedFlag: UInt64 = 1 << 63
    static let compressedFlag: UInt64 = 1 << 62
    static let zeroFlag: UInt64 = 1
    static let offsetMask: UInt64 = 0x00FF_FFFF_FFFF_FE00

    /// Decodes an L2 entry.
    init(entry: UInt64, clusterBits: UInt32) throws(StoreError) {
        if entry & Self.compressedFlag != 0 {
            let x = UInt64(62 - (clusterBits - 8))
            let host = entry & ((1 << x) - 1)
            let sectors = (entry >> x) & ((1 << UInt64(clusterBits - 8)) - 1)
            self = .compressed(host: host, length: (sectors + 1) * 512 - (host & 511))
            return
        }
        let host = entry & Self.offsetMask
        if entry & Self.zeroFlag != 0 {
            self = .zero(host: host == 0 ? nil : host)
        } else if host == 0 {
            self = .unallocated
        } else {
            guard host & ((1 << UInt64(clusterBits)) - 1) == 0 else {
                throw .corrupt("L2 entry \(entry) points inside a cluster")
            }
            self = .data(host: host, copied: entry & Self.copiedFlag != 0)
        }
    }

    /// Whether GET LBA STATUS reports the cluster as mapped (it has host storage).
    var isMapped: Bool {
        switch self {
        case .unallocated, .zero(host: nil): false
        case .zero, .data, .compressed: true
        }
    }

    /// The host clusters whose refcount this entry holds (`clusterSize` aligned offsets).
    func referencedClusters(clusterSize: UInt64) -> [UInt64] {
        switch self {
        case .unallocated, .zero(host: nil): return []
        case .zero(let host?): return [host]
        case .data(let host, _): return [host]
        case let .compressed(host, length):
            let first = host / clusterSize, last = (host + length - 1) / clusterSize
            return (first...last).map { $0 * clusterSize }
        }
    }
}
