/// The `fbo/…` config string of an optical device, as tcmu-runner's file_optical handler reads it, plus
/// emud's own option words.
///
/// Syntax (after the handler name): zero or more option words, each ended by `/`, then the absolute image
/// path, which starts with its own `/`. Words are case-insensitive, as in tcmu-runner:
///
///     fbo//srv/disc.img                       DVD-RAM, read-write (tcmu-runner)
///     fbo/ro//srv/disc.iso                    DVD-ROM (tcmu-runner)
///     fbo/profile-cdrom//srv/disc.iso         CD-ROM (data track, mode 1)
///     fbo/ro/profile-dvdram//srv/disc.img     write-protected DVD-RAM (writes get DATA PROTECT)
///     fbo/empty//srv/disc.iso                 empty tray; `insert` without a path loads this image
///     fbo/empty                               empty tray, no image named yet
///     fbo/profile-dvd+r//srv/burn.img         a recordable DVD+R: blank when the image is missing, else
///                                             as its `burn.img.disc` record left it (issue 17)
///     fbo/profile-cdr/capacity-333000//srv/cd.img   a blank CD-R of 333 000 blocks
///
/// Words: `ro`, `profile-NAME` (`MediumProfile.name`: cdrom, cdr, cdrw, dvdrom, dvd-r, dvdram, dvd-rw-ro,
/// dvd-rw, dvd+rw, dvd+r, bd-r, bd-re), `capacity-BLOCKS` (a new blank recordable disc's size), `empty`. Without a profile word the
/// medium is DVD-ROM with `ro` and DVD-RAM without, as in tcmu-runner.
public struct OpticalConfig: Sendable, Hashable {
    /// The image file or block device; nil only with `empty`.
    public var imagePath: String?
    /// `ro`: open the image read-only; a DVD-RAM medium is then write-protected.
    public var readOnly: Bool
    /// The profile chosen by a `profile-…` word, or nil for the tcmu-runner default.
    public var profile: MediumProfile?
    /// `empty`: start with the tray closed and no disc in it.
    public var startEmpty: Bool
    /// `capacity-N`: the blocks of a new blank recordable disc (nil: the profile's nominal capacity).
    public var capacityBlocks: UInt32?

    public init(imagePath: String?, readOnly: Bool = false, profile: MediumProfile? = nil, startEmpty: Bool = false) {
        self.imagePath = imagePath
        self.readOnly = readOnly
        self.profile = profile
        self.startEmpty = startEmpty
    }

    /// The medium profile in effect: the chosen one, else DVD-ROM when `ro`, else DVD-RAM.
    public var effectiveProfile: MediumProfile { profile ?? (readOnly ? .dvdROM : .dvdRAM) }

    public static let optionWords = ["ro", "empty", "capacity-BLOCKS"] + MediumProfile.allCases.map(\.optionWord)

    /// Parses `fbo/[word/]…/absolute/path` (the `fbo/` prefix may be left off).
    /// - Throws: `OpticalConfigError` naming the offending word or the missing path.
    public init(parsing config: String) throws(OpticalConfigError) {
        self.init(imagePath: nil)
        var rest = Substring(config)
        if let slash = rest.firstIndex(of: "/"), rest[..<slash].lowercased() == "fbo" {
            rest = rest[rest.index(after: slash)...]
        } else if rest.lowercased() == "fbo" {
            rest = ""
        }
        while let first = rest.first, first != "/" {
            let word = rest.prefix { $0 != "/" }
            rest = rest.dropFirst(word.count)
            if rest.first == "/" { rest = rest.dropFirst() }
            try apply(option: word)
        }
        if !rest.isEmpty { imagePath = String(rest) }
        if imagePath == nil, !startEmpty {
            throw OpticalConfigError(
                "fbo: no image path in '\(config)'; expected fbo/[option/]…/absolute/path (options: "
                    + Self.optionWords.joined(separator: ", ") + ")")
        }
    }

    private mutating func apply(option word: Substring) throws(OpticalConfigError) {
        let w = word.lowercased()
        switch w {
        case "ro": readOnly = true
        case "empty": startEmpty = true
        case _ where w.hasPrefix("capacity-"):
            guard let n = UInt32(w.dropFirst("capacity-".count)), n > 0 else {
                throw OpticalConfigError("fbo: '\(word)': expected capacity-BLOCKS, a number of 2048-byte blocks above 0")
            }
            capacityBlocks = n
        default:
            guard let p = MediumProfile.allCases.first(where: { $0.optionWord == w }) else {
                throw OpticalConfigError(
                    "fbo: unknown option '\(word)' (known: " + Self.optionWords.joined(separator: ", ") + ")")
            }
            if let profile, profile != p {
                throw OpticalConfigError("fbo: option '\(word)' conflicts with '\(profile.optionWord)'")
            }
            profile = p
        }
    }
}

/// A config string the optical handler cannot use; the message names the field.
public struct OpticalConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
