import Conformance
import Foundation
import Testing

/// The disk's conformance corpora (fixtures/hand-derived/sbc, fixtures/captured/sbc) replayed through the
/// simulated ring on an `rbd` disk, each on a fresh image of the corpus's size: every exchange must end
/// exactly as it does on the corpus's own `file` disk (replayed the same way, in the same test). The one
/// difference allowed is inherent and rewritten before the replay: the config string inside VPD 83h
/// (`DeviceIdentificationRewrite`).
@Suite("sbc corpora on an rbd disk", .serialized, .enabled(if: CephTestCluster.available, "needs EMUD_CEPH_CONF (make ceph-test)"))
struct RBDCorpusReplayTests {
    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)  // <repo>/Tests/RBDTests/RBDCorpusReplayTests.swift
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fixtures").path
    }()

    /// Every sbc corpus, relative to fixtures/.
    static let corpora: [String] = {
        let dirs = ["hand-derived/sbc", "captured/sbc"].map { fixtures + "/" + $0 }
        let files = (try? CorpusReplay.corpusFiles(dirs)) ?? []
        return files.map { String($0.dropFirst(fixtures.count + 1)) }
    }()

    @Test("the corpora are found")
    func corporaAreFound() {
        #expect(Self.corpora.count >= 30, "\(Self.fixtures): \(Self.corpora)")
    }

    @Test("an rbd disk answers as the file disk", arguments: corpora)
    func sameAsFile(_ relative: String) throws {
        let path = Self.fixtures + "/" + relative
        let corpus = try CorpusParser.parse(try String(contentsOfFile: path, encoding: .utf8))
        let blobs = (path as NSString).deletingLastPathComponent + "/blobs"
        let onFile = CorpusReplay().replay(corpus, path: path, blobDirectory: blobs)
        #expect(onFile.setupFailure == nil, "file disk: \(onFile.failureText)")

        try CephTestCluster.createImage("corpus", bytes: corpus.header.size)
        defer { CephTestCluster.removeImage("corpus") }
        let config = CephTestCluster.configString(image: "corpus")
        // A corpus whose VPD 83h answers are all cut short before the designators keeps them as they are.
        var (onRBD, _) = DeviceIdentificationRewrite.rebind(corpus, to: config)
        onRBD.header.configString = config
        onRBD.header.creates = []
        let rbd = CorpusReplay().replay(onRBD, path: path, blobDirectory: blobs)
        #expect(rbd.setupFailure == nil, "rbd disk: \(rbd.failureText)")
        #expect(rbd.results.count == onFile.results.count)

        for (f, r) in zip(onFile.results, rbd.results) where f.failures != r.failures {
            Issue.record("\(relative) exchange \(f.index + 1) '\(f.title)' (line \(f.line)): file \(f.failures), rbd \(r.failures)")
        }
        #expect(rbd.passedCount > 0)
    }
}

/// The one inherent difference: the Device Identification page (VPD 83h) carries the device's config
/// string as its vendor specific designator (SPC-4 §7.8.6.2, DeviceIdentification.swift), and the rbd
/// disk's config string is not the file disk's. The expected pages are rewritten with the rbd config
/// string in that designator (its length and the page length follow); every other byte of every
/// exchange must be as recorded.
enum DeviceIdentificationRewrite {
    /// INQUIRY with EVPD for page 83h.
    static func asksForIdentification(_ cdb: [UInt8]) -> Bool {
        cdb.count == 6 && cdb[0] == 0x12 && cdb[1] & 0x01 == 1 && cdb[2] == 0x83
    }

    /// `corpus` with every GOOD VPD 83h answer rebuilt for a device whose config string is `config`, and
    /// the number of exchanges rewritten. Rebuilding needs one recorded answer holding the whole page
    /// (without one, nothing is rewritten).
    static func rebind(_ corpus: Corpus, to config: String) -> (corpus: Corpus, rewritten: Int) {
        let whole = corpus.exchanges.lazy.compactMap { e -> [UInt8]? in
            guard asksForIdentification(e.cdb), e.status == 0, case .bytes(let b) = e.dataIn, b.count >= 4,
                b.count == 4 + (Int(b[2]) << 8 | Int(b[3])) else { return nil }
            return b
        }.first
        guard let whole, let page = replacing(Array(corpus.header.configString.utf8), with: Array(config.utf8), in: whole)
        else { return (corpus, 0) }
        var out = corpus
        var rewritten = 0
        for i in out.exchanges.indices where asksForIdentification(out.exchanges[i].cdb) && out.exchanges[i].status == 0 {
            let n = min(out.exchanges[i].dataInLength, page.count)
            out.exchanges[i].dataIn = .bytes(Array(page.prefix(n)))
            out.exchanges[i].residual = out.exchanges[i].dataInLength - n
            rewritten += 1
        }
        return (out, rewritten)
    }

    /// The page with its vendor specific designator (type 0) `old` replaced by `new`; nil when it has none.
    static func replacing(_ old: [UInt8], with new: [UInt8], in page: [UInt8]) -> [UInt8]? {
        guard new.count <= 255 else { return nil }
        var i = 4
        while i + 4 <= page.count {
            let length = Int(page[i + 3])
            guard i + 4 + length <= page.count else { return nil }
            if page[i + 1] & 0x0F == 0, Array(page[(i + 4)..<(i + 4 + length)]) == old {
                var out = Array(page[..<i]) + [page[i], page[i + 1], page[i + 2], UInt8(new.count)] + new
                    + page[(i + 4 + length)...]
                let pageLength = out.count - 4
                out[2] = UInt8(pageLength >> 8)
                out[3] = UInt8(pageLength & 0xFF)
                return out
            }
            i += 4 + length
        }
        return nil
    }
}
