/// A SCSI sense key (SPC-5 §4.4.8, table 49).
@frozen
public struct SenseKey: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    public static let noSense = SenseKey(rawValue: 0x0)
    public static let recoveredError = SenseKey(rawValue: 0x1)
    public static let notReady = SenseKey(rawValue: 0x2)
    public static let mediumError = SenseKey(rawValue: 0x3)
    public static let hardwareError = SenseKey(rawValue: 0x4)
    public static let illegalRequest = SenseKey(rawValue: 0x5)
    public static let unitAttention = SenseKey(rawValue: 0x6)
    public static let dataProtect = SenseKey(rawValue: 0x7)
    public static let blankCheck = SenseKey(rawValue: 0x8)
    public static let vendorSpecific = SenseKey(rawValue: 0x9)
    public static let copyAborted = SenseKey(rawValue: 0xA)
    public static let abortedCommand = SenseKey(rawValue: 0xB)
    public static let volumeOverflow = SenseKey(rawValue: 0xD)
    public static let miscompare = SenseKey(rawValue: 0xE)
    public static let completed = SenseKey(rawValue: 0xF)

    public var description: String {
        switch rawValue {
        case 0x0: "NO SENSE"
        case 0x1: "RECOVERED ERROR"
        case 0x2: "NOT READY"
        case 0x3: "MEDIUM ERROR"
        case 0x4: "HARDWARE ERROR"
        case 0x5: "ILLEGAL REQUEST"
        case 0x6: "UNIT ATTENTION"
        case 0x7: "DATA PROTECT"
        case 0x8: "BLANK CHECK"
        case 0x9: "VENDOR SPECIFIC"
        case 0xA: "COPY ABORTED"
        case 0xB: "ABORTED COMMAND"
        case 0xD: "VOLUME OVERFLOW"
        case 0xE: "MISCOMPARE"
        case 0xF: "COMPLETED"
        default: "RESERVED (\(rawValue))"
        }
    }
}
