// The qcow2 image header (QEMU docs/interop/qcow2.txt), all fields big-endian.
//
// | 0–3   | magic "QFI\xFB"             | 4–7   | version (2 or 3)           |
// | 8–15  | backing_file_offset         | 16–19 | backing_file_size          |
// | 20–23 | cluster_bits (9…21)         | 24–31 | size (virtual, bytes)      |
// | 32–35 | crypt_method (0 = none)     | 36–39 | l1_size (entries)          |
// | 40–47 | l1_table_offset             | 48–55 | refcount_table_offset      |
// | 56–59 | refcount_table_clusters     | 60–63 | nb_snapshots               |
// | 64–71 | snapshots_offset            |
// version 3 only:
// | 72–79 | incompatible_features: bit 0 dirty, 1 corrupt, 2 external data file, 3 compression type,
// |       |   4 extended L2 entries                                                              |
// | 80–87 | compatible_features: bit 0 lazy refcounts                                             |
// | 88–95 | autoclear_features: bit 0 bitmaps, 1 raw external data                                |
// | 96–99 | refcount_order (refcount width = 1 << order bits) | 100–103 | header_length        |
// | 104   | compression_type (0 zlib, 1 zstd) when header_length > 104                           |

/// Why a qcow2 header cannot be used: the field and what is wrong with it.
public struct QCOW2HeaderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The header field as qcow2.txt names it ("cluster_bits", "incompatible_features", …).
    public let field: String
    public let value: UInt64
    public let reason: String

    public var description: String { "qcow2 header field \(field) = \(value): \(reason)" }
}

/// The parsed, validated header of a qcow2 image (versions 2 and 3).
public struct QCOW2Header: Sendable, Hashable {
    public static let magic: UInt32 = 0x5146_49FB
    public static let incompatibleDirty: UInt64 = 1 << 0
    public static let incompatibleCorrupt: UInt64 = 1 << 1
    public static let incompatibleExternalData: UInt64 = 1 << 2
    public static let incompatibleCompressionType: UInt64 = 1 << 3
    public static let incompatibleExtendedL2: UInt64 = 1 << 4

    public var version: UInt32
    public var backingFileOffset: UInt64
    public var backingFileSize: UInt32
    public var clusterBits: UInt32
    public var virtualSize: UInt64
    public var l1Size: UInt32
    public var l1TableOffset: UInt64
    public var refcountTableOffset: UInt64
    public var refcountTableClusters: UInt32
    public var snapshotCount: UInt32
    public var incompatibleFeatures: UInt64
    public var compatibleFeatures: UInt64
    public var autoclearFeatures: UInt64
    public var refcountOrder: UInt32
    public var headerLength: UInt32

    public var clusterSize: UInt64 { 1 << UInt64(clusterBits) }
    /// Entries per L2 table (8-byte entries filling one cluster).
    public var l2Entries: UInt64 { clusterSize / 8 }
    public var refcountBits: UInt64 { 1 << UInt64(refcountOrder) }

