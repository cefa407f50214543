/// What a CD track holds and how its BIN file stores each sector (CUE `TRACK` types).
///
/// The sector formats are ECMA-130's (the Yellow Book's mode 1 and mode 2) and the Red Book's CD-DA;
/// MMC-6 §4.2.3 names them by the EXPECTED SECTOR TYPE of READ CD (§6.19, table "expected sector type").
public enum CDTrackMode: String, Sendable, Hashable, CaseIterable {
    /// CD-DA: 2352 bytes of 16-bit stereo samples per sector, stored raw.
    case audio = "AUDIO"
    /// Mode 1, only the 2048 user data bytes stored (sync, header, EDC/ECC are generated).
    case mode1Cooked = "MODE1/2048"
    /// Mode 1, the whole 2352-byte sector stored.
    case mode1Raw = "MODE1/2352"
    /// Mode 2 (CD-ROM XA form 1/form 2), the whole 2352-byte sector stored.
    case mode2Raw = "MODE2/2352"

    /// Bytes each sector takes in the BIN file.
    public var fileSectorSize: Int { self == .mode1Cooked ? 2048 : 2352 }

    public var isData: Bool { self != .audio }

    /// The Q CONTROL nibble before FLAGS: 4h for a data track (ADR/CONTROL, MMC-6 §6.26.3.2 table, Red
    /// Book: bit 2 data), 0h for two-channel audio.
    public var control: UInt8 { isData ? 0x04 : 0x00 }
}
