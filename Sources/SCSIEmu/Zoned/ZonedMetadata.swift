import CZlib

/// The on-disk metadata of a zoned image: little-endian, versioned, CRC-32 checksummed, laid out in fixed
/// 4096-byte units whatever the host page size.
///
/// File layout:
///
/// | offset | content |
/// |---|---|
/// | 0 | superblock slot 0 (4096 bytes, 80 used) |
/// | 4096 | superblock slot 1 |
/// | 8192 | zone table of slot 0: `tablePages` pages of 4096 bytes |
/// | 8192 + tablePages·4096 | zone table of slot 1 |
/// | `dataOffset` (a multiple of 1 MiB) | the logical blocks, `capacity · logicalBlockSize` bytes (sparse) |
///
/// Superblock (all fields little-endian):
///
/// | byte | field |
/// |---|---|
/// | 0–7 | magic "EMUDZBC\0" |
/// | 8–11 | format version (1) |
/// | 12–15 | superblock length (80) |
/// | 16–23 | generation (the newest valid slot wins) |
/// | 24 | model (0 host-managed, 1 host-aware) |
/// | 25 | URSWRZ |
/// | 26–27 | reserved |
/// | 28–31 | logical block size |
/// | 32–39 | capacity in logical blocks |
/// | 40–47 | zone length in logical blocks |
/// | 48–51 | zone count |
/// | 52–55 | conventional zones |
/// | 56–59 | maximum open zones |
/// | 60–63 | table pages |
/// | 64–71 | data offset |
/// | 72–75 | table CRC: CRC-32 of the slot's page CRCs (each 4 bytes LE, in page order) |
/// | 76–79 | superblock CRC: CRC-32 of bytes 0–75 |
///
/// Zone table page: bytes 0–3 CRC-32 of bytes 4–4095, 4–7 page index, 8–15 reserved, then 255 records of
/// 16 bytes: 0–7 write pointer, 8 zone type, 9 zone condition, 10 flags (bit 0 RESET, bit 1 NON_SEQ),
/// 11–15 reserved.
public enum ZonedMetadata {
    public static let magic: [UInt8] = Array("EMUDZBC".utf8) + [0]
    public static let version: UInt32 = 1
    public static let unit = 4096
    public static let superblockLength = 80
    public static let recordLength = 16
    public static let pageHeaderLength = 16
    public static let recordsPerPage = (unit - pageHeaderLength) / recordLength
    public static let dataAlignment: UInt64 = 1 << 20
    /// tcmu-runner file_zbc's magic ("UZBC" as a host-endian u32 at offset 0), to say what a file is.
    public static let tcmuRunnerMagic: UInt32 = 0x555A_4243

    public static func tablePages(zoneCount: Int) -> Int { (zoneCount + recordsPerPage - 1) / recordsPerPage }
    public static func superblockOffset(slot: Int) -> UInt64 { UInt64(slot * unit) }
    public static func tableOffset(slot: Int, pages: Int) -> UInt64 { UInt64(2 * unit + slot * pages * unit) }
    public static func dataOffset(zoneCount: Int) -> UInt64 {
        let end = UInt64(2 * unit + 2 * tablePages(zoneCount: zoneCount) * unit)
        return (end + dataAlignment - 1) / dataAlignment * dataAlignment
    }

