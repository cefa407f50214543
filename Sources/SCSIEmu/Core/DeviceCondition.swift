import Sense

/// The conditions a logical unit can be in, as a set, for the command table's "may run in" column.
public struct DeviceStates: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let ready = DeviceStates(rawValue: 1 << 0)
    /// Stopped by START STOP UNIT (needs an initializing command).
    public static let stopped = DeviceStates(rawValue: 1 << 1)
    /// No medium (tray open or closed and empty).
    public static let noMedium = DeviceStates(rawValue: 1 << 2)
    /// FORMAT UNIT in progress.
    public static let formatting = DeviceStates(rawValue: 1 << 3)
    /// SANITIZE in progress.
    public static let sanitizing = DeviceStates(rawValue: 1 << 4)
    /// Becoming ready (a medium was just loaded).
    public static let becomingReady = DeviceStates(rawValue: 1 << 5)

    /// Commands that run whatever the state (INQUIRY, REQUEST SENSE, REPORT SUPPORTED OPERATION CODES…).
    public static let any: DeviceStates = [.ready, .stopped, .noMedium, .formatting, .sanitizing, .becomingReady]
    /// Commands that need a ready medium (READ, WRITE, READ CAPACITY…).
    public static let readyOnly: DeviceStates = [.ready]
    /// Commands a stopped or empty unit still serves (MODE SENSE, START STOP, PREVENT ALLOW…).
    public static let notDuringFormat: DeviceStates = [.ready, .stopped, .noMedium, .becomingReady]
}

/// The condition a logical unit is in now.
public enum DeviceCondition: Sendable, Hashable {
    case ready
    case stopped
    case noMedium(trayOpen: Bool)
    /// Progress as a fraction of 65 536.
    case formatting(progress: UInt16)
    case sanitizing(progress: UInt16)
    case becomingReady

    public var state: DeviceStates {
        switch self {
        case .ready: .ready
        case .stopped: .stopped
        case .noMedium: .noMedium
        case .formatting: .formatting
        case .sanitizing: .sanitizing
        case .becomingReady: .becomingReady
        }
    }

    /// The NOT READY sense for a command that may not run in this condition (SPC-5 §6.39.2, table 50).
    public var notReadySense: Sense {
        switch self {
        case .ready: Sense(.notReady, .logicalUnitNotReadyCauseNotReportable)
        case .stopped: Sense(.notReady, .logicalUnitNotReadyInitializingCommandRequired)
        case .noMedium(let open):
            Sense(.notReady, open ? .mediumNotPresentTrayOpen : .mediumNotPresentTrayClosed)
        case .formatting(let p):
            Sense(.notReady, .logicalUnitNotReadyFormatInProgress, keySpecific: .progress(p))
        case .sanitizing(let p):
            Sense(.notReady, .logicalUnitNotReadySanitizeInProgress, keySpecific: .progress(p))
        case .becomingReady: Sense(.notReady, .logicalUnitIsInProcessOfBecomingReady)
        }
    }
}

extension DeviceCondition {
    /// One word for an atomic mirror: the case in bits 7–0, the progress in bits 31–16.
    var packed: UInt32 {
        switch self {
        case .ready: 0
        case .stopped: 1
        case .noMedium(let open): open ? 3 : 2
        case .formatting(let p): 4 | UInt32(p) << 16
        case .sanitizing(let p): 5 | UInt32(p) << 16
        case .becomingReady: 6
        }
    }

    init(packed word: UInt32) {
        let progress = UInt16(truncatingIfNeeded: word >> 16)
        switch word & 0xFF {
        case 1: self = .stopped
        case 2: self = .noMedium(trayOpen: false)
        case 3: self = .noMedium(trayOpen: true)
        case 4: self = .formatting(progress: progress)
        case 5: self = .sanitizing(progress: progress)
        case 6: self = .becomingReady
        default: self = .ready
        }
    }
}
