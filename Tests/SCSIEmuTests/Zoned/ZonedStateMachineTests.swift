import SCSIEmu
import Sense
import Testing
import TestSupport

/// Every ZBC-2 zone transition, single zone and ALL (libzbc section 02), through the device's table.
@Suite struct ZonedStateMachineTests {
    enum Start: String, CaseIterable, Sendable {
        case empty, implicitlyOpen, explicitlyOpenEmpty, explicitlyOpenWritten, closed, full
    }

    static let zone = 4
    static var lba: UInt64 { UInt64(zone) * zoneBlocks }

    func prepare(_ start: Start) throws -> ZonedDevice {
        let d = try makeZonedDevice()
        switch start {
        case .empty: break
        case .implicitlyOpen: writeBlocks(d, Self.lba, 4)
        case .explicitlyOpenEmpty: #expect(run(d, zoneOutCDB(.open, lba: Self.lba)).status == .good)
        case .explicitlyOpenWritten:
            writeBlocks(d, Self.lba, 4)
            #expect(run(d, zoneOutCDB(.open, lba: Self.lba)).status == .good)
        case .closed:
            writeBlocks(d, Self.lba, 4)
            #expect(run(d, zoneOutCDB(.close, lba: Self.lba)).status == .good)
        case .full: #expect(run(d, zoneOutCDB(.finish, lba: Self.lba)).status == .good)
        }
        return d
    }

    static let initial: [Start: ZoneCondition] = [
        .empty: .empty, .implicitlyOpen: .implicitlyOpen, .explicitlyOpenEmpty: .explicitlyOpen,
        .explicitlyOpenWritten: .explicitlyOpen, .closed: .closed, .full: .full,
    ]

    /// Expected condition after each action, single zone.
    static let single: [ZoneOutAction: [Start: ZoneCondition]] = [
        .open: [.empty: .explicitlyOpen, .implicitlyOpen: .explicitlyOpen, .explicitlyOpenEmpty: .explicitlyOpen,
                .explicitlyOpenWritten: .explicitlyOpen, .closed: .explicitlyOpen, .full: .full],
        .close: [.empty: .empty, .implicitlyOpen: .closed, .explicitlyOpenEmpty: .empty,
                 .explicitlyOpenWritten: .closed, .closed: .closed, .full: .full],
        .finish: [.empty: .full, .implicitlyOpen: .full, .explicitlyOpenEmpty: .full,
                  .explicitlyOpenWritten: .full, .closed: .full, .full: .full],
        .resetWritePointer: [.empty: .empty, .implicitlyOpen: .empty, .explicitlyOpenEmpty: .empty,
                             .explicitlyOpenWritten: .empty, .closed: .empty, .full: .empty],
    ]

    /// Expected condition after each action with ALL set: OPEN ALL opens only CLOSED zones, FINISH ALL
    /// leaves EMPTY zones alone.
    static let all: [ZoneOutAction: [Start: ZoneCondition]] = [
        .open: [.empty: .empty, .implicitlyOpen: .implicitlyOpen, .explicitlyOpenEmpty: .explicitlyOpen,
                .explicitlyOpenWritten: .explicitlyOpen, .closed: .explicitlyOpen, .full: .full],
        .close: single[.close]!,
        .finish: [.empty: .empty, .implicitlyOpen: .full, .explicitlyOpenEmpty: .full,
                  .explicitlyOpenWritten: .full, .closed: .full, .full: .full],
        .resetWritePointer: single[.resetWritePointer]!,
    ]

    @Test(arguments: ZoneOutAction.allCases, Start.allCases)
    func singleZone(_ action: ZoneOutAction, _ start: Start) throws {
        let d = try prepare(start)
        #expect(condition(d, Self.zone) == Self.initial[start])
        #expect(run(d, zoneOutCDB(action, lba: Self.lba)).status == .good)
        let expected = Self.single[action]![start]!
        #expect(condition(d, Self.zone) == expected)
        try expectWritePointer(d, expected, start)
    }

