import Foundation
import Testing
import RingIO

/// Every committed corpus under fixtures/ replays against emud's shipped handlers, byte for byte.
@Suite("Conformance fixtures")
struct FixtureReplayTests {
    @Test("fixture replays", arguments: ReplayFixtures.all)
    func fixtureReplays(_ relative: String) {
        let report = CorpusReplay().replay(fileAt: ReplayFixtures.path(relative))
        #expect(report.failedCount == 0, "\n\(report.failureText)")
        #expect(report.passedCount > 0 || report.setupFailure != nil)
    }

    /// The first fixture with Data-In bytes and one with sense: flipping one expected byte must fail.
    @Test(
        "a fixture with one expected byte changed fails",
        .enabled(if: !ReplayFixtures.all.isEmpty, "no fixtures committed yet"))
    func fixtureTeeth() throws {
        var checkedData = false, checkedSense = false
        for relative in ReplayFixtures.all where !(checkedData && checkedSense) {
            let path = ReplayFixtures.path(relative)
            var corpus = try CorpusParser.parse(try String(contentsOfFile: path, encoding: .utf8))
            let blobs = (path as NSString).deletingLastPathComponent + "/blobs"
            if !checkedData, let i = corpus.exchanges.firstIndex(where: {
                if case .bytes(let b) = $0.dataIn { return !b.isEmpty } else { return false }
            }), case .bytes(var b) = corpus.exchanges[i].dataIn {
                b[b.count / 2] ^= 0x80
                corpus.exchanges[i].dataIn = .bytes(b)
                let report = CorpusReplay().replay(corpus, path: path, blobDirectory: blobs)
                #expect(report.results.filter { !$0.passed }.map(\.index) == [i], "\(relative)")
                checkedData = true
                continue
            }
            if !checkedSense, let i = corpus.exchanges.firstIndex(where: { $0.sense.count > 13 }) {
                corpus.exchanges[i].sense[12] ^= 0x01
                let report = CorpusReplay().replay(corpus, path: path, blobDirectory: blobs)
                #expect(report.results.filter { !$0.passed }.map(\.index) == [i], "\(relative)")
                checkedSense = true
            }
        }
        #expect(checkedData || checkedSense)
    }
}
