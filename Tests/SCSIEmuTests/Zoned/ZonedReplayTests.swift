import Foundation
import SCSIEmu
import Sense
import Testing
import TestSupport

/// A WRITE the kernel resends after a daemon restart (reset_ring → BUSY → retry) that had already landed
/// is completed GOOD without writing; anything else still gets its ZBC error (ZonedStore+Replay.swift).
@Suite struct ZonedReplayTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("zbc-replay-\(UUID().uuidString).img").path
    let size: UInt64 = 16 << 20

    /// Zone 4 holds 16 blocks (two FUA writes of 8), zone 5 is FULL from one write; the daemon "dies".
    func imageAfterKill() throws {
        let d = try ZonedDevice(configString: "zbc/zsize-1/conv-2/open-3@\(path)", deviceSize: size)
        #expect(writeBlocks(d, 4 * zoneBlocks, 8, fua: true).status == .good)
        #expect(writeBlocks(d, 4 * zoneBlocks + 8, 8, fua: true).status == .good)
        #expect(writeBlocks(d, 5 * zoneBlocks, UInt32(zoneBlocks), fua: true).status == .good)
        d.close()
    }

    @Test func resentWritesThatLandedCompleteGood() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        try imageAfterKill()
        let d = try ZonedDevice(configString: "zbc/\(path)", deviceSize: size)
        #expect(writeBlocks(d, 4 * zoneBlocks + 8, 8, fua: true).status == .good)
        #expect(d.zoneStateMachine.zones[4].writePointer == 4 * zoneBlocks + 16)
        #expect(writeBlocks(d, 5 * zoneBlocks, UInt32(zoneBlocks), fua: true).status == .good)
        #expect(condition(d, 5) == .full)
        // The zone goes on at its write pointer.
        #expect(writeBlocks(d, 4 * zoneBlocks + 16, 8).status == .good)
        let r = run(d, read16CDB(lba: 4 * zoneBlocks, blocks: 24), capacity: 24 * 512)
        #expect(r.data == pattern(4 * zoneBlocks, 24))
    }

    @Test func otherWritesBelowThePointerKeepTheirErrors() throws {
        defer { try? FileManager.default.removeItem(atPath: path) }
        try imageAfterKill()
        let d = try ZonedDevice(configString: "zbc/\(path)", deviceSize: size)
        // Different data, not ending at the pointer, a FULL zone with other data: refused, nothing written.
        #expect(writeBlocks(d, 4 * zoneBlocks + 8, 8, tag: 0x11).status == .checkCondition)
        #expect(writeBlocks(d, 4 * zoneBlocks, 8).status == .checkCondition)
        #expect(writeBlocks(d, 5 * zoneBlocks, UInt32(zoneBlocks), tag: 0x11).status == .checkCondition)
        let r = run(d, read16CDB(lba: 4 * zoneBlocks, blocks: 16), capacity: 16 * 512)
        #expect(r.data == pattern(4 * zoneBlocks, 16))
        // Once the zone was written after the open, a repeat of its last write is an error again.
        #expect(writeBlocks(d, 4 * zoneBlocks + 16, 8).status == .good)
        #expect(writeBlocks(d, 4 * zoneBlocks + 16, 8).status == .checkCondition)
        #expect(d.zoneStateMachine.zones[4].writePointer == 4 * zoneBlocks + 24)
    }
}
