/// The SCSI status byte (SAM-6 §5.3.1, table 38).
@frozen
public struct SCSIStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let good = SCSIStatus(rawValue: 0x00)
    public static let checkCondition = SCSIStatus(rawValue: 0x02)
    public static let conditionMet = SCSIStatus(rawValue: 0x04)
    public static let busy = SCSIStatus(rawValue: 0x08)
    public static let reservationConflict = SCSIStatus(rawValue: 0x18)
    public static let taskSetFull = SCSIStatus(rawValue: 0x28)
    public static let acaActive = SCSIStatus(rawValue: 0x30)
    public static let taskAborted = SCSIStatus(rawValue: 0x40)

    public var description: String {
        switch rawValue {
        case 0x00: "GOOD"
        case 0x02: "CHECK CONDITION"
        case 0x04: "CONDITION MET"
        case 0x08: "BUSY"
        case 0x18: "RESERVATION CONFLICT"
        case 0x28: "TASK SET FULL"
        case 0x30: "ACA ACTIVE"
        case 0x40: "TASK ABORTED"
        default: "STATUS \(rawValue)"
        }
    }
}
