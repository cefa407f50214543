import Sense

/// READ DISC INFORMATION (51h), standard disc information (MMC-6 §6.22).
///
/// CDB:  | 51h | DATA TYPE (2-0) | rsvd ×5 | ALLOC LEN (2) @7 | CONTROL |   (data types other than 000b: 24/00)
///
/// Response (34 bytes):
///     0-1  DISC INFORMATION LENGTH (32)
///     2    DATA TYPE 000b (7-5) | ERASABLE (4) | STATE OF LAST SESSION (3-2) | DISC STATUS (1-0)
///     3    FIRST TRACK ON DISC     4  SESSIONS (LSB)     5  FIRST TRACK IN LAST SESSION (LSB)
///     6    LAST TRACK IN LAST SESSION (LSB)
///     7    DID_V (7) DBC_V (6) URU (5) DAC_V (4) | BG FORMAT STATUS (1-0)
///     8    DISC TYPE (00h CD-DA or CD-ROM)      9-11  the MSBs of bytes 4-6
///     12-15 DISC IDENTIFICATION   16-19 LAST SESSION LEAD-IN START   20-23 LAST POSSIBLE LEAD-OUT START
///     24-31 DISC BAR CODE   32 DISC APPLICATION CODE   33 NUMBER OF OPC TABLES
public enum ReadDiscInformation {
    /// Finalized ROM discs: session complete (11b), disc complete (10b), lead-in/out addresses FFFFFFFFh.
    /// DVD-RAM: erasable, session complete, disc status 11b ("others": random-access media).
    public static func response(profile: MediumProfile) -> [UInt8] {
        let rewritable = profile.isRewritable
        let status: UInt8 = rewritable ? 0x1F : 0x0E
        let unknownAddress: [UInt8] = rewritable ? [0, 0, 0, 0] : [0xFF, 0xFF, 0xFF, 0xFF]
        return be16(32) + [status, 1, 1, 1, 1, 0x20, 0x00, 0, 0, 0]
            + [0, 0, 0, 0] + unknownAddress + unknownAddress
            + [UInt8](repeating: 0, count: 8) + [0, 0]
    }

    /// Rejects data types other than 000b (track resources and POW resources are for recordable media).
    public static func checkDataType(_ cdb: CDB) throws(Sense) {
        guard cdb[1] & 0x07 == 0 else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 1, bit: 2))
        }
    }
}
