import Foundation
import SCSIEmu
import Sense
import Testing
import TestSupport

@Suite struct ZonedStoreTests {
    func tempPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("zbc-\(UUID().uuidString).img").path
    }

    @Test func realFileKeepsZonesAndDataAcrossReopen() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let size: UInt64 = 16 << 20
        do {
            let d = try ZonedDevice(configString: "zbc/zsize-1/conv-2/open-3@\(path)", deviceSize: size)
            #expect(writeBlocks(d, 4 * zoneBlocks, 8).status == .good)
            #expect(run(d, zoneOutCDB(.finish, lba: 5 * zoneBlocks)).status == .good)
            #expect(run(d, sync16CDB).status == .good)
            try d.setZoneCondition(zone: 7, .readOnly)
            d.close()
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.size] as? UInt64) == ZonedMetadata.dataOffset(zoneCount: 16) + size)
        // No options: the image's own geometry is used.
        let d = try ZonedDevice(configString: "zbc/\(path)", deviceSize: size)
        #expect(condition(d, 4) == .closed && condition(d, 5) == .full && condition(d, 7) == .readOnly)
        #expect(d.zoneStateMachine.zones[4].writePointer == 4 * zoneBlocks + 8)
        let r = run(d, read16CDB(lba: 4 * zoneBlocks, blocks: 8), capacity: 8 * 512)
        #expect(r.data == pattern(4 * zoneBlocks, 8))
    }

    @Test func mismatchedImageIsRefusedUnlessFormatIsGiven() throws {
        let medium = CrashMedium()
        _ = try makeZonedDevice("zsize-1/conv-2", medium: medium)
        #expect(throws: ZonedStoreError.refused(
            "zsize: existing image has zone size 1 MiB, options ask for 2 MiB; conv: existing image has conventional zones 2, options ask for 1; add `format` to reformat (its data is lost)"
        )) { try makeZonedDevice("zsize-2/conv-1", medium: medium) }
        #expect(throws: ZonedStoreError.self) { try makeZonedDevice("zsize-1/conv-2", zones: 32, medium: medium) }
        let d = try makeZonedDevice("zsize-2/conv-1/format", medium: medium)
        #expect(d.geometry.layout.zoneCount == 8)
        // A tcmu-runner image and a foreign file are named as such.
        let foreign = CrashMedium()
        try foreign.write([0x43, 0x42, 0x5A, 0x55] + [UInt8](repeating: 1, count: 60), at: 0)
        do {
            _ = try makeZonedDevice(medium: foreign)
            Issue.record("a tcmu-runner image was accepted")
        } catch let error as ZonedStoreError {
            #expect(error.description.contains("tcmu-runner's file_zbc format"))
        }
    }

    @Test func tornCommitFallsBackToTheOlderSlot() throws {
        let medium = CrashMedium()
        let d = try makeZonedDevice(medium: medium)
        writeBlocks(d, 4 * zoneBlocks, 4, fua: true)
        writeBlocks(d, 4 * zoneBlocks + 4, 4)
        // The SYNC's metadata writes never reach the medium whole: the older slot wins.
        let pendingBefore = medium.state.withLock { $0.pending.count }
        #expect(pendingBefore == 1)
        medium.crash { _ in (2, 3) }
        let reopened = try makeZonedDevice(medium: CrashMedium(durableOf: medium))
        #expect(reopened.zoneStateMachine.zones[4].writePointer == 4 * zoneBlocks + 4)
    }

    /// Random commands, a crash at a random point with each unsynced write kept, lost or torn; after
    /// reopening, no write pointer exceeds the data that reached the medium, and nothing acknowledged by
    /// SYNCHRONIZE CACHE or FUA is lost.
    @Test(arguments: 0..<64)
    func crashAtAnyPoint(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 0x9E37)
        let medium = CrashMedium()
        let d = try makeZonedDevice(medium: medium)
        medium.state.withLock { $0.dieAt = $0.operations + Int(rng.next() % 60) }
        var synced: [Int: UInt64] = [:]  // zone → write pointer acknowledged durable
        var resetSinceSync = Set<Int>()
        var tag: [Int: UInt8] = [:]
        for _ in 0..<Int(rng.next() % 40) + 1 {
            let z = 2 + Int(rng.next() % 6)
            let start = UInt64(z) * zoneBlocks
            let wp = d.zoneStateMachine.zones[z].writePointer
            switch rng.next() % 10 {
            case 0...5:
                let n = UInt32(min(UInt64(1 + rng.next() % 64), start + zoneBlocks - wp))
                guard n > 0, wp < start + zoneBlocks else { continue }
                let fua = rng.next() % 5 == 0
                let t = tag[z] ?? 0xA5
                if writeBlocks(d, wp, n, fua: fua, tag: t).status == .good, fua {
                    for (k, v) in d.zoneStateMachine.zones.enumerated() { synced[k] = v.writePointer }
                    resetSinceSync.removeAll()
                }
            case 6:
                guard run(d, sync16CDB).status == .good else { continue }
                for (k, v) in d.zoneStateMachine.zones.enumerated() { synced[k] = v.writePointer }
                resetSinceSync.removeAll()
            case 7:
                _ = run(d, zoneOutCDB(.resetWritePointer, lba: start))
                resetSinceSync.insert(z)
                tag[z] = UInt8(truncatingIfNeeded: (tag[z] ?? 0xA5) &+ 1)
            default:
                _ = run(d, zoneOutCDB(.close, lba: start))
            }
        }
        let cut = rng.next()
        medium.crash { i in
            var g = SplitMix64(seed: cut &+ UInt64(i))
            let x = g.next()
            return (Int(x % 3), Int(x >> 8 % 8) + 1)
        }
        let r = try makeZonedDevice(medium: CrashMedium(durableOf: medium))
        for z in 2..<8 {
            let start = UInt64(z) * zoneBlocks
            let wp = r.zoneStateMachine.zones[z].writePointer
            if wp > start {
                // Every block below the write pointer holds a block some write put there, naming its LBA.
                let data = run(r, read16CDB(lba: start, blocks: UInt32(wp - start)), capacity: Int(wp - start) * 512).data
                for b in 0..<Int(wp - start) {
                    #expect(Array(data[(b * 512)..<(b * 512 + 8)]) == be(start + UInt64(b), 8), "seed \(seed) zone \(z) block \(b)")
                }
            }
            if let s = synced[z], !resetSinceSync.contains(z) {
                #expect(wp >= s, "seed \(seed) zone \(z): acknowledged write pointer \(s) lost, got \(wp)")
            }
        }
    }
}


