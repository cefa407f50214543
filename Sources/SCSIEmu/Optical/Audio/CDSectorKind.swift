/// The format of one sector as READ CD tells them apart (MMC-6 §6.19.2.1, EXPECTED SECTOR TYPE), and the
/// byte ranges of each field in its 2352 raw bytes (ECMA-130 §14, CD-ROM XA for mode 2 forms):
///
///     kind (type code)  sync   header  subheader  user data    EDC/ECC
///     CD-DA (001b)      -      -       -          0-2351       -
///     mode 1 (010b)     0-11   12-15   -          16-2063      2064-2351 (EDC, 8 zero, P, Q parity)
///     mode 2 (011b)     0-11   12-15   -          16-2351      -
///     form 1 (100b)     0-11   12-15   16-23      24-2071      2072-2351
///     form 2 (101b)     0-11   12-15   16-23      24-2347      2348-2351 (EDC)
public enum CDSectorKind: UInt8, Sendable, Hashable {
    case cdda = 1
    case mode1 = 2
    case mode2Formless = 3
    case mode2Form1 = 4
    case mode2Form2 = 5

    /// The kind of a raw data sector from its header MODE byte and, for mode 2, the XA subheader (the
    /// two copies equal; SUBMODE bit 5 form 2).
    public static func of(raw s: [UInt8], track: CDTrackMode) -> CDSectorKind {
        guard track.isData else { return .cdda }
        guard s[15] == 2 else { return .mode1 }
        guard s[16..<20] == s[20..<24] else { return .mode2Formless }
        return s[18] & 0x20 != 0 ? .mode2Form2 : .mode2Form1
    }

    var subheader: Range<Int>? { self == .mode2Form1 || self == .mode2Form2 ? 16..<24 : nil }

    var userData: Range<Int> {
        switch self {
        case .cdda: 0..<2352
        case .mode1: 16..<2064
        case .mode2Formless: 16..<2352
        case .mode2Form1: 24..<2072
        case .mode2Form2: 24..<2348
        }
    }

    var edcECC: Range<Int>? {
        switch self {
        case .cdda, .mode2Formless: nil
        case .mode1: 2064..<2352
        case .mode2Form1: 2072..<2352
        case .mode2Form2: 2348..<2352
        }
    }
}
