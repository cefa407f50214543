import Foundation
import SystemCalls

/// Storage I/O threads shared by the rings of many devices, so that threads do not grow with devices: each
/// ring queues its storage commands on its own `WorkQueue`, and a worker takes the next queue that has work
/// (round robin over the queues, at most `WorkQueue.takeLimit` commands a take), runs the take on its
/// ring's runner (execute, complete, publish, doorbell) and moves on. A queue is served by at most
/// `concurrency` workers at once (the handler's `ioWorkerThreads`), so one busy device cannot take every
/// worker, and a device with nothing queued costs no thread.
///
/// The daemon's rings share `RingScheduler.shared`'s pool; a runner started on its own gets a private pool
/// with as many workers as it asked for (the old thread-per-device layout).
final class IOWorkerPool: @unchecked Sendable {
    // Every field here and every queue's state is guarded by `condition`'s lock.
    private let condition = NSCondition()
    /// The queues with commands and a free worker slot, in the order they became ready (`head` is next).
    private var ready: [WorkQueue] = []
    private var head = 0
    private var workers = 0
    private var closed = false
    /// Workers end as their threads return; `shutdown` waits for these.
    private var exits: [DispatchSemaphore] = []
    let minimumWorkers: Int
    let maximumWorkers: Int
    let name: String

    /// - Parameters:
    ///   - minimumWorkers: threads started with the first queue.
    ///   - maximumWorkers: the most threads a queue's `concurrency` can make the pool grow to.
    init(name: String, minimumWorkers: Int, maximumWorkers: Int) {
        self.name = name
        self.minimumWorkers = max(1, minimumWorkers)
        self.maximumWorkers = max(self.minimumWorkers, maximumWorkers)
    }

    /// The pool's threads (for the figures).
    var workerCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return workers
    }

    /// Makes sure the pool has threads for `queue` (at least `minimumWorkers`, and as many as the queue may
    /// use at once, up to `maximumWorkers`); its runner is set by the caller.
    func attach(_ queue: WorkQueue) {
        condition.lock()
        let wanted = min(maximumWorkers, max(minimumWorkers, queue.concurrency))
        var started: [DispatchSemaphore] = []
        while workers < wanted && !closed {
            workers += 1
            started.append(spawnWorker(workers))
        }
        exits += started
        condition.unlock()
    }

    /// Queues `commands` on `queue` and wakes one worker per take's worth of them.
    func push(_ commands: [RingCommand], to queue: WorkQueue) {
        guard !commands.isEmpty else { return }
        condition.lock()
        queue.outstanding.add(commands.count, ordering: .relaxed)
        queue.jobs.append(contentsOf: commands)
        let wake = makeReady(queue) ? min(queue.concurrency, (commands.count + WorkQueue.takeLimit - 1) / WorkQueue.takeLimit) : 0
        condition.unlock()
        for _ in 0..<wake { condition.signal() }
    }

    /// Removes the queued (not yet started) commands of `queue` whose ids are in `ids`, and returns them.
    func remove(ids: Set<UInt16>, from queue: WorkQueue) -> [RingCommand] {
        condition.lock()
        defer { condition.unlock() }
        let pending = queue.jobs[queue.front...]
        let removed = pending.filter { ids.contains($0.id) }
        if !removed.isEmpty {
            queue.jobs = pending.filter { !ids.contains($0.id) }
            queue.front = 0
            queue.outstanding.subtract(removed.count, ordering: .releasing)
        }
        return removed
    }

    /// Waits until `queue` has nothing queued and nothing running (its runner stops); the workers run what
    /// was queued first.
    func drain(_ queue: WorkQueue) {
        while true {
            condition.lock()
            let busy = queue.running > 0 || queue.hasJobs
            condition.unlock()
            if !busy { return }
            usleep(500)
        }
    }

    /// Ends every worker once nothing is queued, and waits for them (a private pool whose runner stopped).
    func shutdown() {
        condition.lock()
        closed = true
        let joins = exits
        exits.removeAll()
        condition.unlock()
        condition.broadcast()
        for j in joins { j.wait() }
    }

    // MARK: - Workers

    /// Puts `queue` on the ready list when it has commands and a free slot; true when it was added.
    private func makeReady(_ queue: WorkQueue) -> Bool {
        guard !queue.isReady, queue.hasJobs, queue.running < queue.concurrency else { return false }
        queue.isReady = true
        ready.append(queue)
        return true
    }

    private func spawnWorker(_ number: Int) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let t = Thread { [self] in
            Syscalls.nameThisThread("io \(name) \(number)")
            workerLoop()
            done.signal()
        }
        t.name = "io \(name) \(number)"
        t.start()
        return done
    }

    private func workerLoop() {
        var completions: [(completion: RingCompletion, slot: UInt32)] = []
        condition.lock()
        while true {
            while head == ready.count && !closed { condition.wait() }
            guard head < ready.count else { break }
            let queue = ready[head]
            head += 1
            if head == ready.count {
                ready.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64 && head * 2 >= ready.count {
                ready.removeFirst(head)
                head = 0
            }
            queue.isReady = false
            let jobs = queue.take()
            queue.running += 1
            // More queued for this device: it goes to the back of the line (round robin between devices).
            if makeReady(queue) { condition.signal() }
            condition.unlock()
            if let runner = queue.runner {
                runner.run(jobs, from: queue, completions: &completions)  // counts them done itself
            } else {
                queue.outstanding.subtract(jobs.count, ordering: .releasing)
            }
            condition.lock()
            queue.running -= 1
            _ = makeReady(queue)
        }
        condition.unlock()
    }
}
