import Foundation
import Logging
import Synchronization
import RingIO
import SCSIEmu
import TestSupport
import Testing

/// The event loop's two ways of sparing a wake-up per command: it runs a device's lone command itself
/// when nothing else of that device is in flight (queue depth 1) instead of handing it to a worker, and it
/// polls the rings it just served for an adaptive window (`RingPollWindow`) before it sleeps.
@Suite struct LoopPollingTests {
    /// One ring on a scheduler of one loop and two workers.
    private func start(
        _ device: TinyDevice, poll: RingPollWindow, storageConcurrency: Int? = nil
    ) throws -> (RingScheduler, SimulatedKernel, RingServiceLoop) {
        let scheduler = try RingScheduler(
            name: "t", loops: 1, workers: 2, maximumWorkers: 2, pollWindow: poll, storageConcurrency: storageConcurrency)
        let kernel = try SimulatedKernel(ringSize: 64 * 1024 - 128, dataAreaSize: 256 * 1024)
        let runner = RingServiceLoop(
            name: "tiny", device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell, ioWorkers: 2,
            scheduler: scheduler, logger: CapturedLog().logger(level: .info))
        runner.start()
        return (scheduler, kernel, runner)
    }

    /// A second ring (another TinyDevice, two workers) started on `scheduler`'s loop.
    private func startSecondRing(on scheduler: RingScheduler) throws -> (SimulatedKernel, RingServiceLoop) {
        let kernel = try SimulatedKernel(ringSize: 64 * 1024 - 128, dataAreaSize: 256 * 1024)
        let runner = RingServiceLoop(
            name: "other", device: TinyDevice(), ring: try kernel.makeRing(), doorbell: kernel.doorbell,
            ioWorkers: 2, scheduler: scheduler, logger: CapturedLog().logger(level: .info))
        runner.start()
        return (kernel, runner)
    }

    @Test func aLoneCommandRunsOnTheLoopAndABatchOnTheWorkers() throws {
        let gate = DispatchSemaphore(value: 0)
        let device = TinyDevice(slowLBA: 0, gate: gate)
        let (scheduler, kernel, runner) = try start(device, poll: RingPollWindow(maximum: .zero))
        defer { runner.stop() }
        func onLoop(_ lba: UInt64) -> Bool? { device.threadOf.withLock { $0[lba] }.map { scheduler.isEventLoop($0) } }
        // Queue depth 1: the loop runs it.
        _ = try kernel.submit(cdb: TestCDB.read10(lba: 1, blocks: 1), dataInLength: 512)
        #expect(try kernel.collect(1).map(\.status) == [0])
        #expect(onLoop(1) == true)
        // Four in one batch: the workers run them, the loop none.
        for lba: UInt32 in 2...5 { _ = try kernel.submit(cdb: TestCDB.read10(lba: lba, blocks: 1), dataInLength: 512, notify: false) }
        kernel.notifyUser()
        #expect(try kernel.collect(4).map(\.status) == [0, 0, 0, 0])
        #expect((2...5).map { onLoop(UInt64($0)) } == [false, false, false, false])
        // A lone command while others of the device run (one worker's take: LBA 6, then LBA 0 held at the
        // gate): a worker runs it beside them, the loop does not wait for them. The take's completions are
        // published together after the gate, so LBA 7's is the first.
        for lba: UInt32 in [6, 0] { _ = try kernel.submit(cdb: TestCDB.read10(lba: lba, blocks: 1), dataInLength: 512, notify: false) }
        kernel.notifyUser()
        let deadline = Date().addingTimeInterval(10)
        while onLoop(6) == nil, Date() < deadline { usleep(1000) }
        #expect(onLoop(6) == false)
        let seven = try kernel.submit(cdb: TestCDB.read10(lba: 7, blocks: 1), dataInLength: 512)
        let first = try kernel.collect(1)
        #expect(first.map(\.id) == [seven] && first.map(\.status) == [0])
        #expect(onLoop(7) == false)
        gate.signal()
        #expect(try kernel.collect(2).map(\.status) == [0, 0])
        #expect(kernel.brokenReason == nil && kernel.commandsInFlight == 0)
    }

