/// Reads the corpus text format (docs/corpus-format.md).
///
///     # emud corpus 1                  ← first non-blank line, required
///     device       file/@DIR@/disk.img ← header keys, before the first exchange
///     size         67108864
///     block-size   512
///     max-sectors  128
///     serial       0123abcd            (optional)
///     create       disk.img 67108864   (optional, repeatable)
///     note         free text           (optional, repeatable)
///
///     exchange     INQUIRY standard    ← one block per command, up to a blank line
///     cdb          12 00 00 00 24 00
///     out          hex…  (repeatable)  | out-sha256 <hex> <length>
///     in-len       36
///     status       00 GOOD             (words after the hex byte are a comment)
///     sense        70 00 05 …          (repeatable; only with CHECK CONDITION)
///     in           hex…  (repeatable)  | in-sha256 <hex> <length>
///     residual     0
public enum CorpusParser {
    public static let magic = "# emud corpus 1"

    public static func parse(_ text: String) throws(CorpusError) -> Corpus {
        var header: CorpusHeader?
        var pendingHeader = HeaderFields()
        var exchanges: [CorpusExchange] = []
        var current: ExchangeFields?
        var sawMagic = false

        func finishExchange() throws(CorpusError) {
            if let fields = current { exchanges.append(try fields.build()) }
            current = nil
        }

        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingSuffix(while: { $0 == " " || $0 == "\r" || $0 == "\t" })
            if !sawMagic {
                if line.isEmpty { continue }
                guard line == magic else { throw CorpusError(.missingMagic, line: lineNumber, "expected '\(magic)'") }
                sawMagic = true
                continue
            }
            if line.isEmpty {
                try finishExchange()
                continue
            }
            if line.hasPrefix("#") { continue }
            let (key, value) = splitKey(line)
            if key == "exchange" {
                try finishExchange()
                if header == nil { header = try pendingHeader.build(line: lineNumber) }
                current = ExchangeFields(title: String(value), line: lineNumber)
                continue
            }
            if current != nil {
                try current!.take(key: key, value: value, line: lineNumber)
            } else if header == nil {
                try pendingHeader.take(key: key, value: value, line: lineNumber)
            } else {
                throw CorpusError(.outsideExchange, line: lineNumber, "'\(key)' after an exchange block ended")
            }
        }
        guard sawMagic else { throw CorpusError(.missingMagic, line: lineNumber, "empty corpus") }
        try finishExchange()
        let built: CorpusHeader
        if let header { built = header } else { built = try pendingHeader.build(line: lineNumber) }
        return Corpus(header: built, exchanges: exchanges)
    }

    static func splitKey(_ line: Substring) -> (Substring, Substring) {
        guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (line, "") }
        let value = line[space...].drop(while: { $0 == " " || $0 == "\t" })
        return (line[..<space], value)
    }

    static func number<T: FixedWidthInteger>(_ text: Substring, line: Int, _ key: Substring) throws(CorpusError) -> T {
        guard let v = T(text, radix: 10) else { throw CorpusError(.badNumber, line: line, "\(key): '\(text)'") }
        return v
    }

    static func hex(_ text: Substring, line: Int, _ key: Substring) throws(CorpusError) -> [UInt8] {
        guard let b = Hex.bytes(text) else { throw CorpusError(.badHex, line: line, "\(key): '\(text)'") }
        return b
    }

    static func digest(_ text: Substring, line: Int, _ key: Substring) throws(CorpusError) -> CorpusPayload {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].count == 64, Hex.bytes(parts[0]) != nil else {
            throw CorpusError(.badHex, line: line, "\(key): want '<sha256 hex> <length>'")
        }
        return .digest(sha256: parts[0].lowercased(), length: try number(parts[1], line: line, key))
    }
}

private struct HeaderFields {
    var device: String?
    var size: UInt64?
    var blockSize: UInt32?
    var maxSectors: UInt32?
    var serial: String?
    var creates: [CorpusFile] = []
    var notes: [String] = []

