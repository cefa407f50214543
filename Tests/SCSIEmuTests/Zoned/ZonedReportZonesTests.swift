import SCSIEmu
import Sense
import Testing
import TestSupport

@Suite struct ZonedReportZonesTests {
    /// Zone descriptor bytes (ZBC-2 table 37).
    func descriptor(type: UInt8, cond: UInt8, flags: UInt8 = 0, length: UInt64, start: UInt64, wp: UInt64) -> [UInt8] {
        [type, cond << 4 | flags] + [UInt8](repeating: 0, count: 6) + be(length, 8) + be(start, 8) + be(wp, 8)
            + [UInt8](repeating: 0, count: 32)
    }

    @Test func headerAndDescriptorsOfAFreshDevice() throws {
        let d = try makeZonedDevice()
        let out = run(d, reportZonesCDB(alloc: 64 + 3 * 64), capacity: 64 * 20)
        #expect(out.status == .good)
        // Header: 16 zones listed (the list length counts all of them), SAME 3h (types differ, lengths equal).
        #expect(Array(out.data[0..<16]) == be(16 * 64, 4) + [0x03, 0, 0, 0] + be(16 * zoneBlocks - 1, 8))
        #expect(out.data[16..<64].allSatisfy { $0 == 0 })
        #expect(out.data.count == 64 + 3 * 64)
        #expect(Array(out.data[64..<128]) == descriptor(type: 1, cond: 0, length: zoneBlocks, start: 0, wp: .max))
        #expect(Array(out.data[192..<256]) == descriptor(type: 2, cond: 1, length: zoneBlocks, start: 2 * zoneBlocks, wp: 2 * zoneBlocks))
    }

    @Test func startMidZonePartialAndFilters() throws {
        let d = try makeZonedDevice()
        writeBlocks(d, 3 * zoneBlocks, 8)  // zone 3 implicitly open, wp +8
        #expect(run(d, zoneOutCDB(.open, lba: 5 * zoneBlocks)).status == .good)
        #expect(run(d, zoneOutCDB(.finish, lba: 6 * zoneBlocks)).status == .good)
        // Start in the middle of zone 3: the report starts with zone 3.
        let mid = run(d, reportZonesCDB(lba: 3 * zoneBlocks + 100, alloc: 128))
        #expect(Array(mid.data[0..<4]) == be(13 * 64, 4))
        #expect(Array(mid.data[64..<128]) == descriptor(type: 2, cond: 2, length: zoneBlocks, start: 3 * zoneBlocks, wp: 3 * zoneBlocks + 8))
        // PARTIAL: the list length covers only what fits.
        let partial = run(d, reportZonesCDB(lba: 0, alloc: 64 + 2 * 64 + 10, partial: true))
        #expect(Array(partial.data[0..<4]) == be(2 * 64, 4))
        #expect(partial.data.count == 64 + 2 * 64)
        // Without PARTIAL the data is cut at the allocation length, mid-descriptor if need be.
        let cut = run(d, reportZonesCDB(lba: 0, alloc: 64 + 2 * 64 + 10))
        #expect(Array(cut.data[0..<4]) == be(16 * 64, 4))
        #expect(cut.data.count == 64 + 2 * 64 + 10)
        #expect(Array(cut.data[192..<202]) == [2, 0x10, 0, 0, 0, 0, 0, 0, 0, 0])
        // Filters: 02h implicit open, 03h explicit open, 05h full, 01h empty, 3Fh not WP.
        for (option, zones) in [(UInt8(0x02), [3]), (0x03, [5]), (0x05, [6]), (0x3F, [0, 1]), (0x04, [])] {
            let r = run(d, reportZonesCDB(option: option))
            #expect(Array(r.data[0..<4]) == be(UInt64(zones.count * 64), 4), "option \(option)")
            for (k, z) in zones.enumerated() {
                #expect(Array(r.data[(64 + 64 * k + 16)..<(64 + 64 * k + 24)]) == be(UInt64(z) * zoneBlocks, 8))
            }
        }
        let empty = run(d, reportZonesCDB(option: 0x01))
        #expect(Array(empty.data[0..<4]) == be(11 * 64, 4))
        #expect(empty.data[4] == 1)  // all SWR, all 1 MiB
    }

    @Test func flagsAndForcedConditions() throws {
        let d = try makeZonedDevice("model-HM/zsize-1/conv-2/open-3/ro-4/offline-5/rwp-6")
        let r = run(d, reportZonesCDB(lba: 4 * zoneBlocks, alloc: 64 + 3 * 64))
        #expect(Array(r.data[64..<128]) == descriptor(type: 2, cond: 0xD, length: zoneBlocks, start: 4 * zoneBlocks, wp: .max))
        #expect(Array(r.data[128..<192]) == descriptor(type: 2, cond: 0xF, length: zoneBlocks, start: 5 * zoneBlocks, wp: .max))
        #expect(Array(r.data[192..<256]) == descriptor(type: 2, cond: 1, flags: 1, length: zoneBlocks, start: 6 * zoneBlocks, wp: 6 * zoneBlocks))
        for (option, zone) in [(UInt8(0x06), 4), (0x07, 5), (0x10, 6)] {
            let f = run(d, reportZonesCDB(option: option))
            #expect(Array(f.data[0..<4]) == be(64, 4))
            #expect(Array(f.data[80..<88]) == be(UInt64(zone) * zoneBlocks, 8))
        }
        try d.setZoneCondition(zone: 4, .clear)
        try d.setZoneCondition(zone: 6, .clear)
        #expect(condition(d, 4) == .empty)
        #expect(run(d, reportZonesCDB(option: 0x10)).data[0..<4] == [0, 0, 0, 0])
    }

    @Test func allocationLengths() throws {
        let d = try makeZonedDevice()
        #expect(run(d, reportZonesCDB(alloc: 0)).result == CommandResult(status: .good, dataInLength: 0))
        let short = run(d, reportZonesCDB(alloc: 10))
        #expect(short.data == be(16 * 64, 4) + [0x03, 0, 0, 0, 0, 0])
        let headerOnly = run(d, reportZonesCDB(alloc: 100, partial: true))
        #expect(headerOnly.data.count == 64 && Array(headerOnly.data[0..<4]) == [0, 0, 0, 0])
    }

    @Test func senseForBadFields() throws {
        let d = try makeZonedDevice()
        #expect(run(d, reportZonesCDB(lba: 16 * zoneBlocks)).sense == Sense(.illegalRequest, .logicalBlockAddressOutOfRange))
        #expect(run(d, reportZonesCDB(option: 0x0A)).sense == invalidCDB(14, 5))
        #expect(run(d, reportZonesCDB(option: 0x3E)).status == .good)  // gap zones: none
        var cdb = reportZonesCDB()
        cdb[14] |= 0x40  // reserved bit
        #expect(run(d, cdb).sense == invalidCDB(14, 6))
    }
}
