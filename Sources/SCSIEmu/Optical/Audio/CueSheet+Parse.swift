/// The CUE sheet parser: one command per line, each checked as it comes; every error names the line and
/// the field (see `CueSheet` for the commands).
extension CueSheet {
    /// Parses the text of a CUE sheet.
    /// - Throws: `CueSheetError` for the first line that is not a valid command or breaks the track order
    ///   (tracks numbered 1… in order, INDEX 01 present, indexes ascending, at most 99 tracks).
    public init(parsing text: String) throws(CueSheetError) {
        var parser = Parser()
        var lineNumber = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let words = Self.words(raw.hasSuffix("\r") ? raw.dropLast() : raw[...])
            guard let keyword = words.first?.uppercased() else { continue }
            try parser.apply(keyword, Array(words.dropFirst()), line: lineNumber)
        }
        try parser.finishTrack()
        guard let last = parser.files.last, !last.tracks.isEmpty else {
            throw CueSheetError(line: lineNumber, field: "TRACK", reason: "the sheet names no track")
        }
        self.init(catalog: parser.catalog, files: parser.files)
    }

    /// Splits a line into words; a double-quoted word may hold spaces.
    static func words(_ line: Substring) -> [String] {
        var words: [String] = []
        var rest = line[...]
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard let first = rest.first else { return words }
            if first == "\"" {
                let body = rest.dropFirst()
                let word = body.prefix { $0 != "\"" }
                words.append(String(word))
                rest = body.dropFirst(word.count + 1)
            } else {
                let word = rest.prefix { $0 != " " && $0 != "\t" }
                words.append(String(word))
                rest = rest.dropFirst(word.count)
            }
        }
    }

    /// `mm:ss:ff` in frames (seconds < 60, frames < 75).
    static func frames(_ text: String, line: Int, field: String) throws(CueSheetError) -> UInt32 {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let m = UInt32(parts[0]), let s = UInt32(parts[1]), let f = UInt32(parts[2]),
            m < 1000, s < 60, f < 75
        else {
            throw CueSheetError(
                line: line, field: field, reason: "'\(text)' is not a time mm:ss:ff (seconds < 60, frames < 75)")
        }
        return (m * 60 + s) * 75 + f
    }

    struct Parser {
        var catalog: String?
        var files: [File] = []
        var track: Track?

        mutating func finishTrack() throws(CueSheetError) {
            guard let t = track else { return }
            track = nil
            guard t.index(1) != nil else {
                throw CueSheetError(line: t.line, field: "TRACK \(t.number)", reason: "has no INDEX 01")
            }
            files[files.count - 1].tracks.append(t)
        }

        func require(_ args: [String], _ count: Int, _ keyword: String, line: Int, usage: String) throws(CueSheetError) {
            guard args.count == count else {
                throw CueSheetError(line: line, field: keyword, reason: "expected '\(usage)'")
            }
        }

        func currentTrack(_ keyword: String, line: Int) throws(CueSheetError) -> Track {
            guard let track else { throw CueSheetError(line: line, field: keyword, reason: "comes before any TRACK") }
            return track
        }

        mutating func apply(_ keyword: String, _ args: [String], line: Int) throws(CueSheetError) {
            switch keyword {
            case "REM", "TITLE", "PERFORMER", "SONGWRITER", "CDTEXTFILE": return
            case "CATALOG":
                try require(args, 1, keyword, line: line, usage: "CATALOG 13-digit-number")
                guard args[0].count == 13, args[0].allSatisfy(\.isASCII), args[0].allSatisfy(\.isNumber) else {
                    throw CueSheetError(line: line, field: "CATALOG", reason: "'\(args[0])' is not 13 digits")
                }
                catalog = args[0]
            case "FILE":
                try require(args, 2, keyword, line: line, usage: "FILE \"name\" BINARY")
                guard args[1].uppercased() == "BINARY" else {
                    throw CueSheetError(
                        line: line, field: "FILE type",
                        reason: "'\(args[1])' is not supported (only BINARY: raw sectors, little-endian audio)")
                }
                try finishTrack()
                files.append(File(name: args[0], tracks: [], line: line))
            case "TRACK": try startTrack(args, line: line)
            case "INDEX": try addIndex(args, line: line)
            case "PREGAP", "POSTGAP":
                try require(args, 1, keyword, line: line, usage: "\(keyword) mm:ss:ff")
                var t = try currentTrack(keyword, line: line)
                let frames = try CueSheet.frames(args[0], line: line, field: keyword)
                if keyword == "PREGAP" {
                    guard t.indexes.isEmpty else {
                        throw CueSheetError(line: line, field: "PREGAP", reason: "must come before the track's INDEX lines")
                    }
                    t.pregapFrames = frames
                } else {
                    t.postgapFrames = frames
                }
                track = t
            case "FLAGS":
                var t = try currentTrack(keyword, line: line)
                for word in args {
                    switch word.uppercased() {
                    case "DCP": t.flags |= 0x02
                    case "4CH": t.flags |= 0x08
                    case "PRE": t.flags |= 0x01
                    case "SCMS": break
                    default: throw CueSheetError(line: line, field: "FLAGS", reason: "unknown flag '\(word)' (DCP, 4CH, PRE, SCMS)")
                    }
                }
                track = t
            case "ISRC":
                try require(args, 1, keyword, line: line, usage: "ISRC CCOOOYYSSSSS")
                var t = try currentTrack(keyword, line: line)
                guard args[0].count == 12, args[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    throw CueSheetError(line: line, field: "ISRC", reason: "'\(args[0])' is not 12 letters and digits")
                }
                t.isrc = args[0].uppercased()
                track = t
            default:
                throw CueSheetError(line: line, field: keyword, reason: "unknown command")
            }
        }

        mutating func startTrack(_ args: [String], line: Int) throws(CueSheetError) {
            try require(args, 2, "TRACK", line: line, usage: "TRACK nn MODE")
            guard !files.isEmpty else { throw CueSheetError(line: line, field: "TRACK", reason: "comes before any FILE") }
            try finishTrack()
            let previous = files.flatMap(\.tracks).last?.number ?? 0
            guard let n = UInt8(args[0]), n >= 1, n <= 99 else {
                throw CueSheetError(line: line, field: "TRACK number", reason: "'\(args[0])' is not 1…99")
            }
            guard n == previous + 1 else {
                throw CueSheetError(line: line, field: "TRACK number", reason: "\(n) follows \(previous) (tracks go 1, 2, …)")
            }
            guard let mode = CDTrackMode(rawValue: args[1].uppercased()) else {
                throw CueSheetError(
                    line: line, field: "TRACK mode",
                    reason: "'\(args[1])' is not supported (" + CDTrackMode.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            if let other = files[files.count - 1].tracks.first, other.mode.fileSectorSize != mode.fileSectorSize {
                throw CueSheetError(
                    line: line, field: "TRACK mode",
                    reason: "\(mode.rawValue) sectors differ in size from \(other.mode.rawValue) in the same FILE")
            }
            track = Track(number: n, mode: mode, indexes: [], line: line)
        }

        mutating func addIndex(_ args: [String], line: Int) throws(CueSheetError) {
            try require(args, 2, "INDEX", line: line, usage: "INDEX nn mm:ss:ff")
            var t = try currentTrack("INDEX", line: line)
            guard let n = UInt8(args[0]), n <= 99 else {
                throw CueSheetError(line: line, field: "INDEX number", reason: "'\(args[0])' is not 0…99")
            }
            let expected: UInt8 = t.indexes.last.map { $0.number + 1 } ?? (n == 0 ? 0 : 1)
            guard n == expected else {
                throw CueSheetError(line: line, field: "INDEX number", reason: "\(n) where \(expected) was expected")
            }
            let frame = try CueSheet.frames(args[1], line: line, field: "INDEX \(args[0]) time")
            let previous = t.indexes.last?.frame ?? files[files.count - 1].tracks.last?.indexes.last?.frame
            if let previous, frame <= previous {
                throw CueSheetError(
                    line: line, field: "INDEX \(args[0]) time", reason: "\(args[1]) is not after the previous index")
            }
            if previous == nil, frame != 0 {
                throw CueSheetError(
                    line: line, field: "INDEX \(args[0]) time", reason: "the first track of a FILE starts at 00:00:00")
            }
            t.indexes.append(Index(number: n, frame: frame))
            track = t
        }
    }
}