    /// The scheduler's storage concurrency 0 (`EMUD_IO_WORKERS=0`) overrides the ring's two workers: a
    /// batch runs on the loop, in order, and no worker is started.
    @Test func storageConcurrencyZeroRunsABatchOnTheLoop() throws {
        let device = TinyDevice()
        let (scheduler, kernel, runner) = try start(device, poll: RingPollWindow(maximum: .zero), storageConcurrency: 0)
        defer { runner.stop() }
        for lba: UInt32 in 2...5 { _ = try kernel.submit(cdb: TestCDB.read10(lba: lba, blocks: 1), dataInLength: 512, notify: false) }
        kernel.notifyUser()
        #expect(try kernel.collect(4).map(\.status) == [0, 0, 0, 0])
        let loopRan = (2...5).map { lba in device.threadOf.withLock { $0[UInt64(lba)] }.map { scheduler.isEventLoop($0) } }
        #expect(loopRan == [true, true, true, true])
        #expect(runner.ioWorkers == 0 && scheduler.threadCount == 1)
    }

    /// With a second ring on the same loop a lone command goes to a worker (running it on the loop would
    /// hold up the other ring for its I/O); once that ring is gone, the loop runs it again.
    @Test func aLoneCommandGoesToAWorkerWhileAnotherRingSharesTheLoop() throws {
        let device = TinyDevice()
        let (scheduler, kernel, runner) = try start(device, poll: RingPollWindow(maximum: .zero))
        defer { runner.stop() }
        let (otherKernel, other) = try startSecondRing(on: scheduler)
        func onLoop(_ lba: UInt64) -> Bool? { device.threadOf.withLock { $0[lba] }.map { scheduler.isEventLoop($0) } }
        _ = try kernel.submit(cdb: TestCDB.read10(lba: 1, blocks: 1), dataInLength: 512)
        #expect(try kernel.collect(1).map(\.status) == [0])
        #expect(onLoop(1) == false)
        other.stop()
        withExtendedLifetime(otherKernel) {}  // its ring stays mapped until the runner stopped
        _ = try kernel.submit(cdb: TestCDB.read10(lba: 2, blocks: 1), dataInLength: 512)
        #expect(try kernel.collect(1).map(\.status) == [0])
        #expect(onLoop(2) == true)
    }

    /// Thirty commands one after another (each sent when the previous completed, as fio at queue depth
    /// 1): with a window the loop finds most of them by polling `cmd_head`, without sleeping in between;
    /// without one it never does.
    @Test(arguments: [true, false]) func theLoopPollsTheRingItServedBeforeSleeping(polling: Bool) throws {
        let window = polling ? RingPollWindow(maximum: .milliseconds(100), initial: .milliseconds(50)) : RingPollWindow(maximum: .zero)
        let (scheduler, kernel, runner) = try start(TinyDevice(), poll: window)
        defer { runner.stop() }
        for lba: UInt32 in 0..<30 {
            _ = try kernel.submit(cdb: TestCDB.read10(lba: lba, blocks: 1), dataInLength: 512)
            let done = try kernel.collect(1)
            #expect(done.count == 1 && done.first?.dataIn == TinyDevice.pattern(lba: UInt64(lba), blocks: 1))
        }
        if polling {
            #expect(scheduler.polledPasses >= 20, "\(scheduler.polledPasses) of 30 found by polling")
        } else {
            #expect(scheduler.polledPasses == 0)
            #expect(scheduler.eventLoopWaits >= 30)
        }
    }

