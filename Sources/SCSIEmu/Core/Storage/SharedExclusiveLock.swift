import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A shared/exclusive lock: reads and writes share it, COMPARE AND WRITE and FORMAT UNIT hold it alone.
/// Allocated once per device; never copied.
///
/// A shared holder is counted in (`holders`) unless an exclusive holder is waiting or running, and
/// `exclusive` waits for the count to reach zero before it takes the rwlock; while one waits or runs,
/// shared holders take the rwlock shared instead. So a shared hold with no exclusive holder about is one
/// atomic add and one subtract (pthread_rwlock_rdlock and unlock cost ≈ 60 instructions more per READ,
/// docs/performance.md, session 14). Asynchronous requests (`AsyncBackingStore`) are counted in the same
/// way, from any thread (theirs end on the store's callback thread, and a rwlock must be released on the
/// thread that took it). Taking it shared never blocks while no exclusive holder waits or runs.
final class SharedExclusiveLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    /// Shared holders counted in (synchronous and asynchronous), not holding the rwlock.
    private let holders = Atomic<Int>(0)
    /// Exclusive holders waiting or running.
    private let exclusiveWanted = Atomic<Int>(0)

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func shared<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        if countIn() {
            defer { countOut() }
            return try body()
        }
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Runs `body` with the lock shared if that needs no waiting; nil (`body` not run) while an exclusive
    /// holder waits or runs. The ring thread's cached reads take it so.
    func sharedIfFree<R>(_ body: () -> R) -> R? {
        guard countIn() else { return nil }
        defer { countOut() }
        return body()
    }

    /// Whether an exclusive holder waits or runs (the tests' view of the hand-over).
    var exclusiveWaitingOrRunning: Bool { exclusiveWanted.load(ordering: .sequentiallyConsistent) > 0 }

    func exclusive<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        exclusiveWanted.add(1, ordering: .sequentiallyConsistent)
        defer { exclusiveWanted.subtract(1, ordering: .sequentiallyConsistent) }
        // New shared holders take the rwlock from here on (asynchronous requests are refused); those
        // counted in finish their one store call (an asynchronous one within the store's own timeout:
        // osd_op_timeout for rbd).
        while holders.load(ordering: .sequentiallyConsistent) > 0 { usleep(200) }
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Takes the lock shared by counting in, from any thread; false (and nothing taken) while an exclusive
    /// holder waits or runs. An asynchronous request's only way in (it never blocks: the ring thread calls it).
    /// Wrapping arithmetic: one `lock xadd`; the checked `add` is a compare-exchange loop with an
    /// overflow test (the count never comes near `Int.max`).
    @inline(__always) func countIn() -> Bool {
        holders.wrappingAdd(1, ordering: .sequentiallyConsistent)
        guard exclusiveWanted.load(ordering: .sequentiallyConsistent) == 0 else {
            holders.wrappingSubtract(1, ordering: .sequentiallyConsistent)
            return false
        }
        return true
    }

    /// Releases what `countIn` took (the shared holder when done; an asynchronous request's callback, on any thread).
    @inline(__always) func countOut() { holders.wrappingSubtract(1, ordering: .sequentiallyConsistent) }
}
