/// The media event codes of GET EVENT STATUS NOTIFICATION's media class (MMC-6 §6.7.2.6, table 153).
public enum MediaEventCode: UInt8, Sendable, Hashable {
    case noChange = 0x0
    /// The user pressed the eject button while removal was prevented.
    case ejectRequest = 0x1
    case newMedia = 0x2
    case mediaRemoval = 0x3
    case mediaChanged = 0x4
    case backgroundFormatCompleted = 0x5
    case backgroundFormatRestarted = 0x6
}

/// Why the drive refused a tray movement.
public enum TrayRefusal: Error, Sendable, Hashable {
    /// PREVENT ALLOW MEDIUM REMOVAL locked the tray (SCSI: 53/02, NOT READY with a disc in, else ILLEGAL REQUEST).
    case removalPrevented
    /// FORMAT UNIT is running.
    case formatInProgress
}

/// The drive's mechanism as a pure state machine: tray, disc, removal lock and the events GET EVENT STATUS
/// NOTIFICATION reports. No I/O; `OpticalDevice` holds one under its lock and mirrors it into the
/// logical unit (condition, unit attention 28/00, mode page 2Ah).
///
/// A disc sits on the tray; it is *present* (readable) only when the tray is closed. Opening the tray
/// with a disc queues MediaRemoval; closing it on a disc queues NewMedia and reports `true` so the device
/// raises UNIT ATTENTION 28/00 (NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED).
public struct DriveModel: Sendable, Hashable {
    public private(set) var trayOpen: Bool
    public private(set) var discInTray: Bool
    /// PREVENT ALLOW MEDIUM REMOVAL, PREVENT field bit 0 (MMC-6 §6.14).
    public private(set) var prevent = false
    /// PREVENT field bit 1: persistent prevent.
    public private(set) var persistentPrevent = false
    /// FORMAT UNIT running (GESN device busy status, tray movements refused).
    public private(set) var busy = false

    /// Media events not yet reported, oldest first (at most `eventQueueLimit`).
    public private(set) var mediaEvents: [MediaEventCode] = []
    /// The operational change (code 2h) queued at power-on, as tcmu-runner does.
    public private(set) var operationalChangePending = true
    /// A busy/not-busy transition not yet reported.
    public private(set) var deviceBusyEventPending = false

    public static let eventQueueLimit = 4

    public init(discInTray: Bool, trayOpen: Bool = false) {
        self.discInTray = discInTray
        self.trayOpen = trayOpen
    }

    /// A disc is in the closed tray: media commands may run.
    public var mediumPresent: Bool { discInTray && !trayOpen }
    /// Removal prevented by either PREVENT bit.
    public var locked: Bool { prevent || persistentPrevent }

    // MARK: - Tray

    /// Opens the tray (START STOP UNIT LoEj=1 Start=0, or the eject button).
    public mutating func openTray() throws(TrayRefusal) {
        guard !trayOpen else { return }
        if busy { throw .formatInProgress }
        if locked { throw .removalPrevented }
        let hadMedium = mediumPresent
        trayOpen = true
        if hadMedium { queue(.mediaRemoval) }
    }

    /// Closes the tray (LoEj=1 Start=1, or `load`). Returns true when a medium became present.
    @discardableResult
    public mutating func closeTray() -> Bool {
        guard trayOpen else { return false }
        trayOpen = false
        guard discInTray else { return false }
        queue(.newMedia)
        return true
    }

    /// Puts a disc on the open tray, or takes it away (`disc` false). The tray must be open.
    public mutating func setDisc(_ disc: Bool) {
        precondition(trayOpen, "a disc is changed only on an open tray")
        discInTray = disc
    }

    /// The user pressed eject while locked: the drive only reports EjectRequest (MMC-6 §6.7.2.6).
    public mutating func ejectButtonWhileLocked() {
        queue(.ejectRequest)
    }

    /// The operator's eject (`emud ctl eject`, or a disc change): opens the tray. While the host prevents
    /// removal the drive stays shut, reports EjectRequest and refuses, unless `force` releases the locks.
    public mutating func operatorEject(force: Bool) throws(TrayRefusal) {
        if locked, !trayOpen, !force {
            ejectButtonWhileLocked()
            throw .removalPrevented
        }
        if force { releaseLocks() }
        try openTray()
    }

    // MARK: - Lock

    /// PREVENT field of PREVENT ALLOW MEDIUM REMOVAL (MMC-6 table 470): 00b allow, 01b prevent,
    /// 10b release persistent prevent, 11b persistent prevent.
    public mutating func setPrevent(field: UInt8) {
        switch field & 0x3 {
        case 0b00: prevent = false
        case 0b01: prevent = true
        case 0b10: persistentPrevent = false
        default: persistentPrevent = true
        }
    }

    /// Clears both prevent bits (a forced eject by the operator).
    public mutating func releaseLocks() {
        prevent = false
        persistentPrevent = false
    }

    // MARK: - Busy

    public mutating func setBusy(_ b: Bool) {
        guard b != busy else { return }
        busy = b
        deviceBusyEventPending = true
    }

    // MARK: - Events

    private mutating func queue(_ e: MediaEventCode) {
        if mediaEvents.count == Self.eventQueueLimit { mediaEvents.removeFirst() }
        mediaEvents.append(e)
    }

    /// A recordable disc's state changed (a session closed, a blank, a format, the first write): the host
    /// re-reads it on a MediaChanged event (MMC-6 §6.7.2.6).
    public mutating func mediaStateChanged() {
        if mediaEvents.last != .mediaChanged { queue(.mediaChanged) }
    }

    public mutating func takeMediaEvent() -> MediaEventCode {
        mediaEvents.isEmpty ? .noChange : mediaEvents.removeFirst()
    }

    public mutating func takeOperationalChange() -> Bool {
        defer { operationalChangePending = false }
        return operationalChangePending
    }

    public mutating func takeDeviceBusyEvent() -> Bool {
        defer { deviceBusyEventPending = false }
        return deviceBusyEventPending
    }
}
