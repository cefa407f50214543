/// The medium kinds the emulated drive can hold, by MMC-6 profile number (MMC-6 §5.3.1, table 91).
///
/// The drive is one model: a DVD-RAM/BD writer that reads DVD-ROM and CD-ROM and records CD-R/RW,
/// DVD±R/RW and BD-R/RE (issue 17). The profile says which kind of disc is in it now (GET
/// CONFIGURATION's CURRENT PROFILE); the drive's profile list is the union.
public enum MediumProfile: UInt16, Sendable, Hashable, CaseIterable {
    /// 0008h CD-ROM: one data track, mode 1, 2048-byte user data.
    case cdROM = 0x0008
    /// 0009h CD-R: write-once, sequential (TAO, SAO), multi-session.
    case cdR = 0x0009
    /// 000Ah CD-RW: sequential recording, erasable by BLANK.
    case cdRW = 0x000A
    /// 0010h DVD-ROM: read-only DVD.
    case dvdROM = 0x0010
    /// 0011h DVD-R sequential recording.
    case dvdMinusR = 0x0011
    /// 0012h DVD-RAM: random-access rewritable DVD (writes, FORMAT UNIT).
    case dvdRAM = 0x0012
    /// 0013h DVD-RW restricted overwrite (formatted; writes anywhere in 16-block units).
    case dvdMinusRWOverwrite = 0x0013
    /// 0014h DVD-RW sequential recording (blank or appendable; BLANK erases).
    case dvdMinusRWSequential = 0x0014
    /// 001Ah DVD+RW: overwritable once formatted.
    case dvdPlusRW = 0x001A
    /// 001Bh DVD+R: write-once, sequential, multi-session.
    case dvdPlusR = 0x001B
    /// 0041h BD-R sequential recording mode (SRM).
    case bdR = 0x0041
    /// 0043h BD-RE: rewritable, formatted.
    case bdRE = 0x0043

    /// How the medium takes writes (MMC-6 §4.3–4.5).
    public enum Recording: Sendable, Hashable {
        /// Pressed or write-protected: no writes.
        case readOnly
        /// DVD-RAM: random writes, FORMAT UNIT zero-fills.
        case randomAccess
        /// Writes only at a track's next writable address (MMC-6 §4.5 sequential recording).
        case sequential
        /// Writes anywhere on the formatted medium (DVD+RW, DVD-RW restricted overwrite, BD-RE).
        case overwrite
    }

    /// The profile number as GET CONFIGURATION reports it.
    public var number: UInt16 { rawValue }

    public var recording: Recording {
        switch self {
        case .cdROM, .dvdROM: .readOnly
        case .dvdRAM: .randomAccess
        case .cdR, .cdRW, .dvdMinusR, .dvdMinusRWSequential, .dvdPlusR, .bdR: .sequential
        case .dvdMinusRWOverwrite, .dvdPlusRW, .bdRE: .overwrite
        }
    }

    /// DVD-RAM only: the random-access rewritable profile tcmu-runner's fbo emulates (zero-fill FORMAT UNIT,
    /// DVD-RAM structures).
    public var isRewritable: Bool { self == .dvdRAM }
    /// A blank-able or writable medium other than DVD-RAM: the recordable disc model (`DiscLayout`) applies.
    public var isRecordable: Bool { recording == .sequential || recording == .overwrite }
    /// Erasable (READ DISC INFORMATION's ERASABLE bit): RW media and DVD-RAM.
    public var isErasable: Bool {
        switch self {
        case .cdRW, .dvdRAM, .dvdMinusRWOverwrite, .dvdMinusRWSequential, .dvdPlusRW, .bdRE: true
        default: false
        }
    }
    public var isCD: Bool { self == .cdROM || self == .cdR || self == .cdRW }
    public var isBD: Bool { self == .bdR || self == .bdRE }
    public var isDVD: Bool { !isCD && !isBD }

    /// The profiles the drive lists in feature 0000h, in descending profile number (MMC-6 §5.3.1).
    public static let driveProfiles: [MediumProfile] = allCases.sorted { $0.rawValue > $1.rawValue }

    /// The `fbo/` option word that selects this profile.
    public var optionWord: String { "profile-" + name }

    /// The short name used by `profile-NAME`, `blank-NAME` and `emud ctl insert --blank NAME`.
    public var name: String {
        switch self {
        case .cdROM: "cdrom"
        case .cdR: "cdr"
        case .cdRW: "cdrw"
        case .dvdROM: "dvdrom"
        case .dvdMinusR: "dvd-r"
        case .dvdRAM: "dvdram"
        case .dvdMinusRWOverwrite: "dvd-rw-ro"
        case .dvdMinusRWSequential: "dvd-rw"
        case .dvdPlusRW: "dvd+rw"
        case .dvdPlusR: "dvd+r"
        case .bdR: "bd-r"
        case .bdRE: "bd-re"
        }
    }

    /// The profile named `name` (case-insensitive), or nil.
    public static func named(_ name: String) -> MediumProfile? {
        let n = name.lowercased()
        return allCases.first { $0.name == n }
    }

    /// Blocks per ECC block: 32 for BD, 16 for DVD, 1 for CD (the BLOCKING field of features 0010h, 0020h).
    public var blocking: UInt16 { isBD ? 32 : isDVD ? 16 : 1 }

    /// The capacity of a blank disc when none is given, in 2048-byte blocks: CD 80 min (359 847 blocks:
    /// 79:59:72 less the 2 s pre-gap), DVD single layer 2 295 104, BD single layer 12 219 392 (MMC-6 and the
    /// disc formats' nominal capacities, as real drives report in READ FORMAT CAPACITIES / track free blocks).
    public var nominalBlocks: UInt32 { isCD ? 359_847 : isBD ? 12_219_392 : 2_295_104 }
}
