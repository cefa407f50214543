/// The words after a control command, consumed by the command's handler: flags and keywords may come in
/// any order after the positional words; whatever is left over is a usage error naming the word.
public struct ControlArguments: Sendable {
    /// The words not consumed yet, in order.
    public private(set) var remaining: [String]
    /// The command's usage line, quoted in every usage error.
    public let usage: String

    public init(_ words: [String], usage: String) {
        self.remaining = words
        self.usage = usage
    }

    /// Whether `flag` (`--force`) is present; consumes it (given twice is still once).
    public mutating func flag(_ flag: String) -> Bool {
        let had = remaining.contains(flag)
        remaining.removeAll { $0 == flag }
        return had
    }

    /// The keyword among `choices` that is present (case-insensitive), consumed; nil when none is.
    /// - Throws: a usage error when two different choices are given (`ro rw`).
    public mutating func keyword(oneOf choices: [String]) throws(ControlError) -> String? {
        let lowered = choices.map { $0.lowercased() }
        let found = remaining.indices.filter { lowered.contains(remaining[$0].lowercased()) }
        guard let first = found.first else { return nil }
        let word = remaining[first].lowercased()
        if let other = found.dropFirst().first(where: { remaining[$0].lowercased() != word }) {
            throw usageError("'\(remaining[first])' and '\(remaining[other])' conflict")
        }
        for i in found.reversed() { remaining.remove(at: i) }
        return word
    }

    /// The value after `--name` (`--capacity 4096`), both consumed; nil when the option is absent.
    /// - Throws: a usage error when the option has no value.
    public mutating func option(_ name: String) throws(ControlError) -> String? {
        guard let i = remaining.firstIndex(of: name) else { return nil }
        guard i + 1 < remaining.count, !remaining[i + 1].hasPrefix("--") else { throw usageError("\(name) needs a value") }
        let value = remaining[i + 1]
        remaining.removeSubrange(i...i + 1)
        return value
    }

    /// The next positional word (not starting with `--`), consumed.
    /// - Throws: a usage error naming `what` when there is none.
    public mutating func positional(_ what: String) throws(ControlError) -> String {
        guard let i = remaining.firstIndex(where: { !$0.hasPrefix("--") }) else {
            throw usageError("missing \(what)")
        }
        return remaining.remove(at: i)
    }

    /// The next positional word as a non-negative integer (decimal, or hex with 0x).
    public mutating func number(_ what: String) throws(ControlError) -> UInt64 {
        let word = try positional(what)
        let value = word.lowercased().hasPrefix("0x") ? UInt64(word.dropFirst(2), radix: 16) : UInt64(word)
        guard let value else { throw usageError("\(what) '\(word)' is not a number") }
        return value
    }

    /// Ends parsing.
    /// - Throws: a usage error naming the first word left over.
    public func finish() throws(ControlError) {
        if let extra = remaining.first {
            throw usageError(extra.hasPrefix("--") ? "unknown option '\(extra)'" : "unexpected '\(extra)'")
        }
    }

    /// A usage error: the reason, then the usage line.
    public func usageError(_ reason: String) -> ControlError {
        ControlError(.usage, "\(reason) (usage: \(usage))")
    }
}
