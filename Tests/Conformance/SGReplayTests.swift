@testable import Conformance
import Foundation
import SystemCalls
import Testing
import TestSupport

/// `emud replay --sg`: what can be checked without a SCSI device (the VM job vm/capture/sg-replay.sh
/// replays captured corpora against real /dev/sg nodes).
@Suite("SG_IO replay")
struct SGReplayTests {
    static let inquiry = CorpusExchange(
        title: "INQUIRY", cdb: [0x12, 0, 0, 0, 36, 0], dataInLength: 36, dataIn: .bytes([UInt8](repeating: 0, count: 36)))

    @Test("a path that is not a SCSI device: every exchange fails with the ioctl's error, none passes")
    func regularFileIsNotADevice() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/not-a-device"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(count: 512)))
        let corpus = Corpus(header: CorpusHeader(configString: "file/@DIR@/x", size: 512), exchanges: [Self.inquiry, Self.inquiry])
        let report = CorpusSGReplay(devicePath: path).replay(corpus)
        #expect(report.setupFailure == nil)
        #expect(report.passedCount == 0 && report.failedCount == 2)
        // ENOTTY: a regular file has no SG_IO.
        #expect(report.results.allSatisfy { $0.failures == ["not run: SG_IO: \(Errno(rawValue: ENOTTY))"] })
    }

    @Test("a missing device is one setup failure naming it")
    func missingDevice() {
        let report = CorpusSGReplay(devicePath: "/nonexistent/sg9").replay(
            Corpus(header: CorpusHeader(configString: "file/@DIR@/x", size: 512), exchanges: [Self.inquiry]))
        #expect(report.setupFailure?.hasPrefix("/nonexistent/sg9: ") == true)
        #expect(report.failedCount == 1 && report.results.isEmpty)
    }

    @Test("Data-Out together with a Data-In buffer is refused before any ioctl (SG_IO has no bidirectional transfer)")
    func bidirectionalRefused() throws {
        var e = Self.inquiry
        e.dataOut = .bytes([1, 2, 3])
        #expect(throws: CorpusExchangeError.self) {
            try CorpusSGReplay(devicePath: "/dev/null").send(e, dataOut: [1, 2, 3], fd: try FileDescriptor.open("/dev/null", flags: O_RDONLY))
        }
    }

    @Test("SGIO refuses a CDB longer than 255 bytes or empty without calling the kernel")
    func cdbLengthChecked() throws {
        let null = try FileDescriptor.open("/dev/null", flags: O_RDONLY)
        #expect(throws: Errno.invalidArgument) {
            try SGIO.execute(fd: null, cdb: [], dataOut: nil, dataInLength: 0, timeoutMilliseconds: 1)
        }
        #expect(throws: Errno.invalidArgument) {
            try SGIO.execute(fd: null, cdb: [UInt8](repeating: 0, count: 256), dataOut: nil, dataInLength: 0, timeoutMilliseconds: 1)
        }
    }
}
