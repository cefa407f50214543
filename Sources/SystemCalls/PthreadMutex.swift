#if canImport(Glibc)
import Glibc
#endif

/// A mutex over a `pthread_mutex_t` guarding one value, with `Synchronization.Mutex`'s `withLock`.
///
/// Why not `Mutex`: on Linux, Swift 6.3's `Mutex` takes a contended lock with `FUTEX_LOCK_PI` inside the
/// prebuilt Synchronization library, where no atomic of the caller's code marks the acquire. ThreadSanitizer
/// then sees no happens-before edge between the thread that released the lock and the one that took it,
/// and reports every access the lock guards as a data race (`.sanitizers/tsan-mutex-repro.sh`). It
/// intercepts `pthread_mutex_lock`/`unlock`, so state shared by a ring's threads (the ring thread, the I/O
/// workers, a delay timer) sits behind this lock and `make tsan` checks it. The uncontended cost is one
/// atomic exchange per lock and per unlock in glibc (a normal, not priority-inheriting, mutex); a contended
/// lock waits on a plain futex.
///
/// Store it in a `let`: it cannot be copied, and the `pthread_mutex_t` has a heap address of its own (a
/// pthread mutex must not move once initialised).
public struct PthreadMutex<Value>: ~Copyable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let value: UnsafeMutablePointer<Value>

    public init(_ initialValue: sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let rc = pthread_mutex_init(mutex, nil)
        precondition(rc == 0, "pthread_mutex_init: \(rc)")
        value = .allocate(capacity: 1)
        value.initialize(to: initialValue)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    /// Runs `body` with the value while holding the lock. Not reentrant: `body` must not take this lock.
    @inlinable
    public borrowing func withLock<Result, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}

// The value is only reached under the lock, and it was handed over (`sending`) on the way in and out.
extension PthreadMutex: @unchecked Sendable {}
