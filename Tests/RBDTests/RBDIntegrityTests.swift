import Foundation
import RingIO
import SCSIEmu
import Testing
import TestSupport

/// Random writes with verify, discards and compare-and-write through the ring, with the OSD stopped and
/// started again in the middle: commands fail ABORTED COMMAND / 08/00 within osd_op_timeout while it is
/// down (never a hang, and commands that need no store keep completing), and after it is back every
/// byte is what was last written.
@Suite("rbd data integrity across an OSD restart", .serialized, .enabled(if: CephTestCluster.available, "needs EMUD_CEPH_CONF (make ceph-test)"))
struct RBDIntegrityTests {
    static let blocks = 32768  // 16 MiB of 512-byte blocks
    static let timeout = 5

    /// One write: LBA, block count, data. 4 KiB aligned so UNMAP's 4 KiB units cover whole runs.
    struct Write {
        var lba: Int
        var count: Int
        var data: [UInt8]
    }

    /// `n` random writes that do not overlap one another: they are in flight together, and SAM-5 §8.6
    /// (SIMPLE task attribute) lets the device server run commands in flight at once in any order, so
    /// two overlapping ones have no defined result. (The first version of this test let them overlap:
    /// its verify found the bytes of the write submitted first at the start of one such overlap, LBA 18520; nothing
    /// was lost.)
    static func randomWrites(_ rng: inout SplitMix64, _ n: Int, tag: UInt8, avoiding busy: Range<Int>? = nil) -> [Write] {
        var out: [Write] = []
        while out.count < n {
            let lba = Int(rng.next() % UInt64(blocks / 8 - 16)) * 8
            let count = 8 * (1 + Int(rng.next() % 8))
            let range = lba..<(lba + count)
            if out.contains(where: { ($0.lba..<($0.lba + $0.count)).overlaps(range) }) || busy?.overlaps(range) == true { continue }
            out.append(Write(lba: lba, count: count, data: TestPattern.bytes(count * 512, seed: tag &+ UInt8(out.count & 0x7F))))
        }
        return out
    }

