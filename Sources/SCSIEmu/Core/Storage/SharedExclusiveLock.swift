import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A shared/exclusive lock (pthread_rwlock): writes share it, COMPARE AND WRITE and FORMAT UNIT hold it
/// alone. Allocated once per device; never copied.
///
/// Asynchronous requests (`AsyncBackingStore`) share it too, without the rwlock (it must be released on
/// the thread that took it, and theirs end on the store's callback thread): `enterAsync` counts them in,
/// unless an exclusive holder is waiting or running, and `exclusive` waits for the count to reach zero
/// before it takes the rwlock. `enterAsync` never blocks: the ring thread calls it.
final class SharedExclusiveLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    /// Asynchronous requests holding the lock shared.
    private let asyncHolders = Atomic<Int>(0)
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
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Runs `body` with the lock shared if that needs no waiting; nil (`body` not run) while an exclusive
    /// holder waits or runs. The ring thread's cached reads take it so (`pthread_rwlock_tryrdlock`).
    func sharedIfFree<R>(_ body: () -> R) -> R? {
        guard exclusiveWanted.load(ordering: .sequentiallyConsistent) == 0, pthread_rwlock_tryrdlock(lock) == 0 else {
            return nil
        }
        defer { pthread_rwlock_unlock(lock) }
        return body()
    }

    func exclusive<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        exclusiveWanted.add(1, ordering: .sequentiallyConsistent)
        defer { exclusiveWanted.subtract(1, ordering: .sequentiallyConsistent) }
        // New asynchronous requests are refused from here on; those in flight end within the store's
        // own timeout (osd_op_timeout for rbd).
        while asyncHolders.load(ordering: .sequentiallyConsistent) > 0 { usleep(200) }
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Takes the lock shared for an asynchronous request, from any thread; false (and nothing taken)
    /// while an exclusive holder waits or runs.
    func enterAsync() -> Bool {
        asyncHolders.add(1, ordering: .sequentiallyConsistent)
        guard exclusiveWanted.load(ordering: .sequentiallyConsistent) == 0 else {
            asyncHolders.subtract(1, ordering: .sequentiallyConsistent)
            return false
        }
        return true
    }

    /// Releases what `enterAsync` took (the request's callback, on any thread).
    func leaveAsync() { asyncHolders.subtract(1, ordering: .sequentiallyConsistent) }
}
