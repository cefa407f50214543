import Foundation
import Synchronization

/// One ring's storage commands waiting for the `IOWorkerPool` it belongs to: FIFO, abortable. Its state
/// (`jobs`, `front`, `running`, `isReady`) is guarded by the pool's lock and touched only by the pool.
final class WorkQueue: @unchecked Sendable {
    /// The most commands one worker takes at once: small takes spread a burst over the workers, and each
    /// take ends with one publish and one doorbell.
    static let takeLimit = 4
    /// A take also ends once its commands move this many bytes: the take's commands complete together,
    /// so four 1 MiB reads in one take would hold the first three's completions (and the initiator's
    /// next commands) until the fourth is read, while the kernel's copy of a completed read's data and
    /// the worker's next read could overlap.
    static let takeBytes = 128 * 1024

    let pool: IOWorkerPool
    /// The most workers serving this queue at once.
    let concurrency: Int
    /// The runner whose commands these are (weak: the runner owns the queue); set when it starts.
    weak var runner: RingServiceLoop?
    var jobs: [RingCommand] = []
    var front = 0
    var running = 0
    var isReady = false
    /// Commands queued or running (read without the lock: the ring thread runs a device's lone command
    /// itself when nothing else of it is in flight, `RingServiceLoop+Batch`).
    let outstanding = Atomic<Int>(0)

    init(pool: IOWorkerPool, concurrency: Int) {
        self.pool = pool
        self.concurrency = max(1, concurrency)
    }

    var hasJobs: Bool { front < jobs.count }

    /// Whether none of this queue's commands is queued or running.
    var isIdle: Bool { outstanding.load(ordering: .acquiring) == 0 }

    /// Takes up to `takeLimit` commands, fewer when their data reaches `takeBytes` (at least one; the
    /// caller holds the pool's lock and has checked `hasJobs`).
    func take() -> ArraySlice<RingCommand> {
        let end = Self.takeEnd(jobs, from: front)
        let slice = jobs[front..<end]
        front = end
        if front == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            front = 0
        }
        return slice
    }

    /// Where the take that starts at `start` ends: after `takeLimit` commands, or after the one that
    /// brings the take's data to `takeBytes`.
    static func takeEnd(_ commands: [RingCommand], from start: Int) -> Int {
        var end = start, bytes = 0
        while end < commands.count, end - start < takeLimit, bytes < takeBytes {
            bytes += commands[end].scsi.data.count + commands[end].scsi.bidiIn.count
            end += 1
        }
        return end
    }

    /// How many takes `commands` make (a push wakes a worker for each, up to `concurrency`).
    static func takes(of commands: [RingCommand]) -> Int {
        var n = 0, start = 0
        while start < commands.count {
            start = takeEnd(commands, from: start)
            n += 1
        }
        return n
    }

    /// Queues commands for the pool's workers.
    func push(_ commands: [RingCommand]) { pool.push(commands, to: self) }

    /// Removes the queued (not yet started) commands whose ids are in `ids`, and returns them.
    func remove(ids: Set<UInt16>) -> [RingCommand] { pool.remove(ids: ids, from: self) }
}
