import Sense

/// Why a rule could not be parsed: the token at fault, as written, and what was expected.
public struct FaultRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var token: String
    public var reason: String
    public init(token: String, reason: String) {
        self.token = token
        self.reason = reason
    }
    public var description: String { "'\(token)': \(reason)" }
}

/// Parses a rule from words: an action (with its argument), then `key=value` criteria and a budget.
///
/// ```
/// sense 3/11/00 on=read lba=1000+8 times=1     MEDIUM ERROR on reads touching 1000…1007, once
/// busy every=10 seed=7 prob=0.5                BUSY on half of every 10th command
/// delay 20 on=write                            writes complete 20 ms late
/// hang on=0x28 after=100 times=1               the 101st READ(10) gets no response
/// ua 2A/09                                     CAPACITY DATA HAS CHANGED on the next command
/// bad lba=4096+16                              blocks 4096…4111 unreadable until written
/// ```
public enum FaultRuleParser {
    public static func parse(_ words: [String]) throws(FaultRuleError) -> FaultRule {
        var rest = words[...]
        guard let verb = rest.popFirst() else {
            throw FaultRuleError(token: "", reason: "no action (\(actionList))")
        }
        let action = try parseAction(verb.lowercased(), &rest)
        var match = FaultMatch()
        var times: UInt64? = nil
        if case .unitAttention = action { times = 1 }
        for word in rest {
            guard let eq = word.firstIndex(of: "=") else {
                throw FaultRuleError(token: word, reason: "expected key=value (on, lba, zone, every, after, prob, seed, times)")
            }
            let key = word[..<eq].lowercased(), value = String(word[word.index(after: eq)...])
            switch key {
            case "on", "op": match.commands = try selector(value, word)
            case "lba": match.lbas = try lbaRange(value, word)
            case "zone": match.zone = try number(value, word)
            case "every": match.every = try positive(value, word)
            case "after": match.after = try number(value, word)
            case "seed": match.seed = try number(value, word)
            case "times": times = try positive(value, word)
            case "prob":
                guard let p = Double(value), p > 0, p <= 1 else {
                    throw FaultRuleError(token: word, reason: "probability must be a number in (0, 1]")
                }
                match.probability = p
            default:
                throw FaultRuleError(token: word, reason: "unknown key '\(key)' (on, lba, zone, every, after, prob, seed, times)")
            }
        }
        if case .badBlocks = action, match.lbas == nil {
            throw FaultRuleError(token: verb, reason: "'bad' needs lba=START+COUNT or lba=FIRST-LAST")
        }
        return FaultRule(match: match, action: action, times: times)
    }

    static let actionList =
        "sense K/AA/QQ, recovered [AA/QQ], busy, task-set-full, reservation-conflict, delay MS, hang [abort-fails], short BYTES, ua AA/QQ|NAME, gone [AA/QQ|hang], bad"

    /// One-shot unit attentions by name (SPC-5 / SBC-4 table of ASC/ASCQ).
    static let unitAttentionNames: [String: AdditionalSenseCode] = [
        "power-on": AdditionalSenseCode(asc: 0x29, ascq: 0x00),
        "capacity-changed": AdditionalSenseCode(asc: 0x2A, ascq: 0x09),
        "mode-changed": AdditionalSenseCode(asc: 0x2A, ascq: 0x01),
        "luns-changed": AdditionalSenseCode(asc: 0x3F, ascq: 0x0E),
        "medium-changed": AdditionalSenseCode(asc: 0x28, ascq: 0x00),
    ]

    private static func parseAction(_ verb: String, _ rest: inout ArraySlice<String>) throws(FaultRuleError) -> FaultAction {
        func argument(_ what: String) throws(FaultRuleError) -> String {
            guard let a = rest.first, !a.contains("=") else {
                throw FaultRuleError(token: verb, reason: "'\(verb)' needs \(what)")
            }
            rest.removeFirst()
            return a
        }
        func optionalArgument() -> String? {
            guard let a = rest.first, !a.contains("=") else { return nil }
            rest.removeFirst()
            return a
        }
        switch verb {
        case "sense":
            let a = try argument("KEY/ASC/ASCQ in hex (3/11/00)")
            let (key, code) = try triple(a)
            return .sense(key, code)
        case "recovered":
            guard let a = optionalArgument() else { return .recovered(AdditionalSenseCode(asc: 0x17, ascq: 0x01)) }
            return .recovered(try code(a))
        case "delay":
            let a = try argument("milliseconds")
            guard let ms = UInt32(a), ms > 0, ms <= 600_000 else {
                throw FaultRuleError(token: a, reason: "delay must be 1…600000 ms")
            }
            return .delay(milliseconds: ms)
        case "hang":
            guard let a = optionalArgument() else { return .hang(.onAbort) }
            guard let r = HangRelease(rawValue: a.lowercased()) else {
                throw FaultRuleError(token: a, reason: "expected 'abort' or 'abort-fails'")
            }
            return .hang(r)
        case "short":
            let a = try argument("the bytes to transfer")
            guard let n = UInt32(a) else { throw FaultRuleError(token: a, reason: "not a byte count") }
            return .short(bytes: n)
        case "ua":
            let a = try argument("ASC/ASCQ or a name (\(unitAttentionNames.keys.sorted().joined(separator: ", ")))")
            if let named = unitAttentionNames[a.lowercased()] { return .unitAttention(named) }
            return .unitAttention(try code(a))
        case "gone":
            guard let a = optionalArgument() else { return .sense(.notReady, AdditionalSenseCode(asc: 0x04, ascq: 0x03)) }
            if a.lowercased() == "hang" { return .hang(.onReset) }
            let c = try code(a)
            guard c.asc == 0x04 else { throw FaultRuleError(token: a, reason: "a gone device answers NOT READY 04/xx") }
            return .sense(.notReady, c)
        case "bad":
            return .badBlocks
        default:
            if let s = FaultAction.statusWords[verb] { return .status(s) }
            throw FaultRuleError(token: verb, reason: "unknown action (\(actionList))")
        }
    }

