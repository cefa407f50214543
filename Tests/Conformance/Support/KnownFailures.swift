import Foundation

/// The exchanges of the committed fixtures that are expected to fail: a disagreement between emud (or
/// the TCMU kernel ABI) and the spec-derived expectation that has been reported but not fixed. The
/// expectation in the corpus stays as the standard says; the entry only makes the failure *known*.
///
/// File `fixtures/known-failures`, one entry a line, `#` comments:
///
///     <corpus path relative to fixtures/> | <exact exchange title> | <why: spec section, emud's answer>
///
/// A known failure is never a pass: the conformance test records it as a known issue, counts it, and
/// fails when a listed exchange passes (remove the entry) or no longer exists (fix the entry).
struct KnownFailure: Hashable {
    var corpus: String
    var title: String
    var reason: String
}

enum KnownFailures {
    static let path = ReplayFixtures.directory + "/known-failures"

    /// Every entry, or the reason the file cannot be read as such.
    static let all: Result<[KnownFailure], KnownFailuresError> = {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return .success([]) }
        return parse(text)
    }()

    static func parse(_ text: String) -> Result<[KnownFailure], KnownFailuresError> {
        var entries: [KnownFailure] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "|", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3, fields.allSatisfy({ !$0.isEmpty }) else {
                return .failure(KnownFailuresError(line: n + 1, text: line))
            }
            entries.append(KnownFailure(corpus: fields[0], title: fields[1], reason: fields[2]))
        }
        return .success(entries)
    }

    /// The entries for one corpus, by exchange title.
    static func entries(for corpus: String) -> [String: KnownFailure] {
        let list = (try? all.get()) ?? []
        return Dictionary(list.filter { $0.corpus == corpus }.map { ($0.title, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

struct KnownFailuresError: Error, CustomStringConvertible {
    var line: Int
    var text: String
    var description: String { "known-failures line \(line): expected 'corpus | title | reason', got '\(text)'" }
}