/// RESET WRITE POINTER, OPEN, CLOSE and FINISH ZONE are durable when they complete GOOD, as on a drive: a
/// kill right after them (nothing synced since) keeps their effect.
@Suite struct ZonedDurableZoneOutTests {
    func killAndReopen(_ medium: CrashMedium) throws -> ZonedDevice {
        medium.crash { _ in (0, 0) }  // every unsynced write is lost
        return try makeZonedDevice(medium: CrashMedium(durableOf: medium))
    }

    @Test func aZoneResetSurvivesAKill() throws {
        let medium = CrashMedium()
        let d = try makeZonedDevice(medium: medium)
        #expect(writeBlocks(d, 4 * zoneBlocks, 8, fua: true).status == .good)
        #expect(run(d, zoneOutCDB(.resetWritePointer, lba: 4 * zoneBlocks)).status == .good)
        let reopened = try killAndReopen(medium)
        #expect(reopened.zoneStateMachine.zones[4].writePointer == 4 * zoneBlocks)
        #expect(condition(reopened, 4) == .empty)
        #expect(run(reopened, read16CDB(lba: 4 * zoneBlocks, blocks: 8)).data == [UInt8](repeating: 0, count: 8 * 512))
    }

    @Test func openCloseAndFinishSurviveAKill() throws {
        let medium = CrashMedium()
        let d = try makeZonedDevice(medium: medium)
        #expect(run(d, zoneOutCDB(.open, lba: 5 * zoneBlocks)).status == .good)
        #expect(writeBlocks(d, 6 * zoneBlocks, 4, fua: true).status == .good)
        #expect(run(d, zoneOutCDB(.close, lba: 6 * zoneBlocks)).status == .good)
        #expect(run(d, zoneOutCDB(.finish, lba: 7 * zoneBlocks)).status == .good)
        let reopened = try killAndReopen(medium)
        // An open zone is reopened CLOSED (no zone stays open across a power cycle); a closed one keeps its pointer.
        #expect(condition(reopened, 5) == .empty || condition(reopened, 5) == .closed)
        #expect(condition(reopened, 6) == .closed && reopened.zoneStateMachine.zones[6].writePointer == 6 * zoneBlocks + 4)
        #expect(condition(reopened, 7) == .full)
    }
}
