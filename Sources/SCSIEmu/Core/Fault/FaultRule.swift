import Sense

/// One fault-injection rule: which commands it matches, what it does to them, how often (issue 15).
///
/// A rule is data: `FaultRuleParser` builds it from words (`sense 3/11/00 on=read lba=100+8 times=2`),
/// `FaultInjector` evaluates it in the dispatcher, `description` writes it back in the same syntax.
public struct FaultRule: Sendable, Hashable, CustomStringConvertible {
    public var match: FaultMatch
    public var action: FaultAction
    /// How many times it may fire; nil: until cleared.
    public var times: UInt64?

    public init(match: FaultMatch = FaultMatch(), action: FaultAction, times: UInt64? = nil) {
        self.match = match
        self.action = action
        self.times = times
    }

    public var description: String {
        ([action.description] + match.words + (times.map { ["times=\($0)"] } ?? [])).joined(separator: " ")
    }
}

/// Which commands a rule applies to. Every given criterion must hold; the gates (`after`, `every`,
/// `probability`) count only commands the static criteria matched.
public struct FaultMatch: Sendable, Hashable {
    /// The commands by kind or by opcode.
    public var commands: CommandSelector = .group(.any)
    /// Logical blocks [lowerBound, upperBound): the command's range must overlap it.
    public var lbas: Range<UInt64>?
    /// Zone index (zoned devices): the command's range must overlap the zone.
    public var zone: UInt64?
    /// Fire on every Nth matching command only (1: every one).
    public var every: UInt64 = 1
    /// Let the first N matching commands pass.
    public var after: UInt64 = 0
    /// Fire with this probability (0…1], drawn from a generator seeded with `seed`.
    public var probability: Double = 1
    public var seed: UInt64 = 0

    public init() {}

    var words: [String] {
        var w: [String] = []
        if commands != .group(.any) { w.append("on=\(commands)") }
        if let lbas { w.append("lba=\(lbas.lowerBound)+\(lbas.count)") }
        if let zone { w.append("zone=\(zone)") }
        if every != 1 { w.append("every=\(every)") }
        if after != 0 { w.append("after=\(after)") }
        if probability < 1 { w.append("prob=\(probability)") }
        if seed != 0 { w.append("seed=\(seed)") }
        return w
    }
}

/// Commands by kind (`CommandGroup`) or by a list of opcodes, each with an optional service action.
public enum CommandSelector: Sendable, Hashable, CustomStringConvertible {
    case group(CommandGroup)
    case opcodes([Opcode])

    public struct Opcode: Sendable, Hashable, CustomStringConvertible {
        public var code: UInt8
        public var serviceAction: UInt16?
        public init(_ code: UInt8, serviceAction: UInt16? = nil) {
            self.code = code
            self.serviceAction = serviceAction
        }
        public var description: String {
            "0x" + hex(UInt64(code), width: 2) + (serviceAction.map { "/0x" + hex(UInt64($0), width: 2) } ?? "")
        }
    }

    public var description: String {
        switch self {
        case .group(let g): g.rawValue
        case .opcodes(let list): list.map(\.description).joined(separator: ",")
        }
    }
}

/// What a rule does to a command it fires on.
public enum FaultAction: Sendable, Hashable, CustomStringConvertible {
    /// CHECK CONDITION with this key and code; INFORMATION = the first failing LBA. A MEDIUM ERROR on a
    /// read transfers the blocks before that LBA (as a disk does).
    case sense(SenseKey, AdditionalSenseCode)
    /// RECOVERED ERROR with this code, the command carried out and its data transferred.
    case recovered(AdditionalSenseCode)
    /// A status without sense: BUSY, TASK SET FULL, RESERVATION CONFLICT.
    case status(SCSIStatus)
    /// Carry the command out, complete it this many milliseconds later.
    case delay(milliseconds: UInt32)
    /// No response: hold the command until a TMR (or `fault clear`) releases it.
    case hang(HangRelease)
    /// Carry the command out but transfer at most this many bytes of Data-In (the residual says the rest).
    case short(bytes: UInt32)
    /// UNIT ATTENTION with this code (one-shot by default).
    case unitAttention(AdditionalSenseCode)
    /// Add the `lba=` range to the bad-block map (not a rule: the map answers MEDIUM ERROR until written).
    case badBlocks

    public var description: String {
        switch self {
        case let .sense(key, code): "sense \(senseTriple(key, code))"
        case let .recovered(code): "recovered \(pair(code))"
        case let .status(s): FaultAction.statusWords.first { $0.value == s }?.key ?? "status"
        case let .delay(ms): "delay \(ms)"
        case let .hang(release): release == .onAbort ? "hang" : "hang \(release.rawValue)"
        case let .short(bytes): "short \(bytes)"
        case let .unitAttention(code): "ua \(pair(code))"
        case .badBlocks: "bad"
        }
    }

    static let statusWords: [String: SCSIStatus] = [
        "busy": .busy, "task-set-full": .taskSetFull, "reservation-conflict": .reservationConflict,
    ]
}

/// When a held command (`hang`) is released.
public enum HangRelease: String, Sendable, Hashable {
    /// The first TMR naming it (ABORT TASK), or a LUN reset: completed as TASK ABORTED.
    case onAbort = "abort"
    /// ABORT TASK is ignored (the abort does not complete: the initiator escalates); a LUN or target
    /// reset completes it as TASK ABORTED.
    case onReset = "abort-fails"
}

/// The kinds of command a rule may name instead of opcodes.
public enum CommandGroup: String, Sendable, Hashable, CaseIterable {
    /// READ(6/10/12/16/32), READ CD.
    case read
    /// WRITE(6/10/12/16/32), WRITE AND VERIFY, WRITE SAME, COMPARE AND WRITE.
    case write
    /// read + write + VERIFY: every command that moves or checks medium data.
    case anyData = "any-data"
    /// Every command.
    case any
}

func hex(_ v: UInt64, width: Int) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

func pair(_ code: AdditionalSenseCode) -> String {
    hex(UInt64(code.asc), width: 2) + "/" + hex(UInt64(code.ascq), width: 2)
}

func senseTriple(_ key: SenseKey, _ code: AdditionalSenseCode) -> String {
    hex(UInt64(key.rawValue), width: 1) + "/" + pair(code)
}
