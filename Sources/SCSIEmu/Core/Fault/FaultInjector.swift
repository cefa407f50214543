import Logging
import Sense
import Synchronization

/// A device's fault rules and bad-block map, consulted by the dispatcher before every command
/// (`CommandTable.execute`). Every device kind has one (in its `LogicalUnit`).
///
/// With nothing armed the dispatcher pays one relaxed atomic load per command; everything else
/// happens under a mutex, only while something is armed.
public final class FaultInjector: Sendable {
    /// A rule as installed: its id (for `fault clear ID`), counters and random generator.
    public struct Installed: Sendable {
        public let id: Int
        public let rule: FaultRule
        /// Commands the rule's opcode/LBA/zone criteria matched.
        public fileprivate(set) var matched: UInt64 = 0
        /// Times it fired.
        public fileprivate(set) var fired: UInt64 = 0
        fileprivate var random: UInt64

        var exhausted: Bool { rule.times.map { fired >= $0 } ?? false }
    }

    struct State {
        var rules: [Installed] = []
        var nextID = 1
        var badBlocks = BadBlockMap()
        var sidecar: String?
        var logger: Logger?
        /// Blocks per zone, for `zone=` (zoned devices set it).
        var zoneBlocks: UInt64?
    }

    private let armed = Atomic<Bool>(false)
    private let state = Mutex(State())

    public init() {}

    /// Whether any rule or bad block is installed. Inlined into the dispatcher.
    public var isArmed: Bool { @inline(__always) get { armed.load(ordering: .relaxed) } }

