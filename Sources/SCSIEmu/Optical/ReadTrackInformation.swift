import Sense

/// READ TRACK INFORMATION (52h) for the disc's single data track (MMC-6 §6.27).
///
/// CDB:  | 52h | ADDRESS/NUMBER TYPE (1-0) | LBA / TRACK / SESSION NUMBER (4) @2 | rsvd | ALLOC LEN (2) @7 | CONTROL |
///     type 00b: the track holding that LBA; 01b: track number (1 only); 10b: session number (1 only).
///
/// Response (48 bytes):
///     0-1  DATA LENGTH (46)   2 TRACK NUMBER (LSB)   3 SESSION NUMBER (LSB)   4 rsvd
///     5    DAMAGE (5) COPY (4) | TRACK MODE (3-0)
///     6    RT (7) BLANK (6) PACKET/INC (5) FP (4) | DATA MODE (3-0)
///     7    LRA_V (1) NWA_V (0)   (sources cross-checked: tgt usr/mmc.c, dvd+rw-mediainfo's decoder)
///     8-11 TRACK START ADDRESS   12-15 NEXT WRITABLE ADDRESS   16-19 FREE BLOCKS
///     20-23 FIXED PACKET SIZE / BLOCKING FACTOR   24-27 TRACK SIZE   28-31 LAST RECORDED ADDRESS
///     32 TRACK NUMBER (MSB)   33 SESSION NUMBER (MSB)   34-35 rsvd   36-39 READ COMPATIBILITY LBA
///     40-43 NEXT LAYER JUMP ADDRESS   44-47 LAST LAYER JUMP ADDRESS
public enum ReadTrackInformation {
    /// - Throws: LBA OUT OF RANGE for an LBA past the track, INVALID FIELD IN CDB for another track,
    ///   session or the reserved type 11b.
    public static func response(
        addressType: UInt8, number: UInt32, profile: MediumProfile, blockCount: UInt32
    ) throws(Sense) -> [UInt8] {
        switch addressType & 0x3 {
        case 0b00:
            guard number < blockCount else { throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange) }
        case 0b01, 0b10:
            guard number == 1 else {
                throw Sense(
                    .illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 7))
            }
        default:
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 1, bit: 1))
        }
        // TRACK MODE 4h: data, recorded uninterrupted (CD) / "all other media" (DVD; only DVD+R and DVD+MRW
        // use 7h, MMC-6 READ TRACK INFORMATION). DATA MODE 1. Blocking factor 16 (one ECC block) on DVD.
        // A ROM track is complete: LRA_V with the last recorded address = its last block (as tgt's DVD-ROM);
        // DVD-RAM has no recorded/unrecorded distinction, so LRA_V stays 0.
        let blockingFactor: UInt32 = profile.isDVD ? 16 : 0
        let lastRecorded: UInt32? = profile.isRewritable ? nil : (blockCount == 0 ? 0 : blockCount - 1)
        var r = be16(46) + [1, 1, 0, 0x04, 0x01, lastRecorded == nil ? 0x00 : 0x02]
        r += be32(0)  // track start
        r += be32(0)  // next writable address (NWA_V 0)
        r += be32(0)  // free blocks
        r += be32(blockingFactor)
        r += be32(blockCount)  // track size
        r += be32(lastRecorded ?? 0)  // last recorded address
        r += [0, 0, 0, 0]
        r += [UInt8](repeating: 0, count: 12)
        return r
    }
}
