/// The SCSI status byte (SAM-6 §5.3.1, table 38).
@frozen
public struct SCSIStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    // Inlinable values, not stored `static let`s: a stored one is reached through a call to its
    // addressor (and a once-check) on every comparison, in every module but this one.
    @inlinable public static var good: SCSIStatus { SCSIStatus(rawValue: 0x00) }
    @inlinable public static var checkCondition: SCSIStatus { SCSIStatus(rawValue: 0x02) }
    @inlinable public static var conditionMet: SCSIStatus { SCSIStatus(rawValue: 0x04) }
    @inlinable public static var busy: SCSIStatus { SCSIStatus(rawValue: 0x08) }
    @inlinable public static var reservationConflict: SCSIStatus { SCSIStatus(rawValue: 0x18) }
    @inlinable public static var taskSetFull: SCSIStatus { SCSIStatus(rawValue: 0x28) }
    @inlinable public static var acaActive: SCSIStatus { SCSIStatus(rawValue: 0x30) }
    @inlinable public static var taskAborted: SCSIStatus { SCSIStatus(rawValue: 0x40) }

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
