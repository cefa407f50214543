import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// WRITE tried on the ring thread (`SCSICommand.blocking = .mustNotBlock`, `BlockEngine.writeIntoCache`):
/// written into the store's cache when it need not be durable, else declined before anything is written.
@Suite("Cached writes")
struct CachedWriteTests {
    static func disk(_ store: any BackingStore, writeCache: Bool = true) throws -> BlockDevice {
        var c = BlockDeviceConfiguration()
        c.blockSize = 512
        c.writeCacheEnabled = writeCache
        return try BlockDevice(store: store, configuration: c)
    }

    /// Runs a WRITE `cdb` of `data` with `blocking`; returns its result and the blocking state after it.
    static func write(_ device: BlockDevice, _ cdb: [UInt8], _ data: [UInt8], blocking: Blocking) -> (CommandResult, Blocking) {
        let buffer = OwnedDataBuffer(data, segmentSize: 700)
        return withExtendedLifetime(buffer) {
            var command = SCSICommand(cdb: CDB(cdb)!, data: buffer.view)
            command.blocking = blocking
            let result = device.execute(&command)
            return (result, command.blocking)
        }
    }

    static func contents(_ path: String, _ range: Range<Int>) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path))[range])
    }

    @Test func aFileWriteThatNeedNotBeDurableRunsIntoThePageCache() throws {
        let dir = try TemporaryDirectory("cachedwrite")
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("disk.img").path
        let device = try Self.disk(try FileStore(path: path, size: 1 << 20))
        let route = device.route(CDB(TestCDB.write16(lba: 0, blocks: 1))!)
        #expect(device.writesToCache && route.triesWithoutBlocking && route.writesToCache)
        #expect(!device.route(CDB(TestCDB.read10(lba: 0, blocks: 1))!).writesToCache)
        let pattern = TestPattern.bytes(4096, seed: 5)
        let (result, blocking) = Self.write(device, TestCDB.write16(lba: 8, blocks: 8), pattern, blocking: .mustNotBlock)
        #expect(result == CommandResult(status: .good) && blocking == .mustNotBlock)
        #expect(try Self.contents(path, 4096..<8192) == pattern)
        device.close()
    }

    /// FUA, or WCE = 0, makes the write durable: that waits for the device, so the try declines untouched.
    @Test(arguments: [(true, true), (false, false)])
    func aDurableWriteIsDeclinedUntouched(fua: Bool, writeCache: Bool) throws {
        let dir = try TemporaryDirectory("cachedwrite")
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("disk.img").path
        let device = try Self.disk(try FileStore(path: path, size: 1 << 20), writeCache: writeCache)
        let pattern = TestPattern.bytes(4096, seed: 6)
        let cdb = TestCDB.write16(lba: 8, blocks: 8, fua: fua)
        let (tried, blocking) = Self.write(device, cdb, pattern, blocking: .mustNotBlock)
        #expect(tried == CommandResult(status: .good) && blocking == .wouldBlock)
        #expect(try Self.contents(path, 4096..<8192) == [UInt8](repeating: 0, count: 4096))
        // The blocking run (a worker's) writes it.
        #expect(Self.write(device, cdb, pattern, blocking: .mayBlock) == (CommandResult(status: .good), .mayBlock))
        #expect(try Self.contents(path, 4096..<8192) == pattern)
        device.close()
    }

    /// A store without a cache (memory: nothing to gain) is declined; checks still answer on the spot.
    @Test func aStoreWithoutACacheIsDeclinedButABadWriteIsAnswered() throws {
        let device = try Self.disk(try MemoryStore(size: 1 << 20))
        #expect(!device.writesToCache)
        let pattern = TestPattern.bytes(512, seed: 7)
        #expect(Self.write(device, TestCDB.write16(lba: 0, blocks: 1), pattern, blocking: .mustNotBlock).1 == .wouldBlock)
        let (outOfRange, blocking) = Self.write(device, TestCDB.write16(lba: 4096, blocks: 1), pattern, blocking: .mustNotBlock)
        #expect(outOfRange.status == .checkCondition && blocking == .mustNotBlock)
        #expect(outOfRange.sense == Sense(.illegalRequest, .logicalBlockAddressOutOfRange))
    }
}
