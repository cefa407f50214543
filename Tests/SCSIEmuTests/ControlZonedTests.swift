import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// The zoned disk's runtime control: forcing zone conditions on a live device, seen by the initiator
/// through REPORT ZONES and the write checks (16 zones of 2048 blocks, 2 conventional, host-managed).
@Suite struct ControlZonedTests {
    /// REPORT ZONES descriptor byte 1 (ZBC-2 §6.4.3.2): ZONE CONDITION (7–4), NON_SEQ (1), RESET (0).
    func conditionByte(_ d: ZonedDevice, zone: UInt64) -> UInt8? {
        let r = run(d, reportZonesCDB(lba: zone * zoneBlocks, alloc: 128))
        return r.data.count >= 66 ? r.data[65] : nil
    }

    @Test func statusAndZonesReport() throws {
        let d = try makeZonedDevice()
        #expect(try control(d, "status") == "blocks=32768 block-size=512 bytes=16777216 read-only=no write-cache=on "
            + "condition=ready model=host-managed zones=16 zone-blocks=2048 conventional=2 max-open=3")
        #expect(try control(d, "zones") == """
            zones=16 zone-blocks=2048 conventional=2
            not-wp=2 empty=14 implicit-open=0 explicit-open=0 closed=0 read-only=0 full=0 offline=0 rwp=0
            """)
    }

    @Test func offlineZoneRefusesWritesUntilCleared() throws {
        let d = try makeZonedDevice()
        #expect(try control(d, "zone 5")
            == "zone=5 start=10240 length=2048 type=seq-required condition=empty wp=10240 rwp=no non-seq=no")
        #expect(try control(d, "zone 5 offline")
            == "zone=5 start=10240 length=2048 type=seq-required condition=offline wp=none rwp=no non-seq=no")
        #expect(conditionByte(d, zone: 5) == 0xF0)
        #expect(writeBlocks(d, 5 * zoneBlocks, 8).sense == Sense(.dataProtect, .zoneIsOffline))
        #expect(try control(d, "zone 5 clear").contains("condition=empty wp=10240"))
        #expect(conditionByte(d, zone: 5) == 0x10)
        #expect(writeBlocks(d, 5 * zoneBlocks, 8).status == .good)
    }

    @Test func zonesAreNamedByLBAAndReadOnlyKeepsTheWritePointer() throws {
        let d = try makeZonedDevice()
        #expect(writeBlocks(d, 3 * zoneBlocks, 16).status == .good)
        #expect(try control(d, "zone lba=6150 readonly").hasPrefix("zone=3 start=6144 length=2048 type=seq-required condition=read-only wp=none"))
        #expect(writeBlocks(d, 3 * zoneBlocks + 16, 8).sense == Sense(.dataProtect, .zoneIsReadOnly))
        #expect(conditionByte(d, zone: 3) == 0xD0)
        // Clearing goes back to what the write pointer says: CLOSED at 6160.
        #expect(try control(d, "zone 0x3 clear").contains("condition=closed wp=6160"))
    }

    @Test func rwpRecommendedShowsInReportZonesAndTheSummary() throws {
        let d = try makeZonedDevice()
        for z in [7, 8, 9, 12] { _ = try control(d, "zone \(z) rwp") }
        _ = try control(d, "zone 4 offline")
        _ = try control(d, "zone 15 read-only")
        #expect(conditionByte(d, zone: 7) == 0x11)  // EMPTY, RESET
        #expect(try control(d, "zones") == """
            zones=16 zone-blocks=2048 conventional=2
            not-wp=2 empty=12 implicit-open=0 explicit-open=0 closed=0 read-only=1 full=0 offline=1 rwp=4
            read-only: 15
            offline: 4
            rwp: 7-9,12
            """)
        let e = refusal(d, "zone 0 rwp")
        #expect(e?.kind == .refused && e?.message == "zone 0 is conventional: it has no write pointer to reset")
        #expect(try control(d, "zone 8 clear").contains("rwp=no"))
    }

    @Test func badZoneArgumentsSayWhatIsWrong() throws {
        let d = try makeZonedDevice()
        let usage = "(usage: zone INDEX|lba=LBA [readonly|offline|rwp|clear])"
        #expect(refusal(d, "zone 16 offline")?.message == "zone 16 does not exist (zones 0-15) \(usage)")
        #expect(refusal(d, "zone lba=32768")?.message == "LBA 32768 is past the last LBA (32767) \(usage)")
        #expect(refusal(d, "zone lba=x")?.message == "'lba=x' is not lba=NUMBER \(usage)")
        #expect(refusal(d, "zone five")?.message == "'five' is not a zone index or lba=LBA \(usage)")
        #expect(refusal(d, "zone 3 offline rwp")?.kind == .usage)
        #expect(refusal(d, "zone")?.message == "missing INDEX or lba=LBA \(usage)")
        #expect(refusal(d, "eject")?.message == "unknown command 'eject' (known: status, zones, zone, help)")
        #expect(conditionByte(d, zone: 3) == 0x10)  // nothing changed
    }
}
