import Sense

/// READ TOC/PMA/ATIP (43h) for a single-session disc with one data track (MMC-6 §6.26).
///
/// CDB:  | 43h | MSF (bit 1) | FORMAT (3-0) | rsvd ×3 | TRACK/SESSION NUMBER | ALLOC LEN (2) @7 | CONTROL @9 |
///
/// When FORMAT is 0, bits 7-6 of CDB byte 9 may carry the legacy (SFF-8020) format: 01b multi-session
/// (what Linux sr sends for the multisession offset), 10b full TOC.
///
/// Format 0, formatted TOC:  0-1 TOC DATA LENGTH | 2 FIRST TRACK | 3 LAST TRACK | 8-byte track descriptors:
///     0 rsvd | 1 ADR (7-4) CONTROL (3-0) | 2 TRACK NUMBER | 3 rsvd | 4-7 TRACK START ADDRESS (LBA or 0,M,S,F)
/// Format 1, multi-session:  header (first/last complete session) + one descriptor for the first track of
///     the last session.
/// Format 2, full TOC: header (sessions) + 11-byte descriptors: 0 SESSION | 1 ADR/CONTROL | 2 TNO (0) |
///     3 POINT | 4-6 MIN/SEC/FRAME | 7 ZERO | 8-10 PMIN/PSEC/PFRAME; points A0h (first track, disc type),
///     A1h (last track), A2h (lead-out start), then the tracks. Addresses are always MSF.
public enum ReadTOC {
    public static let leadOutTrack: UInt8 = 0xAA

    /// The format the CDB asks for, with the legacy byte-9 form applied.
    /// - Throws: INVALID FIELD IN CDB for the reserved legacy value 11b.
    public static func format(of cdb: CDB) throws(Sense) -> UInt8 {
        let format = cdb[2] & 0x0F
        guard format == 0 else { return format }
        switch cdb[9] >> 6 {
        case 0b00: return 0
        case 0b01: return 1
        case 0b10: return 2
        default:
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 9, bit: 7))
        }
    }

    /// The ADR/CONTROL byte of the data track: ADR 1 (Q mode 1), CONTROL 4h (data, copy prohibited) or
    /// 7h on rewritable media (data, recorded incrementally, copy permitted), as tcmu-runner reports.
    public static func adrControl(_ profile: MediumProfile) -> UInt8 {
        profile.isRewritable ? 0x17 : 0x14
    }

    static func address(_ lba: UInt32, msf: Bool) -> [UInt8] {
        msf ? MSF(lba: lba).addressField : be32(lba)
    }

    /// The response for `format` (0, 1 or 2).
    /// - Throws: INVALID FIELD IN CDB for other formats or a track/session number past the disc.
    public static func response(
        format: UInt8, msf: Bool, trackOrSession: UInt8, profile: MediumProfile, blockCount: UInt32
    ) throws(Sense) -> [UInt8] {
        let control = adrControl(profile)
        switch format {
        case 0:
            var descriptors: [UInt8] = []
            switch trackOrSession {
            case 0, 1: descriptors += [0, control, 1, 0] + address(0, msf: msf)
            case leadOutTrack: break
            default:
                throw Sense(
                    .illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 6, bit: 7))
            }
            descriptors += [0, control, leadOutTrack, 0] + address(blockCount, msf: msf)
            return be16(UInt16(2 + descriptors.count)) + [1, 1] + descriptors
        case 1:
            return be16(10) + [1, 1] + [0, control, 1, 0] + address(0, msf: msf)
        case 2:
            guard trackOrSession <= 1 else {
                throw Sense(
                    .illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 6, bit: 7))
            }
            // Disc type in A0h PSEC: 00h CD-DA/CD-ROM.
            let leadOut = MSF(lba: blockCount)
            let track1 = MSF(lba: 0)
            let points: [[UInt8]] = [
                [1, control, 0, 0xA0, 0, 0, 0, 0, 1, 0x00, 0],
                [1, control, 0, 0xA1, 0, 0, 0, 0, 1, 0, 0],
                [1, control, 0, 0xA2, 0, 0, 0, 0, leadOut.minute, leadOut.second, leadOut.frame],
                [1, control, 0, 0x01, 0, 0, 0, 0, track1.minute, track1.second, track1.frame],
            ]
            let body = points.flatMap { $0 }
            return be16(UInt16(2 + body.count)) + [1, 1] + body
        default:
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 3))
        }
    }
}
