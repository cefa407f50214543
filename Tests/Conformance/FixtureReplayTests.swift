import Conformance
import Foundation
import Testing

/// Every committed corpus under fixtures/ replays against emud's shipped handlers, byte for byte. An
/// exchange listed in fixtures/known-failures is reported as a known issue — counted, never a pass — and
/// a listed exchange that passes (or does not exist) fails the test, so the list cannot go stale.
@Suite("Conformance fixtures")
struct FixtureReplayTests {
    @Test("fixture replays", arguments: ReplayFixtures.all)
    func fixtureReplays(_ relative: String) {
        let report = CorpusReplay().replay(fileAt: ReplayFixtures.path(relative))
        #expect(report.setupFailure == nil, "\n\(report.failureText)")
        #expect(report.passedCount > 0 || report.setupFailure != nil)
        let known = KnownFailures.entries(for: relative)
        let verdict = KnownFailureVerdict(report, known: known)
        for title in verdict.stale {
            Issue.record("\(relative): '\(title)' is listed in known-failures but passes: remove the entry")
        }
        for result in report.results where !result.passed {
            guard let entry = known[result.title] else { continue }
            withKnownIssue("known failure: \(entry.reason)") {
                Issue.record("\(relative): \(result.heading)\n\(result.diff)")
            }
        }
        #expect(verdict.failed == 0, "\n\(verdict.unexpected.failureText)")
        let titles = Set(report.results.map(\.title))
        for title in known.keys.sorted() where report.setupFailure == nil && !titles.contains(title) {
            Issue.record("known-failures names '\(title)', which \(relative) does not have")
        }
    }

    /// The parameterised tests above pass vacuously on an empty list: a moved or misnamed directory must fail.
    @Test("the fixture directory holds the committed corpora")
    func fixturesAreFound() {
        #expect(ReplayFixtures.all.count >= 90, "\(ReplayFixtures.directory): \(ReplayFixtures.all.count) corpora")
        #expect(ReplayFixtures.all.contains("hand-derived/sbc/reserved-bits.corpus"))
    }

    @Test("known-failures parses and names only committed corpora")
    func knownFailuresListIsWellFormed() throws {
        let entries = try KnownFailures.list.get().entries
        let corpora = Set(ReplayFixtures.all)
        for e in entries {
            #expect(corpora.contains(e.corpus), "known-failures: no corpus \(e.corpus)")
        }
        #expect(Set(entries.map { "\($0.corpus)|\($0.title)" }).count == entries.count, "duplicate entries")
    }

    /// Teeth, for every fixture: flipping one expected Data-In byte of a passing exchange, and one expected
    /// sense byte (the ASC) of another, must make exactly that exchange fail on replay.
    @Test("a fixture with one expected byte changed fails", arguments: ReplayFixtures.all)
    func fixtureTeeth(_ relative: String) throws {
        let path = ReplayFixtures.path(relative)
        let corpus = try CorpusParser.parse(try String(contentsOfFile: path, encoding: .utf8))
        let blobs = (path as NSString).deletingLastPathComponent + "/blobs"
        let baseline = CorpusReplay().replay(corpus, path: path, blobDirectory: blobs)
        let failing = Set(baseline.results.filter { !$0.passed }.map(\.index))
        var flipped = 0

        if let i = corpus.exchanges.indices.first(where: { i in
            guard !failing.contains(i), case .bytes(let b) = corpus.exchanges[i].dataIn else { return false }
            return !b.isEmpty
        }), case .bytes(var b) = corpus.exchanges[i].dataIn {
            var changed = corpus
            b[b.count / 2] ^= 0x80
            changed.exchanges[i].dataIn = .bytes(b)
            let report = CorpusReplay().replay(changed, path: path, blobDirectory: blobs)
            #expect(Set(report.results.filter { !$0.passed }.map(\.index)) == failing.union([i]), "data-in of exchange \(i + 1)")
            flipped += 1
        }
        if let i = corpus.exchanges.indices.first(where: { !failing.contains($0) && corpus.exchanges[$0].sense.count > 13 }) {
            var changed = corpus
            changed.exchanges[i].sense[12] ^= 0x01
            let report = CorpusReplay().replay(changed, path: path, blobDirectory: blobs)
            #expect(Set(report.results.filter { !$0.passed }.map(\.index)) == failing.union([i]), "sense of exchange \(i + 1)")
            flipped += 1
        }
        #expect(flipped > 0, "\(relative) has no passing exchange with Data-In or sense to flip")
    }
}
