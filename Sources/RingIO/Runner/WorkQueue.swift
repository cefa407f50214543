import Foundation

/// The queue between a device's ring thread and its I/O workers: FIFO, blocking take, abortable.
final class WorkQueue: @unchecked Sendable {
    // All fields are guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var jobs: [RingCommand] = []
    private var front = 0
    private var closed = false
    /// The workers that take from this queue, and how many jobs one take holds at most.
    private let workers: Int
    let takeLimit: Int

    init(workers: Int, takeLimit: Int = 4) {
        self.workers = max(1, workers)
        self.takeLimit = max(1, takeLimit)
    }

    /// Queues `commands` and wakes one worker per take's worth of them (at most every worker). Waking
    /// all of them for a batch of one (a `broadcast`) only had the others wake, find the queue empty
    /// and sleep again, each through the condition's lock.
    func push(_ commands: [RingCommand]) {
        guard !commands.isEmpty else { return }
        condition.lock()
        jobs.append(contentsOf: commands)
        condition.unlock()
        for _ in 0..<min(workers, (commands.count + takeLimit - 1) / takeLimit) { condition.signal() }
    }

    /// Takes up to `takeLimit` jobs, waiting while the queue is empty; nil once closed and empty.
    func take() -> ArraySlice<RingCommand>? {
        condition.lock()
        defer { condition.unlock() }
        while front == jobs.count && !closed { condition.wait() }
        if front == jobs.count { return nil }
        let end = min(jobs.count, front + takeLimit)
        let slice = jobs[front..<end]
        front = end
        if front == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            front = 0
        }
        return slice
    }

    /// Removes the queued (not yet started) commands whose ids are in `ids`, and returns them.
    func remove(ids: Set<UInt16>) -> [RingCommand] {
        condition.lock()
        defer { condition.unlock() }
        let pending = jobs[front...]
        let removed = pending.filter { ids.contains($0.id) }
        if !removed.isEmpty {
            jobs = pending.filter { !ids.contains($0.id) }
            front = 0
        }
        return removed
    }

    /// Wakes every worker; they exit once the queue is empty.
    func close() {
        condition.lock()
        closed = true
        condition.unlock()
        condition.broadcast()
    }
}