    /// Runs `body` under the mutex, then arms or disarms the dispatcher's check.
    private func locked<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        try state.withLock { (s: inout State) throws(E) -> R in
            defer { armed.store(!s.rules.isEmpty || !s.badBlocks.isEmpty, ordering: .relaxed) }
            return try body(&s)
        }
    }

    // MARK: - Configuration

    /// Where firings are logged (one line each, at debug: tcmu-runner's level 4).
    public func attach(logger: Logger) { locked { $0.logger = logger } }

    /// Zone length in blocks, so that `zone=N` rules can match.
    public func setZoneBlocks(_ n: UInt64) { locked { $0.zoneBlocks = n } }

    /// Keeps the bad-block map in `path` (loaded now, rewritten on every change).
    public func useSidecar(_ path: String) throws(FaultRuleError) {
        let map = try BadBlockMap.load(path: path)
        try locked { (s: inout State) throws(FaultRuleError) in
            var merged = map
            for r in s.badBlocks.ranges { merged.insert(r) }
            s.badBlocks = merged
            s.sidecar = path
            try merged.save(path: path)
        }
    }

    /// Installs a rule (a `bad` rule adds its range to the map instead). Returns the new rule's id, or 0.
    @discardableResult
    public func add(_ rule: FaultRule) throws(FaultRuleError) -> Int {
        try locked { (s: inout State) throws(FaultRuleError) -> Int in
            if rule.match.zone != nil, s.zoneBlocks == nil {
                throw FaultRuleError(token: "zone=\(rule.match.zone!)", reason: "this device has no zones")
            }
            if case .badBlocks = rule.action, let lbas = rule.match.lbas {
                s.badBlocks.insert(lbas)
                if let path = s.sidecar { try s.badBlocks.save(path: path) }
                return 0
            }
            let id = s.nextID
            s.nextID += 1
            s.rules.append(Installed(id: id, rule: rule, random: rule.match.seed ^ 0x9E37_79B9_7F4A_7C15))
            return id
        }
    }

    /// Adds every rule of a rules file: one rule a line, `#` comments. The error names the line.
    public func load(rulesText text: String) throws(FaultRuleError) {
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if words.isEmpty { continue }
            do throws(FaultRuleError) {
                try add(try FaultRuleParser.parse(words))
            } catch {
                throw FaultRuleError(token: error.token, reason: "line \(i + 1): \(error.reason)")
            }
        }
    }

    /// Removes one rule, or every rule and the whole bad-block map. Returns what was removed.
    public func clear(id: Int? = nil) throws(FaultRuleError) -> Int {
        try locked { (s: inout State) throws(FaultRuleError) -> Int in
            if let id {
                guard let i = s.rules.firstIndex(where: { $0.id == id }) else {
                    throw FaultRuleError(token: "\(id)", reason: "no rule with that id")
                }
                s.rules.remove(at: i)
                return 1
            }
            let n = s.rules.count + s.badBlocks.ranges.count
            s.rules.removeAll()
            s.badBlocks = BadBlockMap()
            if let path = s.sidecar { try s.badBlocks.save(path: path) }
            return n
        }
    }

    /// Empties the bad-block map only.
    public func clearBadBlocks() throws(FaultRuleError) -> Int {
        try locked { (s: inout State) throws(FaultRuleError) -> Int in
            let n = s.badBlocks.ranges.count
            s.badBlocks = BadBlockMap()
            if let path = s.sidecar { try s.badBlocks.save(path: path) }
            return n
        }
    }

    public var rules: [Installed] { locked { $0.rules } }
    public var badBlocks: BadBlockMap { locked { $0.badBlocks } }
    public var sidecar: String? { locked { $0.sidecar } }

    /// Whether rule `id` is still installed (a held command is released when its rule is cleared).
    public func isInstalled(_ id: Int) -> Bool { locked { s in s.rules.contains { $0.id == id } } }

    // MARK: - The injection point

    /// Runs `command` through the rules: `execute` is the dispatcher without faults. Called only while
    /// `isArmed`.
    public func inject(
        _ command: inout SCSICommand, execute: (inout SCSICommand) -> CommandResult
    ) -> CommandResult {
        let extent = CommandExtent(command.cdb)
        let (fired, logger, bad) = locked { s -> ((Int, FaultAction)?, Logger?, UInt64?) in
            var fired: (Int, FaultAction)?
            for i in s.rules.indices where !s.rules[i].exhausted && matches(s.rules[i].rule.match, command.cdb, extent, s.zoneBlocks) {
                s.rules[i].matched += 1
                if fired == nil, gate(&s.rules[i]) {
                    s.rules[i].fired += 1
                    fired = (s.rules[i].id, s.rules[i].rule.action)
                }
            }
            let bad = fired == nil && (extent.isRead || extent.isVerify) ? extent.lbas.flatMap(s.badBlocks.firstBad) : nil
            return (fired, s.logger, bad)
        }
        if let (id, action) = fired {
            let info = firstFailingLBA(extent, rule: id)
            let result = apply(action, rule: id, information: info, extent: extent, &command, execute)
            // A write the rule let run (delay, short, recovered) still repairs bad blocks under it.
            if extent.isWrite, let lbas = extent.lbas,
               result.status == .good || result.sense?.key == .recoveredError, !isHeld(command) {
                repair(lbas, logger)
            }
            logger?.debug("fault \(id) fired: \(action) on \(describe(command.cdb, extent)) -> \(outcome(result, command))")
            return result
        }
        if let bad {
            let result = mediumError(at: bad, extent: extent, &command, execute)
            logger?.debug("bad block \(bad): \(describe(command.cdb, extent)) -> \(outcome(result, command))")
            return result
        }
        let result = execute(&command)
        if extent.isWrite, result.status == .good, let lbas = extent.lbas { repair(lbas, logger) }
        return result
    }

    private func isHeld(_ command: SCSICommand) -> Bool {
        switch command.deferral {
        case .hold?, .awaitWritePointer?: return true
        case .delay?, nil: return false
        }
    }

    private func repair(_ lbas: Range<UInt64>, _ logger: Logger?) {
        let failure = locked { s -> FaultRuleError? in
            guard s.badBlocks.remove(lbas) else { return nil }
            logger?.debug("bad blocks in \(lbas.lowerBound)+\(lbas.count) repaired by a write")
            guard let path = s.sidecar else { return nil }
            do throws(FaultRuleError) { try s.badBlocks.save(path: path) } catch { return error }
            return nil
        }
        if let failure { logger?.error("\(failure)") }
    }

    private func matches(_ m: FaultMatch, _ cdb: CDB, _ extent: CommandExtent, _ zoneBlocks: UInt64?) -> Bool {
        switch m.commands {
        case .group(let g): guard extent.belongs(to: g) else { return false }
        case .opcodes(let list):
            guard list.contains(where: { op in
                op.code == cdb.opcode && (op.serviceAction.map { $0 == cdb.serviceAction } ?? true)
            }) else { return false }
        }
        if let want = m.lbas {
            guard let lbas = extent.lbas, lbas.overlaps(want) else { return false }
        }
        if let zone = m.zone {
            guard let zb = zoneBlocks, let lbas = extent.lbas else { return false }
            let (start, o1) = zone.multipliedReportingOverflow(by: zb)
            guard !o1, lbas.overlaps(start..<(start.addingReportingOverflow(zb).overflow ? .max : start + zb)) else {
                return false
            }
        }
        return true
    }

    /// `after`, `every`, `probability`, for a rule whose `matched` was just counted.
    private func gate(_ r: inout Installed) -> Bool {
        let m = r.rule.match
        guard r.matched > m.after, (r.matched - m.after) % m.every == 0 else { return false }
        guard m.probability < 1 else { return true }
        // SplitMix64: one step per gated command, so a seed replays the same firings.
        r.random &+= 0x9E37_79B9_7F4A_7C15
        var z = r.random
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53) < m.probability
    }

    /// The first LBA of the command inside the rule's `lba=` range and `zone=` (the command's first LBA
    /// when the rule names neither).
    private func firstFailingLBA(_ extent: CommandExtent, rule id: Int) -> UInt64? {
        guard let lbas = extent.lbas else { return nil }
        let (range, zone, zoneBlocks) = locked { s in
            let m = s.rules.first { $0.id == id }?.rule.match
            return (m?.lbas, m?.zone, s.zoneBlocks)
        }
        var first = lbas.lowerBound
        if let range { first = max(first, range.lowerBound) }
        if let zone, let zoneBlocks {
            let (start, overflow) = zone.multipliedReportingOverflow(by: zoneBlocks)
            if !overflow { first = max(first, start) }
        }
        return first
    }
}
