import Foundation
import Synchronization
import SystemCalls

/// Where the daemon's rings are served: event loops (threads waiting on many rings' doorbells) and one
/// pool of storage I/O workers, so its threads stay the same however many devices it serves. A runner
/// started without a scheduler (`RingServiceLoop.start()`) has its own ring thread and workers instead.
public final class RingScheduler: Sendable {
    let loops: [RingEventLoop]
    let pool: IOWorkerPool

    private static let instance = Mutex<RingScheduler?>(nil)

    /// The process's scheduler, made on first use: min(4, CPUs) event loops and 2 × CPUs storage workers
    /// (more, up to 64, when a handler asks for more per device, as rbd's 32).
    /// - Throws: the errno of `epoll_create1` or `eventfd` (descriptors exhausted).
    public static func shared() throws(Errno) -> RingScheduler {
        try instance.withLock { (s: inout RingScheduler?) throws(Errno) -> RingScheduler in
            if let s { return s }
            let cpus = max(1, ProcessInfo.processInfo.activeProcessorCount)
            let made = try RingScheduler(name: "shared", loops: min(4, cpus), workers: max(2, 2 * cpus), maximumWorkers: 64)
            s = made
            return made
        }
    }

    /// A scheduler of its own (tests, benchmarks): `loops` event loops, `workers` storage workers (more,
    /// up to `maximumWorkers`, for a ring that may run more at once).
    public init(name: String, loops: Int, workers: Int, maximumWorkers: Int) throws(Errno) {
        var made: [RingEventLoop] = []
        for i in 0..<max(1, loops) { made.append(try RingEventLoop(name: "\(name) \(i)")) }
        self.loops = made
        self.pool = IOWorkerPool(name: name, minimumWorkers: workers, maximumWorkers: maximumWorkers)
    }

    /// Threads running now: the event loops that serve a ring (or did) and the storage workers.
    public var threadCount: Int { loops.filter(\.isRunning).count + pool.workerCount }

    /// The loop serving the fewest rings (a new ring goes there).
    func leastBusyLoop() -> RingEventLoop {
        loops.min { $0.assigned.load(ordering: .relaxed) < $1.assigned.load(ordering: .relaxed) } ?? loops[0]
    }
}
