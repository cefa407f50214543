import Foundation

/// One exchange of a committed corpus that is expected to fail: a disagreement between emud (or the TCMU
/// kernel ABI) and the spec-derived expectation that has been reported but not fixed. The expectation in
/// the corpus stays as the standard says; the entry only makes the failure *known* — counted apart, never
/// as a pass.
public struct KnownFailure: Hashable, Sendable {
    /// The corpus path relative to the list's directory.
    public var corpus: String
    /// The exact exchange title.
    public var title: String
    /// Why: the spec rule, emud's answer, the cause.
    public var reason: String

    public init(corpus: String, title: String, reason: String) {
        self.corpus = corpus
        self.title = title
        self.reason = reason
    }
}

/// A `known-failures` file: one entry a line, `#` comments, corpus paths relative to the file's directory:
///
///     <corpus path> | <exact exchange title> | <why: spec section, emud's answer>
public struct KnownFailureList: Sendable {
    /// The name `emud replay` looks for beside a corpus and in the directories above it.
    public static let fileName = "known-failures"

    /// The directory the entries' corpus paths are relative to.
    public let directory: String
    public let entries: [KnownFailure]

    public init(parsing text: String, directory: String) throws(KnownFailureListError) {
        var entries: [KnownFailure] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "|", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3, fields.allSatisfy({ !$0.isEmpty }) else {
                throw KnownFailureListError(line: n + 1, text: line)
            }
            entries.append(KnownFailure(corpus: fields[0], title: fields[1], reason: fields[2]))
        }
        self.directory = Self.absolute(directory)
        self.entries = entries
    }

    public init(contentsOf path: String) throws(KnownFailureListError) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw KnownFailureListError(line: 0, text: "\(path): cannot be read")
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        try self.init(parsing: text, directory: directory.isEmpty ? "/" : directory)
    }

    /// The entries for the corpus at `path` (as given to the replay), by exchange title.
    public func entries(forCorpusAt path: String) -> [String: KnownFailure] {
        guard let relative = relativePath(of: path) else { return [:] }
        let matching = entries.filter { $0.corpus == relative }.map { ($0.title, $0) }
        return Dictionary(matching, uniquingKeysWith: { first, _ in first })
    }

    /// `path` relative to the list's directory, or nil when it is not below it.
    public func relativePath(of path: String) -> String? {
        let full = Self.absolute(path)
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return full.hasPrefix(base) ? String(full.dropFirst(base.count)) : nil
    }

    /// The nearest `known-failures` file in `directory` or a directory above it, if any.
    public static func nearest(from directory: String) -> String? {
        var url = URL(fileURLWithPath: absolute(directory), isDirectory: true)
        while true {
            let candidate = url.appendingPathComponent(fileName).path
            if FileManager.default.isReadableFile(atPath: candidate) { return candidate }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    static func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}

public struct KnownFailureListError: Error, CustomStringConvertible, Equatable {
    /// The line number (1-based), 0 when the file could not be read at all.
    public var line: Int
    public var text: String
    public init(line: Int, text: String) {
        self.line = line
        self.text = text
    }
    public var description: String {
        line == 0 ? "known-failures: \(text)" : "known-failures line \(line): expected 'corpus | title | reason', got '\(text)'"
    }
}

/// A replay report split by a known-failures list: what failed unexpectedly, what failed as listed, and
/// which listed exchanges pass now (their entries are stale).
public struct KnownFailureVerdict: Sendable {
    public var passed = 0
    public var failed = 0
    public var known = 0
    /// Listed exchanges that passed: the entry should go.
    public var stale: [String] = []
    /// The report with the known failures taken out, for printing what failed unexpectedly.
    public var unexpected: CorpusReplayReport

    public init(_ report: CorpusReplayReport, known entries: [String: KnownFailure]) {
        unexpected = CorpusReplayReport(path: report.path, setupFailure: report.setupFailure)
        for result in report.results {
            switch (result.passed, entries[result.title] != nil) {
            case (true, false): passed += 1
            case (true, true): passed += 1; stale.append(result.title)
            case (false, true): known += 1
            case (false, false): unexpected.results.append(result)
            }
        }
        failed = unexpected.failedCount
    }
}