    /// Parses and validates the first bytes of an image (at least 72, 104 for version 3).
    public init(parsing b: [UInt8]) throws(QCOW2HeaderError) {
        func u32(_ o: Int) -> UInt32 { UInt32(truncatingIfNeeded: b.bigEndianValue(at: o, width: 4)) }
        func u64(_ o: Int) -> UInt64 { b.bigEndianValue(at: o, width: 8) }
        func fail(_ field: String, _ value: UInt64, _ reason: String) -> QCOW2HeaderError {
            QCOW2HeaderError(field: field, value: value, reason: reason)
        }
        guard b.count >= 72 else { throw fail("length", UInt64(b.count), "file shorter than a qcow2 header") }
        guard u32(0) == Self.magic else { throw fail("magic", UInt64(u32(0)), "not a qcow2 image") }
        version = u32(4)
        guard version == 2 || version == 3 else { throw fail("version", UInt64(version), "only 2 and 3 are known") }
        backingFileOffset = u64(8)
        backingFileSize = u32(16)
        clusterBits = u32(20)
        guard (9...21).contains(clusterBits) else { throw fail("cluster_bits", UInt64(clusterBits), "must be 9…21") }
        virtualSize = u64(24)
        let crypt = u32(32)
        guard crypt == 0 else { throw fail("crypt_method", UInt64(crypt), "encrypted images are not supported") }
        l1Size = u32(36)
        l1TableOffset = u64(40)
        refcountTableOffset = u64(48)
        refcountTableClusters = u32(56)
        snapshotCount = u32(60)
        if version == 3 {
            guard b.count >= 104 else { throw fail("length", UInt64(b.count), "version 3 header needs 104 bytes") }
            incompatibleFeatures = u64(72)
            compatibleFeatures = u64(80)
            autoclearFeatures = u64(88)
            refcountOrder = u32(96)
            headerLength = u32(100)
            guard headerLength >= 104, headerLength % 8 == 0 else {
                throw fail("header_length", UInt64(headerLength), "must be a multiple of 8, at least 104")
            }
        } else {
            incompatibleFeatures = 0
            compatibleFeatures = 0
            autoclearFeatures = 0
            refcountOrder = 4
            headerLength = 72
        }
        let cs = UInt64(1) << UInt64(clusterBits)
        guard refcountOrder <= 6 else { throw fail("refcount_order", UInt64(refcountOrder), "must be 0…6") }
        try checkIncompatibleFeatures(compressionType: b.count > 104 && headerLength > 104 ? b[104] : 0)
        guard l1TableOffset % cs == 0 else {
            throw fail("l1_table_offset", l1TableOffset, "not aligned to the cluster size")
        }
        guard refcountTableOffset % cs == 0, refcountTableOffset != 0 else {
            throw fail("refcount_table_offset", refcountTableOffset, "zero or not aligned to the cluster size")
        }
        // QEMU's bounds (QCOW_MAX_REFTABLE_SIZE 8 MiB, QCOW_MAX_L1_SIZE 32 MiB): the tables are read
        // whole into memory, so a header may not size that allocation beyond them.
        guard refcountTableClusters > 0, UInt64(refcountTableClusters) * cs <= 8 << 20 else {
            throw fail("refcount_table_clusters", UInt64(refcountTableClusters), "must be 1…\((8 << 20) / cs) (8 MiB)")
        }
        guard virtualSize <= 1 << 62 else { throw fail("size", virtualSize, "larger than 2^62 bytes") }
        let bytesPerL2 = cs * (cs / 8)
        let needed = (virtualSize + bytesPerL2 - 1) / bytesPerL2
        guard UInt64(l1Size) >= needed, UInt64(l1Size) * 8 <= 32 << 20 else {
            throw fail("l1_size", UInt64(l1Size), "the virtual size needs \(needed) L1 entries")
        }
    }

    private func checkIncompatibleFeatures(compressionType: UInt8) throws(QCOW2HeaderError) {
        let f = incompatibleFeatures
        func fail(_ reason: String) -> QCOW2HeaderError {
            QCOW2HeaderError(field: "incompatible_features", value: f, reason: reason)
        }
        if f & Self.incompatibleDirty != 0 {
            throw fail("dirty bit set (lazy refcounts not written back): run 'qemu-img check -r all' first")
        }
        // Corrupt (bit 1): the image opens read-only only; the store decides (QCOW2Store.init).
        if f & Self.incompatibleExternalData != 0 { throw fail("external data files are not supported") }
        if f & Self.incompatibleExtendedL2 != 0 { throw fail("extended L2 entries (subclusters) are not supported") }
        if f & Self.incompatibleCompressionType != 0, compressionType != 0 {
            throw QCOW2HeaderError(
                field: "compression_type", value: UInt64(compressionType), reason: "only zlib (0) is supported")
        }
        let unknown = f & ~(Self.incompatibleDirty | Self.incompatibleCorrupt | Self.incompatibleExternalData
            | Self.incompatibleCompressionType | Self.incompatibleExtendedL2)
        if unknown != 0 { throw fail("unknown incompatible feature bit \(unknown.trailingZeroBitCount)") }
    }
}
