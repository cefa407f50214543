import Foundation
import Logging
import RingIO
import SCSIEmu
import TestSupport
import Testing

/// Many rings on one `RingScheduler` (the daemon's layout): a fixed set of threads serves them all, every
/// command completes with its own data, a stop leaves nothing running, and a command a fault rule held is
/// released when the rule is cleared although the event loop sleeps without a timeout.
@Suite struct SharedSchedulerTests {
    @Test func sixteenRingsOnOneLoopAndTwoWorkers() throws {
        let scheduler = try RingScheduler(name: "test", loops: 1, workers: 2, maximumWorkers: 2)
        let log = CapturedLog()
        var kernels: [SimulatedKernel] = []
        var runners: [RingServiceLoop] = []
        for i in 0..<16 {
            let k = try SimulatedKernel(ringSize: 64 * 1024 - 128, dataAreaSize: 256 * 1024)
            let r = RingServiceLoop(
                name: "tiny\(i)", device: TinyDevice(slowLBA: i == 0 ? 0 : nil), ring: try k.makeRing(),
                doorbell: k.doorbell, ioWorkers: 2, scheduler: scheduler, logger: log.logger(level: .info))
            r.start()
            kernels.append(k)
            runners.append(r)
        }
        // One loop and two workers, whatever the number of rings (a runner of its own has 1 + 2 threads).
        #expect(scheduler.threadCount == 3)
        var lbaOf: [[UInt16: UInt32]] = Array(repeating: [:], count: 16)
        for (d, k) in kernels.enumerated() {
            for lba: UInt32 in 0..<8 {
                lbaOf[d][try k.submit(cdb: TestCDB.read10(lba: lba, blocks: 2), dataInLength: 1024, notify: false)] = lba
            }
            k.notifyUser()
        }
        var done: [[SimulatedKernel.Completion]] = Array(repeating: [], count: 16)
        for _ in 0..<400 where done.contains(where: { $0.count < 8 }) {
            for (d, k) in kernels.enumerated() where done[d].count < 8 {
                _ = k.waitForCompletions(timeoutMilliseconds: 5)
                done[d] += try k.reap()
            }
        }
        for r in runners { r.stop() }
        for d in 0..<16 {
            #expect(Set(done[d].map(\.id)) == Set(lbaOf[d].keys))
            for c in done[d] {
                let lba = try #require(lbaOf[d][c.id])
                #expect(c.status == 0 && c.dataIn == TinyDevice.pattern(lba: UInt64(lba), blocks: 2))
            }
            #expect(kernels[d].brokenReason == nil && kernels[d].commandsInFlight == 0)
        }
        #expect(scheduler.threadCount == 3)
    }

    @Test func aHeldCommandIsReleasedWhenItsRuleIsClearedOnASharedLoop() throws {
        let scheduler = try RingScheduler(name: "test", loops: 1, workers: 1, maximumWorkers: 1)
        var c = BlockDeviceConfiguration()
        c.blockSize = 512
        let device = try BlockDevice(store: try MemoryStore(size: 1 << 20), configuration: c)
        let kernel = try SimulatedKernel()
        let log = CapturedLog()
        let runner = RingServiceLoop(
            name: "held", device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell, ioWorkers: 1,
            scheduler: scheduler, logger: log.logger(level: .info))
        runner.start()
        defer { runner.stop() }
        try device.unit.faults.add(try FaultRuleParser.parse(["hang", "on=read", "times=1"]))
        let held = try kernel.submit(cdb: TestCDB.read10(lba: 0, blocks: 1), dataInLength: 512)
        var done: [SimulatedKernel.Completion] = []
        for _ in 0..<20 {
            _ = kernel.waitForCompletions(timeoutMilliseconds: 10)
            done += try kernel.reap()
        }
        #expect(done.isEmpty)
        _ = try device.unit.faults.clear()
        // Nothing rings the doorbell now: the loop's 20 ms look at held commands must find it.
        for _ in 0..<200 where done.isEmpty {
            _ = kernel.waitForCompletions(timeoutMilliseconds: 10)
            done += try kernel.reap()
        }
        #expect(done.map { [Int($0.id), Int($0.status)] } == [[Int(held), 0]])
    }
}
