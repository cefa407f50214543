import Sense

/// ZBC OUT (94h) with the zone-control service actions, ZBC-2 §5.4 (CLOSE ZONE), §5.5 (FINISH ZONE),
/// §5.6 (OPEN ZONE), §5.7 (RESET WRITE POINTER):
///
/// | byte | 7 6 5 | 4 3 2 1 0 |
/// |---|---|---|
/// | 0 | OPERATION CODE (94h) ||
/// | 1 | reserved | SERVICE ACTION (01h close, 02h finish, 03h open, 04h reset write pointer) |
/// | 2–9 | ZONE ID (the first LBA of a zone) ||
/// | 10–11 | reserved ||
/// | 12–13 | ZONE COUNT (0 and 1: one zone) ||
/// | 14 | reserved | ALL (bit 0) |
/// | 15 | CONTROL ||
///
/// With ALL set, ZONE ID and ZONE COUNT are ignored. Otherwise (ZBC-2 sense): ZONE ID beyond the last LBA
/// → LBA OUT OF RANGE (21h/00h; ZBC-1 said INVALID FIELD); ZONE ID not the start of a zone, or a
/// conventional zone → INVALID FIELD IN CDB pointing at ZONE ID; ZONE COUNT reaching past the last zone →
/// INVALID FIELD IN CDB pointing at ZONE COUNT; a READ ONLY or OFFLINE zone → DATA PROTECT 27h/08h or 2Ch/0Eh.
public enum ZoneOutAction: UInt8, Sendable, Hashable, CaseIterable {
    case close = 0x01
    case finish = 0x02
    case open = 0x03
    case resetWritePointer = 0x04

    public var name: String {
        switch self {
        case .close: "CLOSE ZONE"
        case .finish: "FINISH ZONE"
        case .open: "OPEN ZONE"
        case .resetWritePointer: "RESET WRITE POINTER"
        }
    }

    /// CDB USAGE DATA (SPC-5 §6.35.3): ZONE ID, ZONE COUNT, ALL; CONTROL 00h (NACA and LINK not supported).
    public var usage: [UInt8] {
        [0x94, rawValue, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0xFF, 0xFF, 0x01, 0x00]
    }

    static let zoneIDPointer = SenseKeySpecific.fieldPointer(inCDB: true, byte: 2, bit: 7)
    static let zoneCountPointer = SenseKeySpecific.fieldPointer(inCDB: true, byte: 12, bit: 7)

    /// Runs the action from its CDB. Returns the LBA ranges the caller must make read as zeros (FINISH
    /// moves write pointers over never-written blocks).
    public func perform(_ cdb: CDB, on machine: inout ZoneStateMachine) throws(Sense) -> [Range<UInt64>] {
        if cdb.bit(14, 0) { return try performAll(on: &machine) }
        let zones = try Self.zoneRange(cdb, machine.layout, machine.zones)
        for i in zones { try ZoneStateMachine.checkAvailable(machine.zones[i]) }
        var skipped: [Range<UInt64>] = []
        switch self {
        case .open:
            let needed = zones.filter {
                machine.isAccounted($0) && [.empty, .closed, .implicitlyOpen].contains(machine.zones[$0].condition)
            }.count
            // After the command every named zone is explicitly open; implicitly open zones elsewhere can
            // be closed to make room, explicitly open ones cannot.
            if needed > 0, machine.explicitlyOpenCount + needed > machine.geometry.maxOpenZones {
                throw Sense(.dataProtect, .insufficientZoneResources)
            }
            for i in zones { try machine.open(i) }
        case .close:
            for i in zones { try machine.close(i) }
        case .finish:
            let needsResource = zones.contains {
                machine.isAccounted($0) && [.empty, .closed].contains(machine.zones[$0].condition)
            }
            if needsResource, machine.openCount >= machine.geometry.maxOpenZones, machine.implicitlyOpen.isEmpty {
                throw Sense(.dataProtect, .insufficientZoneResources)
            }
            for i in zones { if let r = try machine.finish(i) { skipped.append(r) } }
        case .resetWritePointer:
            for i in zones { try machine.reset(i) }
        }
        return skipped
    }

    private func performAll(on machine: inout ZoneStateMachine) throws(Sense) -> [Range<UInt64>] {
        switch self {
        case .open: try machine.openAll()
        case .close: machine.closeAll()
        case .finish: return machine.finishAll()
        case .resetWritePointer: machine.resetAll()
        }
        return []
    }

    /// The zones a non-ALL CDB names, validated.
    static func zoneRange(_ cdb: CDB, _ layout: ZoneLayout, _ zones: [Zone]) throws(Sense) -> Range<Int> {
        let id = cdb.u64(2)
        guard id < layout.capacity else { throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange) }
        guard layout.isZoneStart(id) else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: zoneIDPointer)
        }
        let first = layout.zoneIndex(of: id)
        let count = max(1, Int(cdb.u16(12)))
        guard count <= layout.zoneCount - first else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: zoneCountPointer)
        }
        let range = first..<(first + count)
        if range.contains(where: { !zones[$0].type.hasWritePointer }) {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: zoneIDPointer)
        }
        return range
    }
}
