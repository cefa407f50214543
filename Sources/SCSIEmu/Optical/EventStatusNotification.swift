/// GET EVENT STATUS NOTIFICATION (4Ah), polled mode (MMC-6 §6.7).
///
/// CDB:  | 4Ah | bit0 POLLED | rsvd | rsvd | NOTIFICATION CLASS REQUEST | rsvd | rsvd | ALLOC LEN (2) @7 | CONTROL |
///
/// Response: an event header and at most one 4-byte event descriptor.
///
///     0-1  EVENT DESCRIPTOR LENGTH (bytes after the header: 4, or 0 with NEA)
///     2    NEA (bit 7) | NOTIFICATION CLASS (bits 2-0)
///     3    SUPPORTED EVENT CLASSES (bit n = class n)
///     4-7  the descriptor of the reported class
///
/// The drive reports the lowest-numbered requested class that has an event pending, else the
/// lowest-numbered requested class with "no change"; when no requested class is supported, NEA = 1 and
/// no descriptor. An event is consumed only when its whole descriptor fits in the allocation length.
public enum EventStatusNotification {
    public enum EventClass: UInt8, Sendable, CaseIterable {
        case operationalChange = 1
        case powerManagement = 2
        case media = 4
        case deviceBusy = 6

        var requestBit: UInt8 { 1 << rawValue }
    }

    /// Classes 1, 2, 4 and 6: 0101 0110b.
    public static let supportedClasses: UInt8 = EventClass.allCases.reduce(0) { $0 | $1.requestBit }

    /// Builds the response for `requested` classes and consumes the reported event from `drive` when
    /// `consume` (the allocation length holds the whole descriptor).
    public static func poll(requested: UInt8, drive: inout DriveModel, consume: Bool) -> [UInt8] {
        let wanted = EventClass.allCases.filter { requested & $0.requestBit != 0 }
        guard let lowest = wanted.first else {
            return [0x00, 0x00, 0x80, supportedClasses]  // NEA, class 0
        }
        let chosen = wanted.first { hasEvent($0, in: drive) } ?? lowest
        var d = drive
        let descriptor = describe(chosen, drive: &d)
        if consume { drive = d }
        return [0x00, 0x04, chosen.rawValue, supportedClasses] + descriptor
    }

    static func hasEvent(_ c: EventClass, in drive: DriveModel) -> Bool {
        switch c {
        case .operationalChange: drive.operationalChangePending
        case .powerManagement: false
        case .media: !drive.mediaEvents.isEmpty
        case .deviceBusy: drive.deviceBusyEventPending
        }
    }

    /// The 4-byte descriptor of one class, taking its pending event from `drive`.
    static func describe(_ c: EventClass, drive: inout DriveModel) -> [UInt8] {
        switch c {
        case .operationalChange:
            // 0: OPERATIONAL EVENT (2h: operational change), 1: PERSISTENT PREVENTED (bit 7) | OPERATIONAL
            // STATUS (0 available, 2h busy), 2-3: OPERATIONAL REPORT (0001h with the event, as fbo).
            let changed = drive.takeOperationalChange()
            return [
                changed ? 0x02 : 0x00,
                (drive.persistentPrevent ? 0x80 : 0) | (drive.busy ? 0x02 : 0x00),
                0x00, changed ? 0x01 : 0x00,
            ]
        case .powerManagement:
            // 0: POWER EVENT 0 (no change), 1: POWER STATUS 1h (active), 2-3 reserved.
            return [0x00, 0x01, 0x00, 0x00]
        case .media:
            // 0: MEDIA EVENT CODE, 1: MEDIA PRESENT (bit 1) | DOOR OR TRAY OPEN (bit 0), 2-3: start/end slot.
            let code = drive.takeMediaEvent()
            return [
                code.rawValue,
                (drive.mediumPresent ? 0x02 : 0) | (drive.trayOpen ? 0x01 : 0),
                0x00, 0x00,
            ]
        case .deviceBusy:
            // 0: DEVICE BUSY EVENT (1h: busy event), 1: DEVICE BUSY STATUS (1h busy), 2-3: TIME (100 ms units).
            let event = drive.takeDeviceBusyEvent()
            return [event ? 0x01 : 0x00, drive.busy ? 0x01 : 0x00, 0x00, 0x00]
        }
    }
}
