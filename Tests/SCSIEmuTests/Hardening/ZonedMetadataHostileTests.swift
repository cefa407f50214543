import Foundation
import Logging
import Testing

@testable import SCSIEmu

/// Zoned images whose metadata is CRC-valid but inconsistent (crafted, or written by a buggy tool), and
/// torn newest slots: refused with a message naming the field, or recovered/repaired with a warning.
@Suite("Hostile zoned metadata")
struct ZonedMetadataHostileTests {
    typealias M = ZonedMetadata

    /// A fresh 64 MiB image of 1 MiB zones (64 zones, 1 conventional, one table page) with both slots
    /// committed (two forced-condition changes), closed.
    func image(_ dir: URL) throws -> String {
        let path = dir.appendingPathComponent("zbc.img").path
        let d = try ZonedDevice(configString: "zbc/zsize-1@" + path, deviceSize: 64 << 20)
        try d.setZoneCondition(zone: 20, .readOnly)
        try d.setZoneCondition(zone: 20, .clear)
        d.close()
        return path
    }

    /// Rewrites slot `slot`'s superblock and zone table page 0 through `edit`, with every CRC made valid.
    func rewrite(_ path: String, slot: Int, _ edit: (inout [UInt8], inout [UInt8]) -> Void) throws {
        let f = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? f.close() }
        try f.seek(toOffset: M.superblockOffset(slot: slot))
        var sb = [UInt8](try f.read(upToCount: M.superblockLength) ?? Data())
        let pages = Int(M.getLE(sb, 60, 4))
        try f.seek(toOffset: M.tableOffset(slot: slot, pages: pages))
        var page = [UInt8](try f.read(upToCount: M.unit) ?? Data())
        edit(&sb, &page)
        M.putLE(UInt64(M.crc32(page[4...])), 4, &page, 0)
        M.putLE(UInt64(M.tableCRC([M.pageCRC(page)])), 4, &sb, 72)
        M.putLE(UInt64(M.crc32(sb[0..<76])), 4, &sb, 76)
        try f.seek(toOffset: M.superblockOffset(slot: slot))
        try f.write(contentsOf: sb)
        try f.seek(toOffset: M.tableOffset(slot: slot, pages: pages))
        try f.write(contentsOf: page)
    }

    func newestSlot(_ path: String) throws -> Int {
        let f = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? f.close() }
        let generations = try (0..<2).map { slot -> UInt64 in
            try f.seek(toOffset: M.superblockOffset(slot: slot))
            return M.getLE([UInt8](try f.read(upToCount: 80) ?? Data()), 16, 8)
        }
        return generations[1] > generations[0] ? 1 : 0
    }

    func refusal(_ path: String) -> String? {
        do {
            let d = try ZonedDevice(configString: "zbc/" + path, deviceSize: 64 << 20)
            d.close()
            return nil
        } catch { return error.description }
    }

    func withImage(_ body: (String) throws -> Void) throws {
        let dir = try BlockTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(try image(dir))
    }

    /// Zone record `zone` (on page 0) at byte offset of its write pointer.
    func record(_ zone: Int) -> Int { M.pageHeaderLength + zone * M.recordLength }

    @Test func maximumOpenZonesBeyondTheSequentialZonesIsRefused() throws {
        try withImage { path in
            for slot in 0..<2 { try rewrite(path, slot: slot) { sb, _ in M.putLE(0xFFFF_FFFF, 4, &sb, 56) } }
            let why = try #require(refusal(path))
            #expect(why.contains("maximum open zones 4294967295"))
        }
    }

    @Test func writePointerOutsideItsZoneIsRefusedNamingTheZone() throws {
        try withImage { path in
            for slot in 0..<2 { try rewrite(path, slot: slot) { _, page in M.putLE(5 << 20, 8, &page, record(3)) } }
            let why = try #require(refusal(path))
            #expect(why.contains("zone 3 write pointer 5242880 lies outside the zone"))
        }
    }

    @Test func zoneTypeOrConditionOutOfPlaceIsRefused() throws {
        try withImage { path in
            for slot in 0..<2 { try rewrite(path, slot: slot) { _, page in page[record(7) + 8] = ZoneType.conventional.rawValue } }
            #expect(try #require(refusal(path)).contains("zone 7 has type 1, expected 2"))
        }
        try withImage { path in
            for slot in 0..<2 { try rewrite(path, slot: slot) { _, page in page[record(0) + 9] = ZoneCondition.empty.rawValue } }
            #expect(try #require(refusal(path)).contains("zone 0 of type 1 has condition 1"))
        }
    }

    @Test func aBadNewestSlotFallsBackToTheOlderWithAWarning() throws {
        try withImage { path in
            let newest = try newestSlot(path)
            try rewrite(path, slot: newest) { _, page in M.putLE(1 << 40, 8, &page, record(5)) }
            let d = try ZonedDevice(configString: "zbc/" + path, deviceSize: 64 << 20)
            defer { d.close() }
            let warning = try #require(d.openWarnings.first)
            #expect(warning.contains("recovered from slot \(1 - newest)"))
            #expect(warning.contains("zone 5 write pointer"))
        }
    }

    @Test func aTornNewestSlotFallsBackToTheOlderWithAWarning() throws {
        try withImage { path in
            let newest = try newestSlot(path)
            let f = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try f.seek(toOffset: M.tableOffset(slot: newest, pages: 1) + 100)
            try f.write(contentsOf: [0xA5, 0x5A])  // a torn page: its CRC no longer matches
            try f.close()
            let d = try ZonedDevice(configString: "zbc/" + path, deviceSize: 64 << 20)
            defer { d.close() }
            #expect(d.openWarnings.count == 1)
            #expect(d.openWarnings.first?.contains("page 0 is torn") == true)
        }
    }

    @Test func moreExplicitlyOpenZonesThanTheMaximumAreClosedWithAWarning() throws {
        try withImage { path in
            for slot in 0..<2 {
                try rewrite(path, slot: slot) { sb, page in
                    M.putLE(2, 4, &sb, 56)  // maximum open 2 …
                    for z in 10..<15 {  // … five explicitly open, each written one block
                        M.putLE(UInt64(z) * 2048 + 1, 8, &page, record(z))
                        page[record(z) + 9] = ZoneCondition.explicitlyOpen.rawValue
                    }
                }
            }
            let d = try ZonedDevice(configString: "zbc/" + path, deviceSize: 64 << 20)
            defer { d.close() }
            #expect(d.openWarnings.contains { $0.contains("5 explicitly open zones, more than the maximum 2") })
            let zones = d.zoneStateMachine.zones
            #expect((10..<15).allSatisfy { zones[$0].condition == .closed })
            #expect(d.zoneStateMachine.openCount == 0)
        }
    }

    @Test func aCleanImageOpensWithoutWarnings() throws {
        try withImage { path in
            let d = try ZonedDevice(configString: "zbc/" + path, deviceSize: 64 << 20)
            defer { d.close() }
            #expect(d.openWarnings.isEmpty)
        }
    }
}