    private static func byte(_ s: Substring, _ token: String, max: UInt8 = 0xFF) throws(FaultRuleError) -> UInt8 {
        let digits = s.hasPrefix("0x") || s.hasPrefix("0X") ? s.dropFirst(2) : s
        guard !digits.isEmpty, digits.count <= 2, let v = UInt8(digits, radix: 16), v <= max else {
            throw FaultRuleError(token: token, reason: "'\(s)' is not a hex byte\(max < 0xFF ? " ≤ \(hex(UInt64(max), width: 1))" : "")")
        }
        return v
    }

    static func code(_ token: String) throws(FaultRuleError) -> AdditionalSenseCode {
        let parts = token.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw FaultRuleError(token: token, reason: "expected ASC/ASCQ in hex (11/00)") }
        return AdditionalSenseCode(asc: try byte(parts[0], token), ascq: try byte(parts[1], token))
    }

    static func triple(_ token: String) throws(FaultRuleError) -> (SenseKey, AdditionalSenseCode) {
        let parts = token.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw FaultRuleError(token: token, reason: "expected KEY/ASC/ASCQ in hex (3/11/00)")
        }
        let key = try byte(parts[0], token, max: 0x0F)
        return (SenseKey(rawValue: key), AdditionalSenseCode(asc: try byte(parts[1], token), ascq: try byte(parts[2], token)))
    }

    private static func selector(_ value: String, _ token: String) throws(FaultRuleError) -> CommandSelector {
        if let g = CommandGroup(rawValue: value.lowercased()) { return .group(g) }
        var list: [CommandSelector.Opcode] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let first = parts.first, first.lowercased().hasPrefix("0x") else {
                throw FaultRuleError(
                    token: token, reason: "'\(item)' is neither a group (read, write, any-data, any) nor an opcode (0x28, 0x9E/0x10)")
            }
            let code = try byte(first, token)
            var sa: UInt16? = nil
            if parts.count == 2 {
                let s = parts[1].lowercased().hasPrefix("0x") ? parts[1].dropFirst(2) : parts[1]
                guard let v = UInt16(s, radix: 16) else {
                    throw FaultRuleError(token: token, reason: "'\(parts[1])' is not a hex service action")
                }
                sa = v
            }
            list.append(CommandSelector.Opcode(code, serviceAction: sa))
        }
        return .opcodes(list)
    }

    /// `START+COUNT` or `FIRST-LAST` (inclusive), decimal or 0x-hex.
    private static func lbaRange(_ value: String, _ token: String) throws(FaultRuleError) -> Range<UInt64> {
        if let plus = value.firstIndex(of: "+") {
            let start = try number(String(value[..<plus]), token)
            let count = try positive(String(value[value.index(after: plus)...]), token)
            let (end, o) = start.addingReportingOverflow(count)
            guard !o else { throw FaultRuleError(token: token, reason: "range passes the largest LBA") }
            return start..<end
        }
        if let dash = value.firstIndex(of: "-") {
            let first = try number(String(value[..<dash]), token)
            let last = try number(String(value[value.index(after: dash)...]), token)
            guard first <= last, last < UInt64.max else { throw FaultRuleError(token: token, reason: "FIRST must be ≤ LAST") }
            return first..<(last + 1)
        }
        let one = try number(value, token)
        guard one < UInt64.max else { throw FaultRuleError(token: token, reason: "LBA too large") }
        return one..<(one + 1)
    }

    private static func number(_ s: String, _ token: String) throws(FaultRuleError) -> UInt64 {
        let v = s.lowercased().hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) : UInt64(s)
        guard let v else { throw FaultRuleError(token: token, reason: "'\(s)' is not a number") }
        return v
    }

    private static func positive(_ s: String, _ token: String) throws(FaultRuleError) -> UInt64 {
        let v = try number(s, token)
        guard v > 0 else { throw FaultRuleError(token: token, reason: "must be 1 or more") }
        return v
    }
}
