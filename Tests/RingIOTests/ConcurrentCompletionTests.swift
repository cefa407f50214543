import Dispatch
import Foundation
import Logging
import RingIO
import SystemCalls
import Testing
import TestSupport

/// Out-of-order completions written by several threads while the ring thread drains and publishes: the
/// path `make tsan` must see as race-free (issue 13: ThreadSanitizer clean in RingIO). Each test also
/// checks the result, so it fails without a sanitizer too when a completion is lost, doubled or written
/// into the wrong slot (the simulated kernel calls the ring broken).
@Suite struct ConcurrentCompletionTests {
    static let commands = 3000
    static let workers = 3

    /// `MappedRing` alone: one ring thread drains and publishes, three completer threads write OOOC
    /// completions one at a time (each followed by a publish), the test thread plays the kernel. A small
    /// ring wraps (PAD entries) many times.
    @Test func completersRaceTheRingThreadOnOneRing() throws {
        let kernel = try SimulatedKernel(ringSize: 4096 - 128, dataAreaSize: 64 * 1024)
        let ring = try kernel.makeRing()
        let handoff = Handoff()
        let stop = StopFlag()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            var items: [RingItem] = []
            while !stop.isSet {
                if kernel.doorbell.wait(timeoutMilliseconds: 1) { kernel.doorbell.acknowledge() }
                items.removeAll(keepingCapacity: true)
                ring.drain(into: &items)
                var batch: [(id: UInt16, slot: UInt32)] = []
                for case let .command(c) in items { batch.append((c.id, c.slot)) }
                handoff.push(batch)
                if ring.publish() { kernel.doorbell.notifyKernel() }
            }
        }
        for _ in 0..<Self.workers {
            DispatchQueue.global().async(group: group) {
                while let (id, slot) = handoff.take() {
                    ring.complete(RingCompletion(id: id, status: .good), slot: slot)
                    _ = ring.commandsInFlight
                    if ring.publish() { kernel.doorbell.notifyKernel() }
                }
            }
        }
        let reaped = try Self.playKernel(kernel, cdb: testUnitReady, dataInLength: 0)
        stop.set()
        handoff.close()
        group.wait()
        #expect(reaped.count == Self.commands)
        #expect(reaped.allSatisfy { $0.status == 0 && !$0.unknownOperation })
        #expect(kernel.brokenReason == nil && kernel.commandsInFlight == 0 && ring.commandsInFlight == 0)
        #expect(kernel.padsWritten > 0, "the ring wrapped")
    }

    /// The runner as the daemon runs it: the ring thread and three I/O workers (READs are storage I/O),
    /// each worker completing and publishing per take while the ring thread drains, completes TEST UNIT
    /// READYs itself and publishes.
    @Test func runnerWithThreeWorkersUnderAStreamOfCommands() throws {
        let h = try Harness(ringSize: 8192 - 128, ioWorkers: Self.workers)
        h.runner.start()
        let reaped = try Self.playKernel(h.kernel, cdbs: { i in
            i % 3 == 0 ? (testUnitReady, 0) : (TestCDB.read10(lba: UInt32(i % 64), blocks: 1), 512)
        })
        h.runner.stop()
        #expect(reaped.count == Self.commands)
        #expect(reaped.allSatisfy { $0.status == 0 && $0.residual == 0 })
        #expect(reaped.filter { $0.dataIn.count == 512 }.count == Self.commands - (Self.commands + 2) / 3)
        #expect(h.kernel.brokenReason == nil && h.kernel.commandsInFlight == 0)
    }

    /// Submits `commands` CDBs as fast as the ring takes them (never more than it holds), reaping as
    /// completions arrive; returns every completion. Fails after 60 s without progress.
    static func playKernel(
        _ kernel: SimulatedKernel, cdb: [UInt8], dataInLength: Int
    ) throws -> [SimulatedKernel.Completion] {
        try playKernel(kernel, cdbs: { _ in (cdb, dataInLength) })
    }

    static func playKernel(
        _ kernel: SimulatedKernel, cdbs: (Int) -> (cdb: [UInt8], dataInLength: Int)
    ) throws -> [SimulatedKernel.Completion] {
        var reaped: [SimulatedKernel.Completion] = []
        var submitted = 0
        var lastProgress = ContinuousClock.now
        while reaped.count < commands {
            var queued = 0
            while submitted < commands {
                let (cdb, length) = cdbs(submitted)
                do throws(SimulatedKernel.Failure) {
                    try kernel.submit(cdb: cdb, dataInLength: length, notify: false)
                } catch .ringFull, .dataAreaFull {
                    break
                }
                submitted += 1
                queued += 1
            }
            if queued > 0 { kernel.notifyUser() }
            _ = kernel.waitForCompletions(timeoutMilliseconds: 2)
            let new = try kernel.reap()
            if !new.isEmpty { lastProgress = .now }
            reaped += new
            try #require(ContinuousClock.now - lastProgress < .seconds(60), "no completion for 60 s")
        }
        return reaped
    }
}

/// The FIFO between the ring thread and the completer threads of `completersRaceTheRingThreadOnOneRing`.
private final class Handoff: Sendable {
    private struct State {
        var slots: [(id: UInt16, slot: UInt32)] = []
        var front = 0
        var closed = false
    }
    private let state = PthreadMutex(State())

    func push(_ batch: [(id: UInt16, slot: UInt32)]) {
        guard !batch.isEmpty else { return }
        state.withLock { $0.slots += batch }
    }

    /// The oldest queued command, waiting while none is queued; nil once closed.
    func take() -> (id: UInt16, slot: UInt32)? {
        while true {
            let next: (id: UInt16, slot: UInt32)?? = state.withLock { s in
                if s.front < s.slots.count {
                    defer { s.front += 1 }
                    return s.slots[s.front]
                }
                return s.closed ? .some(nil) : nil
            }
            if let next { return next }
            sched_yield()
        }
    }

    func close() { state.withLock { $0.closed = true } }
}

private final class StopFlag: Sendable {
    private let flag = PthreadMutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}
