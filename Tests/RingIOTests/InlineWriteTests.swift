import Foundation
import Logging
import SCSIEmu
import Testing
import TestSupport

@testable import RingIO

/// Writes into the page cache on the event loop (`RingServiceLoop+Inline`, `InlineWriteGate`): a WRITE
/// the loop would hand to a worker runs on the loop while the loop's gate is open; one that takes longer
/// than the bound closes the gate for every ring of the loop, whose writes then go to the workers.
@Suite struct InlineWriteTests {
    /// A 1 MiB disk of 512-byte blocks over a `WriteCacheStore`, served on `scheduler`.
    struct Disk {
        let store: WriteCacheStore
        let kernel: SimulatedKernel
        let runner: RingServiceLoop
        let log = CapturedLog()

        init(_ name: String, on scheduler: RingScheduler) throws {
            store = try WriteCacheStore(size: 1 << 20)
            var c = BlockDeviceConfiguration()
            c.blockSize = 512
            c.maxTransferBlocks = 256
            kernel = try SimulatedKernel(ringSize: 64 * 1024 - 128, dataAreaSize: 512 * 1024)
            runner = RingServiceLoop(
                name: name, device: try BlockDevice(store: store, configuration: c), ring: try kernel.makeRing(),
                doorbell: kernel.doorbell, ioWorkers: 2, scheduler: scheduler, logger: log.logger(level: .info))
            runner.start()
        }

        /// WRITE(16)s of `pages` 4 KiB pages each at page `first`, `first + pages`, … (`count` of them,
        /// one batch); expects each GOOD once and its bytes in the store. Returns whether each ran on
        /// an event loop of `scheduler`, in submission order.
        func write(
            _ count: Int, from first: Int = 0, pages: Int = 1, fua: Bool = false, on scheduler: RingScheduler
        ) throws -> [Bool] {
            let offsets = (0..<count).map { UInt64((first + $0 * pages) * 4096) }
            for (i, o) in offsets.enumerated() {
                try kernel.submit(
                    cdb: TestCDB.write16(lba: o / 512, blocks: UInt32(pages * 8), fua: fua),
                    dataOut: TestPattern.bytes(pages * 4096, seed: UInt8(first + i)), notify: false)
            }
            kernel.notifyUser()
            let done = try kernel.collect(count, within: 10_000)
            #expect(done.count == count && done.allSatisfy { $0.status == 0 }, "\(done.map { ($0.status, $0.sense.prefix(18)) })")
            for (i, o) in offsets.enumerated() {
                let back = OwnedDataBuffer(count: pages * 4096)
                try withExtendedLifetime(back) { try store.inner.read(into: back.view, 0..<(pages * 4096), at: o) }
                let same = back.bytes == TestPattern.bytes(pages * 4096, seed: UInt8(first + i))
                #expect(same, "write \(i)")
            }
            #expect(kernel.brokenReason == nil && kernel.commandsInFlight == 0)
            return offsets.map { o in store.writer(at: o).map { scheduler.isEventLoop($0) } ?? false }
        }
    }

    /// One loop, two workers; a write over 5 ms closes the gate for a minute (longer than any test).
    static func scheduler(_ policy: InlineWritePolicy? = InlineWritePolicy(bound: .milliseconds(5), firstPause: .seconds(60)))
        throws -> RingScheduler
    {
        try RingScheduler(name: "w", loops: 1, workers: 2, maximumWorkers: 2, inlineWrites: policy)
    }

    @Test func writesWithOthersInFlightRunOnTheLoop() throws {
        let scheduler = try Self.scheduler()
        let disk = try Disk("a", on: scheduler)
        defer { disk.runner.stop() }
        #expect(try disk.write(4, on: scheduler) == [true, true, true, true])
        #expect(scheduler.inlineWriteClosings == 0)
    }

    /// FUA writes must reach the medium, and writes over 64 KiB would hold the loop up copying: workers.
    @Test func durableAndLargeWritesGoToTheWorkers() throws {
        let scheduler = try Self.scheduler()
        let disk = try Disk("a", on: scheduler)
        defer { disk.runner.stop() }
        #expect(try disk.write(2, fua: true, on: scheduler) == [false, false])
        #expect(try disk.write(2, from: 2, pages: 17, on: scheduler) == [false, false])
        #expect(try disk.write(2, from: 40, pages: 16, on: scheduler) == [true, true])
    }

    @Test func offSendsEveryWriteToTheWorkers() throws {
        let scheduler = try Self.scheduler(nil)
        let disk = try Disk("a", on: scheduler)
        defer { disk.runner.stop() }
        #expect(try disk.write(4, on: scheduler) == [false, false, false, false])
    }

