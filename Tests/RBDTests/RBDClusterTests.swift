import Foundation
import Logging
import RingIO
import SCSIEmu
import Testing
import TestSupport

/// The rbd disk through the simulated ring against the one-node cluster (`make ceph-test`).
@Suite("rbd disk on a one-node cluster", .serialized, .enabled(if: CephTestCluster.available, "needs EMUD_CEPH_CONF (make ceph-test)"))
struct RBDClusterTests {
    static let bytes: UInt64 = 16 << 20

    /// Opens `rbd/emud/NAME` (a fresh image of `bytes`) as a disk served with the handler's workers.
    static func serve(_ name: String, osdOpTimeout: Int = 30, logger: Logger? = nil) throws -> (RingDriver, any EmulatedDevice) {
        try CephTestCluster.createImage(name, bytes: bytes)
        let config = CephTestCluster.configString(image: name, osdOpTimeout: osdOpTimeout)
        let device = try RBDHandler().open(CephTestCluster.parameters(config, size: bytes, logger: logger))
        return (try RingDriver(device: device, ioWorkers: RBDHandler().ioWorkerThreads), device)
    }

    @Test("check-config connects and names the image, the pool and the size")
    func checkConfig() throws {
        try CephTestCluster.createImage("check", bytes: 1 << 20)
        defer { CephTestCluster.removeImage("check") }
        let h = RBDHandler()
        let conf = ";conf=\(CephTestCluster.confPath!)"
        try h.checkOpen("emud/check" + conf, deviceSize: 1 << 20)
        #expect(h.impliedSize("emud/check" + conf) == 1 << 20)
        #expect(throws: ConfigError(field: "image", reason: "emud/check is smaller than the device (dev_size 2097152 bytes)")) {
            try h.checkOpen("emud/check" + conf, deviceSize: 2 << 20)
        }
        #expect(throws: ConfigError(field: "image", reason: "emud/nothing: no such image")) {
            try h.checkOpen("emud/nothing" + conf, deviceSize: nil)
        }
        #expect(throws: ConfigError(field: "pool", reason: "nopool: no such pool")) {
            try h.checkOpen("nopool/check" + conf, deviceSize: nil)
        }
    }

    @Test("writes read back; SYNCHRONIZE CACHE, FUA, WRITE SAME, UNMAP, GET LBA STATUS")
    func readWrite() throws {
        let (ring, device) = try Self.serve("rw")
        defer { ring.stop(); device.close(); CephTestCluster.removeImage("rw") }
        let counters = try #require(Self.counters(device))
        // The librbd requests a command made, all submitted from the ring thread (none waited for).
        var (requests, submitted) = (UInt64(0), UInt64(0))
        func sent() -> [UInt64] {
            let r = counters.requests.load(ordering: .relaxed), s = counters.submitted.load(ordering: .relaxed)
            defer { (requests, submitted) = (r, s) }
            return [r - requests, s - submitted]
        }
        let data = TestPattern.bytes(64 * 512, seed: 7)
        #expect(try ring.one(TestCDB.rw10(0x2A, 100, 64), dataOut: data).status == 0)
        #expect(try ring.one(TestCDB.rw10(0x28, 100, 64), dataIn: data.count).dataIn == data)
        #expect(sent() == [2, 2])
        // FUA: rbd_aio_writev, then rbd_aio_flush; SYNCHRONIZE CACHE(10): rbd_aio_flush.
        #expect(try ring.one(TestCDB.write16(lba: 8192, blocks: 8, fua: true), dataOut: data.prefix(4096).map { $0 }).status == 0)
        #expect(sent() == [2, 2])
        #expect(try ring.one([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]).status == 0)
        #expect(sent() == [1, 1])
        // WRITE SAME(16) of one 0x5A block over 16 blocks at 4096 (one rbd_aio_writesame), then UNMAP of
        // 4096…4103 (one rbd_aio_discard).
        let wsame: [UInt8] = [0x93, 0] + TestCDB.be(4096, 8) + TestCDB.be(16, 4) + [0, 0]
        #expect(try ring.one(wsame, dataOut: [UInt8](repeating: 0x5A, count: 512)).status == 0)
        #expect(sent() == [1, 1])
        #expect(try ring.one(TestCDB.rw10(0x28, 4096, 16), dataIn: 8192).dataIn == [UInt8](repeating: 0x5A, count: 8192))
        let unmap: [UInt8] = [0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0]
        let list: [UInt8] = [0, 22, 0, 16, 0, 0, 0, 0] + TestCDB.be(4096, 8) + TestCDB.be(8, 4) + [0, 0, 0, 0]
        _ = sent()
        #expect(try ring.one(unmap, dataOut: list).status == 0)
        #expect(sent() == [1, 1])
        let after = try ring.one(TestCDB.rw10(0x28, 4096, 16), dataIn: 8192).dataIn
        #expect(after == [UInt8](repeating: 0, count: 4096) + [UInt8](repeating: 0x5A, count: 4096))
        // GET LBA STATUS at LBA 0 (the first object holds data) and at 24576 (12 MiB: never written).
        let getLBAStatus = { (lba: UInt64) -> [UInt8] in [0x9E, 0x12] + TestCDB.be(lba, 8) + TestCDB.be(24, 4) + [0, 0] }
        let mapped = try ring.one(getLBAStatus(0), dataIn: 24)
        #expect(mapped.status == 0 && mapped.dataIn[8..<16] == [0, 0, 0, 0, 0, 0, 0, 0] && mapped.dataIn[20] & 0x0F == 0)
        let hole = try ring.one(getLBAStatus(24576), dataIn: 24)
        #expect(hole.status == 0 && hole.dataIn[8..<16] == TestCDB.be(24576, 8)[...] && hole.dataIn[20] & 0x0F == 1)
    }

    /// GET LBA STATUS(16) of one descriptor at `lba`: the provisioning status (0 mapped, 1 deallocated)
    /// and the descriptor's LBA, which must be `lba`.
    static func provisioning(_ ring: RingDriver, _ lba: UInt64) throws -> UInt8? {
        let c = try ring.one([0x9E, 0x12] + TestCDB.be(lba, 8) + TestCDB.be(24, 4) + [0, 0], dataIn: 24)
        guard c.status == 0, c.dataIn[8..<16] == TestCDB.be(lba, 8)[...] else { return nil }
        return c.dataIn[20] & 0x0F
    }

    @Test("WRITE SAME: a pattern, zeros kept allocated, UNMAP deallocates the object (rbd_aio_writesame, write_zeroes, discard)")
    func writeSame() throws {
        let (ring, device) = try Self.serve("wsame")
        defer { ring.stop(); device.close(); CephTestCluster.removeImage("wsame") }
        // WRITE SAME(16) | 0x93 | flags (UNMAP 0x08, NDOB 0x01) | LBA (8) | blocks (4) | group | control |
        let ws16 = { (flags: UInt8, lba: UInt64, blocks: UInt32) -> [UInt8] in
            [0x93, flags] + TestCDB.be(lba, 8) + TestCDB.be(UInt64(blocks), 4) + [0, 0]
        }
        let object: UInt32 = 8192  // one 4 MiB object of 512-byte blocks: LBA 16384…24575 is object 2
        let pattern = [UInt8](repeating: 0xA5, count: 512)
        #expect(try ring.one(ws16(0, 16384, object), dataOut: pattern).status == 0)
        #expect(try ring.one(TestCDB.rw10(0x28, 16384, 16), dataIn: 8192).dataIn == [UInt8](repeating: 0xA5, count: 8192))
        #expect(try ring.one(TestCDB.rw10(0x28, 24568, 8), dataIn: 4096).dataIn == [UInt8](repeating: 0xA5, count: 4096))
        #expect(try Self.provisioning(ring, 16384) == 0)
        // UNMAP = 1 with a zero block over the whole object: deallocated, reads zeros.
        #expect(try ring.one(ws16(0x08, 16384, object), dataOut: [UInt8](repeating: 0, count: 512)).status == 0)
        #expect(try ring.one(TestCDB.rw10(0x28, 16384, 16), dataIn: 8192).dataIn == [UInt8](repeating: 0, count: 8192))
        #expect(try Self.provisioning(ring, 16384) == 1)
        // Zeros without UNMAP over written blocks: zeros, still mapped (librbd's thick write_zeroes).
        let data = TestPattern.bytes(4096, seed: 3)
        #expect(try ring.one(TestCDB.rw10(0x2A, 0, 8), dataOut: data).status == 0)
        #expect(try ring.one([0x41, 0] + TestCDB.be(0, 4) + [0] + TestCDB.be(8, 2) + [0], dataOut: [UInt8](repeating: 0, count: 512)).status == 0)
        #expect(try ring.one(TestCDB.rw10(0x28, 0, 8), dataIn: 4096).dataIn == [UInt8](repeating: 0, count: 4096))
        #expect(try Self.provisioning(ring, 0) == 0)
        // NDOB = 1, UNMAP = 1 (no Data-Out: the block is zeros) over object 3 after writing into it.
        #expect(try ring.one(TestCDB.rw10(0x2A, 24576, 8), dataOut: data).status == 0)
        #expect(try Self.provisioning(ring, 24576) == 0)
        #expect(try ring.one(ws16(0x09, 24576, object)).status == 0)
        #expect(try ring.one(TestCDB.rw10(0x28, 24576, 8), dataIn: 4096).dataIn == [UInt8](repeating: 0, count: 4096))
        #expect(try Self.provisioning(ring, 24576) == 1)
    }

    @Test("COMPARE AND WRITE through librbd: a match writes, a miscompare names the byte")
    func compareAndWrite() throws {
        let (ring, device) = try Self.serve("caw")
        defer { ring.stop(); device.close(); CephTestCluster.removeImage("caw") }
        let old = TestPattern.bytes(512, seed: 1), new = TestPattern.bytes(512, seed: 2)
        #expect(try ring.one(TestCDB.rw10(0x2A, 10, 1), dataOut: old).status == 0)
        let caw: [UInt8] = [0x89, 0] + TestCDB.be(10, 8) + [0, 0, 0, 1, 0, 0]
        #expect(try ring.one(caw, dataOut: old + new).status == 0)
        #expect(try ring.one(TestCDB.rw10(0x28, 10, 1), dataIn: 512).dataIn == new)
        var wrong = new
        wrong[37] ^= 0xFF
        let miss = try ring.one(caw, dataOut: wrong + old)
        #expect(miss.status == 2)
        #expect(Array(miss.sense.prefix(14)) == [0xF0, 0, 0x0E, 0, 0, 0, 37, 10, 0, 0, 0, 0, 0x1D, 0x00])
        #expect(try ring.one(TestCDB.rw10(0x28, 10, 1), dataIn: 512).dataIn == new)
        // Both went to librbd's own (the OSD compared): rbd_aio_compare_and_write was called twice.
        let counters = try #require(Self.counters(device))
        #expect(counters.compareAndWrites.load(ordering: .relaxed) == 2)

        // Across two 4 MiB objects (LBA 8191 and 8192): librbd compares inside one object only, so the
        // device's exclusive lock, a read, the compare and a write; the same answers, librbd's not called.
        let across = TestPattern.bytes(1024, seed: 4), replaced = TestPattern.bytes(1024, seed: 5)
        #expect(try ring.one(TestCDB.rw10(0x2A, 8191, 2), dataOut: across).status == 0)
        let caw2: [UInt8] = [0x89, 0] + TestCDB.be(8191, 8) + [0, 0, 0, 2, 0, 0]
        var differs = across
        differs[700] ^= 0x01  // in the second block: the second object
        let miss2 = try ring.one(caw2, dataOut: differs + replaced)
        #expect(Array(miss2.sense.prefix(14)) == [0xF0, 0, 0x0E, 0, 0, 0x02, 0xBC, 10, 0, 0, 0, 0, 0x1D, 0x00])
        #expect(try ring.one(TestCDB.rw10(0x28, 8191, 2), dataIn: 1024).dataIn == across)
        #expect(try ring.one(caw2, dataOut: across + replaced).status == 0)
        #expect(try ring.one(TestCDB.rw10(0x28, 8191, 2), dataIn: 1024).dataIn == replaced)
        #expect(counters.compareAndWrites.load(ordering: .relaxed) == 2)
    }

    static func counters(_ device: any EmulatedDevice) -> RBDCounters? {
        (device as? BlockDevice).flatMap { $0.store as? RBDStore }?.counters
    }

    @Test("served as the daemon serves it (RingScheduler.shared): READ, WRITE and SYNCHRONIZE CACHE submitted from the event loop")
    func sharedScheduler() throws {
        try CephTestCluster.createImage("sched", bytes: Self.bytes)
        defer { CephTestCluster.removeImage("sched") }
        let device = try RBDHandler().open(CephTestCluster.parameters(CephTestCluster.configString(image: "sched"), size: Self.bytes))
        let ring = try RingDriver(device: device, ioWorkers: RBDHandler().ioWorkerThreads, scheduler: try RingScheduler.shared())
        defer { ring.stop(); device.close() }
        let counters = try #require(Self.counters(device))
        // 64 4 KiB writes in flight at once, 64 reads of them, one SYNCHRONIZE CACHE(10): 129 requests,
        // each submitted without waiting (the write cache is on: no flush after the writes).
        let data = (0..<64).map { TestPattern.bytes(4096, seed: UInt8($0)) }
        let writes = try ring.run((0..<64).map { (TestCDB.rw10(0x2A, UInt32($0 * 16), 8), data[$0], 0) })
        #expect(writes.allSatisfy { $0.status == 0 })
        let reads = try ring.run((0..<64).map { (TestCDB.rw10(0x28, UInt32($0 * 16), 8), nil, 4096) })
        #expect(reads.map(\.status) == [UInt8](repeating: 0, count: 64))
        #expect(reads.map(\.dataIn) == data)
        #expect(try ring.one([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]).status == 0)
        #expect(counters.submitted.load(ordering: .relaxed) == 129)
        #expect(counters.requests.load(ordering: .relaxed) == 129)
    }

    @Test("the image follows dev_size: grown with the device, left alone when it shrinks")
    func resize() throws {
        try CephTestCluster.createImage("grow", bytes: 1 << 20)
        defer { CephTestCluster.removeImage("grow") }
        let config = CephTestCluster.configString(image: "grow")
        let device = try RBDHandler().open(CephTestCluster.parameters(config, size: 1 << 20))
        let ring = try RingDriver(device: device, ioWorkers: RBDHandler().ioWorkerThreads)
        defer { ring.stop(); device.close() }
        let imageSize = { try RBDStore.check(RBDConfigString(parsing: String(config.dropFirst(4))), size: nil) }
        let readCapacity: [UInt8] = [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(try ring.one(readCapacity, dataIn: 8).dataIn == [0, 0, 0x07, 0xFF, 0, 0, 2, 0])
        // The kernel's RECONFIG of dev_size (3 MiB): the image grows, the initiator sees UNIT ATTENTION
        // CAPACITY DATA HAS CHANGED (06/2A/09), then the new last LBA.
        try device.resize(toBytes: 3 << 20)
        #expect(try imageSize() == 3 << 20)
        let attention = try ring.one(readCapacity, dataIn: 8)
        #expect(attention.status == 2 && attention.sense.count >= 14 && attention.sense[2] & 0x0F == 0x06 && attention.sense[12] == 0x2A && attention.sense[13] == 0x09)
        #expect(try ring.one(readCapacity, dataIn: 8).dataIn == [0, 0, 0x17, 0xFF, 0, 0, 2, 0])
        // Smaller (2 MiB): the device shrinks, the image keeps its 3 MiB (an RBD shrink destroys data).
        try device.resize(toBytes: 2 << 20)
        #expect(try imageSize() == 3 << 20)
        _ = try ring.one(readCapacity, dataIn: 8)  // the unit attention
        #expect(try ring.one(readCapacity, dataIn: 8).dataIn == [0, 0, 0x0F, 0xFF, 0, 0, 2, 0])
    }
}