    mutating func take(key: Substring, value: Substring, line: Int) throws(CorpusError) {
        func once<T>(_ field: T?) throws(CorpusError) {
            if field != nil { throw CorpusError(.duplicateField, line: line, "'\(key)' given twice") }
        }
        switch key {
        case "device": try once(device); device = String(value)
        case "size": try once(size); size = try CorpusParser.number(value, line: line, key)
        case "block-size": try once(blockSize); blockSize = try CorpusParser.number(value, line: line, key)
        case "max-sectors": try once(maxSectors); maxSectors = try CorpusParser.number(value, line: line, key)
        case "serial": try once(serial); serial = String(value)
        case "create":
            let parts = value.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2 else { throw CorpusError(.missingField, line: line, "create: want '<path> <size>'") }
            creates.append(CorpusFile(path: String(parts[0]), size: try CorpusParser.number(parts[1], line: line, key)))
        case "note": notes.append(String(value))
        default: throw CorpusError(.unknownKey, line: line, "unknown header key '\(key)'")
        }
    }

    func build(line: Int) throws(CorpusError) -> CorpusHeader {
        guard let device else { throw CorpusError(.missingField, line: line, "header has no 'device'") }
        guard let size else { throw CorpusError(.missingField, line: line, "header has no 'size'") }
        return CorpusHeader(
            configString: device, size: size, blockSize: blockSize ?? 512, maxSectors: maxSectors ?? 128,
            serial: serial, creates: creates, notes: notes)
    }
}

private struct ExchangeFields {
    let title: String
    let line: Int
    var cdb: [UInt8]?
    var out: [UInt8]?
    var outDigest: CorpusPayload?
    var inLength: Int?
    var status: UInt8?
    var sense: [UInt8]?
    var dataIn: [UInt8]?
    var inDigest: CorpusPayload?
    var residual: Int?

    init(title: String, line: Int) {
        self.title = title
        self.line = line
    }

    mutating func take(key: Substring, value: Substring, line: Int) throws(CorpusError) {
        func once<T>(_ field: T?) throws(CorpusError) {
            if field != nil { throw CorpusError(.duplicateField, line: line, "'\(key)' given twice") }
        }
        switch key {
        case "cdb": try once(cdb); cdb = try CorpusParser.hex(value, line: line, key)
        case "out": out = (out ?? []) + (try CorpusParser.hex(value, line: line, key))
        case "out-sha256": try once(outDigest); outDigest = try CorpusParser.digest(value, line: line, key)
        case "in-len": try once(inLength); inLength = try CorpusParser.number(value, line: line, key)
        case "status":
            try once(status)
            let byte = value.prefix(while: { $0 != " " })
            guard let b = Hex.bytes(byte), b.count == 1 else { throw CorpusError(.badHex, line: line, "status: '\(value)'") }
            status = b[0]
        case "sense": sense = (sense ?? []) + (try CorpusParser.hex(value, line: line, key))
        case "in": dataIn = (dataIn ?? []) + (try CorpusParser.hex(value, line: line, key))
        case "in-sha256": try once(inDigest); inDigest = try CorpusParser.digest(value, line: line, key)
        case "residual": try once(residual); residual = try CorpusParser.number(value, line: line, key)
        default: throw CorpusError(.unknownKey, line: line, "unknown exchange key '\(key)'")
        }
    }

    func build() throws(CorpusError) -> CorpusExchange {
        guard let cdb, !cdb.isEmpty else { throw CorpusError(.missingField, line: line, "exchange has no 'cdb'") }
        guard let status else { throw CorpusError(.missingField, line: line, "exchange has no 'status'") }
        if out != nil, outDigest != nil { throw CorpusError(.inconsistent, line: line, "both 'out' and 'out-sha256'") }
        if dataIn != nil, inDigest != nil { throw CorpusError(.inconsistent, line: line, "both 'in' and 'in-sha256'") }
        let dataIn: CorpusPayload = inDigest ?? .bytes(self.dataIn ?? [])
        let inLength = self.inLength ?? 0
        let residual = self.residual ?? max(0, inLength - dataIn.length)
        guard dataIn.length + residual == inLength || (inLength == 0 && dataIn.length == 0) else {
            throw CorpusError(.inconsistent, line: line, "in-len \(inLength) ≠ data-in \(dataIn.length) + residual \(residual)")
        }
        return CorpusExchange(
            title: title, cdb: cdb, dataOut: outDigest ?? out.map { .bytes($0) }, dataInLength: inLength,
            status: status, sense: sense ?? [], dataIn: dataIn, residual: residual, line: line)
    }
}

extension Substring {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
