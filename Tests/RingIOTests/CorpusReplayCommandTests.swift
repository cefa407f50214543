import Foundation
import Testing

/// `emud replay`: exit status, the closing `N passed, M failed` line, JUnit output.
@Suite("emud replay command", .enabled(if: emudBinary != nil, "emud binary not built next to the tests"))
struct CorpusReplayCommandTests {
    @Test("a corpus that cannot be replayed fails with the count on the last line and a JUnit file")
    func failingCorpus() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emud-replay-cmd-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "# emud corpus 1\ndevice nothing/x\nsize 512\n\nexchange TUR\ncdb 00 00 00 00 00 00\nstatus 00\n"
            .write(toFile: dir + "/n.corpus", atomically: true, encoding: .utf8)
        let (status, text, _) = try runEmud(["replay", dir, "--junit", dir + "/out.xml"])
        #expect(status == 1)
        #expect(text.hasSuffix("0 passed, 1 failed\n"))
        #expect(text.contains("FAIL \(dir)/n.corpus: device nothing/x: subtype: no handler 'nothing'"))
        let xml = try String(contentsOfFile: dir + "/out.xml", encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"\(dir)/n.corpus\" tests=\"1\" failures=\"1\">"))
    }
}