    @Test(arguments: ZoneOutAction.allCases, Start.allCases)
    func allZones(_ action: ZoneOutAction, _ start: Start) throws {
        let d = try prepare(start)
        // ALL ignores ZONE ID, even one beyond the last LBA.
        #expect(run(d, zoneOutCDB(action, lba: 1 << 40, all: true)).status == .good)
        let expected = Self.all[action]![start]!
        #expect(condition(d, Self.zone) == expected)
        try expectWritePointer(d, expected, start)
        #expect(condition(d, 0) == .notWritePointer)
    }

    func expectWritePointer(_ d: ZonedDevice, _ c: ZoneCondition, _ start: Start) throws {
        let r = run(d, reportZonesCDB(lba: Self.lba, alloc: 128))
        let wp = Array(r.data[88..<96])
        switch c {
        case .empty: #expect(wp == be(Self.lba, 8))
        case .full: #expect(wp == be(Self.lba + zoneBlocks, 8))
        default:
            let written: UInt64 = [.implicitlyOpen, .explicitlyOpenWritten, .closed].contains(start) ? 4 : 0
            #expect(wp == be(Self.lba + written, 8))
        }
    }

    // MARK: - Writes drive transitions (libzbc 02.07x)

    @Test func writeTransitions() throws {
        let d = try makeZonedDevice()
        writeBlocks(d, Self.lba, 8)
        #expect(condition(d, Self.zone) == .implicitlyOpen)
        #expect(run(d, zoneOutCDB(.close, lba: Self.lba)).status == .good)
        writeBlocks(d, Self.lba + 8, 8)
        #expect(condition(d, Self.zone) == .implicitlyOpen)  // closed → implicit open
        #expect(run(d, zoneOutCDB(.open, lba: Self.lba)).status == .good)
        writeBlocks(d, Self.lba + 16, 8)
        #expect(condition(d, Self.zone) == .explicitlyOpen)  // a write keeps it explicitly open
        #expect(writeBlocks(d, Self.lba + 24, UInt32(zoneBlocks - 24)).status == .good)
        #expect(condition(d, Self.zone) == .full)
        #expect(d.zoneStateMachine.explicitlyOpenCount == 0)
    }

    // MARK: - Open-zone resources (ZBC-2 §4.4.3.2.x, libzbc 01.021/022/120/128/129/140/141/148/149/170/176)

    let noResources = Sense(.dataProtect, .insufficientZoneResources)

