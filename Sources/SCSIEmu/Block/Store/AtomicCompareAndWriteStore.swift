/// A store that compares and writes in one operation of its own (librbd's `compare_and_write`, done by
/// the OSD), so COMPARE AND WRITE stays atomic against writers that do not go through this device's
/// lock (another gateway of the same image). Stores without it get the device's exclusive lock around
/// a read, a compare and a write.
public protocol AtomicCompareAndWriteStore: BackingStore {
    /// Writes the `write` bytes of `buffer` at `offset` if the store holds its `compare` bytes there (two
    /// ranges of one length). Returns nil when it wrote, else the offset (from `offset`) of the first
    /// byte that differs.
    func compareAndWrite(_ buffer: DataBuffer, compare: Range<Int>, write: Range<Int>, at offset: UInt64) throws(StoreError) -> Int?
    /// Whether `compareAndWrite` takes this range (librbd: inside one object).
    func canCompareAndWrite(at offset: UInt64, length: UInt64) -> Bool
}
