/// The medium kinds the emulated drive can hold, by MMC-6 profile number (MMC-6 §5.3.1, table 91).
///
/// The drive itself is one model: a DVD-RAM writer that also reads DVD-ROM and CD-ROM. The profile says
/// which kind of disc is in it now (GET CONFIGURATION's CURRENT PROFILE).
public enum MediumProfile: UInt16, Sendable, Hashable, CaseIterable {
    /// 0008h CD-ROM: one data track, mode 1, 2048-byte user data.
    case cdROM = 0x0008
    /// 0010h DVD-ROM: read-only DVD.
    case dvdROM = 0x0010
    /// 0012h DVD-RAM: random-access rewritable DVD (writes, FORMAT UNIT).
    case dvdRAM = 0x0012

    /// The profile number as GET CONFIGURATION reports it.
    public var number: UInt16 { rawValue }

    /// Whether the medium can be written (before any write protection).
    public var isRewritable: Bool { self == .dvdRAM }
    public var isDVD: Bool { self != .cdROM }
    public var isCD: Bool { self == .cdROM }

    /// The profiles the drive lists in feature 0000h, in descending profile number (MMC-6 §5.3.1).
    public static let driveProfiles: [MediumProfile] = [.dvdRAM, .dvdROM, .cdROM]

    /// The `fbo/` option word that selects this profile.
    public var optionWord: String {
        switch self {
        case .cdROM: "profile-cdrom"
        case .dvdROM: "profile-dvdrom"
        case .dvdRAM: "profile-dvdram"
        }
    }

    /// Blocks per ECC block: 16 for DVD, 1 for CD (the BLOCKING field of features 0010h and 0020h).
    public var blocking: UInt16 { isDVD ? 16 : 1 }
}