    @Test func explicitOpensAreLimited() throws {
        let d = try makeZonedDevice()  // max 3 open
        for z in 2..<5 { #expect(run(d, zoneOutCDB(.open, lba: UInt64(z) * zoneBlocks)).status == .good) }
        #expect(run(d, zoneOutCDB(.open, lba: 5 * zoneBlocks)).sense == noResources)
        #expect(writeBlocks(d, 5 * zoneBlocks, 1).sense == noResources)
        #expect(run(d, zoneOutCDB(.finish, lba: 5 * zoneBlocks)).sense == noResources)
        #expect(condition(d, 5) == .empty)
        // A closed zone too (120, 170).
        writeBlocks(d, 2 * zoneBlocks, 1)
        #expect(run(d, zoneOutCDB(.close, lba: 2 * zoneBlocks)).status == .good)
        #expect(run(d, zoneOutCDB(.open, lba: 5 * zoneBlocks)).status == .good)
        #expect(run(d, zoneOutCDB(.open, lba: 2 * zoneBlocks)).sense == noResources)
        #expect(writeBlocks(d, 2 * zoneBlocks + 1, 1).sense == noResources)
        // Writing one of them FULL frees a resource (121).
        #expect(writeBlocks(d, 5 * zoneBlocks, UInt32(zoneBlocks)).status == .good)
        #expect(run(d, zoneOutCDB(.open, lba: 2 * zoneBlocks)).status == .good)
        // FINISH ALL never runs short (148).
        #expect(run(d, zoneOutCDB(.finish, all: true)).status == .good)
        #expect(d.zoneStateMachine.openCount == 0)
    }

    @Test func implicitOpensCloseTheOldest() throws {
        let d = try makeZonedDevice()
        for z in 2..<8 { #expect(writeBlocks(d, UInt64(z) * zoneBlocks, 1).status == .good) }  // 128: not limited
        #expect(d.zoneStateMachine.implicitlyOpen == [5, 6, 7])
        #expect((2..<5).allSatisfy { condition(d, $0) == .closed })
        #expect(run(d, zoneOutCDB(.open, lba: 8 * zoneBlocks)).status == .good)  // 129: closes zone 5
        #expect(condition(d, 5) == .closed && d.zoneStateMachine.implicitlyOpen == [6, 7])
        #expect(run(d, zoneOutCDB(.finish, lba: 9 * zoneBlocks)).status == .good)  // 142: closes zone 6
        #expect(condition(d, 6) == .closed && condition(d, 9) == .full)
    }

    @Test func openAllNeedsRoomForEveryClosedZone() throws {
        let d = try makeZonedDevice()
        for z in 2..<6 {
            writeBlocks(d, UInt64(z) * zoneBlocks, 1)
            #expect(run(d, zoneOutCDB(.close, lba: UInt64(z) * zoneBlocks)).status == .good)
        }
        #expect(run(d, zoneOutCDB(.open, all: true)).sense == noResources)  // 022: 4 closed > 3
        #expect((2..<6).allSatisfy { condition(d, $0) == .closed })
        #expect(run(d, zoneOutCDB(.resetWritePointer, lba: 5 * zoneBlocks)).status == .good)
        #expect(run(d, zoneOutCDB(.open, all: true)).status == .good)
        #expect((2..<5).allSatisfy { condition(d, $0) == .explicitlyOpen })
        #expect(run(d, zoneOutCDB(.finish, all: true)).status == .good)  // 149
    }

    @Test func zoneCountOpensSeveral() throws {
        let d = try makeZonedDevice()
        #expect(run(d, zoneOutCDB(.open, lba: 2 * zoneBlocks, count: 4)).sense == noResources)
        #expect(run(d, zoneOutCDB(.open, lba: 2 * zoneBlocks, count: 3)).status == .good)
        #expect((2..<5).allSatisfy { condition(d, $0) == .explicitlyOpen })
        #expect(run(d, zoneOutCDB(.resetWritePointer, lba: 2 * zoneBlocks, count: 14)).status == .good)
        #expect(d.zoneStateMachine.openCount == 0)
    }

    @Test func hostAwareZonesHaveNoLimits() throws {
        let d = try makeZonedDevice("model-HA/zsize-1/conv-2/open-2")
        for z in 2..<8 { #expect(run(d, zoneOutCDB(.open, lba: UInt64(z) * zoneBlocks)).status == .good) }
        for z in 8..<12 { #expect(writeBlocks(d, UInt64(z) * zoneBlocks + 5, 1).status == .good) }
        #expect((8..<12).allSatisfy { condition(d, $0) == .implicitlyOpen })
        // Out of order: NON_SEQ set, the gap reads as zeros, FULL zones accept writes.
        #expect(d.zoneStateMachine.zones[8].nonSequential)
        let r = run(d, read16CDB(lba: 8 * zoneBlocks, blocks: 6), capacity: 6 * 512)
        #expect(r.data[0..<(5 * 512)].allSatisfy { $0 == 0 } && Array(r.data[(5 * 512)..<(5 * 512 + 8)]) == be(8 * zoneBlocks + 5, 8))
        #expect(run(d, zoneOutCDB(.finish, lba: 12 * zoneBlocks)).status == .good)
        #expect(writeBlocks(d, 12 * zoneBlocks, 1).status == .good)
        #expect(condition(d, 12) == .full)
        // Writes may cross zone boundaries and types.
        #expect(writeBlocks(d, 2 * zoneBlocks - 2, 4).status == .good)
        #expect(d.zoneStateMachine.zones[2].writePointer == 2 * zoneBlocks + 2)
    }
}
