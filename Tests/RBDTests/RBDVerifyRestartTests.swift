import Foundation
import RingIO
import SCSIEmu
import Synchronization
import Testing
import TestSupport

/// A verify run (1 MiB READs over the whole image, again and again) while the OSD is stopped and started
/// under it: every READ either returns exactly the written bytes or fails ABORTED COMMAND / LOGICAL UNIT
/// COMMUNICATION FAILURE within osd_op_timeout; the initiator's retry of the same READ succeeds once the
/// OSD is back, without reopening anything.
@Suite("rbd verify run across an OSD restart", .serialized, .enabled(if: CephTestCluster.available, "needs EMUD_CEPH_CONF (make ceph-test)"))
struct RBDVerifyRestartTests {
    static let blocks = 131072  // 64 MiB of 512-byte blocks: more than librbd's 32 MiB cache holds
    static let chunk = 2048  // 1 MiB per READ
    static let timeout = 5

    /// What the OSD controller thread has done: 0 nothing, 1 stopped the OSD, 2 started it again.
    final class Phase: Sendable {
        let value = Atomic<Int>(0)
        let verifying = Atomic<Bool>(false)
    }

    @Test("READs fail retryably within osd_op_timeout while the OSD is down, then verify again")
    func verifyAcrossRestart() throws {
        let name = "verify"
        try CephTestCluster.createImage(name, bytes: UInt64(Self.blocks) * 512)
        let config = CephTestCluster.configString(image: name, osdOpTimeout: Self.timeout)
        let device = try RBDHandler().open(CephTestCluster.parameters(config, size: UInt64(Self.blocks) * 512))
        let ring = try RingDriver(device: device, ioWorkers: RBDHandler().ioWorkerThreads)
        defer { ring.stop(); device.close(); CephTestCluster.removeImage(name) }

        let began = ContinuousClock.now
        // The image's content: 64 writes of 1 MiB, 4 in flight (the simulated ring's data area is 8 MiB).
        var model: [UInt8] = []
        for group in 0..<(Self.blocks / Self.chunk / 4) {
            var batch: [(cdb: [UInt8], dataOut: [UInt8]?, dataIn: Int)] = []
            for i in 0..<4 {
                let n = group * 4 + i
                let data = TestPattern.bytes(Self.chunk * 512, seed: UInt8(n))
                model += data
                batch.append((TestCDB.rw10(0x2A, UInt32(n * Self.chunk), UInt16(Self.chunk)), data, 0))
            }
            #expect(try ring.run(batch).allSatisfy { $0.status == 0 })
        }

        // The OSD controller: once the verify runs, stops the OSD for 2 × osd_op_timeout, starts it.
        let phase = Phase()
        let controller = Thread {
            while !phase.verifying.load(ordering: .acquiring) { Thread.sleep(forTimeInterval: 0.02) }
            Thread.sleep(forTimeInterval: 0.5)
            try? CephTestCluster.control("osd-stop")
            phase.value.store(1, ordering: .releasing)
            Thread.sleep(forTimeInterval: Double(Self.timeout * 2))
            try? CephTestCluster.control("osd-start")
            phase.value.store(2, ordering: .releasing)
        }
        controller.start()
        defer { if phase.value.load(ordering: .acquiring) < 2 { try? CephTestCluster.control("osd-start") } }

        // The verify: passes over the image until one that started after the OSD was back had no failure.
        var failures = 0, reads = 0, passes = 0
        var slowest = Duration.zero
        let deadline = ContinuousClock.now + .seconds(180)
        print("rbd verify: image written in \(ContinuousClock.now - began)")
        phase.verifying.store(true, ordering: .releasing)
        verifying: while ContinuousClock.now < deadline {
            let startedAfterRestart = phase.value.load(ordering: .acquiring) == 2
            var clean = true
            for n in 0..<(Self.blocks / Self.chunk) {
                while true {
                    let start = ContinuousClock.now
                    let c = try ring.one(
                        TestCDB.rw10(0x28, UInt32(n * Self.chunk), UInt16(Self.chunk)), dataIn: Self.chunk * 512,
                        timeoutSeconds: Double(Self.timeout * 3))
                    slowest = max(slowest, ContinuousClock.now - start)
                    reads += 1
                    if c.status == 0 {
                        // Array == runs in the optimized standard library; the byte-by-byte search (slow in a
                        // debug build) only when they differ.
                        let expected = Array(model[(n * Self.chunk * 512)..<((n + 1) * Self.chunk * 512)])
                        if c.dataIn == expected { break }
                        let first = zip(c.dataIn, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                        Issue.record("READ of LBA \(n * Self.chunk): bytes differ at \(first.map { n * Self.chunk * 512 + $0 } ?? -1) (\(c.dataIn.count) bytes read)")
                        break verifying
                    }
                    // The initiator's view: CHECK CONDITION, ABORTED COMMAND / 08h 00h, retried.
                    #expect(c.status == 2 && c.sense.count >= 14 && c.sense[2] & 0x0F == 0x0B && c.sense[12] == 0x08 && c.sense[13] == 0x00,
                            "status \(c.status), sense \(c.sense.prefix(14))")
                    if c.status != 2 { break verifying }
                    failures += 1
                    clean = false
                    Thread.sleep(forTimeInterval: 0.2)
                }
            }
            passes += 1
            if startedAfterRestart && clean { break }
        }
        while phase.value.load(ordering: .acquiring) < 2 { Thread.sleep(forTimeInterval: 0.1) }
        print("rbd verify across an OSD restart: \(ContinuousClock.now - began) in all, \(passes) passes, \(reads) READs, \(failures) failed retryably, slowest \(slowest)")
        #expect(ContinuousClock.now < deadline, "no clean verify pass within 180 s")
        #expect(failures > 0, "no READ failed while the OSD was down")
        // A failed READ ends within osd_op_timeout (librados's own timer) plus the ring's hand-off.
        #expect(slowest < .seconds(Self.timeout + 3), "slowest READ \(slowest)")
        let counters = (device as? BlockDevice).flatMap { $0.store as? RBDStore }?.counters
        #expect((counters?.outages.load(ordering: .relaxed) ?? 0) >= 1)
        #expect((counters?.unavailable.load(ordering: .relaxed) ?? 0) >= UInt64(failures))
    }
}
