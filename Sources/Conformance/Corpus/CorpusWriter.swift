import Sense

/// Writes the corpus text format, the inverse of `CorpusParser` (docs/corpus-format.md).
public enum CorpusWriter {
    /// Bytes per hex line.
    public static let bytesPerLine = 16

    public static func text(_ corpus: Corpus) -> String {
        var out = CorpusParser.magic + "\n"
        let h = corpus.header
        for note in h.notes { out += "note        \(note)\n" }
        out += "device      \(h.configString)\n"
        out += "size        \(h.size)\n"
        out += "block-size  \(h.blockSize)\n"
        out += "max-sectors \(h.maxSectors)\n"
        if let serial = h.serial { out += "serial      \(serial)\n" }
        for file in h.creates { out += "create      \(file.path) \(file.size)\n" }
        for exchange in corpus.exchanges {
            out += "\n" + block(exchange)
        }
        return out
    }

    static func block(_ e: CorpusExchange) -> String {
        var out = "exchange    \(e.title)\n"
        out += "cdb         \(Hex.string(e.cdb))\n"
        switch e.dataOut {
        case nil: break
        case .bytes(let b)?: out += lines("out", b)
        case .digest(let sha, let n)?: out += "out-sha256  \(sha) \(n)\n"
        }
        if e.dataInLength > 0 { out += "in-len      \(e.dataInLength)\n" }
        out += "status      \(Hex.string([e.status])) \(SCSIStatus(rawValue: e.status))\n"
        if !e.sense.isEmpty {
            out += lines("sense", e.sense)
            if let decoded = try? Sense(decoding: e.sense) { out += "# \(decoded)\n" }
        }
        switch e.dataIn {
        case .bytes(let b): out += lines("in", b)
        case .digest(let sha, let n): out += "in-sha256   \(sha) \(n)\n"
        }
        if e.dataInLength > 0 { out += "residual    \(e.residual)\n" }
        return out
    }

    static func lines(_ key: String, _ bytes: [UInt8]) -> String {
        var out = ""
        let pad = String(repeating: " ", count: max(1, 12 - key.count))
        for start in stride(from: 0, to: bytes.count, by: bytesPerLine) {
            out += key + pad + Hex.string(bytes[start..<min(bytes.count, start + bytesPerLine)]) + "\n"
        }
        return out
    }
}