    @Test("no data lost, no hang, ABORTED COMMAND while the OSD is down")
    func osdRestart() throws {
        let (ring, device) = try RBDClusterTests.serve("integrity", osdOpTimeout: Self.timeout)
        defer { ring.stop(); device.close(); CephTestCluster.removeImage("integrity") }
        var model = [UInt8](repeating: 0, count: Self.blocks * 512)
        var rng = SplitMix64(seed: 18)
        func apply(_ w: Write) { model.replaceSubrange(w.lba * 512..<(w.lba + w.count) * 512, with: w.data) }
        func writes(_ ws: [Write]) throws -> [SimulatedKernel.Completion] {
            try ring.run(ws.map { (TestCDB.rw10(0x2A, UInt32($0.lba), UInt16($0.count)), $0.data, 0) })
        }
        func verify() throws {
            for chunk in stride(from: 0, to: Self.blocks, by: 2048) {  // 1 MiB reads
                let c = try ring.one(TestCDB.rw10(0x28, UInt32(chunk), 2048), dataIn: 2048 * 512)
                #expect(c.status == 0)
                let expected = Array(model[chunk * 512..<(chunk + 2048) * 512])
                if c.dataIn == expected { continue }  // the byte search below is slow in a debug build
                let first = c.dataIn.indices.first { $0 < expected.count && c.dataIn[$0] != expected[$0] }
                var difference = "data differs at byte \(first.map { chunk * 512 + $0 } ?? -1)"
                if let i = first, c.dataIn[i..<min(i + 512, c.dataIn.count)].allSatisfy({ $0 == 0 }) { difference += " (zeros)" }
                #expect(c.dataIn.count == expected.count && first == nil, "\(difference)")
            }
        }

        // 1. 256 random writes, 32 at a time (queue depth 32), verified.
        for round in 0..<8 {
            let ws = Self.randomWrites(&rng, 32, tag: UInt8(round * 32))
            #expect(try writes(ws).allSatisfy { $0.status == 0 })
            ws.forEach(apply)
        }
        // 2. UNMAP of 64 KiB at LBA 1024 and COMPARE AND WRITE: one match, one miscompare.
        let list: [UInt8] = [0, 22, 0, 16, 0, 0, 0, 0] + TestCDB.be(1024, 8) + TestCDB.be(128, 4) + [0, 0, 0, 0]
        #expect(try ring.one([0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0], dataOut: list).status == 0)
        model.replaceSubrange(1024 * 512..<1152 * 512, with: [UInt8](repeating: 0, count: 128 * 512))
        let caw: [UInt8] = [0x89, 0] + TestCDB.be(2000, 8) + [0, 0, 0, 1, 0, 0]
        let current = Array(model[2000 * 512..<2001 * 512]), next = TestPattern.bytes(512, seed: 99)
        #expect(try ring.one(caw, dataOut: current + next).status == 0)
        model.replaceSubrange(2000 * 512..<2001 * 512, with: next)
        let miss = try ring.one(caw, dataOut: current + current)
        #expect(miss.status == 2 && miss.sense[2] & 0x0F == 0x0E && miss.sense[12] == 0x1D)
        try verify()

        // 3. The OSD goes away: writes and reads fail retryably within the timeout; TEST UNIT READY
        //    (no store) still answers at once; nothing hangs.
        try CephTestCluster.control("osd-stop")
        var osdUp = false
        defer { if !osdUp { try? CephTestCluster.control("osd-start") } }
        // The read of LBA 0…7 in the same batch: the pending writes stay clear of it, so a read the
        // cluster answers must return exactly the model's bytes (never zeros for acknowledged data).
        let pending = Self.randomWrites(&rng, 8, tag: 0xE0, avoiding: 0..<8)
        let start = ContinuousClock.now
        let down = try ring.run(
            pending.map { (TestCDB.rw10(0x2A, UInt32($0.lba), UInt16($0.count)), $0.data, 0) }
                + [(TestCDB.rw10(0x28, 0, 8), nil, 4096)],
            timeoutSeconds: Double(Self.timeout * 4 + 10))
        let waited = ContinuousClock.now - start
        #expect(waited < .seconds(Self.timeout * 4 + 10))
        for c in down where c.status != 0 {
            #expect(c.status == 2 && c.sense[2] & 0x0F == 0x0B && c.sense[12] == 0x08 && c.sense[13] == 0x00,
                    "sense \(c.sense.prefix(14))")
        }
        #expect(down.contains { $0.status == 2 }, "no command failed while the OSD was down (\(waited))")
        if let read = down.last, read.status == 0 { #expect(read.dataIn == Array(model[0..<4096])) }
        #expect(try ring.one([0, 0, 0, 0, 0, 0], timeoutSeconds: 2).status == 0)

        // 4. The OSD is back: the same writes succeed without reopening anything, and every byte is right.
        try CephTestCluster.control("osd-start")
        osdUp = true
        var retried = try writes(pending)
        for _ in 0..<6 where !retried.allSatisfy({ $0.status == 0 }) {
            Thread.sleep(forTimeInterval: 2)
            retried = try writes(pending)
        }
        #expect(retried.allSatisfy { $0.status == 0 }, "\(retried.map(\.status))")
        pending.forEach(apply)
        try verify()
        let counters = (device as? BlockDevice).flatMap { $0.store as? RBDStore }?.counters
        #expect((counters?.outages.load(ordering: .relaxed) ?? 0) >= 1)
        #expect((counters?.unavailable.load(ordering: .relaxed) ?? 0) >= 1)
        // The writes, reads, UNMAP and COMPARE AND WRITE went through the ring thread's asynchronous path.
        #expect((counters?.submitted.load(ordering: .relaxed) ?? 0) >= 256)
    }

