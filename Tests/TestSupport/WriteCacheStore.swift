import Foundation
import SCSIEmu
import Synchronization

/// A memory store that says its writes go to a cache (`CachedWriteStore`), as a file's do, and records
/// the thread of every write; `writeDelay` makes each write wait that long first (a throttled writer).
public final class WriteCacheStore: CachedWriteStore, MemoryStoreWrapper {
    public let inner: MemoryStore
    /// Milliseconds each write sleeps before it writes (a throttled writer), and spins (a writer preempted
    /// for that long, or a slow copy: it never sleeps).
    public let writeDelayMilliseconds = Atomic<Int>(0), writeSpinMilliseconds = Atomic<Int>(0)
    /// The thread of each write, by its first byte offset.
    public let writerOf = Mutex<[UInt64: pthread_t]>([:])

    public init(size: UInt64) throws { inner = try MemoryStore(size: size) }

    /// The thread that wrote byte `offset` first (nil: no write began there).
    public func writer(at offset: UInt64) -> pthread_t? { writerOf.withLock { $0[offset] } }

    private func record(_ o: UInt64) {
        writerOf.withLock { $0[o] = pthread_self() }
        let ms = writeDelayMilliseconds.load(ordering: .relaxed)
        if ms > 0 { usleep(UInt32(ms) * 1000) }
        let spin = writeSpinMilliseconds.load(ordering: .relaxed)
        if spin > 0 {
            let end = ContinuousClock.now + .milliseconds(spin)
            while ContinuousClock.now < end {}
        }
    }

    public var description: String { "write cache" }
    public func read(into b: DataBuffer, _ r: Range<Int>, at o: UInt64) throws(StoreError) { try inner.read(into: b, r, at: o) }
    public func write(from b: DataBuffer, _ r: Range<Int>, at o: UInt64) throws(StoreError) {
        record(o)
        try inner.write(from: b, r, at: o)
    }
    public func writeDurable(from b: DataBuffer, _ r: Range<Int>, at o: UInt64) throws(StoreError) {
        record(o)
        try inner.write(from: b, r, at: o)
    }
}
