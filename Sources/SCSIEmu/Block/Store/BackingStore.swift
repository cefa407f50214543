/// Where a block device keeps its bytes: a file, a block device, a qcow2 image or memory.
///
/// Byte-addressed. The disk calls it with block-aligned ranges, but implementations accept any. Reads
/// and writes move data straight between the store and the command's scatter-gather memory
/// (`DataBuffer`), with no bounce copy for raw files. Every method may be called from several I/O
/// threads at once; ordering between overlapping commands is the disk's business (`BlockDevice`).
public protocol BackingStore: AnyObject, Sendable {
    /// The size in bytes the store can hold (a qcow2 image's virtual size).
    var size: UInt64 { get }
    var isReadOnly: Bool { get }
    /// The smallest run that `discard` can deallocate, in bytes (0 when the store cannot deallocate).
    var discardGranularity: UInt64 { get }
    /// What the store is, for logs ("file /var/disk.img", "qcow2 v3 /img.qcow2").
    var description: String { get }

    /// Reads `range` of `buffer` from store byte `offset`. Never-written bytes read as zeros.
    func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError)
    /// Writes `range` of `buffer` at store byte `offset` (may stay in a volatile cache until `flush`).
    func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError)
    /// Writes and makes the data durable before returning (FUA, or WCE = 0).
    func writeDurable(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError)
    /// Makes every completed write durable (fdatasync).
    func flush() throws(StoreError)
    /// Sets bytes to zero; with `deallocate`, may also release the space (thin provisioning).
    func writeZeroes(at offset: UInt64, length: UInt64, deallocate: Bool) throws(StoreError)
    /// Releases the space of whole `discardGranularity` units inside the range; they then read as zeros.
    /// Parts of the range that cannot be released keep their data.
    func discard(at offset: UInt64, length: UInt64) throws(StoreError)
    /// Whether the bytes at `offset` are mapped (hold data) or deallocated, and for how many bytes from
    /// `offset` that stays so (at least 1, at most to the end of the store).
    func allocationStatus(at offset: UInt64) throws(StoreError) -> AllocationRun
    /// Hints that a range will be read soon (PRE-FETCH).
    func prefetch(at offset: UInt64, length: UInt64)
    /// Grows or shrinks the store (the kernel changed the device size).
    func resize(to size: UInt64) throws(StoreError)
    /// Flushes and releases the store.
    func close()
}

/// A run of bytes with one provisioning status (for GET LBA STATUS, SBC-4 §5.8).
public struct AllocationRun: Sendable, Hashable {
    public var mapped: Bool
    public var length: UInt64
    public init(mapped: Bool, length: UInt64) {
        self.mapped = mapped
        self.length = length
    }
}

extension BackingStore {
    /// Checks that `length` bytes at `offset` lie inside the store.
    func checkRange(_ offset: UInt64, _ length: UInt64) throws(StoreError) {
        guard offset <= size, length <= size - offset else { throw .outOfRange }
    }

    /// Checks that the store takes writes and that `length` bytes at `offset` lie inside it.
    @inline(__always) func checkWritable(_ offset: UInt64, _ length: UInt64) throws(StoreError) {
        guard !isReadOnly else { throw .readOnly }
        try checkRange(offset, length)
    }

    /// Writes, durably or not.
    public func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64, durable: Bool) throws(StoreError) {
        if durable {
            try writeDurable(from: buffer, range, at: offset)
        } else {
            try write(from: buffer, range, at: offset)
        }
    }
}