    /// An OSD that stops answering without closing its connections (SIGSTOP, as a hung host or a full
    /// network queue looks): a WRITE ends ABORTED COMMAND 0B/08/00 by librados's own timer, within
    /// osd_op_timeout; TEST UNIT READY answers meanwhile; after SIGCONT the retried WRITE succeeds and
    /// reads back. (The failed WRITE's data may still land: as with any SCSI timeout its outcome is
    /// unknown, which is why the initiator retries it.)
    @Test("an OSD that stops answering: ABORTED COMMAND within osd_op_timeout, then the retry succeeds")
    func osdPaused() throws {
        let log = CapturedLog()
        let (ring, device) = try RBDClusterTests.serve("paused", osdOpTimeout: Self.timeout, logger: log.logger(level: .notice))
        defer { ring.stop(); device.close(); CephTestCluster.removeImage("paused") }
        let data = TestPattern.bytes(4096, seed: 42)
        #expect(try ring.one(TestCDB.rw10(0x2A, 64, 8), dataOut: TestPattern.bytes(4096, seed: 41)).status == 0)
        // A flush first: with librbd's cache on, writes after a flush are acknowledged before the OSD has
        // them (write-around), and the WRITE below would end GOOD while the OSD is frozen.
        #expect(try ring.one([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]).status == 0)
        try CephTestCluster.control("osd-pause")
        var paused = true
        defer { if paused { try? CephTestCluster.control("osd-resume") } }
        // The WRITE, then TEST UNIT READY behind it in the ring: TEST UNIT READY completes first (out of
        // order) while the WRITE waits for the OSD, which ends it after osd_op_timeout.
        let start = ContinuousClock.now
        let write = try ring.kernel.submit(cdb: TestCDB.rw10(0x2A, 64, 8), dataOut: data)
        let tur = try ring.kernel.submit(cdb: [0, 0, 0, 0, 0, 0])
        var done: [UInt16: (SimulatedKernel.Completion, Duration)] = [:]
        while done.count < 2, ContinuousClock.now - start < .seconds(Self.timeout * 3) {
            for c in try ring.kernel.reap() { done[c.id] = (c, ContinuousClock.now - start) }
            _ = ring.kernel.waitForCompletions(timeoutMilliseconds: 50)
        }
        let (c, waited) = try #require(done[write])
        let (t, turWaited) = try #require(done[tur])
        #expect(t.status == 0 && turWaited < .seconds(2) && turWaited < waited, "TEST UNIT READY after \(turWaited)")
        #expect(c.status == 2 && c.sense.count >= 14 && c.sense[2] & 0x0F == 0x0B && c.sense[12] == 0x08 && c.sense[13] == 0x00,
                "status \(c.status), sense \(c.sense.prefix(14))")
        #expect(waited >= .seconds(Self.timeout - 1) && waited < .seconds(Self.timeout + 3), "the WRITE took \(waited)")
        try CephTestCluster.control("osd-resume")
        paused = false
        var retried = try ring.one(TestCDB.rw10(0x2A, 64, 8), dataOut: data, timeoutSeconds: Double(Self.timeout * 3))
        for _ in 0..<6 where retried.status != 0 {
            Thread.sleep(forTimeInterval: 2)
            retried = try ring.one(TestCDB.rw10(0x2A, 64, 8), dataOut: data, timeoutSeconds: Double(Self.timeout * 3))
        }
        #expect(retried.status == 0)
        #expect(try ring.one(TestCDB.rw10(0x28, 64, 8), dataIn: 4096).dataIn == data)
        // The counters and the log say what happened: one outage, its failed requests, its start and end.
        let counters = try #require(RBDClusterTests.counters(device))
        let failed = counters.unavailable.load(ordering: .relaxed)
        #expect(counters.outages.load(ordering: .relaxed) == 1)
        #expect(failed >= 1)
        let lines = log.all.filter { $0.contains("emud/paused") }
        let outage = "error rbd emud/paused unavailable: store unavailable: rbd_aio_writev: Connection timed out; commands fail ABORTED COMMAND until it answers"
        #expect(lines.filter { $0 == outage }.count == 1, "\(lines)")
        #expect(lines.filter { $0 == "notice rbd emud/paused reachable again after \(failed) failed requests" }.count == 1, "\(lines)")
        print("rbd paused OSD: the WRITE failed after \(waited)")
    }
}
