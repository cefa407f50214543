import SCSIEmu
import Synchronization

/// A memory store that says which of its 4 KiB pages are "cached": `readIfCached` serves a read only
/// when all its pages are, and otherwise leaves 0xEE over the range (what a short NOWAIT read may leave),
/// so a caller that answered a partial hit as complete would be caught. Counts both kinds of read.
public final class PartlyCachedStore: CachedReadStore, MemoryStoreWrapper {
    public let inner: MemoryStore
    /// The page numbers (byte offset / 4096) served without blocking.
    public let cachedPages: Mutex<Set<UInt64>>
    /// `readIfCached` calls that served, and that declined; blocking `read` calls.
    public let served = Atomic<Int>(0), declined = Atomic<Int>(0), blockingReads = Atomic<Int>(0)

    /// [served, declined, blocking reads].
    public var counts: [Int] {
        [served.load(ordering: .relaxed), declined.load(ordering: .relaxed), blockingReads.load(ordering: .relaxed)]
    }

    public init(size: UInt64, cachedPages: Set<UInt64>) throws {
        inner = try MemoryStore(size: size)
        self.cachedPages = Mutex(cachedPages)
    }

    public func readIfCached(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) -> Bool {
        let pages = (offset / 4096)...((offset + UInt64(max(1, range.count)) - 1) / 4096)
        guard cachedPages.withLock({ c in pages.allSatisfy { c.contains($0) } }) else {
            _ = buffer.write([UInt8](repeating: 0xEE, count: range.count), at: range.lowerBound)
            declined.add(1, ordering: .relaxed)
            return false
        }
        try? inner.read(into: buffer, range, at: offset)
        served.add(1, ordering: .relaxed)
        return true
    }

    public var description: String { "partly cached" }
    public func read(into b: DataBuffer, _ r: Range<Int>, at o: UInt64) throws(StoreError) {
        blockingReads.add(1, ordering: .relaxed)
        try inner.read(into: b, r, at: o)
    }
    public func write(from b: DataBuffer, _ r: Range<Int>, at o: UInt64) throws(StoreError) { try inner.write(from: b, r, at: o) }
    public func writeDurable(from b: DataBuffer, _ r: Range<Int>, at o: UInt64) throws(StoreError) {
        try inner.write(from: b, r, at: o)
    }
}
