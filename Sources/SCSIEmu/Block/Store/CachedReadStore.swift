/// A store that can serve a read without waiting for its device when the data is at hand (a file's page
/// cache): the ring thread serves such reads itself and hands only the others to an I/O worker
/// (`BlockEngine.readWithoutBlocking`), which spares a hand-off and a wake-up per cached read.
public protocol CachedReadStore: BackingStore {
    /// Reads `range` of `buffer` from store byte `offset` only if none of it has to wait for the device:
    /// true when every byte is in the buffer; false when it would have waited (nothing cached, or only
    /// a part), or for any failure, which the blocking `read` then meets and reports. After false the
    /// buffer's range may hold some of the bytes: the caller reads all of it again.
    func readIfCached(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) -> Bool
}

/// A store whose non-durable `write` lands in a cache (a file's page cache) and, as a rule, returns
/// without waiting for the device: the ring thread may run such writes itself instead of handing each to
/// an I/O worker (`BlockEngine.writeIntoCache`). "As a rule": the kernel may still make a writer wait
/// (dirty-page throttling, a partial page read first), so the ring times every such write and sends the
/// writes to the workers again for a while after one waited (`InlineWriteGate` in RingIO).
public protocol CachedWriteStore: BackingStore {}
