import Foundation
import Logging
import Sense
import Testing

@testable import SCSIEmu

/// Issue 13's six traps: sizes and image fields from outside (configfs dev_size, a RECONFIG, a zoned
/// superblock) that crashed the daemon. Each must now refuse the device with an error naming the value,
/// through the handler's real `open` (what the daemon calls at ADDED) or the device's `resize` (RECONFIG).
@Suite("Hostile sizes")
struct HostileSizeTests {
    typealias S = BlockTestSupport

    static func parameters(_ config: String, size: UInt64, blockSize: UInt32 = 512) -> DeviceOpenParameters {
        DeviceOpenParameters(
            config: config, fullConfigString: config, deviceName: "d0", hba: "0", sizeInBytes: size,
            blockSize: blockSize, maxSectors: 128, unitSerial: "s", logger: Logger(label: "test"))
    }

    /// Opens `config` with `handler` at `size`; returns the refusal (nil: it opened, and is closed again).
    static func refusal(_ handler: any DeviceHandler, _ config: String, size: UInt64) -> HandlerError? {
        do {
            let d = try handler.open(parameters(config, size: size))
            d.close()
            return nil
        } catch { return error }
    }

    func withDirectory(_ body: (URL) throws -> Void) throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(dir)
    }

    // 1. file, dev_size ≥ 2^63: trapped converting to off_t.
    @Test(arguments: [UInt64(1) << 63, .max])
    func fileDeviceOfHugeSizeIsRefused(size: UInt64) throws {
        try withDirectory { dir in
            let path = dir.appendingPathComponent("disk.img").path
            let e = try #require(Self.refusal(FileHandler(), path, size: size))
            #expect(e.code == EFBIG || e.code == EINVAL)
            #expect(e.message.contains("\(size)"))
            // Nothing grown: the file holds no bytes.
            #expect((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 == 0)
        }
    }

    // 2. fbo, dev_size 2^64−1: trapped.
    @Test func opticalDeviceOfHugeSizeIsRefused() throws {
        try withDirectory { dir in
            let path = dir.appendingPathComponent("dvd.img").path
            let e = try #require(Self.refusal(FBOHandler(), path, size: .max))
            #expect(e.message.contains("\(UInt64.max)"))
        }
    }

    // 3. zbc, dev_size 2^63: aborted allocating the zone table (824 GB).
    @Test func zonedDeviceOfHugeSizeIsRefused() throws {
        try withDirectory { dir in
            let path = dir.appendingPathComponent("zbc.img").path
            let e = try #require(Self.refusal(ZBCHandler(), path, size: 1 << 63))
            #expect(e.message.contains("\(UInt64(1) << 63)"))
        }
    }

    // 3b. zbc with small zones: the zone count, not the byte count, bounds the table.
    @Test func zonedDeviceWithTooManyZonesIsRefused() throws {
        try withDirectory { dir in
            let path = dir.appendingPathComponent("zbc.img").path
            let size = UInt64(ZoneLayout.maximumZoneCount + 1) << 20
            let e = try #require(Self.refusal(ZBCHandler(), "zsize-1@" + path, size: size))
            #expect(e.message.contains("zones"))
        }
    }

    // 4. zbc/zsize-1048576, dev_size 2^63−1: trapped sizing the file.
    @Test func zonedDeviceWithHugeZonesAndSizeIsRefused() throws {
        try withDirectory { dir in
            let path = dir.appendingPathComponent("zbc.img").path
            let size = UInt64(Int64.max)
            let e = try #require(Self.refusal(ZBCHandler(), "zsize-1048576@" + path, size: size))
            #expect(e.message.contains("\(size)"))
        }
    }

    // 5. A zoned image whose superblock says capacity 2^64−1, CRCs valid: overflowed computing the layout.
    @Test func zonedSuperblockWithHugeCapacityIsRefused() throws {
        try withDirectory { dir in
            let path = dir.appendingPathComponent("zbc.img").path
            #expect(Self.refusal(ZBCHandler(), "zsize-1@" + path, size: 64 << 20) == nil)
            let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            defer { try? file.close() }
            for slot in 0..<2 {
                try file.seek(toOffset: UInt64(slot * 4096))
                var sb = [UInt8](try file.read(upToCount: 80) ?? Data())
                guard sb.count == 80, sb[0] == UInt8(ascii: "E") else { continue }
                for k in 32..<40 { sb[k] = 0xFF }  // capacity 2^64−1
                ZonedMetadata.putLE(UInt64(ZonedMetadata.crc32(sb[0..<76])), 4, &sb, 76)
                try file.seek(toOffset: UInt64(slot * 4096))
                try file.write(contentsOf: sb)
            }
            let e = try #require(Self.refusal(ZBCHandler(), "zsize-1@" + path, size: 64 << 20))
            #expect(e.message.contains("\(UInt64.max)"))
        }
    }

    // 6. RECONFIG dev_size ≥ 2^63 on a live file device: trapped in ftruncate's off_t.
    @Test(arguments: [UInt64(1) << 63, .max])
    func liveResizeToHugeSizeIsRefusedAndTheDeviceKeepsServing(size: UInt64) throws {
        try withDirectory { dir in
            let path = dir.appendingPathComponent("disk.img").path
            let device = try FileHandler().open(Self.parameters(path, size: 1 << 20))
            defer { device.close() }
            #expect(throws: Sense.self) { try device.resize(toBytes: size) }
            // Still the old size, still serving: READ CAPACITY(10) says 2047 blocks of 512.
            let out = OwnedDataBuffer(count: 8)
            var cmd = SCSICommand(cdb: CDB([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0])!, data: out.view)
            _ = device.execute(&cmd)
            if (device as? any SPCDevice)?.unit.peekUnitAttention() != nil { _ = device.execute(&cmd) }
            #expect(out.bytes == [0, 0, 0x07, 0xFF, 0, 0, 0x02, 0])
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 1 << 20)
        }
    }
}
