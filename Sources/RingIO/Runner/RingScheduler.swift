import Foundation
import Synchronization
import SystemCalls

/// Where the daemon's rings are served: event loops (threads waiting on many rings' doorbells) and one
/// pool of storage I/O workers, so its threads stay the same however many devices it serves. A runner
/// started without a scheduler (`RingServiceLoop.start()`) has its own ring thread and workers instead.
public final class RingScheduler: Sendable {
    let loops: [RingEventLoop]
    let pool: IOWorkerPool
    /// Storage commands each ring may run at once, in place of its handler's `ioWorkerThreads`; nil: the
    /// handler's. 0 runs every command on the ring's event loop (no hand-off to a worker).
    let storageConcurrency: Int?
    /// Whether its rings serve cached reads on the event loop (`RingServiceLoop+Inline`); false with
    /// `EMUD_INLINE_READS=0` (every read with others in flight goes to a worker, as before session 12).
    let inlineReads: Bool
    /// Which writes into the page cache its loops run themselves (`InlineWritePolicy`); nil with
    /// `EMUD_INLINE_WRITE_US=0` (every write with others in flight goes to a worker, as before session 19).
    let inlineWrites: InlineWritePolicy?

    private static let instance = Mutex<RingScheduler?>(nil)

    /// The process's scheduler, made on first use: min(4, CPUs) event loops and 2 × CPUs storage workers
    /// (more, up to 64, when a handler asks for more per device, as rbd's 32); the loops poll for up to
    /// `RingPollWindow.fromEnvironment` (200 µs, or `EMUD_RING_POLL_US`) before they sleep;
    /// `EMUD_IO_WORKERS=N` (0–64) sets every ring's storage concurrency (`storageConcurrency`);
    /// `EMUD_INLINE_READS=0` turns off the loops' cached reads (`inlineReads`); `EMUD_INLINE_WRITE_US`
    /// bounds their writes into the page cache, 0 turns them off (`InlineWritePolicy.fromEnvironment`).
    /// - Throws: the errno of `epoll_create1` or `eventfd` (descriptors exhausted).
    public static func shared() throws(Errno) -> RingScheduler {
        try instance.withLock { (s: inout RingScheduler?) throws(Errno) -> RingScheduler in
            if let s { return s }
            let cpus = max(1, ProcessInfo.processInfo.activeProcessorCount)
            let environment = ProcessInfo.processInfo.environment
            let made = try RingScheduler(
                name: "shared", loops: min(4, cpus), workers: max(2, 2 * cpus), maximumWorkers: 64,
                pollWindow: .fromEnvironment(environment),
                storageConcurrency: environment["EMUD_IO_WORKERS"].flatMap { Int($0) }.map { max(0, min($0, 64)) },
                inlineReads: environment["EMUD_INLINE_READS"] != "0",
                inlineWrites: InlineWritePolicy.fromEnvironment(environment))
            s = made
            return made
        }
    }

    /// A scheduler of its own (tests, benchmarks): `loops` event loops, `workers` storage workers (more,
    /// up to `maximumWorkers`, for a ring that may run more at once); `pollWindow` 0 (the default here)
    /// sleeps right after every pass; `storageConcurrency` overrides every ring's `ioWorkers` (nil: not);
    /// `inlineReads` false keeps every ring's cached reads off the loops, `inlineWrites` nil their writes.
    public init(
        name: String, loops: Int, workers: Int, maximumWorkers: Int, pollWindow: RingPollWindow = .init(maximum: .zero),
        storageConcurrency: Int? = nil, inlineReads: Bool = true, inlineWrites: InlineWritePolicy? = InlineWritePolicy()
    ) throws(Errno) {
        var made: [RingEventLoop] = []
        for i in 0..<max(1, loops) {
            made.append(try RingEventLoop(name: "\(name) \(i)", pollWindow: pollWindow, inlineWrites: inlineWrites))
        }
        self.loops = made
        self.pool = IOWorkerPool(name: name, minimumWorkers: workers, maximumWorkers: maximumWorkers)
        self.storageConcurrency = storageConcurrency
        self.inlineReads = inlineReads
        self.inlineWrites = inlineWrites
    }

    /// Threads running now: the event loops that serve a ring (or did) and the storage workers.
    public var threadCount: Int { loops.filter(\.isRunning).count + pool.workerCount }

    /// The event loops' `epoll_wait` calls so far (each a possible sleep, and a wake-up after it).
    public var eventLoopWaits: Int { loops.reduce(0) { $0 + $1.waits.load(ordering: .relaxed) } }
    /// The passes that found a ring's commands by polling, without a wait.
    public var polledPasses: Int { loops.reduce(0) { $0 + $1.polledPasses.load(ordering: .relaxed) } }

    /// Times a loop's write into the page cache took longer than the bound and slept (closing the loop's
    /// gate), and longer without sleeping (preempted; `InlineWriteGate`).
    public var inlineWriteClosings: Int { loops.reduce(0) { $0 + ($1.writeGate?.closings.load(ordering: .relaxed) ?? 0) } }
    public var inlineWritesSlowWithoutSleep: Int {
        loops.reduce(0) { $0 + ($1.writeGate?.slowWithoutSleep.load(ordering: .relaxed) ?? 0) }
    }

    /// Whether `thread` is one of the event loops (tests: which thread ran a command).
    public func isEventLoop(_ thread: pthread_t) -> Bool {
        loops.contains { $0.thread.load(ordering: .relaxed) == UInt(thread) }
    }

    /// The loop serving the fewest rings (a new ring goes there).
    func leastBusyLoop() -> RingEventLoop {
        loops.min { $0.assigned.load(ordering: .relaxed) < $1.assigned.load(ordering: .relaxed) } ?? loops[0]
    }
}
