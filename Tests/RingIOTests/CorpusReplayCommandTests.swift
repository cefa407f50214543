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
        #expect(text.hasSuffix("1 passed, 3 failed\n"), "\(text)")
        #expect(text.contains("a-file.corpus") && text.contains("9223372036854775808 bytes is larger"), "\(text)")
        #expect(text.contains("18446744073709551615 bytes is larger"), "\(text)")
        #expect(text.contains("9223372036854775807 bytes is larger"), "\(text)")
    }
}
