@testable import Conformance
import Foundation
import Logging
import SCSIEmu
import Testing

@Suite("Corpus replay reports")
struct CorpusReplayReportTests {
    @Test("sense is compared over the length it declares")
    func significantSense() {
        let fixed: [UInt8] = [0x70, 0, 5, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0, 0, 0, 0, 0]
        #expect(CorpusSense.significant(fixed + [UInt8](repeating: 0, count: 78)) == fixed)
        let descriptor: [UInt8] = [0x72, 5, 0x24, 0, 0, 0, 0, 0]
        #expect(CorpusSense.significant(descriptor + [0, 0, 0]) == descriptor)
        #expect(CorpusSense.significant([UInt8](repeating: 0, count: 96)) == [])
        #expect(CorpusSense.significant([0x70, 0, 5]) == [0x70, 0, 5])
    }

    @Test("a data-in diff names the first differing offset and brackets the bytes that differ")
    func bytesDiff() {
        let expected = Array(0..<40).map(UInt8.init)
        var actual = expected
        actual[18] = 0xEE
        let e = CorpusExchange(title: "T", cdb: [0x12], dataInLength: 40, dataIn: .bytes(expected))
        let diffs = CorpusComparison.differences(
            expected: e, observed: ObservedCompletion(status: 0, dataIn: actual, residual: 0))
        #expect(diffs.count == 1)
        let lines = diffs[0].split(separator: "\n").map(String.init)
        #expect(lines[0] == "data-in: differs at offset 0x12 (18); expected 40 bytes, got 40")
        #expect(lines[1] == "  expected 0010  10 11 [12] 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f")
        #expect(lines[2] == "  actual   0010  10 11 [ee] 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f")
        #expect(lines[3] == "  expected 0020  20 21 22 23 24 25 26 27")
    }

    @Test("a shorter answer is a difference at its end")
    func lengthDiff() {
        let e = CorpusExchange(title: "T", cdb: [0x12], dataInLength: 8, dataIn: .bytes([1, 2, 3, 4]), residual: 4)
        let d = CorpusComparison.differences(
            expected: e, observed: ObservedCompletion(status: 0, dataIn: [1, 2], residual: 6))
        #expect(d.count == 2)
        #expect(d[0].hasPrefix("data-in: differs at offset 0x2 (2); expected 4 bytes, got 2"))
        #expect(d[0].contains("  actual   0000  01 02"))
        #expect(d[1] == "residual: expected 4, got 6")
    }

    @Test("status and sense differences show the status names and both decoded senses")
    func statusAndSenseDiff() {
        let sense: [UInt8] = [0x70, 0, 5, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0]
        let e = CorpusExchange(title: "T", cdb: [0x02], status: 0)
        let d = CorpusComparison.differences(expected: e, observed: ObservedCompletion(status: 2, sense: sense))
        #expect(d.count == 2)
        #expect(d[0] == "status: expected 00 GOOD, got 02 CHECK CONDITION")
        #expect(d[1].contains("expected: (none)"))
        #expect(d[1].contains("actual:   ILLEGAL REQUEST"))
    }

    @Test("JUnit XML has one suite per corpus, one case per exchange, the diff as the failure")
    func junit() {
        let ok = CorpusExchangeResult(index: 0, title: "TUR", line: 5, cdb: [0], failures: [])
        let bad = CorpusExchangeResult(index: 1, title: "A<B", line: 9, cdb: [0x12], failures: ["status: expected 00 GOOD, got 02 CHECK CONDITION"])
        let xml = CorpusJUnit.xml([
            CorpusReplayReport(path: "a.corpus", results: [ok, bad]),
            CorpusReplayReport(path: "b.corpus", setupFailure: "no handler 'x'"),
        ])
        #expect(xml.contains("<testsuites name=\"emud replay\" tests=\"3\" failures=\"2\" skipped=\"0\">"))
        #expect(xml.contains("<testsuite name=\"a.corpus\" tests=\"2\" failures=\"1\" skipped=\"0\">"))
        #expect(xml.contains("<testcase classname=\"a.corpus\" name=\"exchange 1 (line 5) TUR\"/>"))
        #expect(xml.contains("name=\"exchange 2 (line 9) A&lt;B\">"))
        #expect(xml.contains("<failure message=\"status: expected 00 GOOD, got 02 CHECK CONDITION\">cdb 12\nstatus:"))
        #expect(xml.contains("<testsuite name=\"b.corpus\" tests=\"1\" failures=\"1\" skipped=\"0\">"))
        #expect(xml.contains("no handler &apos;x&apos;"))
    }

