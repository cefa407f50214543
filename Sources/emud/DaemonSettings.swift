import Logging

/// The daemon's settings from a tcmu.conf-compatible file (`key = value`, `#` comments, values optionally
/// quoted): `log_level` 0–5 and `log_dir`. Unknown keys are kept and reported, not fatal, so a tcmu.conf
/// written for tcmu-runner loads unchanged.
struct DaemonSettings: Equatable {
    var logLevel: Int?
    var logDirectory: String?
    var unknownKeys: [String] = []

    /// A line of the file that could not be used.
    struct ParseError: Error, Equatable, CustomStringConvertible {
        var line: Int
        var key: String
        var reason: String
        var description: String { "line \(line): \(key): \(reason)" }
    }

    /// Parses the text of a config file.
    init(parsing text: String) throws(ParseError) {
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmedBlanks()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw ParseError(line: index + 1, key: line, reason: "expected key = value")
            }
            let key = String(line[..<eq]).trimmedBlanks()
            var value = String(line[line.index(after: eq)...]).trimmedBlanks()
            if let hash = value.firstIndex(of: "#"), !(value.first == "\"" || value.first == "'") {
                value = String(value[..<hash]).trimmedBlanks()
            }
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
                value = String(value.dropFirst().dropLast())
            }
            switch key {
            case "log_level":
                guard let n = Int(value), (0...5).contains(n) else {
                    throw ParseError(line: index + 1, key: key, reason: "'\(value)' is not a level 0–5")
                }
                logLevel = n
            case "log_dir":
                guard value.hasPrefix("/") else {
                    throw ParseError(line: index + 1, key: key, reason: "'\(value)' is not an absolute directory")
                }
                logDirectory = value
            default:
                unknownKeys.append(key)
            }
        }
    }

    init(logLevel: Int? = nil, logDirectory: String? = nil) {
        self.logLevel = logLevel
        self.logDirectory = logDirectory
    }

    /// Precedence: command line over file over environment (`TCMU_LOGDIR`, as tcmu-runner) over defaults
    /// (level 3, no log file). tcmu-runner let the file override the command line; we do not, so that
    /// `emud --log-level 5` always means what it says.
    static func resolve(commandLine: DaemonSettings, file: DaemonSettings?, environment: [String: String])
        -> (level: Int, directory: String?)
    {
        let level = commandLine.logLevel ?? file?.logLevel ?? 3
        let dir = commandLine.logDirectory ?? file?.logDirectory ?? environment["TCMU_LOGDIR"]
        return (level, dir)
    }

    /// tcmu-runner's levels: 0 CRIT, 1 ERROR, 2 WARNING, 3 INFO, 4 DEBUG, 5 DEBUG SCSI CMD (every CDB and
    /// its result, which the ring runner logs at trace).
    static func logLevel(_ n: Int) -> Logger.Level {
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
        let blanks: Set<Character> = [" ", "\t", "\r"]
        guard let first = firstIndex(where: { !blanks.contains($0) }),
            let last = lastIndex(where: { !blanks.contains($0) })
        else { return "" }
        return String(self[first...last])
    }
}
