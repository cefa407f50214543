import Conformance
import Foundation
import Testing
import TestSupport

/// `emud replay`: exit status, the closing `N passed, M failed, K known` line, JUnit output, known failures.
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
        #expect(text.hasSuffix("\n0 passed, 1 failed, 0 known\n"))
        #expect(text.contains("FAIL \(dir)/n.corpus: device nothing/x: subtype: no handler 'nothing'"))
        let xml = try String(contentsOfFile: dir + "/out.xml", encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"\(dir)/n.corpus\" tests=\"1\" failures=\"1\" skipped=\"0\">"))
    }

    /// A 1 MiB file disk; TEST UNIT READY answers GOOD, so the second exchange (expecting CHECK CONDITION)
    /// always differs.
    static let corpus = """
        # emud corpus 1
        device file/@DIR@/disk.img
        size 1048576
        create disk.img 1048576

        exchange TUR
        cdb 00 00 00 00 00 00
        status 00

        exchange TUR expecting CHECK CONDITION
        cdb 00 00 00 00 00 00
        status 02
        sense 70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00

        """

    @Test("a listed failure is counted as known: exit 0; unlisted, with --no-known-failures or another list: exit 1")
    func knownFailures() throws {
        let dir = try TemporaryDirectory("replay-known")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("sbc"), withIntermediateDirectories: true)
        try Self.corpus.write(toFile: dir.file("sbc/t.corpus"), atomically: true, encoding: .utf8)

        var (status, out, _) = try runEmud(["replay", dir.path])
        #expect(status == 1)
        #expect(out.hasSuffix("\n1 passed, 1 failed, 0 known\n"))

        // The nearest known-failures, found from the corpus's directory upwards, paths relative to it.
        try "sbc/t.corpus | TUR expecting CHECK CONDITION | test: GOOD is right\n"
            .write(toFile: dir.file("known-failures"), atomically: true, encoding: .utf8)
        (status, out, _) = try runEmud(["replay", dir.file("sbc"), "--junit", dir.file("out.xml")])
        #expect(status == 0)
        #expect(out == "1 passed, 0 failed, 1 known\n")
        let xml = try String(contentsOfFile: dir.file("out.xml"), encoding: .utf8)
        #expect(xml.contains("<skipped message=\"known failure: test: GOOD is right\"/>"))

        (status, out, _) = try runEmud(["replay", "--no-known-failures", dir.path])
        #expect(status == 1)
        #expect(out.hasSuffix("\n1 passed, 1 failed, 0 known\n"))

        // --known-failures FILE replaces the nearest one; its entries are relative to its own directory.
        try "t.corpus | TUR | listed but passes\n".write(toFile: dir.file("sbc/other"), atomically: true, encoding: .utf8)
        var err: String
        (status, out, err) = try runEmud(["replay", "--known-failures", dir.file("sbc/other"), dir.path])
        #expect(status == 1)
        #expect(out.hasSuffix("\n1 passed, 1 failed, 0 known\n"))
        #expect(err.contains("'TUR' is listed as a known failure but passes: remove the entry"))

        try "sbc/t.corpus | no reason\n".write(toFile: dir.file("known-failures"), atomically: true, encoding: .utf8)
        (status, _, err) = try runEmud(["replay", dir.path])
        #expect(status == 1)
        #expect(err.contains("known-failures line 1: expected 'corpus | title | reason', got 'sbc/t.corpus | no reason'"))
    }

    /// The project's own fixtures: every differing exchange is listed, so the replay a CI job runs exits 0.
    @Test("emud replay fixtures exits 0 with every listed failure counted as known")
    func projectFixtures() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let fixtures = root.appendingPathComponent("fixtures").path
        let list = try KnownFailureList(contentsOf: fixtures + "/known-failures")
        let (status, out, _) = try runEmud(["replay", fixtures])
        #expect(status == 0, "\(out.suffix(2000))")
        let last = out.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasSuffix(" passed, 0 failed, \(list.entries.count) known"), "\(last)")
        #expect(out.split(separator: "\n").count == 1, "only the closing line when nothing fails unexpectedly")
    }
}

/// Issue 13's hostile sizes through `emud replay`: a corpus whose header sizes the device at 2^63 bytes
/// fails with the size named, and the replay (the process) goes on to the next corpus.
@Suite("emud replay, hostile sizes", .enabled(if: emudBinary != nil, "emud binary not built next to the tests"))
struct CorpusReplayHostileSizeTests {
    @Test func hugeDeviceSizesFailTheirCorpusAndTheReplayGoesOn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emud-replay-huge-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tur = "\nexchange TUR\ncdb 00 00 00 00 00 00\nstatus 00\n"
        for (name, device, size) in [
            ("a-file", "file/\(dir)/a.img", "9223372036854775808"), ("b-fbo", "fbo/\(dir)/b.img", "18446744073709551615"),
            ("c-zbc", "zbc/zsize-1048576@\(dir)/c.img", "9223372036854775807"), ("d-ok", "file/\(dir)/d.img", "1048576"),
        ] {
            try "# emud corpus 1\ndevice \(device)\nsize \(size)\n\(tur)"
                .write(toFile: "\(dir)/\(name).corpus", atomically: true, encoding: .utf8)
        }
        let (status, text, _) = try runEmud(["replay", dir])
        #expect(status == 1, "\(text)")
        #expect(text.hasSuffix("1 passed, 3 failed, 0 known\n"), "\(text)")
        #expect(text.contains("a-file.corpus") && text.contains("9223372036854775808 bytes is larger"), "\(text)")
        #expect(text.contains("18446744073709551615 bytes is larger"), "\(text)")
        #expect(text.contains("9223372036854775807 bytes is larger"), "\(text)")
    }
}