    @Test("JUnit XML reports a listed failure as skipped with its reason, not as a failure")
    func junitKnown() {
        let bad = CorpusExchangeResult(index: 0, title: "WRITE short", line: 5, cdb: [0x2A], failures: ["status: differs"])
        let xml = CorpusJUnit.xml(
            [CorpusReplayReport(path: "a.corpus", results: [bad])],
            known: ["a.corpus": ["WRITE short": KnownFailure(corpus: "a.corpus", title: "WRITE short", reason: "SBC-4 §4.x")]])
        #expect(xml.contains("<testsuites name=\"emud replay\" tests=\"1\" failures=\"0\" skipped=\"1\">"))
        #expect(xml.contains("<skipped message=\"known failure: SBC-4 §4.x\"/>"))
        #expect(!xml.contains("<failure"))
    }

    @Test("a capture header names the backing file's directory @DIR@, zbc options kept")
    func captureHeader() {
        #expect(CorpusCapture.backingFile(config: "model-HM/zsize-128@/var/z/zbc.raw") == "/var/z/zbc.raw")
        #expect(CorpusCapture.backingFile(config: "/var/disk.img") == "/var/disk.img")
        #expect(CorpusCapture.backingFile(config: "relative.img") == nil)
        let p = DeviceOpenParameters(
            config: "model-HM/zsize-128@/nonexistent/dir/zbc.raw",
            fullConfigString: "zbc/model-HM/zsize-128@/nonexistent/dir/zbc.raw", deviceName: "z", hba: "0",
            sizeInBytes: 1 << 30, blockSize: 4096, maxSectors: 256, unitSerial: "abc123", logger: Logger(label: "t"))
        let h = CorpusCapture.header(for: p)
        #expect(h.configString == "zbc/model-HM/zsize-128@@DIR@/zbc.raw")
        #expect(h.serial == "abc123")
        #expect(h.creates.isEmpty)
        #expect(h.blockSize == 4096 && h.maxSectors == 256 && h.size == 1 << 30)
    }

    @Test("unreadable, invalid and unknown-device corpora are failures with a reason, never a trap")
    func setupFailures() throws {
        let replay = CorpusReplay(registry: HandlerRegistry([]))
        #expect(replay.replay(fileAt: "/nonexistent/x.corpus").setupFailure?.hasPrefix("cannot read") == true)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emud-corpus-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "not a corpus".write(toFile: dir + "/bad.corpus", atomically: true, encoding: .utf8)
        try "# emud corpus 1\ndevice file/@DIR@/d\nsize 512\ncreate ../escape 512\n"
            .write(toFile: dir + "/sub/escape.corpus", atomically: true, encoding: .utf8)
        try "# emud corpus 1\ndevice nothing/x\nsize 512\n".write(toFile: dir + "/sub/z.corpus", atomically: true, encoding: .utf8)
        let files = try CorpusReplay.corpusFiles([dir])
        #expect(files == [dir + "/bad.corpus", dir + "/sub/escape.corpus", dir + "/sub/z.corpus"])
        let reports = files.map { replay.replay(fileAt: $0) }
        #expect(reports[0].setupFailure?.contains("missing-magic") == true)
        #expect(reports[1].setupFailure?.contains("must be relative") == true)
        #expect(reports[2].setupFailure?.contains("no handler 'nothing'") == true)
        #expect(reports.allSatisfy { $0.failedCount == 1 && $0.failureText.hasPrefix("FAIL ") })
        #expect(throws: CorpusReplayError.self) { try CorpusReplay.corpusFiles([dir + "/missing"]) }
    }
}
