import Foundation
import Synchronization
import SystemCalls

/// One thread serving many rings: it waits in `epoll` on every registered ring's doorbell descriptor and,
/// when one becomes readable (the kernel queued entries), acknowledges it and services that ring (drain,
/// run or queue the commands, complete, publish, doorbell). Storage commands go to the rings' worker pool,
/// so the loop itself only runs the quick ones (and a device's lone command: `RingServiceLoop+Batch`).
/// After a pass it polls the rings it served for a short adaptive window (`RingPollWindow`) before it
/// sleeps, so a busy device is not woken per command; each poll that finds commands is followed by a
/// look (no wait) at the other rings' doorbells, so polled rings cannot keep the others waiting. An idle
/// ring costs no thread and no wake-up: the wait has no timeout, except while some ring holds commands
/// for a fault rule (then every 20 ms, to release those whose rule was cleared, as a ring thread's 20 ms
/// poll did).
///
/// `register` services the ring once (entries queued before it was registered); after `unregister`
/// returns, the loop never touches that ring again.
final class RingEventLoop: @unchecked Sendable {
    /// A registered ring; `open` is held while the loop services it, so `unregister` waits for a pass in
    /// progress and no pass starts after it.
    private final class Registration: Sendable {
        let runner: RingServiceLoop
        let open = Mutex<Bool>(true)
        /// The loop's gate for writes into the page cache (`InlineWriteGate`).
        let writeGate: InlineWriteGate?

        init(runner: RingServiceLoop, writeGate: InlineWriteGate?) {
            self.runner = runner
            self.writeGate = writeGate
        }

        /// Services the ring (unless unregistered); returns the entries it read.
        @discardableResult
        func service(acknowledging: Bool) -> Int {
            open.withLock { open in
                guard open else { return 0 }
                if acknowledging { runner.doorbell.acknowledge() }
                return runner.serviceRing(writeGate: writeGate)
            }
        }
    }

    static let holdPollMilliseconds: Int32 = 20
    /// The token of the loop's own eventfd (a new hold).
    private static let wakeToken: UInt64 = 0

    let name: String
    private let epoll: FileDescriptor
    private let wakeup: FileDescriptor
    private let registrations = Mutex<[UInt64: Registration]>([:])
    private let nextToken = Atomic<UInt64>(1)
    /// Whether the thread runs (it starts with the first ring and lives as long as the process).
    private let started = Mutex<Bool>(false)
    /// Rings assigned to this loop (`RingScheduler` gives a new ring to the loop with the fewest).
    let assigned = Atomic<Int>(0)
    /// The adaptive window of polling the rings just served before sleeping (`RingPollWindow`).
    let pollWindow: RingPollWindow
    /// `epoll_wait` calls (each a possible sleep and wake-up) and passes that found their ring's
    /// commands by polling instead (the figures; tests).
    let waits = Atomic<Int>(0)
    let polledPasses = Atomic<Int>(0)
    /// The loop's thread (0 until it runs).
    let thread = Atomic<UInt>(0)
    /// Whether its rings' writes into the page cache run on it now (shared by them: what makes a write
    /// wait is the system's dirty-page state, not one file's); nil: never.
    let writeGate: InlineWriteGate?

    init(name: String, pollWindow: RingPollWindow, inlineWrites: InlineWritePolicy?) throws(Errno) {
        self.name = name
        self.pollWindow = pollWindow
        self.writeGate = inlineWrites.map(InlineWriteGate.init)
        epoll = try .eventPoll()
        wakeup = try .eventCounter(nonBlocking: true)
        try epoll.addToPoll(wakeup.rawValue, token: Self.wakeToken)
    }

    /// Starts serving `runner`'s ring (and the loop's thread, the first time); returns the token that
    /// `unregister` takes.
    func register(_ runner: RingServiceLoop) -> UInt64 {
        startThread()
        let token = nextToken.add(1, ordering: .relaxed).oldValue
        let r = Registration(runner: runner, writeGate: writeGate)
        registrations.withLock {
            $0[token] = r
            Self.noteSharing($0)
        }
        assigned.add(1, ordering: .relaxed)
        do { try epoll.addToPoll(runner.doorbell.descriptor, token: token) } catch {
            runner.logger.error("ring not watched (epoll_ctl: \(error)): served only when another ring wakes the loop")
        }
        r.service(acknowledging: true)
        return token
    }