    /// Ring A's first write waits 30 ms on the loop: the gate closes, A's next write and then ring B's go
    /// to the workers, while the loop goes on serving both rings.
    @Test func aWriteThatWaitsSendsEveryRingsWritesOfTheLoopToTheWorkers() throws {
        let scheduler = try Self.scheduler()
        let a = try Disk("a", on: scheduler), b = try Disk("b", on: scheduler)
        defer {
            a.runner.stop()
            b.runner.stop()
        }
        #expect(try b.write(2, on: scheduler) == [true, true])
        a.store.writeDelayMilliseconds.store(30, ordering: .relaxed)
        #expect(try a.write(2, on: scheduler) == [true, false])
        #expect(scheduler.inlineWriteClosings == 1)
        let said = a.log.all.filter { $0.contains("a write waited") }
        #expect(said.count == 1 && said[0].hasSuffix("writes go to the workers for 60.0 seconds"), "\(said)")
        a.store.writeDelayMilliseconds.store(0, ordering: .relaxed)
        #expect(try b.write(2, from: 4, on: scheduler) == [false, false])
        #expect(try a.write(2, from: 4, on: scheduler) == [false, false])
        #expect(scheduler.inlineWriteClosings == 1)
    }

    /// A write as slow that never slept (spinning for 20 ms, as a write the scheduler preempted) leaves
    /// the gate open: the loop would have been held up with the write on a worker too.
    @Test func aSlowWriteThatDidNotSleepLeavesTheGateOpen() throws {
        let scheduler = try Self.scheduler()
        let a = try Disk("a", on: scheduler)
        defer { a.runner.stop() }
        // Warm: the first run of a path may fault its code or data in from the disk, which sleeps.
        #expect(try a.write(2, on: scheduler) == [true, true])
        a.store.writeSpinMilliseconds.store(20, ordering: .relaxed)
        // Under ThreadSanitizer (`make tsan` sets TSAN_OPTIONS) the loop sometimes sleeps inside the write
        // (1 run in 6 there, 0 in 12 without it, 2026-12-08; the runtime's own locks, which every thread of
        // the parallel tests takes, the likely cause): the gate then rightly closes.
        let onLoop = try a.write(2, from: 2, on: scheduler)
        withKnownIssue("the sanitizer's runtime put the loop to sleep mid-write", isIntermittent: true) {
            #expect(onLoop == [true, true])
            #expect(scheduler.inlineWriteClosings == 0 && scheduler.inlineWritesSlowWithoutSleep == 2)
            #expect(!a.log.all.contains { $0.contains("a write waited") })
        } when: {
            ProcessInfo.processInfo.environment["TSAN_OPTIONS"] != nil
        }
    }

    /// The pause doubles while writes keep waiting within a pause of the reopening, up to the longest,
    /// and starts again from the first after a quiet spell.
    @Test func thePauseDoublesWhileWritesKeepWaiting() {
        let ms: UInt64 = 1_000_000
        let gate = InlineWriteGate(policy: InlineWritePolicy(firstPause: .milliseconds(10), longestPause: .milliseconds(40)))
        #expect(gate.isOpen(at: 1000 * ms))
        gate.close(at: 1000 * ms)
        #expect(gate.currentPause == .milliseconds(10))
        #expect(!gate.isOpen(at: 1009 * ms) && gate.isOpen(at: 1010 * ms))
        gate.close(at: 1015 * ms)  // 5 ms after it reopened
        #expect(gate.currentPause == .milliseconds(20) && !gate.isOpen(at: 1034 * ms) && gate.isOpen(at: 1035 * ms))
        gate.close(at: 1036 * ms)
        gate.close(at: 1060 * ms)
        #expect(gate.currentPause == .milliseconds(40))  // not 80: the longest
        gate.close(at: 1200 * ms)  // 140 ms later, past twice the pause: a new spell
        #expect(gate.currentPause == .milliseconds(10) && gate.closings.load(ordering: .relaxed) == 5)
        #expect(InlineWriteGate(policy: InlineWritePolicy()).admit(bytes: (64 << 10) + 1) == nil)  // too large
        #expect(InlineWriteGate(policy: InlineWritePolicy()).admit(bytes: 64 << 10) != nil)
    }

    @Test func theEnvironmentSetsTheBoundOrTurnsThemOff() {
        #expect(InlineWritePolicy.fromEnvironment([:]) == InlineWritePolicy())
        #expect(InlineWritePolicy.fromEnvironment(["EMUD_INLINE_WRITE_US": "250"])?.bound == .microseconds(250))
        #expect(InlineWritePolicy.fromEnvironment(["EMUD_INLINE_WRITE_US": "0"]) == nil)
    }
}
