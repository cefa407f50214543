import Sense

/// GET CONFIGURATION (46h): the feature header and feature descriptors (MMC-6 §6.6, §5.3).
///
/// CDB:  | 46h | RT (bits 1-0) | STARTING FEATURE NUMBER (2) @2 | rsvd ×3 | ALLOC LEN (2) @7 | CONTROL |
///
/// RT 00b: every feature ≥ the starting number; 01b: the current ones ≥ it; 10b: exactly that feature;
/// 11b: reserved (INVALID FIELD IN CDB).
///
/// Feature header:   0-3 DATA LENGTH (bytes after this field) | 4-5 rsvd | 6-7 CURRENT PROFILE (0: no medium)
/// Feature descriptor: 0-1 FEATURE CODE | 2: VERSION (5-2) PERSISTENT (1) CURRENT (0) | 3 ADDITIONAL LENGTH | data
public enum GetConfiguration {
    /// What the feature list depends on: the medium in the drive (nil: none) and its state.
    public struct MediumState: Sendable, Hashable {
        public var profile: MediumProfile
        public var writable: Bool
        public var blockCount: UInt32
        public init(profile: MediumProfile, writable: Bool, blockCount: UInt32) {
            self.profile = profile
            self.writable = writable
            self.blockCount = blockCount
        }
    }

    public struct Feature: Sendable, Hashable {
        public var code: UInt16
        public var version: UInt8
        public var persistent: Bool
        public var current: Bool
        public var data: [UInt8]

        public var bytes: [UInt8] {
            [
                UInt8(code >> 8), UInt8(code & 0xFF),
                version << 2 | (persistent ? 0x02 : 0) | (current ? 0x01 : 0),
                UInt8(data.count),
            ] + data
        }
    }

    /// The drive's features in ascending code order, current flags set for `medium`.
    public static func features(medium: MediumState?) -> [Feature] {
        let profile = medium?.profile
        let isCD = profile?.isCD ?? false
        let isDVD = (profile?.isDVD ?? false) && profile != nil
        let writable = medium?.writable ?? false
        let canWrite = (profile == .dvdRAM || profile == .bdRE) && writable
        let blockSize = be32(2048)
        let blocking = be16(profile?.blocking ?? 16)

        // 0000h Profile List: one 4-byte descriptor per profile: PROFILE NUMBER (2), CURRENTP (bit 0), rsvd.
        let profiles = MediumProfile.driveProfiles.flatMap { p in
            be16(p.number) + [p == profile ? 0x01 : 0x00, 0x00]
        }
        let lastLBA = be32(medium.map { $0.blockCount == 0 ? 0 : $0.blockCount - 1 } ?? 0)
        return [
            Feature(code: 0x0000, version: 0, persistent: true, current: true, data: profiles),
            // 0001h Core (version 2, MMC-5/6): PHYSICAL INTERFACE STANDARD 1 (SCSI family); byte 8: INQ2 (bit 1)
            // 1: INQUIRY with EVPD, page code and a 16-bit allocation length (SPC-3); DBE (bit 0) 1: device busy
            // events. INQ2 and DBE exist only from version 2 / 1 on (as Aaru's feature decoder gates them).
            Feature(code: 0x0001, version: 2, persistent: true, current: true, data: be32(1) + [0x03, 0, 0, 0]),
            // 0002h Morphing: OCEVENT (bit 1) 1, ASYNC (bit 0) 0.
            Feature(code: 0x0002, version: 1, persistent: true, current: true, data: [0x02, 0, 0, 0]),
            // 0003h Removable Medium: LOADING MECHANISM TYPE 001b tray (7-5), LOAD (4), EJECT (3), PVNT JMPR (2)
            // 0, DBML (1) 0, LOCK (0). LOAD and DBML are defined from version 2 on (MMC-6; Linux cdrom.h
            // rm_feature_desc has both), so the version must be 2 for LOAD to be read.
            Feature(code: 0x0003, version: 2, persistent: true, current: true, data: [0x39, 0, 0, 0]),
            // 0010h Random Readable: LOGICAL BLOCK SIZE, BLOCKING, PP (page 01h present).
            Feature(
                code: 0x0010, version: 0, persistent: false, current: medium != nil,
                data: blockSize + blocking + [0x01, 0x00]),
            // 001Dh Multi-Read (CD-R/RW read in a CD-ROM drive): no data.
            Feature(code: 0x001D, version: 0, persistent: false, current: isCD, data: []),
            // 001Eh CD Read: DAP (7) 0, C2 FLAGS (1) 1 (READ CD returns C2 error bits), CD-TEXT (0) 0.
            Feature(code: 0x001E, version: 2, persistent: false, current: isCD, data: [0x02, 0, 0, 0]),
            // 001Fh DVD Read: MULTI110 (byte 4 bit 0), DUAL-RW/DUAL-R (byte 6) all 0.
            Feature(code: 0x001F, version: 1, persistent: false, current: isDVD, data: [0, 0, 0, 0]),
            // 0020h Random Writable: LAST LBA, LOGICAL BLOCK SIZE, BLOCKING 16, PP.
            Feature(
                code: 0x0020, version: 1, persistent: false, current: canWrite,
                data: lastLBA + blockSize + be16(16) + [0x01, 0x00]),
            RecordableFeatures.incrementalStreamingWritable(profile, writable: writable),
            // 0023h Formattable, version 1 (the 8 data bytes exist from version 1 on; version 0 has none):
            // byte 4 RENOSA/EXPAND/QCERT/CERT 0 (BD-RE only), byte 8 RRM 0.
            Feature(
                code: 0x0023, version: 1, persistent: false,
                current: writable && RecordableFeatures.formattable.contains(profile ?? .cdROM),
                data: [0, 0, 0, 0, 0, 0, 0, 0]),
            // 0024h Hardware Defect Management: SSA (byte 4 bit 7) 0.
            Feature(code: 0x0024, version: 1, persistent: false, current: canWrite, data: [0, 0, 0, 0]),
        ] + RecordableFeatures.writeFeatures(profile, writable: writable) + [
            // 0100h Power Management: no data.
            Feature(code: 0x0100, version: 0, persistent: true, current: true, data: []),
            // 0105h Timeout: GROUP3 (byte 4 bit 0) 0, UNIT LENGTH (bytes 6-7) 0.
            Feature(code: 0x0105, version: 1, persistent: true, current: true, data: [0, 0, 0, 0]),
        ]
    }

    /// The whole response (before the allocation length cut).
    /// - Throws: INVALID FIELD IN CDB for RT 11b.
    public static func response(rt: UInt8, startingFeature: UInt16, medium: MediumState?) throws(Sense) -> [UInt8] {
        let all = features(medium: medium)
        let selected: [Feature]
        switch rt {
        case 0: selected = all.filter { $0.code >= startingFeature }
        case 1: selected = all.filter { $0.code >= startingFeature && $0.current }
        case 2: selected = all.filter { $0.code == startingFeature }
        default:
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 1, bit: 1))
        }
        let body = selected.flatMap(\.bytes)
        let current = medium?.profile.number ?? 0
        return be32(UInt32(4 + body.count)) + [0, 0] + be16(current) + body
    }
}