    /// Stops serving the ring of `token`; returns once no pass over it runs or can start.
    func unregister(_ token: UInt64) {
        guard let r = registrations.withLock({ (all: inout [UInt64: Registration]) -> Registration? in
            defer { Self.noteSharing(all) }
            return all.removeValue(forKey: token)
        }) else { return }
        try? epoll.removeFromPoll(r.runner.doorbell.descriptor)
        r.open.withLock { $0 = false }
        assigned.subtract(1, ordering: .relaxed)
    }

    /// Tells each ring whether it shares this loop with another (`RingServiceLoop.sharesLoop`): a lone
    /// command runs on the loop only for a ring served alone, since while it runs no other ring of the
    /// loop is served (an uncached read from a disk holds the loop for milliseconds).
    private static func noteSharing(_ all: [UInt64: Registration]) {
        for r in all.values { r.runner.sharesLoop.store(all.count > 1, ordering: .relaxed) }
    }

    /// Whether the thread was started (by the first `register`).
    var isRunning: Bool { started.withLock { $0 } }

    /// Wakes the loop so it looks at held commands (a fault rule just held one).
    func noteHeld() { try? wakeup.writeInteger(UInt64(1)) }

    private func startThread() {
        started.withLock { started in
            guard !started else { return }
            let th = Thread { [self] in run() }
            th.name = "ring \(name)"
            th.start()
            started = true
        }
    }

    private func run() {
        thread.store(UInt(pthread_self()), ordering: .relaxed)
        Syscalls.nameThisThread("ring \(name)")
        var tokens = [UInt64](repeating: 0, count: 64)
        var watchingHolds = false
        var window = pollWindow
        // The rings the last pass read entries from (polled before sleeping), and the poll's scratch.
        var served: [Registration] = []
        var scratch: [Registration] = []
        while true {
            let n: Int
            if !served.isEmpty, window.current > .zero, poll(&served, scratch: &scratch, for: window.current) {
                polledPasses.add(1, ordering: .relaxed)
                // Polled rings find new commands as fast as their completions go out, so without a look at
                // the other rings' doorbells (no wait) a few busy rings would keep the rest waiting (256
                // disks: 72 served at 50 IOPS, 150 at 19; docs/performance.md, session 17).
                guard assigned.load(ordering: .relaxed) > 1 else { continue }
                n = (try? epoll.waitForPoll(into: &tokens, timeoutMilliseconds: 0)) ?? 0
            } else {
                served.removeAll(keepingCapacity: true)
                waits.add(1, ordering: .relaxed)
                let asleep = ContinuousClock.now
                n = (try? epoll.waitForPoll(into: &tokens, timeoutMilliseconds: watchingHolds ? Self.holdPollMilliseconds : -1)) ?? 0
                writeGate?.forgetSleeps()  // the wait may have slept: not a write's sleep
                window.pollMissed(thenSlept: ContinuousClock.now - asleep)
            }
            var woken = false
            for i in 0..<n {
                if tokens[i] == Self.wakeToken {
                    _ = try? wakeup.readInteger(as: UInt64.self)
                    woken = true
                } else if let r = registrations.withLock({ $0[tokens[i]] }), r.service(acknowledging: true) > 0,
                    !served.contains(where: { $0 === r })
                {
                    served.append(r)
                }
            }
            if watchingHolds || woken { watchingHolds = serviceHolders() }
        }
    }

    /// Looks at `cmd_head` of the rings in `served` until one has entries or `window` passed, and
    /// services those that have; true when it found some (`served` is then the rings it served).
    /// Between looks the thread yields, so a storage worker or the initiator on the same CPU runs first.
    private func poll(_ served: inout [Registration], scratch: inout [Registration], for window: Duration) -> Bool {
        let deadline = ContinuousClock.now + window
        while true {
            scratch.removeAll(keepingCapacity: true)
            for r in served where r.runner.ring.hasPendingEntries {
                if r.service(acknowledging: true) > 0 { scratch.append(r) }
            }
            if !scratch.isEmpty {
                swap(&served, &scratch)
                return true
            }
            if ContinuousClock.now >= deadline { return false }
            sched_yield()
        }
    }

    /// Services the rings that hold commands (releasing those whose rule was cleared); true while any
    /// still holds some.
    private func serviceHolders() -> Bool {
        let holders = registrations.withLock { m in m.values.filter { $0.runner.deferred.hasHeld } }
        for r in holders { r.service(acknowledging: false) }
        return holders.contains { $0.runner.deferred.hasHeld }
    }
}
