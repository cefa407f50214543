import Conformance

/// The committed `fixtures/known-failures` (see `KnownFailureList`). A known failure is never a pass: the
/// conformance test records it as a known issue, counts it, and fails when a listed exchange passes (remove
/// the entry) or no longer exists (fix the entry).
enum KnownFailures {
    static let path = ReplayFixtures.directory + "/" + KnownFailureList.fileName

    /// Every entry, or the reason the file cannot be read as such.
    static let list: Result<KnownFailureList, KnownFailureListError> = Result { () throws(KnownFailureListError) in
        try KnownFailureList(contentsOf: path)
    }

    /// The entries for one corpus (relative to fixtures/), by exchange title.
    static func entries(for corpus: String) -> [String: KnownFailure] {
        (try? list.get())?.entries(forCorpusAt: ReplayFixtures.path(corpus)) ?? [:]
    }
}
