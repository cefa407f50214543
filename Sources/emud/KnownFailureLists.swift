import Conformance

/// Where `emud replay` takes its known failures from: one file given with `--known-failures`, none with
/// `--no-known-failures`, or else the nearest `known-failures` in each corpus's directory or above it
/// (read once per file).
struct KnownFailureLists {
    private let fixed: KnownFailureList?
    private let disabled: Bool
    private var cache: [String: KnownFailureList?] = [:]

    init(file: String?, disabled: Bool) throws(KnownFailureListError) {
        self.fixed = try file.map { path throws(KnownFailureListError) in try KnownFailureList(contentsOf: path) }
        self.disabled = disabled
    }

    mutating func entries(forCorpusAt path: String) throws(KnownFailureListError) -> [String: KnownFailure] {
        if disabled { return [:] }
        if let fixed { return fixed.entries(forCorpusAt: path) }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        guard let listPath = KnownFailureList.nearest(from: directory.isEmpty ? "/" : directory) else { return [:] }
        if cache[listPath] == nil { cache[listPath] = try KnownFailureList(contentsOf: listPath) }
        return cache[listPath]??.entries(forCorpusAt: path) ?? [:]
    }
}

/// The counts of the closing line.
struct KnownFailureTotals {
    var passed = 0, failed = 0, known = 0
    mutating func add(_ v: KnownFailureVerdict) {
        passed += v.passed
        failed += v.failed
        known += v.known
    }
}
