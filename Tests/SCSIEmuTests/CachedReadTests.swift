import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// READ tried without blocking (`SCSICommand.blocking = .mustNotBlock`, the ring thread's try): served
/// whole from what the store holds at hand, or declined untouched (`wouldBlock`) and then served by the
/// blocking path, never answered from a partial hit.
@Suite("Cached reads")
struct CachedReadTests {
    /// Runs `cdb` with a Data-In buffer of `capacity` bytes (700-byte segments) and `blocking`.
    static func run(
        _ device: BlockDevice, _ cdb: [UInt8], capacity: Int, blocking: Blocking
    ) -> (result: CommandResult, data: [UInt8], blocking: Blocking) {
        let buffer = OwnedDataBuffer(count: capacity, segmentSize: 700)
        return withExtendedLifetime(buffer) {
            var command = SCSICommand(cdb: CDB(cdb)!, data: buffer.view)
            command.blocking = blocking
            let result = device.execute(&command)
            return (result, Array(buffer.bytes.prefix(result.dataInLength)), command.blocking)
        }
    }

    static func disk(_ store: any BackingStore) throws -> BlockDevice {
        var c = BlockDeviceConfiguration()
        c.blockSize = 512
        return try BlockDevice(store: store, configuration: c)
    }

    @Test func aFileReadThePageCacheHoldsIsServedWithoutBlocking() throws {
        let dir = try TemporaryDirectory("cached")
        defer { dir.remove() }
        let store = try FileStore(path: dir.url.appendingPathComponent("disk.img").path, size: 1 << 20)
        let device = try Self.disk(store)
        #expect(device.readsWithoutBlocking && device.route(CDB(TestCDB.read10(lba: 0, blocks: 1))!).triesWithoutBlocking)
        let pattern = TestPattern.bytes(8192, seed: 3)
        #expect(TestSupport.run(device, TestCDB.write10(lba: 16, blocks: 16), dataOut: pattern).status == .good)
        // Just written: in the page cache.
        let r = Self.run(device, TestCDB.read10(lba: 16, blocks: 16), capacity: 8192, blocking: .mustNotBlock)
        #expect(r.result == CommandResult(status: .good, dataInLength: 8192))
        #expect(r.data == pattern && r.blocking == .mustNotBlock)
        device.close()
    }

    @Test func aReadPastTheEndOfTheFileIsDeclinedThenZeroFilled() throws {
        let dir = try TemporaryDirectory("cached")
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("short.img").path
        let head = TestPattern.bytes(4096, seed: 9)
        try Data(head).write(to: URL(fileURLWithPath: path))
        // Read-only and larger than the file: bytes past its end read as zeros on the blocking path, and
        // the NOWAIT read comes back short (4096 of 8192), which must not count as served.
        let store = try FileStore(path: path, readOnly: true, size: 1 << 20)
        let buffer = OwnedDataBuffer(count: 8192)
        #expect(store.readIfCached(into: buffer.view, 0..<4096, at: 0) && Array(buffer.bytes.prefix(4096)) == head)
        #expect(!store.readIfCached(into: buffer.view, 0..<8192, at: 0))
        let device = try Self.disk(store)
        let tried = Self.run(device, TestCDB.read10(lba: 0, blocks: 16), capacity: 8192, blocking: .mustNotBlock)
        #expect(tried.blocking == .wouldBlock && tried.result == CommandResult(status: .good))
        let blocking = Self.run(device, TestCDB.read10(lba: 0, blocks: 16), capacity: 8192, blocking: .mayBlock)
        #expect(blocking.result == CommandResult(status: .good, dataInLength: 8192))
        #expect(blocking.data == head + [UInt8](repeating: 0, count: 4096) && blocking.blocking == .mayBlock)
        device.close()
    }

    @Test func aPartialHitIsDeclinedAndTheBlockingReadGivesEveryByte() throws {
        // Pages 0 and 1 cached, 2 not: a read of pages 1–2 is a partial hit.
        let store = try PartlyCachedStore(size: 1 << 20, cachedPages: [0, 1])
        let device = try Self.disk(store)
        let pattern = TestPattern.bytes(12288, seed: 5)
        #expect(TestSupport.run(device, TestCDB.write10(lba: 0, blocks: 24), dataOut: pattern).status == .good)
        let hit = Self.run(device, TestCDB.read10(lba: 8, blocks: 8), capacity: 4096, blocking: .mustNotBlock)
        #expect(hit.result == CommandResult(status: .good, dataInLength: 4096))
        #expect(hit.data == Array(pattern[4096..<8192]) && hit.blocking == .mustNotBlock)
        let partial = Self.run(device, TestCDB.read10(lba: 8, blocks: 16), capacity: 8192, blocking: .mustNotBlock)
        #expect(partial.blocking == .wouldBlock && partial.result == CommandResult(status: .good) && partial.data.isEmpty)
        let again = Self.run(device, TestCDB.read10(lba: 8, blocks: 16), capacity: 8192, blocking: .mayBlock)
        #expect(again.result == CommandResult(status: .good, dataInLength: 8192) && again.data == Array(pattern[4096...]))
        #expect(store.counts == [1, 1, 1])
    }

    @Test func checksAnswerWithoutBlockingAndAnExclusiveHolderDeclines() throws {
        let store = try PartlyCachedStore(size: 1 << 20, cachedPages: Set(0..<256))
        let device = try Self.disk(store)
        // Out of range: the same CHECK CONDITION as the blocking path, answered here.
        let out = Self.run(device, TestCDB.read10(lba: 2048, blocks: 1), capacity: 512, blocking: .mustNotBlock)
        #expect(out.result.status == .checkCondition && out.result.sense == Sense(.illegalRequest, .logicalBlockAddressOutOfRange))
        #expect(out.blocking == .mustNotBlock)
        // While COMPARE AND WRITE (or FORMAT UNIT) holds the device exclusively, a read does not wait for it.
        device.engine.ordering.exclusive {
            let r = Self.run(device, TestCDB.read10(lba: 0, blocks: 1), capacity: 512, blocking: .mustNotBlock)
            #expect(r.blocking == .wouldBlock)
        }
        #expect(store.counts == [0, 0, 0])
        #expect(Self.run(device, TestCDB.read10(lba: 0, blocks: 1), capacity: 512, blocking: .mustNotBlock).blocking == .mustNotBlock)
        #expect(store.counts == [1, 0, 0])
    }

    @Test func aStoreThatCannotReadWithoutWaitingDeclinesEveryRead() throws {
        let device = try Self.disk(try MemoryStore(size: 1 << 20))
        #expect(!device.readsWithoutBlocking)
        let r = Self.run(device, TestCDB.read10(lba: 0, blocks: 1), capacity: 512, blocking: .mustNotBlock)
        #expect(r.blocking == .wouldBlock && r.result == CommandResult(status: .good))
    }
}
