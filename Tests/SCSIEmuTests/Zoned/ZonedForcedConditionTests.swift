import SCSIEmu
import Sense
import Testing
import TestSupport

/// Forced READ ONLY / OFFLINE (`emud ctl … zone N readonly|offline|clear`, `ro-N`/`offline-N` options):
/// what each does to open-zone accounting, reads and writes, and which condition `clear` restores.
@Suite struct ZonedForcedConditionTests {
    @Test func clearRestoresWhatTheWritePointerSays() throws {
        let d = try makeZonedDevice()
        #expect(writeBlocks(d, 4 * zoneBlocks, UInt32(zoneBlocks)).status == .good)  // zone 4 FULL
        #expect(try d.setZoneCondition(zone: 4, .readOnly))
        #expect(condition(d, 4) == .readOnly)
        #expect(try d.setZoneCondition(zone: 4, .clear))
        #expect(condition(d, 4) == .full)
        // A conventional zone: OFFLINE refuses writes, clear makes it NOT WRITE POINTER again.
        #expect(try d.setZoneCondition(zone: 0, .offline))
        #expect(writeBlocks(d, 0, 1).sense == Sense(.dataProtect, .zoneIsOffline))
        #expect(try d.setZoneCondition(zone: 0, .clear))
        #expect(condition(d, 0) == .notWritePointer)
        #expect(writeBlocks(d, 0, 1).status == .good)
        #expect(try d.setZoneCondition(zone: 16, .offline) == false)  // no such zone
    }

    @Test func forcingAnOpenZoneReleasesItsResource() throws {
        let d = try makeZonedDevice()  // at most 3 open
        #expect(run(d, zoneOutCDB(.open, lba: 5 * zoneBlocks)).status == .good)
        writeBlocks(d, 6 * zoneBlocks, 8)
        #expect(d.zoneStateMachine.explicitlyOpenCount == 1 && d.zoneStateMachine.implicitlyOpen == [6])
        #expect(try d.setZoneCondition(zone: 5, .offline))
        #expect(try d.setZoneCondition(zone: 6, .readOnly))
        #expect(d.zoneStateMachine.openCount == 0)
        // READ ONLY still reads (the data written before), OFFLINE does not.
        let r = run(d, read16CDB(lba: 6 * zoneBlocks, blocks: 1), capacity: 512)
        #expect(r.status == .good && Array(r.data[0..<8]) == be(6 * zoneBlocks, 8))
        #expect(run(d, read16CDB(lba: 5 * zoneBlocks, blocks: 1)).sense == Sense(.dataProtect, .zoneIsOffline))
        // Three other zones can now be opened.
        for z in 7..<10 { #expect(run(d, zoneOutCDB(.open, lba: UInt64(z) * zoneBlocks)).status == .good) }
        #expect(try d.setZoneCondition(zone: 5, .clear))
        #expect(try d.setZoneCondition(zone: 6, .clear))
        #expect(condition(d, 5) == .empty && condition(d, 6) == .closed)
        #expect(d.zoneStateMachine.zones[6].writePointer == 6 * zoneBlocks + 8)
        #expect(writeBlocks(d, 6 * zoneBlocks + 8, 1).sense == Sense(.dataProtect, .insufficientZoneResources))
    }
}
