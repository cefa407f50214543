@testable import Conformance
import Foundation
import Logging
import SCSIEmu
import Testing
import TestSupport
@testable import RingIO

/// Capture: a runner with a `CorpusRecorder` observer writes a corpus that parses after every command
/// and replays to the same answers.
@Suite("Corpus capture")
struct CaptureTests {
    @Test("a captured session parses after every command and replays with every exchange passing")
    func captureThenReplay() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let image = dir.path + "/data/disk.img"
        try FileManager.default.createDirectory(atPath: dir.path + "/data", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: image, contents: Data(count: 65_536)))
        var quiet = Logger(label: "capture-test")
        quiet.logLevel = .warning
        let opened = DeviceOpenParameters(
            config: image, fullConfigString: "scratch/" + image, deviceName: "disk0", hba: "1", sizeInBytes: 65_536,
            blockSize: 512, maxSectors: 128, unitSerial: "", logger: quiet)
        let header = CorpusCapture.header(for: opened)
        #expect(header.configString == "scratch/@DIR@/disk.img")
        #expect(header.creates == [CorpusFile(path: "disk.img", size: 65_536)])
        #expect(header.serial == nil)
        let parameters = CorpusCapture.deterministic(opened, header: header)
        #expect(parameters.unitSerial == header.effectiveSerial)

        let device = try ScratchFileHandler().open(parameters)
        let recorder = try CorpusCapture.recorder(
            directory: dir.path + "/capture", parameters: parameters, header: header, device: device)
        #expect(recorder.path == dir.path + "/capture/disk0.corpus")
        let kernel = try SimulatedKernel()
        let runner = RingServiceLoop(
            name: "disk0", device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell, observer: recorder,
            logger: quiet)

        let big = pattern(blocks: 2, seed: 4)
        let commands: [(cdb: [UInt8], out: [UInt8]?, inLength: Int)] = [
            ([0x12, 0, 0, 0, 0x24, 0], nil, 36),  // INQUIRY
            ([0x12, 1, 0x80, 0, 0xFF, 0], nil, 255),  // VPD 80h: the derived serial
            ([0x12, 1, 0x83, 0, 0xFF, 0], nil, 255),  // VPD 83h: the @DIR@ config string
            ([0x2A, 0, 0, 0, 0, 8, 0, 0, 2, 0], big, 0),  // WRITE(10) 1024 bytes: a blob
            ([0x28, 0, 0, 0, 0, 8, 0, 0, 2, 0], nil, 1024),  // READ(10) them back: a digest
            ([0x28, 0, 0, 0, 0, 0x80, 0, 0, 1, 0], nil, 512),  // past capacity: CHECK CONDITION
            ([0x5A, 0, 0x3F, 0, 0, 0, 0, 0x01, 0x00, 0], nil, 256),  // MODE SENSE(10) all pages
            ([0x02, 0, 0, 0, 0, 0], nil, 0),  // unknown opcode
        ]
        for (n, c) in commands.enumerated() {
            let id = try kernel.submit(cdb: c.cdb, dataOut: c.out, dataInLength: c.inLength)
            runner.serviceRing()
            #expect(try kernel.reap().map(\.id) == [id])
            // Flushed as it goes: what is on disk now is a whole corpus of n + 1 exchanges.
            let partial = try CorpusParser.parse(try String(contentsOfFile: recorder.path, encoding: .utf8))
            #expect(partial.exchanges.count == n + 1)
        }
        recorder.close()
        device.close()

        let text = try String(contentsOfFile: recorder.path, encoding: .utf8)
        let corpus = try CorpusParser.parse(text)
        #expect(corpus.header.configString == "scratch/@DIR@/disk.img")
        #expect(!text.contains(dir.path))
        #expect(corpus.exchanges.map(\.title).prefix(4) == ["INQUIRY", "INQUIRY", "INQUIRY", "WRITE(10)"])
        #expect(corpus.exchanges[3].dataOut == .digest(sha256: SHA256.hex(big), length: 1024))
        #expect(FileManager.default.contents(atPath: dir.path + "/capture/blobs/" + SHA256.hex(big)) == Data(big))
        #expect(corpus.exchanges[4].dataIn == .digest(sha256: SHA256.hex(big), length: 1024))
        #expect(corpus.exchanges[5].status == 2 && corpus.exchanges[5].residual == 512)
        #expect(corpus.exchanges[5].sense.count == 18 && corpus.exchanges[5].sense[12] == 0x21)
        #expect(corpus.exchanges[7].title == "opcode 02h")

        let report = CorpusReplay(registry: .withScratch).replay(fileAt: recorder.path)
        #expect(report.failedCount == 0, "\(report.failureText)")
        #expect(report.passedCount == commands.count)
    }

    @Test("a second capture of the same device name does not overwrite the first")
    func uniqueCorpusNames() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(CorpusCapture.corpusPath(directory: dir.path, deviceName: "d") == dir.path + "/d.corpus")
        FileManager.default.createFile(atPath: dir.path + "/d.corpus", contents: Data())
        #expect(CorpusCapture.corpusPath(directory: dir.path, deviceName: "d") == dir.path + "/d-2.corpus")
    }
}
