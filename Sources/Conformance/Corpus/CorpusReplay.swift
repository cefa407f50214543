import Foundation
import Logging
import SCSIEmu

/// Replays a corpus: builds the device from the header in a scratch directory, sends every CDB through
/// the simulated kernel ring to a `RingServiceLoop` (the code that serves the real kernel), waits for each
/// completion, and compares status, sense, data-in and residual with the recorded ones.
///
/// Never traps on what a corpus says: an unreadable file, a device that does not open, a transfer the
/// ring cannot carry or a completion that never comes are failures with their reason.
public struct CorpusReplay: Sendable {
    public var registry: HandlerRegistry
    public var logger: Logger
    /// How long to wait for one completion before giving up on the rest of the corpus.
    public var completionTimeoutMilliseconds: Int32 = 10_000
    /// The largest data area the replay maps (Data-Out + Data-In of one exchange, rounded to 4 KiB).
    public var maximumDataArea = 256 << 20

    public init(registry: HandlerRegistry = .standard, logger: Logger? = nil) {
        self.registry = registry
        if let logger {
            self.logger = logger
        } else {
            var quiet = Logger(label: "emud.replay")
            quiet.logLevel = .warning
            self.logger = quiet
        }
    }

    /// Reads, parses and replays the corpus at `path`; Data-Out blobs come from `blobs/` beside it.
    public func replay(fileAt path: String) -> CorpusReplayReport {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            return CorpusReplayReport(path: path, setupFailure: "cannot read: \(error.localizedDescription)")
        }
        let corpus: Corpus
        do { corpus = try CorpusParser.parse(text) } catch {
            return CorpusReplayReport(path: path, setupFailure: "not a valid corpus: \(error)")
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        return replay(corpus, path: path, blobDirectory: directory + "/blobs")
    }

    /// Replays a parsed corpus.
    /// - Parameters:
    ///   - path: the name reports use.
    ///   - blobDirectory: where `out-sha256` Data-Out is loaded from (`<sha256>` files).
    public func replay(_ corpus: Corpus, path: String = "<corpus>", blobDirectory: String? = nil) -> CorpusReplayReport {
        let scratch: CorpusScratchDirectory
        do { scratch = try CorpusScratchDirectory.make() } catch {
            return CorpusReplayReport(path: path, setupFailure: error.description)
        }
        defer { scratch.remove() }
        let session: CorpusReplaySession
        do throws(CorpusReplayError) {
            for file in corpus.header.creates { try scratch.create(file) }
            session = try CorpusReplaySession(
                header: corpus.header, scratch: scratch, registry: registry, logger: logger,
                dataAreaSize: try dataAreaSize(for: corpus))
        } catch {
            return CorpusReplayReport(path: path, setupFailure: error.description)
        }
        defer { session.close() }

        var results: [CorpusExchangeResult] = []
        var abandoned: String?
        for (i, exchange) in corpus.exchanges.enumerated() {
            var result = CorpusExchangeResult(
                index: i, title: exchange.title, line: exchange.line, cdb: exchange.cdb, failures: [])
            if let abandoned {
                result.failures = ["not run: \(abandoned)"]
            } else {
                do throws(CorpusExchangeError) {
                    let dataOut = try dataOutBytes(exchange, blobDirectory: blobDirectory)
                    let observed = try session.send(
                        exchange, dataOut: dataOut, timeoutMilliseconds: completionTimeoutMilliseconds)
                    result.failures = CorpusComparison.differences(expected: exchange, observed: observed)
                } catch {
                    result.failures = ["not run: \(error.description)"]
                    if error.abandonsCorpus { abandoned = "an earlier exchange failed: \(error.description)" }
                }
            }
            results.append(result)
        }
        return CorpusReplayReport(path: path, results: results)
    }

    /// A data area large enough for the biggest exchange (at least 1 MiB), or an error past the limit.
    func dataAreaSize(for corpus: Corpus) throws(CorpusReplayError) -> Int {
        let block = 4096
        var need = 0
        for e in corpus.exchanges {
            let out = e.dataOut?.length ?? 0
            guard out >= 0, e.dataInLength >= 0, out <= maximumDataArea, e.dataInLength <= maximumDataArea else {
                throw CorpusReplayError("exchange at line \(e.line): transfer larger than \(maximumDataArea) bytes")
            }
            need = max(need, (out + block - 1) / block * block + (e.dataInLength + block - 1) / block * block)
        }
        guard need <= maximumDataArea else {
            throw CorpusReplayError("a transfer needs a \(need)-byte data area, over the \(maximumDataArea) limit")
        }
        return max(1 << 20, need)
    }

    /// The Data-Out to send: the recorded bytes, or `blobs/<sha256>` checked against its digest.
    func dataOutBytes(_ e: CorpusExchange, blobDirectory: String?) throws(CorpusExchangeError) -> [UInt8]? {
        switch e.dataOut {
        case nil: return nil
        case .bytes(let b)?: return b
        case .digest(let sha, let n)?:
            guard let blobDirectory else { throw CorpusExchangeError("Data-Out blob \(sha): no blobs directory") }
            let blobPath = blobDirectory + "/" + sha
            guard let data = FileManager.default.contents(atPath: blobPath) else {
                throw CorpusExchangeError("Data-Out blob \(blobPath) cannot be read")
            }
            let bytes = [UInt8](data)
            guard bytes.count == n, SHA256.hex(bytes) == sha else {
                throw CorpusExchangeError("Data-Out blob \(blobPath) is not \(n) bytes with that sha256")
            }
            return bytes
        }
    }
}

/// Why one exchange could not be sent or completed.
struct CorpusExchangeError: Error, CustomStringConvertible {
    var description: String
    /// The ring or device is in an unknown state: the remaining exchanges are not run.
    var abandonsCorpus = false
    init(_ description: String, abandonsCorpus: Bool = false) {
        self.description = description
        self.abandonsCorpus = abandonsCorpus
    }
}

/// The outcome of replaying one corpus file.
public struct CorpusReplayReport: Sendable {
    public var path: String
    /// Why nothing could be replayed (unreadable corpus, device that would not open).
    public var setupFailure: String?
    public var results: [CorpusExchangeResult]

    public init(path: String, setupFailure: String? = nil, results: [CorpusExchangeResult] = []) {
        self.path = path
        self.setupFailure = setupFailure
        self.results = results
    }

    public var passedCount: Int { results.count(where: \.passed) }
    /// Failed exchanges; a corpus that could not be set up counts as one failure.
    public var failedCount: Int { results.count(where: { !$0.passed }) + (setupFailure == nil ? 0 : 1) }
    public var passed: Bool { failedCount == 0 }

    /// Every failure with its heading, CDB and diff, indented; empty when all passed.
    public var failureText: String {
        var out = ""
        if let setupFailure { out += "FAIL \(path): \(setupFailure)\n" }
        for r in results where !r.passed {
            out += "FAIL \(path): \(r.heading)\n    cdb \(Hex.string(r.cdb))\n"
            for line in r.diff.split(separator: "\n", omittingEmptySubsequences: false) { out += "    \(line)\n" }
        }
        return out
    }
}
