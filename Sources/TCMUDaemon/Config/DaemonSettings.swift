#if canImport(Glibc)
import Glibc
#endif
import Logging
import SystemCalls

/// The daemon's settings from a tcmu.conf-compatible file: tcmu-runner's keys `log_level` (0–5) and
/// `log_dir`. The syntax is tcmu-runner's (`key = value`, `#` comments, values optionally quoted),
/// read more forgivingly: CRLF line ends, a comment after a quoted value (`key = "v" # note`), blanks
/// around `=`. Unknown keys are kept and reported, not fatal, so a tcmu.conf written for tcmu-runner
/// loads unchanged.
public struct DaemonSettings: Equatable, Sendable {
    public var logLevel: Int?
    public var logDirectory: String?
    public var unknownKeys: [String] = []

    /// tcmu-runner's default file, read when it exists and no `--config` is given.
    public static let defaultPath = "/etc/tcmu/tcmu.conf"

    /// A line of the file that could not be used.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var key: String
        public var reason: String
        public var description: String { "line \(line): \(key): \(reason)" }

        public init(line: Int, key: String, reason: String) {
            (self.line, self.key, self.reason) = (line, key, reason)
        }
    }

    /// Parses the text of a config file.
    public init(parsing text: String) throws(ParseError) {
        // "\r\n" is one Character in Swift, and a newline: CRLF files split like LF ones.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = raw.trimmedBlanks()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw ParseError(line: number, key: line, reason: "expected key = value")
            }
            let key = line[..<eq].trimmedBlanks()
            let value: String
            do throws(ValueError) { value = try Self.value(line[line.index(after: eq)...]) } catch {
                throw ParseError(line: number, key: key, reason: error.reason)
            }
            switch key {
            case "log_level":
                guard let n = Int(value), (0...5).contains(n) else {
                    throw ParseError(line: number, key: key, reason: "'\(value)' is not a level 0–5")
                }
                logLevel = n
            case "log_dir":
                guard value.hasPrefix("/") else {
                    throw ParseError(line: number, key: key, reason: "'\(value)' is not an absolute directory")
                }
                logDirectory = value
            default:
                unknownKeys.append(key)
            }
        }
    }

    public init(logLevel: Int? = nil, logDirectory: String? = nil) {
        self.logLevel = logLevel
        self.logDirectory = logDirectory
    }

    private struct ValueError: Error { var reason: String }

    /// The value after `=`: `"quoted"` or `'quoted'` (a `#` inside is kept), or bare up to a `#`;
    /// after a closing quote only blanks and a comment may follow.
    private static func value(_ text: Substring) throws(ValueError) -> String {
        let v = text.trimmedBlanks()
        guard let quote = v.first, quote == "\"" || quote == "'" else {
            if let hash = v.firstIndex(of: "#") { return v[..<hash].trimmedBlanks() }
            return v
        }
        let body = v.dropFirst()
        guard let close = body.firstIndex(of: quote) else {
            throw ValueError(reason: "missing closing \(quote)")
        }
        let rest = body[body.index(after: close)...].trimmedBlanks()
        guard rest.isEmpty || rest.hasPrefix("#") else {
            throw ValueError(reason: "unexpected '\(rest)' after the quoted value")
        }
        return String(body[..<close])
    }

    /// Precedence: command line over file over environment (`TCMU_LOGDIR`, as tcmu-runner) over defaults
    /// (level 3, no log file). tcmu-runner let the file override the command line; we do not, so that
    /// `emud --log-level 5` always means what it says.
    public static func resolve(commandLine: DaemonSettings, file: DaemonSettings?, environment: [String: String])
        -> (level: Int, directory: String?)
    {
        let level = commandLine.logLevel ?? file?.logLevel ?? 3
        let dir = commandLine.logDirectory ?? file?.logDirectory ?? environment["TCMU_LOGDIR"]
        return (level, dir)
    }

    /// tcmu-runner's levels: 0 CRIT, 1 ERROR, 2 WARNING, 3 INFO, 4 DEBUG, 5 DEBUG SCSI CMD (every CDB and
    /// its result, which the ring runner logs at trace).
    public static func logLevel(_ n: Int) -> Logger.Level {
        switch n {
        case ...0: .critical
        case 1: .error
        case 2: .warning
        case 3: .info
        case 4: .debug
        default: .trace
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    func trimmedBlanks() -> String {
        let blanks: Set<Character> = [" ", "\t", "\r", "\r\n"]
        guard let first = firstIndex(where: { !blanks.contains($0) }),
            let last = lastIndex(where: { !blanks.contains($0) })
        else { return "" }
        return String(self[first...last])
    }
}

extension DaemonSettings {
    /// Why a config file gave no settings: unreadable, or a line that could not be used.
    public enum LoadError: Error, Equatable, Sendable, CustomStringConvertible {
        case unreadable(ControlFileError)
        case invalid(path: String, ParseError)

        public var description: String {
            switch self {
            case .unreadable(let e): "\(e)"
            case .invalid(let path, let e): "\(path): \(e)"
            }
        }
    }

    /// Reads and parses a config file; a relative `path` is relative to the working directory.
    public static func load(path: String) throws(LoadError) -> DaemonSettings {
        let absolute = absolutePath(path)
        let text: String
        do { text = try ControlFiles(root: "/").read(String(absolute.dropFirst())) } catch {
            throw .unreadable(error)
        }
        do { return try DaemonSettings(parsing: text) } catch { throw .invalid(path: absolute, error) }
    }

    /// `path` made absolute against the working directory.
    public static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" + path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (cwd.hasSuffix("/") ? cwd : cwd + "/") + path
    }
}
