/// `emud ctl DEVICE fault …`: the same words on every device kind (the daemon answers them before the
/// device's own control commands).
///
/// ```
/// fault add RULE…          install a rule (see docs/faults.md); prints its id
/// fault list               one line per rule: id, matched and fired counters, the rule; then bad blocks
/// fault clear [ID|bad]     remove one rule, the bad-block map, or everything
/// fault sidecar PATH       keep the bad-block map in PATH (loaded now, rewritten on every change)
/// ```
public enum FaultControl {
    public static let usage = "fault add RULE… | fault list | fault clear [ID|bad] | fault sidecar PATH"

    public static func respond(_ words: [String], faults: FaultInjector) throws(ControlError) -> String {
        guard let verb = words.first?.lowercased() else { throw ControlError(.usage, "usage: \(usage)") }
        let rest = Array(words.dropFirst())
        /// Runs a rule-level step; its error names the token at fault.
        func step<R>(_ body: () throws(FaultRuleError) -> R) throws(ControlError) -> R {
            do throws(FaultRuleError) { return try body() } catch {
                throw ControlError(.usage, "fault \(verb): \(error)")
            }
        }
        switch verb {
        case "add":
            let rule = try step { () throws(FaultRuleError) in try FaultRuleParser.parse(rest) }
            let id = try step { () throws(FaultRuleError) in try faults.add(rule) }
            return id == 0 ? "bad blocks: \(describe(faults.badBlocks))" : "rule \(id): \(rule)"
        case "list":
            guard rest.isEmpty else { throw ControlError(.usage, "unexpected '\(rest[0])' (usage: fault list)") }
            return listing(faults)
        case "clear":
            guard rest.count <= 1 else { throw ControlError(.usage, "unexpected '\(rest[1])' (usage: fault clear [ID|bad])") }
            guard let which = rest.first else {
                let n = try step { () throws(FaultRuleError) in try faults.clear() }
                return "cleared \(n) rules and bad ranges"
            }
            if which.lowercased() == "bad" {
                let n = try step { () throws(FaultRuleError) in try faults.clearBadBlocks() }
                return "cleared \(n) bad ranges"
            }
            guard let id = Int(which), id > 0 else {
                throw ControlError(.usage, "'\(which)' is neither a rule id nor 'bad' (usage: fault clear [ID|bad])")
            }
            _ = try step { () throws(FaultRuleError) in try faults.clear(id: id) }
            return "cleared rule \(id)"
        case "sidecar":
            guard rest.count == 1 else { throw ControlError(.usage, "usage: fault sidecar PATH") }
            try step { () throws(FaultRuleError) in try faults.useSidecar(rest[0]) }
            return "bad blocks kept in \(rest[0]): \(describe(faults.badBlocks))"
        default:
            throw ControlError(.usage, "unknown fault command '\(verb)' (usage: \(usage))")
        }
    }

    /// `ID matched=M fired=F RULE` per rule, then `bad START+COUNT …` and the sidecar.
    public static func listing(_ faults: FaultInjector) -> String {
        var lines = faults.rules.map { r in "\(r.id) matched=\(r.matched) fired=\(r.fired) \(r.rule)" }
        let bad = faults.badBlocks
        if !bad.isEmpty || faults.sidecar != nil {
            lines.append("bad \(describe(bad))" + (faults.sidecar.map { " sidecar=\($0)" } ?? ""))
        }
        return lines.isEmpty ? "no faults" : lines.joined(separator: "\n")
    }

    static func describe(_ map: BadBlockMap) -> String {
        map.isEmpty ? "none" : map.ranges.map { "\($0.lowerBound)+\($0.count)" }.joined(separator: " ")
    }
}
