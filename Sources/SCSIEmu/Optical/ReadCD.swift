import Sense

/// READ CD (BEh) on the CD-ROM profile's single mode 1 data track (MMC-6 §6.19).
///
/// CDB:  | BEh | EXPECTED SECTOR TYPE (4-2) DAP (1) | STARTING LBA (4) @2 | TRANSFER LENGTH (3) @6 |
///       | @9: SYNC (7) HEADER CODES (6-5) USER DATA (4) EDC&ECC (3) C2 ERROR (2-1) |
///       | @10: SUBCHANNEL SELECTION (2-0) | CONTROL |
///
/// Expected sector type 000b (any) or 010b (mode 1) read the track; CD-DA and the mode 2 types get
/// ILLEGAL MODE FOR THIS TRACK (64/00); 110b/111b are reserved. Per sector the drive returns, in order:
/// sync (12), header (4, header codes 01b/11b; a mode 1 sector has no subheader), user data (2048),
/// EDC/ECC (288), C2 error bits (294 for 01b; 296 with the block error byte for 10b; all zero).
/// Sub-channel data is not supported (INVALID FIELD IN CDB).
public enum ReadCD {
    public struct Fields: Sendable, Hashable {
        public var sync: Bool
        public var header: Bool
        public var userData: Bool
        public var edcECC: Bool
        public var c2Bytes: Int

        /// Bytes per sector returned.
        public var sectorBytes: Int {
            (sync ? 12 : 0) + (header ? 4 : 0) + (userData ? 2048 : 0) + (edcECC ? 288 : 0) + c2Bytes
        }
        /// Only user data: the plain READ path, straight into the command's buffer.
        public var isUserDataOnly: Bool { userData && sectorBytes == 2048 }
    }

    static func invalidField(byte: UInt16, bit: UInt8) -> Sense {
        Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: byte, bit: bit))
    }

    /// Parses the CDB for `profile`.
    /// - Throws: CANNOT READ MEDIUM - INCOMPATIBLE FORMAT (30/02) on DVD media; 64/00 for a sector type
    ///   other than mode 1; INVALID FIELD IN CDB for reserved values and sub-channel data.
    public static func parse(_ cdb: CDB, profile: MediumProfile) throws(Sense) -> (lba: UInt32, blocks: UInt32, fields: Fields) {
        switch cdb[1] >> 2 & 0x7 {
        case 0b000, 0b010: break
        case 0b001, 0b011, 0b100, 0b101: throw Sense(.illegalRequest, .illegalModeForThisTrack)
        default: throw invalidField(byte: 1, bit: 4)
        }
        guard profile.isCD else { throw Sense(.illegalRequest, .cannotReadMediumIncompatibleFormat) }
        let flags = cdb[9]
        let c2: Int
        switch flags >> 1 & 0x3 {
        case 0b00: c2 = 0
        case 0b01: c2 = 294
        case 0b10: c2 = 296
        default: throw invalidField(byte: 9, bit: 2)
        }
        guard cdb[10] & 0x07 == 0 else { throw invalidField(byte: 10, bit: 2) }
        let headerCodes = flags >> 5 & 0x3
        let fields = Fields(
            sync: flags & 0x80 != 0, header: headerCodes == 0b01 || headerCodes == 0b11,
            userData: flags & 0x10 != 0, edcECC: flags & 0x08 != 0, c2Bytes: c2)
        return (cdb.u32(2), cdb.u24(6), fields)
    }

    /// The selected fields of one sector.
    public static func sector(lba: UInt32, userData: [UInt8], fields: Fields) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(fields.sectorBytes)
        let raw = fields.sync || fields.header || fields.edcECC ? CDSector.mode1(lba: lba, userData: userData) : []
        if fields.sync { out += raw[0..<12] }
        if fields.header { out += raw[12..<16] }
        if fields.userData { out += userData }
        if fields.edcECC { out += raw[2064..<2352] }
        out += [UInt8](repeating: 0, count: fields.c2Bytes)
        return out
    }
}
