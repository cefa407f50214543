import Sense

/// READ DISC STRUCTURE (ADh) for DVD media, media type 0 (MMC-6 §6.23).
///
/// CDB:  | ADh | MEDIA TYPE (3-0) | ADDRESS (4) @2 | LAYER NUMBER @6 | FORMAT CODE @7 | ALLOC LEN (2) @8 |
///       | AGID (7-6) @10 | CONTROL @11 |
///
/// Every structure starts with a 4-byte header: 0-1 DATA LENGTH (bytes after this field) | 2-3 rsvd.
///
///  00h physical format (2048 bytes): 4 DISK CATEGORY (7-4) PART VERSION (3-0) | 5 DISC SIZE (7-4) MAXIMUM
///      RATE (3-0) | 6 LAYERS (6-5) TRACK PATH (4) LAYER TYPE (3-0) | 7 LINEAR/TRACK DENSITY |
///      8-11 START PSN OF DATA AREA | 12-15 END PSN OF DATA AREA | 16-19 END PSN IN LAYER 0 | 20 BCA (7)
///  01h copyright: 4 COPYRIGHT PROTECTION SYSTEM TYPE | 5 REGION MANAGEMENT | 6-7 rsvd
///  04h disc manufacturing information (2048 bytes, zero)
///  09h DVD-RAM medium status: 4 CARTRIDGE (7) OUT (6) MSWI (3) CWP (2) PWP (1) | 5 DISC TYPE ID | 7 RAM-SWI
///      (an image is a bare disc: CARTRIDGE 0, CWP 0; write protection is PWP)
///  C0h write protection status: 4 MSWI (3) CWP (2) PWP (1) SWPP (0)
///  FFh structure list: 4-byte entries: FORMAT CODE | SDS (7) RDS (6) | STRUCTURE LENGTH (2)
public enum ReadDVDStructure {
    /// What the structures describe; nil medium for "no disc".
    public struct Disc: Sendable, Hashable {
        public var profile: MediumProfile
        public var writeProtected: Bool
        public var blockCount: UInt32
        public init(profile: MediumProfile, writeProtected: Bool, blockCount: UInt32) {
            self.profile = profile
            self.writeProtected = writeProtected
            self.blockCount = blockCount
        }
    }

    /// The first physical sector of the data area: 030000h on DVD-ROM, 031000h on DVD-RAM.
    static func startPSN(_ p: MediumProfile) -> UInt32 { p.isRewritable ? 0x031000 : 0x030000 }

    /// The formats `disc` carries, in code order.
    public static func formats(for disc: Disc) -> [UInt8] {
        guard disc.profile.isDVD else { return [] }
        return disc.profile.isRewritable ? [0x00, 0x01, 0x04, 0x09, 0xC0] : [0x00, 0x01, 0x04]
    }

    static func invalidField(byte: UInt16, bit: UInt8) -> Sense {
        Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: byte, bit: bit))
    }

    /// - Throws: INVALID FIELD IN CDB for a media type other than 0, a layer other than 0 or an unsupported
    ///   format; CANNOT READ MEDIUM - INCOMPATIBLE FORMAT (ILLEGAL REQUEST 30/02) for a structure the disc
    ///   does not have (any DVD structure on a CD).
    public static func response(mediaType: UInt8, layer: UInt8, format: UInt8, disc: Disc) throws(Sense) -> [UInt8] {
        guard mediaType == 0 else { throw invalidField(byte: 1, bit: 3) }
        if format == 0xFF {
            let entries: [UInt8] = formats(for: disc).flatMap { f -> [UInt8] in
                [f, 0x40] + be16(UInt16(structure(f, disc: disc).count))
            }
            return be16(UInt16(2 + entries.count)) + [0, 0] + entries
        }
        guard [0x00, 0x01, 0x04, 0x09, 0xC0].contains(format) else { throw invalidField(byte: 7, bit: 7) }
        guard layer == 0 else { throw invalidField(byte: 6, bit: 7) }
        guard formats(for: disc).contains(format) else {
            throw Sense(.illegalRequest, .cannotReadMediumIncompatibleFormat)
        }
        return structure(format, disc: disc)
    }

    static func structure(_ format: UInt8, disc: Disc) -> [UInt8] {
        let ram = disc.profile.isRewritable
        switch format {
        case 0x00:
            var s = [UInt8](repeating: 0, count: 2052)
            s[0] = 0x08
            s[1] = 0x02  // 2050
            s[4] = ram ? 0x16 : 0x01  // DVD-RAM part version 6 / DVD-ROM part version 1
            s[5] = 0x0F  // 120 mm, maximum rate not specified
            s[6] = ram ? 0x04 : 0x01  // one layer, PTP; rewritable / embossed
            let start = startPSN(disc.profile)
            let end = start + (disc.blockCount == 0 ? 0 : disc.blockCount - 1)
            s.replaceSubrange(8..<12, with: be32(start))
            s.replaceSubrange(12..<16, with: be32(end))
            return s
        case 0x01:
            return [0x00, 0x06, 0, 0, 0x00, 0x00, 0, 0]
        case 0x04:
            var s = [UInt8](repeating: 0, count: 2052)
            s[0] = 0x08
            s[1] = 0x02
            return s
        case 0x09:
            // No cartridge (so CWP, the cartridge tab, is 0); PWP carries the write protection; disc type
            // 10h (may be written without a cartridge); RAM-SWI 0.
            return [0x00, 0x06, 0, 0, disc.writeProtected ? 0x02 : 0x00, 0x10, 0, 0]
        default:  // C0h
            // PWP (bit 1): udev cdrom_id reads it to call a write-protected DVD-RAM "complete", and
            // dvd+rw-mediainfo prints "Persistent Write Protection is on|off"; CWP would claim a cartridge tab.
            return [0x00, 0x06, 0, 0, disc.writeProtected ? 0x02 : 0x00, 0, 0, 0]
        }
    }
}
