import Sense

/// READ CD (BEh, MMC-6 §6.19) and READ CD MSF (B9h, §6.20) on a CUE/BIN disc: which sectors, of which
/// expected type, and which fields of each.
///
/// READ CD:     | BEh | EXPECTED SECTOR TYPE (4-2) DAP (1) | STARTING LBA (4) @2 | TRANSFER LENGTH (3) @6 |
///              | @9 | @10 | CONTROL |
/// READ CD MSF: | B9h | EXPECTED SECTOR TYPE (4-2) DAP (1) | rsvd | START M S F @3 | END M S F @6 (exclusive) |
///              | @9 | @10 | CONTROL |
/// Byte 9:  SYNC (7) | HEADER CODES (6-5: 00b none, 01b header, 10b subheader, 11b both) | USER DATA (4) |
///          EDC&ECC (3) | C2 ERROR INFORMATION (2-1: 00b none, 01b 294 bytes, 10b 296 with block error byte) |
/// Byte 10: SUB-CHANNEL DATA SELECTION (2-0): 000b none, 001b raw P-W (96), 010b formatted Q (16),
///          100b R-W (not supported by this drive: no R-W data, page 2Ah R-W SUPPORTED 0).
///
/// A CD-DA sector returns its 2352 bytes when USER DATA is set, whatever SYNC/HEADER/EDC say; data sectors
/// return the fields selected that their kind has (`CDSectorKind`), in disc order. C2 error bits are
/// zero (no error on a virtual disc).
public struct CDReadRequest: Sendable, Hashable {
    public var lba: UInt32
    public var count: UInt32
    /// 0: any type; else the `CDSectorKind` code every sector must have (else 05/64/00).
    public var expectedType: UInt8
    public var sync: Bool
    public var headerCodes: UInt8
    public var userData: Bool
    public var edcECC: Bool
    public var c2Bytes: Int
    public var subchannel: UInt8

    static func invalidField(byte: UInt16, bit: UInt8) -> Sense {
        Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: byte, bit: bit))
    }

    /// Parses READ CD (BEh) or READ CD MSF (B9h).
    /// - Throws: INVALID FIELD IN CDB for a reserved sector type, C2 code 11b, sub-channel 011b/1xxb, or an
    ///   ending MSF before the starting one (or in the lead-in).
    public init(_ cdb: CDB) throws(Sense) {
        expectedType = cdb[1] >> 2 & 0x07
        guard expectedType <= 5 else { throw Self.invalidField(byte: 1, bit: 4) }
        if cdb[0] == 0xB9 {
            let start = MSF(minute: cdb[3], second: cdb[4], frame: cdb[5])
            let end = MSF(minute: cdb[6], second: cdb[7], frame: cdb[8])
            guard start.second < 60, start.frame < 75, let s = start.lba else { throw Self.invalidField(byte: 3, bit: 7) }
            guard end.second < 60, end.frame < 75, let e = end.lba, e >= s else { throw Self.invalidField(byte: 6, bit: 7) }
            lba = s
            count = e - s
        } else {
            lba = cdb.u32(2)
            count = cdb.u24(6)
        }
        let flags = cdb[9]
        sync = flags & 0x80 != 0
        headerCodes = flags >> 5 & 0x03
        userData = flags & 0x10 != 0
        edcECC = flags & 0x08 != 0
        switch flags >> 1 & 0x03 {
        case 0b00: c2Bytes = 0
        case 0b01: c2Bytes = 294
        case 0b10: c2Bytes = 296
        default: throw Self.invalidField(byte: 9, bit: 2)
        }
        subchannel = cdb[10] & 0x07
        guard subchannel <= 2 else { throw Self.invalidField(byte: 10, bit: 2) }
    }

    var subchannelBytes: Int { [0, 96, 16][Int(subchannel)] }

    /// The bytes returned for one sector of `kind`.
    public func sectorBytes(_ kind: CDSectorKind) -> Int {
        var n = c2Bytes + subchannelBytes
        if kind == .cdda { return n + (userData ? 2352 : 0) }
        if sync { n += 12 }
        if headerCodes & 1 != 0 { n += 4 }
        if headerCodes & 2 != 0, let r = kind.subheader { n += r.count }
        if userData { n += kind.userData.count }
        if edcECC, let r = kind.edcECC { n += r.count }
        return n
    }

    /// The selected fields of `raw` (a sector of `kind` at `lba`), then C2 bits and sub-channel.
    public func fields(of raw: [UInt8], kind: CDSectorKind, lba: UInt32, layout: CDLayout) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(sectorBytes(kind))
        if kind == .cdda {
            if userData { out += raw }
        } else {
            if sync { out += raw[0..<12] }
            if headerCodes & 1 != 0 { out += raw[12..<16] }
            if headerCodes & 2 != 0, let r = kind.subheader { out += raw[r] }
            if userData { out += raw[kind.userData] }
            if edcECC, let r = kind.edcECC { out += raw[r] }
        }
        out += repeatElement(0, count: c2Bytes)
        switch subchannel {
        case 1: out += CDSubchannel.rawPW(lba, layout: layout)
        case 2: out += CDSubchannel.formattedQ(lba, layout: layout)
        default: break
        }
        return out
    }
}
