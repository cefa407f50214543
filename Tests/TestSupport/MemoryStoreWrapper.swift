import SCSIEmu

/// A test store over a `MemoryStore` that changes a few of its calls (reads, writes); the others pass
/// through to `inner` as these defaults.
public protocol MemoryStoreWrapper: BackingStore {
    var inner: MemoryStore { get }
}

extension MemoryStoreWrapper {
    public var size: UInt64 { inner.size }
    public var isReadOnly: Bool { false }
    public var discardGranularity: UInt64 { inner.discardGranularity }
    public func flush() throws(StoreError) {}
    public func writeZeroes(at o: UInt64, length: UInt64, deallocate: Bool) throws(StoreError) {
        try inner.writeZeroes(at: o, length: length, deallocate: deallocate)
    }
    public func discard(at o: UInt64, length: UInt64) throws(StoreError) { try inner.discard(at: o, length: length) }
    public func allocationStatus(at o: UInt64) throws(StoreError) -> AllocationRun { try inner.allocationStatus(at: o) }
    public func prefetch(at o: UInt64, length: UInt64) {}
    public func resize(to s: UInt64) throws(StoreError) { try inner.resize(to: s) }
    public func close() {}
}
