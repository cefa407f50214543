import Foundation

/// The queue between a device's ring thread and its I/O workers: FIFO, blocking take, abortable.
final class WorkQueue: @unchecked Sendable {
    // All fields are guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var jobs: [RingCommand] = []
    private var front = 0
    private var closed = false

    /// Queues `commands` and wakes workers.
    func push(_ commands: [RingCommand]) {
        guard !commands.isEmpty else { return }
        condition.lock()
        jobs.append(contentsOf: commands)
        condition.unlock()
        condition.broadcast()
    }

    /// Takes up to `limit` jobs, waiting while the queue is empty; nil once closed and empty.
    func take(limit: Int) -> ArraySlice<RingCommand>? {
        condition.lock()
        defer { condition.unlock() }
        while front == jobs.count && !closed { condition.wait() }
        if front == jobs.count { return nil }
        let end = min(jobs.count, front + limit)
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
