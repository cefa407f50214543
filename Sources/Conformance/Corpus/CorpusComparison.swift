import Sense

/// What an initiator saw of one command's completion: from the simulated kernel during a replay (or,
/// later, from a real device through SG_IO).
public struct ObservedCompletion: Sendable, Equatable {
    public var status: UInt8
    /// The sense bytes, cut to the length they declare (`CorpusSense.significant`).
    public var sense: [UInt8]
    /// The Data-In bytes transferred.
    public var dataIn: [UInt8]
    /// The Data-In buffer length minus the bytes transferred (what SG_IO reports as `resid`).
    public var residual: Int

    public init(status: UInt8, sense: [UInt8] = [], dataIn: [UInt8] = [], residual: Int = 0) {
        self.status = status
        self.sense = CorpusSense.significant(sense)
        self.dataIn = dataIn
        self.residual = residual
    }
}

/// Sense bytes as a corpus compares them.
public enum CorpusSense {
    /// The bytes a sense buffer declares: for fixed (70h/71h) and descriptor (72h/73h) sense, the 8-byte
    /// header plus ADDITIONAL SENSE LENGTH (byte 7), SPC-5 §4.4; anything else without its trailing zeros.
    /// The kernel hands out a 96-byte buffer and `sg` as many bytes as the initiator asked for, so both
    /// sides of a comparison are cut to what the sense data itself says it is.
    ///
    ///     | 0 | RESPONSE CODE (6–0) | … | 7 | ADDITIONAL SENSE LENGTH (n − 7) | 8…n | …
    public static func significant(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.count >= 8, (0x70...0x73).contains(bytes[0] & 0x7F) {
            return Array(bytes.prefix(8 + Int(bytes[7])))
        }
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0 { end -= 1 }
        return Array(bytes.prefix(end))
    }

    /// The decoded sense for a diff line, or why it does not decode.
    public static func describe(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "(none)" }
        do { return "\(try Sense(decoding: bytes))" } catch { return "(undecodable: \(error))" }
    }
}

/// The outcome of one exchange of a replay.
public struct CorpusExchangeResult: Sendable {
    /// Position in the corpus, from 0.
    public var index: Int
    public var title: String
    /// The line the exchange starts on (0 when built in code).
    public var line: Int
    public var cdb: [UInt8]
    /// One entry per field that differs (status, sense, data-in, residual), each a readable block, or why
    /// the exchange could not be run. Empty: passed.
    public var failures: [String]

    public var passed: Bool { failures.isEmpty }

    /// The whole diff, one field after another.
    public var diff: String { failures.joined(separator: "\n") }

    /// "exchange 3 (line 14) INQUIRY VPD 83h", for headings.
    public var heading: String {
        "exchange \(index + 1)" + (line > 0 ? " (line \(line))" : "") + (title.isEmpty ? "" : " \(title)")
    }
}

/// Field-by-field comparison of an expected exchange with what was observed.
public enum CorpusComparison {
    /// Differences between `expected` and `observed`, each as a readable block (empty when equal).
    public static func differences(expected e: CorpusExchange, observed o: ObservedCompletion) -> [String] {
        var out: [String] = []
        if e.status != o.status {
            out.append("status: expected \(statusText(e.status)), got \(statusText(o.status))")
        }
        let expectedSense = CorpusSense.significant(e.sense)
        if expectedSense != o.sense {
            var block = "sense: " + bytesDiff(expected: expectedSense, actual: o.sense)
            block += "\n  expected: \(CorpusSense.describe(expectedSense))"
            block += "\n  actual:   \(CorpusSense.describe(o.sense))"
            out.append(block)
        }
        if !e.dataIn.matches(o.dataIn) {
            switch e.dataIn {
            case .bytes(let b):
                out.append("data-in: " + bytesDiff(expected: b, actual: o.dataIn))
            case .digest(let sha, let n):
                out.append(
                    "data-in: expected \(n) bytes with sha256 \(sha)\n"
                        + "  actual \(o.dataIn.count) bytes with sha256 \(SHA256.hex(o.dataIn))")
            }
        }
        if e.residual != o.residual {
            out.append("residual: expected \(e.residual), got \(o.residual)")
        }
        return out
    }

    static func statusText(_ s: UInt8) -> String { "\(Hex.string([s])) \(SCSIStatus(rawValue: s))" }

    /// "differs at offset 0x12 (18); expected 36 bytes, got 36" and the 16-byte rows around the first
    /// difference on both sides, the differing bytes of those rows in brackets.
    static func bytesDiff(expected: [UInt8], actual: [UInt8]) -> String {
        let common = min(expected.count, actual.count)
        let first = (0..<common).first(where: { expected[$0] != actual[$0] }) ?? common
        var s = "differs at offset 0x\(String(first, radix: 16)) (\(first))"
        s += "; expected \(expected.count) bytes, got \(actual.count)"
        let rowStart = first / 16 * 16
        for start in stride(from: rowStart, to: min(rowStart + 32, max(expected.count, actual.count)), by: 16) {
            s += "\n  expected " + row(expected, other: actual, start: start)
            s += "\n  actual   " + row(actual, other: expected, start: start)
        }
        if expected.isEmpty && actual.isEmpty { s += "\n  (both empty)" }
        return s
    }

    /// `0010  00 01 [02] 03 …`: one row of 16 bytes from `start`, bytes that differ from `other` marked.
    static func row(_ bytes: [UInt8], other: [UInt8], start: Int) -> String {
        var offset = String(start, radix: 16)
        offset = String(repeating: "0", count: max(0, 4 - offset.count)) + offset
        guard start < bytes.count else { return offset + "  (ends at \(bytes.count))" }
        var cells: [String] = []
        for i in start..<min(start + 16, bytes.count) {
            let cell = Hex.string([bytes[i]])
            cells.append(i < other.count && other[i] == bytes[i] ? cell : "[\(cell)]")
        }
        return offset + "  " + cells.joined(separator: " ")
    }
}
