/// One sense datum as data: what a handler throws, what the builder encodes, what the decoder returns.
///
/// SPC-5 §4.4 describes two encodings (fixed 70h/71h, descriptor 72h/73h); this value holds the
/// fields both share, and `SenseEncoder` chooses the layout.
public struct Sense: Error, Hashable, Sendable, CustomStringConvertible {
    public var key: SenseKey
    public var code: AdditionalSenseCode
    /// Deferred error (71h/73h) rather than current (70h/72h).
    public var deferred: Bool
    /// The INFORMATION field (fixed: 32 bits + VALID; descriptor: information descriptor, 64 bits).
    public var information: UInt64?
    /// The COMMAND-SPECIFIC INFORMATION field.
    public var commandSpecific: UInt64?
    /// The SENSE-KEY SPECIFIC field (SKSV set when present).
    public var keySpecific: SenseKeySpecific?
    /// FILEMARK, EOM and ILI bits (stream commands and block-length mismatches).
    public var filemark: Bool
    public var endOfMedium: Bool
    public var incorrectLength: Bool

    public init(
        _ key: SenseKey, _ code: AdditionalSenseCode,
        information: UInt64? = nil, commandSpecific: UInt64? = nil,
        keySpecific: SenseKeySpecific? = nil, deferred: Bool = false,
        filemark: Bool = false, endOfMedium: Bool = false, incorrectLength: Bool = false
    ) {
        self.key = key
        self.code = code
        self.information = information
        self.commandSpecific = commandSpecific
        self.keySpecific = keySpecific
        self.deferred = deferred
        self.filemark = filemark
        self.endOfMedium = endOfMedium
        self.incorrectLength = incorrectLength
    }

    /// One line for logs: `"ILLEGAL REQUEST 24/00 INVALID FIELD IN CDB field CDB byte 2 bit 7"`,
    /// then `info=0x…`, `csi=0x…`, FILEMARK/EOM/ILI when present; `deferred` first for 71h/73h errors.
    public var description: String {
        var s = deferred ? "deferred \(key) \(code)" : "\(key) \(code)"
        if let keySpecific { s += " \(keySpecific)" }
        if let information { s += " info=0x" + String(information, radix: 16, uppercase: true) }
        if let commandSpecific { s += " csi=0x" + String(commandSpecific, radix: 16, uppercase: true) }
        if filemark { s += " FILEMARK" }
        if endOfMedium { s += " EOM" }
        if incorrectLength { s += " ILI" }
        return s
    }
}

/// The SENSE-KEY SPECIFIC field (SPC-5 §4.4.2.4): 3 bytes, SKSV in bit 7 of the first.
public enum SenseKeySpecific: Hashable, Sendable, CustomStringConvertible {
    /// ILLEGAL REQUEST: C/D (true = CDB, false = parameter list), bit pointer (BPV when non-nil), byte.
    case fieldPointer(inCDB: Bool, byte: UInt16, bit: UInt8?)
    /// NOT READY / NO SENSE: progress as a fraction of 65 536.
    case progress(UInt16)
    /// RECOVERED/HARDWARE/MEDIUM ERROR: actual retry count.
    case actualRetryCount(UInt16)
    /// COPY ABORTED: segment pointer (SD = descriptor, BPV/bit pointer, byte).
    case segmentPointer(inSegmentDescriptor: Bool, byte: UInt16, bit: UInt8?)
    /// UNIT ATTENTION: unit attention condition queue overflow.
    case unitAttentionOverflow(Bool)
    /// Any other three bytes (SKSV excluded), kept verbatim by the decoder.
    case raw(UInt8, UInt8, UInt8)

    public var description: String {
        switch self {
        case let .fieldPointer(inCDB, byte, bit):
            "field \(inCDB ? "CDB" : "param") byte \(byte)" + (bit.map { " bit \($0)" } ?? "")
        case let .progress(p): "progress \(p)/65536 (\(Int(p) * 100 / 65536)%)"
        case let .actualRetryCount(n): "retries \(n)"
        case let .segmentPointer(sd, byte, bit):
            "segment \(sd ? "desc" : "list") byte \(byte)" + (bit.map { " bit \($0)" } ?? "")
        case let .unitAttentionOverflow(o): o ? "ua-queue-overflow" : "no ua-queue-overflow"
        case let .raw(a, b, c):
            "sks \(AdditionalSenseCode.hex(a)) \(AdditionalSenseCode.hex(b)) \(AdditionalSenseCode.hex(c))"
        }
    }
}

/// The two sense data formats (SPC-5 §4.4.2 and §4.4.3).
public enum SenseFormat: Sendable, Hashable {
    case fixed
    case descriptor
}