    /// Two rings on one loop with a long window: ring A is kept busy (each command sent as the previous
    /// completes, so the loop keeps finding A's next one by polling). A command for ring B completes while
    /// A is still busy, not after A goes quiet for a whole window: after every poll that found commands the
    /// loop looks at the other rings' doorbells. Without that look B waited until the feeder gave up.
    @Test func aPolledBusyRingDoesNotKeepAnotherRingWaiting() throws {
        let window = RingPollWindow(maximum: .seconds(2), initial: .seconds(2))
        let (scheduler, busyKernel, busy) = try start(TinyDevice(), poll: window)
        defer { busy.stop() }
        let (otherKernel, other) = try startSecondRing(on: scheduler)
        defer { other.stop() }
        // Warm up: the first sleep (short) opens the window; from then on A is found by polling.
        _ = try busyKernel.submit(cdb: TestCDB.read10(lba: 0, blocks: 1), dataInLength: 512)
        #expect(try busyKernel.collect(1).count == 1)
        let otherDone = Atomic<Bool>(false)
        let feeding = Atomic<Bool>(true)
        let fed = Atomic<Int>(0)
        let feederEnded = DispatchSemaphore(value: 0)
        let feeder = Thread {
            let end = Date().addingTimeInterval(10)
            var lba: UInt32 = 1
            while !otherDone.load(ordering: .acquiring), Date() < end {
                guard (try? busyKernel.submit(cdb: TestCDB.read10(lba: lba % 64, blocks: 1), dataInLength: 512)) != nil,
                    (try? busyKernel.collect(1))?.count == 1
                else { break }
                lba += 1
                fed.add(1, ordering: .relaxed)
            }
            feeding.store(false, ordering: .releasing)
            feederEnded.signal()
        }
        feeder.start()
        while fed.load(ordering: .relaxed) < 20, feeding.load(ordering: .acquiring) { usleep(1000) }
        _ = try otherKernel.submit(cdb: TestCDB.read10(lba: 3, blocks: 1), dataInLength: 512)
        let done = try otherKernel.collect(1, within: 15_000)
        let aStillBusy = feeding.load(ordering: .acquiring)
        otherDone.store(true, ordering: .releasing)
        feederEnded.wait()
        #expect(done.count == 1 && done.first?.dataIn == TinyDevice.pattern(lba: 3, blocks: 1))
        #expect(aStillBusy, "ring B was served only once ring A went quiet (\(fed.load(ordering: .relaxed)) commands of A)")
        #expect(scheduler.polledPasses >= 10, "\(scheduler.polledPasses) passes found by polling")
    }

    @Test func theWindowGrowsAfterAShortSleepAndShrinksAfterALongOne() {
        var w = RingPollWindow(maximum: .microseconds(200))
        #expect(w.current == .zero && w.initial == .microseconds(10))
        w.pollMissed(thenSlept: .microseconds(150))
        #expect(w.current == .microseconds(10))
        for _ in 0..<3 { w.pollMissed(thenSlept: .microseconds(50)) }
        #expect(w.current == .microseconds(80))
        for _ in 0..<3 { w.pollMissed(thenSlept: .microseconds(200)) }
        #expect(w.current == .microseconds(200))
        w.pollMissed(thenSlept: .milliseconds(5))
        #expect(w.current == .microseconds(100))
        for _ in 0..<3 { w.pollMissed(thenSlept: .milliseconds(5)) }
        #expect(w.current == .microseconds(12.5))
        w.pollMissed(thenSlept: .seconds(1))
        #expect(w.current == .zero)
    }

    @Test func noWindowWithoutAMaximumAndTheEnvironmentSetsIt() {
        var off = RingPollWindow(maximum: .zero)
        off.pollMissed(thenSlept: .zero)
        #expect(!off.isEnabled && off.current == .zero)
        #expect(RingPollWindow.fromEnvironment([:]).maximum == .microseconds(200))
        #expect(RingPollWindow.fromEnvironment(["EMUD_RING_POLL_US": "0"]).isEnabled == false)
        #expect(RingPollWindow.fromEnvironment(["EMUD_RING_POLL_US": "1000"]).maximum == .microseconds(1000))
        #expect(RingPollWindow.fromEnvironment(["EMUD_RING_POLL_US": "-5"]).maximum == .zero)
        #expect(RingPollWindow.fromEnvironment(["EMUD_RING_POLL_US": "x"]).maximum == .microseconds(200))
    }
}
