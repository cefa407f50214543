import Foundation

/// Unreadable logical blocks, as a disk's grown defect list: reads touching one answer MEDIUM ERROR
/// 3/11/00 UNRECOVERED READ ERROR with the first bad LBA; a write over a block repairs it (the drive
/// reallocates). Kept as sorted, disjoint, non-adjacent ranges.
public struct BadBlockMap: Sendable, Hashable {
    public private(set) var ranges: [Range<UInt64>] = []

    public init(_ ranges: [Range<UInt64>] = []) {
        for r in ranges { insert(r) }
    }

    public var isEmpty: Bool { ranges.isEmpty }
    public var blockCount: UInt64 { ranges.reduce(0) { $0 + UInt64($1.count) } }

    /// The first bad block in `lbas`, or nil.
    public func firstBad(in lbas: Range<UInt64>) -> UInt64? {
        for r in ranges where r.overlaps(lbas) { return max(r.lowerBound, lbas.lowerBound) }
        return nil
    }

    public mutating func insert(_ r: Range<UInt64>) {
        guard !r.isEmpty else { return }
        var lo = r.lowerBound, hi = r.upperBound
        ranges.removeAll { x in
            guard x.upperBound >= lo && x.lowerBound <= hi else { return false }
            lo = min(lo, x.lowerBound)
            hi = max(hi, x.upperBound)
            return true
        }
        let at = ranges.firstIndex { $0.lowerBound > lo } ?? ranges.count
        ranges.insert(lo..<hi, at: at)
    }

    /// Repairs `r`. Returns whether any block was bad.
    @discardableResult
    public mutating func remove(_ r: Range<UInt64>) -> Bool {
        guard ranges.contains(where: { $0.overlaps(r) }) else { return false }
        ranges = ranges.flatMap { x -> [Range<UInt64>] in
            guard x.overlaps(r) else { return [x] }
            var kept: [Range<UInt64>] = []
            if x.lowerBound < r.lowerBound { kept.append(x.lowerBound..<r.lowerBound) }
            if r.upperBound < x.upperBound { kept.append(r.upperBound..<x.upperBound) }
            return kept
        }
        return true
    }

    // MARK: - Sidecar file
    //
    // Text, one range a line: `START COUNT` in decimal; `#` starts a comment. Rewritten whole (temporary
    // file + rename) on every change, so a crash leaves the old or the new map, never half of one.

    public var sidecarText: String {
        "# emud bad-block map: START COUNT (logical blocks)\n"
            + ranges.map { "\($0.lowerBound) \($0.count)\n" }.joined()
    }

    /// Parses a sidecar; the error names the line.
    public init(sidecarText text: String) throws(FaultRuleError) {
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty { continue }
            guard fields.count == 2, let start = UInt64(fields[0]), let count = UInt64(fields[1]), count > 0,
                  !start.addingReportingOverflow(count).overflow
            else {
                throw FaultRuleError(token: String(raw), reason: "line \(i + 1): expected START COUNT (decimal, COUNT ≥ 1)")
            }
            insert(start..<(start + count))
        }
    }

    /// Reads a sidecar; a missing file is an empty map.
    public static func load(path: String) throws(FaultRuleError) -> BadBlockMap {
        guard FileManager.default.fileExists(atPath: path) else { return BadBlockMap() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FaultRuleError(token: path, reason: "cannot read the bad-block sidecar")
        }
        return try BadBlockMap(sidecarText: String(decoding: data, as: UTF8.self))
    }

    public func save(path: String) throws(FaultRuleError) {
        let temporary = path + ".tmp"
        do {
            try Data(sidecarText.utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw FaultRuleError(token: path, reason: "cannot write the bad-block sidecar: \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            throw FaultRuleError(token: path, reason: "cannot rename \(temporary) over the bad-block sidecar")
        }
    }
}