    public static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { p in
            UInt32(CZlib.crc32(0, p.baseAddress, uInt(p.count)))
        }
    }

    // MARK: - Superblock

    public struct Superblock: Sendable, Hashable {
        public var generation: UInt64
        public var geometry: ZonedGeometry
        public var tablePages: Int
        public var dataOffset: UInt64
        public var tableCRC: UInt32

        public init(generation: UInt64, geometry: ZonedGeometry, tableCRC: UInt32) {
            self.generation = generation
            self.geometry = geometry
            self.tablePages = ZonedMetadata.tablePages(zoneCount: geometry.layout.zoneCount)
            self.dataOffset = ZonedMetadata.dataOffset(zoneCount: geometry.layout.zoneCount)
            self.tableCRC = tableCRC
        }

        public func encoded() -> [UInt8] {
            var b = [UInt8](repeating: 0, count: superblockLength)
            b.replaceSubrange(0..<8, with: magic)
            putLE(UInt64(version), 4, &b, 8)
            putLE(UInt64(superblockLength), 4, &b, 12)
            putLE(generation, 8, &b, 16)
            b[24] = geometry.model == .hostManaged ? 0 : 1
            b[25] = geometry.unrestrictedReads ? 1 : 0
            putLE(UInt64(geometry.logicalBlockSize), 4, &b, 28)
            putLE(geometry.layout.capacity, 8, &b, 32)
            putLE(geometry.layout.zoneLength, 8, &b, 40)
            putLE(UInt64(geometry.layout.zoneCount), 4, &b, 48)
            putLE(UInt64(geometry.conventionalZones), 4, &b, 52)
            putLE(UInt64(geometry.maxOpenZones), 4, &b, 56)
            putLE(UInt64(tablePages), 4, &b, 60)
            putLE(dataOffset, 8, &b, 64)
            putLE(UInt64(tableCRC), 4, &b, 72)
            putLE(UInt64(crc32(b[0..<76])), 4, &b, 76)
            return b
        }

        /// Decodes a slot, or nil when it is not a valid superblock of this version (torn, zeroed, foreign)
        /// or its fields are inconsistent.
        public init?(decoding b: [UInt8]) {
            guard let sb = try? Superblock(validating: b) else { return nil }
            self = sb
        }

        /// Decodes a slot. A CRC-valid superblock is still outside input (a crafted or buggy image): each
        /// field is checked against the others and against the limits before any size is computed or
        /// anything allocated from it.
        /// - Throws: `.notASuperblock` (torn, zeroed, foreign, other version), or `.inconsistent` naming
        ///   the field and its value.
        public init(validating b: [UInt8]) throws(SuperblockProblem) {
            guard b.count >= superblockLength, Array(b[0..<8]) == magic,
                getLE(b, 8, 4) == UInt64(version), getLE(b, 12, 4) == UInt64(superblockLength),
                getLE(b, 76, 4) == UInt64(crc32(b[0..<76]))
            else { throw .notASuperblock }
            let lbaSize = UInt32(getLE(b, 28, 4))
            let capacity = getLE(b, 32, 8), zoneLength = getLE(b, 40, 8)
            guard lbaSize == 512 || lbaSize == 4096 else { throw .inconsistent("logical block size \(lbaSize)") }
            guard b[24] <= 1 else { throw .inconsistent("model \(b[24])") }
            guard capacity > 0, capacity <= DeviceSizeLimit.maximumBytes / UInt64(lbaSize) else {
                throw .inconsistent("capacity \(capacity) blocks of \(lbaSize) bytes (at most 2^62 bytes)")
            }
            guard zoneLength > 0, zoneLength & (zoneLength - 1) == 0, zoneLength <= (1 << 40) / UInt64(lbaSize) else {
                throw .inconsistent("zone length \(zoneLength) blocks (a power of two, at most 1 TiB)")
            }
            let layout = ZoneLayout(capacity: capacity, zoneLength: zoneLength)
            guard layout.zoneCount <= ZoneLayout.maximumZoneCount, getLE(b, 48, 4) == UInt64(layout.zoneCount) else {
                throw .inconsistent("zone count \(getLE(b, 48, 4)) for \(layout.zoneCount) zones of the capacity")
            }
            let conv = Int(getLE(b, 52, 4)), open = Int(getLE(b, 56, 4))
            guard conv < layout.zoneCount else {
                throw .inconsistent("\(conv) conventional zones of \(layout.zoneCount)")
            }
            guard open > 0, open <= layout.zoneCount - conv else {
                throw .inconsistent("maximum open zones \(open) (the image has \(layout.zoneCount - conv) sequential zones)")
            }
            let g = ZonedGeometry(
                model: b[24] == 0 ? .hostManaged : .hostAware, logicalBlockSize: lbaSize, layout: layout,
                conventionalZones: conv, maxOpenZones: open, unrestrictedReads: b[25] != 0)
            self.init(generation: getLE(b, 16, 8), geometry: g, tableCRC: UInt32(getLE(b, 72, 4)))
            guard getLE(b, 60, 4) == UInt64(tablePages), getLE(b, 64, 8) == dataOffset else {
                throw .inconsistent("table pages \(getLE(b, 60, 4)) / data offset \(getLE(b, 64, 8))")
            }
        }
    }

    /// Why a superblock slot is not used.
    public enum SuperblockProblem: Error, Sendable, Hashable {
        /// Torn, zeroed, foreign or another version: what a crash mid-commit leaves.
        case notASuperblock
        /// CRC-valid but impossible: a field and its value.
        case inconsistent(String)
    }

    // MARK: - Zone table pages

    /// Encodes page `page` of the zone table from `zones`.
    public static func encodePage(_ page: Int, zones: [Zone]) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: unit)
        putLE(UInt64(page), 4, &b, 4)
        let first = page * recordsPerPage
        for i in first..<min(zones.count, first + recordsPerPage) {
            let z = zones[i], at = pageHeaderLength + (i - first) * recordLength
            putLE(z.writePointer, 8, &b, at)
            b[at + 8] = z.type.rawValue
            b[at + 9] = z.condition.rawValue
            b[at + 10] = (z.resetRecommended ? 1 : 0) | (z.nonSequential ? 2 : 0)
        }
        putLE(UInt64(crc32(b[4...])), 4, &b, 0)
        return b
    }

    public static func pageCRC(_ page: [UInt8]) -> UInt32 { UInt32(getLE(page, 0, 4)) }

    /// Decodes page `page` into `zones`; returns what is wrong with it (nil: nothing): torn or misplaced
    /// (CRC, index), or CRC-valid but holding values no writer produces (a type or condition code, a write
    /// pointer outside its zone).
    /// - Parameter geometry: when given, each zone's type must be the one its position has (conventional
    ///   zones first, then the model's sequential type) and its condition one its type can be in.
    public static func pageProblem(
        _ b: [UInt8], page: Int, into zones: inout [Zone], layout: ZoneLayout, geometry: ZonedGeometry? = nil
    ) -> String? {
        guard b.count == unit, getLE(b, 0, 4) == UInt64(crc32(b[4...])) else { return "page \(page) is torn (CRC)" }
        guard getLE(b, 4, 4) == UInt64(page) else { return "page \(page) holds page \(getLE(b, 4, 4))" }
        let first = page * recordsPerPage
        for i in first..<min(zones.count, first + recordsPerPage) {
            let at = pageHeaderLength + (i - first) * recordLength
            guard let type = ZoneType(rawValue: b[at + 8]), let cond = ZoneCondition(rawValue: b[at + 9]) else {
                return "zone \(i) has type \(b[at + 8]) / condition \(b[at + 9])"
            }
            if let g = geometry {
                let expected = i < g.conventionalZones ? ZoneType.conventional : g.sequentialType
                guard type == expected else { return "zone \(i) has type \(type.rawValue), expected \(expected.rawValue)" }
                guard (cond == .notWritePointer) == !type.hasWritePointer else {
                    return "zone \(i) of type \(type.rawValue) has condition \(cond.rawValue)"
                }
            }
            let wp = getLE(b, at, 8)
            if type.hasWritePointer, wp < layout.start(of: i) || wp > layout.end(of: i) {
                return "zone \(i) write pointer \(wp) lies outside the zone (\(layout.start(of: i))…\(layout.end(of: i)))"
            }
            zones[i] = Zone(
                type: type, condition: cond, writePointer: wp,
                nonSequential: b[at + 10] & 2 != 0, resetRecommended: b[at + 10] & 1 != 0)
        }
        return nil
    }

    /// CRC-32 over page CRCs, each as 4 little-endian bytes.
    public static func tableCRC(_ pageCRCs: [UInt32]) -> UInt32 {
        var b = [UInt8](repeating: 0, count: pageCRCs.count * 4)
        for (k, c) in pageCRCs.enumerated() { putLE(UInt64(c), 4, &b, k * 4) }
        return crc32(b[...])
    }

    static func putLE(_ v: UInt64, _ width: Int, _ b: inout [UInt8], _ at: Int) {
        for k in 0..<width { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
    }

    static func getLE(_ b: [UInt8], _ at: Int, _ width: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in (0..<width).reversed() { v = v << 8 | UInt64(b[at + k]) }
        return v
    }
}
