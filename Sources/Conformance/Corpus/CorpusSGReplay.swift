#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SystemCalls

/// Replays a corpus against a real device through SG_IO (`emud replay --sg /dev/sgN`): the header is
/// not used (the device exists, whatever it is), every exchange's CDB goes to the device in file order
/// with its Data-Out or a Data-In buffer of `in-len` bytes, and the answer is compared exactly as a ring
/// replay compares it (status, sense cut to its declared length, data-in, residual).
///
/// The device keeps its state between corpora and is not re-created: a corpus replays exactly against a
/// device in the state the corpus was captured from (a fresh image, for a captured corpus).
public struct CorpusSGReplay: Sendable {
    public var devicePath: String
    public var timeoutMilliseconds: UInt32 = 30_000

    public init(devicePath: String) { self.devicePath = devicePath }

    /// Reads, parses and replays the corpus at `path` (Data-Out blobs from `blobs/` beside it).
    public func replay(fileAt path: String) -> CorpusReplayReport {
        let corpus: Corpus
        do { corpus = try CorpusParser.parse(try String(contentsOfFile: path, encoding: .utf8)) } catch {
            return CorpusReplayReport(path: path, setupFailure: "cannot read or parse: \(error)")
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        return replay(corpus, path: path, blobDirectory: directory + "/blobs")
    }

    public func replay(_ corpus: Corpus, path: String = "<corpus>", blobDirectory: String? = nil) -> CorpusReplayReport {
        let fd: FileDescriptor
        do { fd = try .open(devicePath, flags: O_RDWR | O_NONBLOCK) } catch {
            return CorpusReplayReport(path: path, setupFailure: "\(devicePath): \(error)")
        }
        let blobs = CorpusReplay()
        var results: [CorpusExchangeResult] = []
        for (i, e) in corpus.exchanges.enumerated() {
            var result = CorpusExchangeResult(index: i, title: e.title, line: e.line, cdb: e.cdb, failures: [])
            do throws(CorpusExchangeError) {
                let dataOut = try blobs.dataOutBytes(e, blobDirectory: blobDirectory)
                result.failures = try send(e, dataOut: dataOut, fd: fd)
            } catch {
                result.failures = ["not run: \(error.description)"]
            }
            results.append(result)
        }
        return CorpusReplayReport(path: path, results: results)
    }

    /// The differences between the recorded exchange and the device's answer.
    func send(_ e: CorpusExchange, dataOut: [UInt8]?, fd: borrowing FileDescriptor) throws(CorpusExchangeError) -> [String] {
        if dataOut != nil && e.dataInLength > 0 {
            throw CorpusExchangeError("SG_IO has no bidirectional transfer (Data-Out and in-len \(e.dataInLength))")
        }
        let r: SGIOResult
        do {
            r = try SGIO.execute(
                fd: fd, cdb: e.cdb, dataOut: dataOut, dataInLength: e.dataInLength,
                timeoutMilliseconds: timeoutMilliseconds)
        } catch {
            throw CorpusExchangeError("SG_IO: \(error)")
        }
        var failures = CorpusComparison.differences(
            expected: e,
            observed: ObservedCompletion(status: r.status, sense: r.sense, dataIn: r.dataIn, residual: r.residual))
        if r.hostStatus != 0 || r.driverStatus & 0x0F != 0 && r.driverStatus & 0x0F != 0x08 {
            // DRIVER_SENSE (08h) only says sense is present; anything else is a transport problem.
            failures.append(
                "transport: host_status \(String(r.hostStatus, radix: 16))h, driver_status \(String(r.driverStatus, radix: 16))h")
        }
        return failures
    }
}
