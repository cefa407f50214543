import SCSIEmu
import Testing
import TestSupport

/// The zoned table against the generic usage-mask walk: any CDB bit outside a row's usage data — the
/// CONTROL byte's reserved bits and NACA included (SAM-5 CONTROL byte; ACA is not supported) — is
/// INVALID FIELD IN CDB with the field pointer at that bit. REPORT ZONES and the ZONE OUT actions once
/// accepted every CONTROL bit (found by the hand-derived conformance corpus zbc/reserved-bits).
@Suite("Zoned usage masks")
struct ZonedUsageMaskTests {
    @Test("every row of the zoned table rejects bits outside its usage data")
    func usageMasksEnforced() throws {
        expectUsageMaskEnforced(table: ZonedDevice.table, device: try makeZonedDevice())
    }

    @Test("REPORT ZONES and ZONE OUT reject NACA in the CONTROL byte")
    func controlByteNACA() throws {
        let d = try makeZonedDevice()
        var reportZones: [UInt8] = [0x95, 0x00] + [UInt8](repeating: 0, count: 14)
        reportZones[15] = 0x04
        #expect(run(d, reportZones, capacity: 512).sense == invalidCDB(15, 2))
        for action: UInt8 in 1...4 {
            var zoneOut: [UInt8] = [0x94, action] + [UInt8](repeating: 0, count: 14)
            zoneOut[14] = 0x01  // ALL
            zoneOut[15] = 0x20  // reserved CONTROL bit 5
            #expect(run(d, zoneOut).sense == invalidCDB(15, 5), "ZONE OUT \(action)")
        }
    }
}
