/// A CUE sheet: the text file that describes a CD image's BIN files and their tracks (the CDRWIN format,
/// as cdrdao, ImgBurn and libcdio read it). Parsed into values; layout on the disc is `CDLayout`'s.
///
/// Commands understood (keywords case-insensitive, one per line; `REM`, `TITLE`, `PERFORMER`,
/// `SONGWRITER`, `CDTEXTFILE` are accepted and ignored):
///
///     CATALOG 0123456789012                  media catalogue number (13 digits; READ SUB-CHANNEL 02h)
///     FILE "name.bin" BINARY                 a data file, relative to the sheet's folder (BINARY only)
///       TRACK nn AUDIO|MODE1/2048|MODE1/2352|MODE2/2352
///         FLAGS DCP 4CH PRE                  Q CONTROL bits (Red Book: copy permitted, 4 channels, pre-emphasis)
///         ISRC CCOOOYYSSSSS                  12 characters (READ SUB-CHANNEL 03h)
///         PREGAP mm:ss:ff                    silence/empty sectors not in the file, before INDEX 01
///         INDEX 00 mm:ss:ff                  pregap stored in the file (time from the file's start)
///         INDEX 01 mm:ss:ff                  track start (time from the file's start)
///         POSTGAP mm:ss:ff                   empty sectors not in the file, after the track
///
/// Times are minutes:seconds:frames with 75 frames per second (Red Book; MMC-6 §4.2.3.5).
public struct CueSheet: Sendable, Hashable {
    public struct File: Sendable, Hashable {
        public var name: String
        public var tracks: [Track]
        public var line: Int
    }

    public struct Track: Sendable, Hashable {
        public var number: UInt8
        public var mode: CDTrackMode
        /// Indexes in the order given, each with its frame from the file's start.
        public var indexes: [Index]
        public var pregapFrames: UInt32 = 0
        public var postgapFrames: UInt32 = 0
        /// The FLAGS bits for the Q CONTROL nibble besides the data bit (DCP 2h, 4CH 8h, PRE 1h).
        public var flags: UInt8 = 0
        public var isrc: String?
        public var line: Int

        /// The frame of index `n` in the file, if given.
        public func index(_ n: UInt8) -> UInt32? { indexes.first { $0.number == n }?.frame }
    }

    public struct Index: Sendable, Hashable {
        public var number: UInt8
        public var frame: UInt32
    }

    public var catalog: String?
    public var files: [File]

    public var tracks: [Track] { files.flatMap(\.tracks) }
}

/// A CUE sheet the drive cannot use: the line (1-based) and field at fault, and why.
public struct CueSheetError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var field: String
    public var reason: String

    public init(line: Int, field: String, reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String { "cue sheet line \(line), \(field): \(reason)" }
}
