@testable import Conformance
import Foundation
import Testing
import TestSupport


/// The known-failures file: its format, paths relative to its directory, the nearest-file search, and how
/// a report splits into passed, failed and known.
@Suite struct KnownFailureListTests {
    @Test func parsesEntriesAndNamesTheBadLine() throws {
        let list = try KnownFailureList(parsing: "# c\n\nsbc/a.corpus | WRITE short | SBC-4 §5.40; emud 0E/03\n", directory: "/f")
        #expect(list.entries == [KnownFailure(corpus: "sbc/a.corpus", title: "WRITE short", reason: "SBC-4 §5.40; emud 0E/03")])
        #expect(throws: KnownFailureListError(line: 2, text: "sbc/a.corpus | no reason")) {
            try KnownFailureList(parsing: "# c\nsbc/a.corpus | no reason\n", directory: "/f")
        }
        #expect(throws: KnownFailureListError(line: 1, text: "a | | r")) { try KnownFailureList(parsing: "a | | r", directory: "/f") }
    }

    @Test func corpusPathsAreRelativeToTheListsDirectory() throws {
        let list = try KnownFailureList(parsing: "sbc/a.corpus | T | r\n", directory: "/f/fixtures")
        #expect(list.entries(forCorpusAt: "/f/fixtures/sbc/a.corpus").keys.sorted() == ["T"])
        #expect(list.entries(forCorpusAt: "/f/fixtures/./sbc/../sbc/a.corpus").keys.sorted() == ["T"])
        #expect(list.entries(forCorpusAt: "/f/other/sbc/a.corpus").isEmpty)
        #expect(list.entries(forCorpusAt: "/f/fixtures/sbc/b.corpus").isEmpty)
        #expect(list.relativePath(of: "/f/fixturesX/sbc/a.corpus") == nil)
    }

    @Test func theNearestListIsFoundInTheDirectoryOrAbove() throws {
        let dir = try TemporaryDirectory("known")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("a/b"), withIntermediateDirectories: true)
        #expect(KnownFailureList.nearest(from: dir.file("a/b"))?.hasPrefix(dir.path) != true)
        try "".write(toFile: dir.file("known-failures"), atomically: true, encoding: .utf8)
        #expect(KnownFailureList.nearest(from: dir.file("a/b")) == dir.file("known-failures"))
        try "".write(toFile: dir.file("a/known-failures"), atomically: true, encoding: .utf8)
        #expect(KnownFailureList.nearest(from: dir.file("a/b")) == dir.file("a/known-failures"))
    }

    @Test func aVerdictCountsKnownApartAndNamesStaleEntries() {
        func result(_ i: Int, _ title: String, passed: Bool) -> CorpusExchangeResult {
            CorpusExchangeResult(index: i, title: title, line: 0, cdb: [0], failures: passed ? [] : ["differs"])
        }
        let report = CorpusReplayReport(path: "a.corpus", results: [
            result(0, "ok", passed: true), result(1, "listed, fails", passed: false),
            result(2, "listed, passes", passed: true), result(3, "unlisted, fails", passed: false),
        ])
        let entry = { (t: String) in KnownFailure(corpus: "a.corpus", title: t, reason: "r") }
        let v = KnownFailureVerdict(report, known: ["listed, fails": entry("listed, fails"), "listed, passes": entry("listed, passes")])
        #expect((v.passed, v.failed, v.known) == (2, 1, 1))
        #expect(v.stale == ["listed, passes"])
        #expect(v.unexpected.results.map(\.title) == ["unlisted, fails"])
    }
}
