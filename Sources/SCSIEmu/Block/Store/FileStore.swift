import Synchronization

/// A raw image: a regular file (sparse, holes punched on discard) or a block device.
///
/// Reads and writes go straight between the file and the command's iovecs (preadv/pwritev). A regular
/// file shorter than the device is grown sparsely; bytes past its end read as zeros.
public final class FileStore: CachedReadStore, CachedWriteStore {
    public let path: String
    public let isReadOnly: Bool
    public let discardGranularity: UInt64
    let kind: StoreFileKind
    private let file: StoreFile<StoreError>
    private let sizeBytes: Atomic<UInt64>
    /// Cleared the first time the file system says it cannot tell holes from data.
    private let seekWorks = Atomic<Bool>(true)
    /// A read past the end of the file is `StoreError.endOfMedium` instead of zeros (a disc image).
    private let endIsError: Bool
    /// Cleared the first time the file says it cannot read without waiting (`readIfCached`).
    private let noWaitWorks = Atomic<Bool>(true)

    /// Opens (and for a writable regular file, creates) `path`.
    /// - Parameters:
    ///   - size: the device size in bytes; nil takes the file's or block device's size. A regular file
    ///     that is shorter is extended sparsely; a block device must be at least this large.
    ///   - endIsError: a read past the end of the file fails (`StoreError.endOfMedium`) rather than
    ///     returning zeros: a disc image that shrank under the drive is a medium error, never stale data.
    public init(path: String, readOnly: Bool = false, size: UInt64? = nil, endIsError: Bool = false) throws(StoreError) {
        let file = try StoreFile<StoreError>(path: path, access: readOnly ? .readOnly : .readWriteCreating)
        let kind = file.kind
        var bytes: UInt64
        do throws(StoreError) {
            let actual = try Self.checkOpened(file, size: size)
            bytes = size ?? actual
            if kind == .regular, bytes > actual, !readOnly { try file.truncate(to: bytes) }
            if kind == .blockDevice { bytes = min(bytes, actual) }
        } catch {
            file.removeIfCreated()
            throw error
        }
        self.kind = kind
        self.discardGranularity = kind == .regular ? 4096 : 512
        self.sizeBytes = Atomic(bytes)
        self.path = path
        self.isReadOnly = readOnly
        self.file = file
        self.endIsError = endIsError
    }

    /// Runs the checks `init` makes, without creating or changing any file: the path can be opened as
    /// asked (or, for a writable image, created in its directory), is a regular file or block device, and
    /// a block device holds `size` bytes.
    public static func check(path: String, readOnly: Bool, size: UInt64?) throws(StoreError) {
        guard
            let file = try StoreFile<StoreError>.openWithoutCreating(
                path: path, access: readOnly ? .readOnly : .readWriteCreating)
        else { return }
        defer { file.close(syncing: false) }
        _ = try checkOpened(file, size: size)
    }

    /// The size of an existing regular file or block device (nil: none there).
    public static func existingSize(path: String) throws(StoreError) -> UInt64? {
        guard let file = try StoreFile<StoreError>.openWithoutCreating(path: path, access: .readOnly) else { return nil }
        defer { file.close(syncing: false) }
        return try checkOpened(file, size: nil)
    }

    /// What an opened file must be: a regular file or a block device of at least `size` bytes. Returns its
    /// current size.
    private static func checkOpened(_ file: StoreFile<StoreError>, size: UInt64?) throws(StoreError) -> UInt64 {
        guard file.kind != .other else { throw .unsupported("\(file.path): not a regular file or block device") }
        let actual = try file.size()
        if file.kind == .blockDevice, let size, size > actual {
            throw .unsupported("block device \(file.path) holds \(actual) bytes, fewer than \(size)")
        }
        return actual
    }

    /// Closes the file and removes it when this store created it (the undo of a refused open).
    public func removeIfCreated() { file.removeIfCreated() }

    public var size: UInt64 { sizeBytes.load(ordering: .relaxed) }

    public var description: String { "\(kind == .regular ? "file" : "block device") \(path)" }

    /// Always inlined (into the `BackingStore` witness the engine calls: one call less per READ).
    @inline(__always)
    public func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try checkRange(offset, UInt64(range.count))
        guard endIsError else { return try file.readZeroFilled(into: buffer, range, at: offset) }
        let got = try file.read(into: buffer, range, at: offset)
        if got < range.count { throw .endOfMedium(at: offset + UInt64(got)) }
    }

    /// `CachedReadStore`: one preadv2 with RWF_NOWAIT. Bytes past the end of the file make it false (the
    /// blocking read zero-fills them or fails, as `endIsError` says).
    public func readIfCached(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) -> Bool {
        guard noWaitWorks.load(ordering: .relaxed), offset <= size, UInt64(range.count) <= size - offset else {
            return false
        }
        switch file.readWithoutWaiting(into: buffer, range, at: offset) {
        case .complete: return true
        case .wouldBlock: return false
        case .unsupported:
            noWaitWorks.store(false, ordering: .relaxed)
            return false
        }
    }

    public func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try checkWritable(offset, UInt64(range.count))
        try file.write(from: buffer, range, at: offset, durable: false)
    }

    public func writeDurable(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try checkWritable(offset, UInt64(range.count))
        try file.write(from: buffer, range, at: offset, durable: true)
    }

    public func flush() throws(StoreError) {
        guard !isReadOnly else { return }
        try file.dataSync()
    }

    public func writeZeroes(at offset: UInt64, length: UInt64, deallocate: Bool) throws(StoreError) {
        try checkWritable(offset, length)
        guard length > 0 else { return }
        switch kind {
        case .regular:
            let done =
                deallocate
                ? try file.punchHole(at: offset, length: length) : try file.zeroRange(at: offset, length: length)
            if done { return }
        case .blockDevice, .other:
            if try file.blockDeviceZeroOut(at: offset, length: length) { return }
        }
        try file.writeZeros(at: offset, length: length)
    }

    public func discard(at offset: UInt64, length: UInt64) throws(StoreError) {
        try checkWritable(offset, length)
        guard length > 0 else { return }
        // PUNCH_HOLE frees whole file-system blocks and zeroes the partial ones at the edges. On a block
        // device it is "zero, unmapping if the device can", with BLKZEROOUT as the fallback: either keeps
        // LBPRZ true (BLKDISCARD alone would not).
        if try file.punchHole(at: offset, length: length) { return }
        if kind != .regular { _ = try file.blockDeviceZeroOut(at: offset, length: length) }
    }

    public func allocationStatus(at offset: UInt64) throws(StoreError) -> AllocationRun {
        let end = size
        guard offset < end else { throw .outOfRange }
        let everything = AllocationRun(mapped: true, length: end - offset)
        guard kind == .regular, seekWorks.load(ordering: .relaxed),
            let data = try next(.data, from: offset, end: end)
        else { return everything }
        if data > offset { return AllocationRun(mapped: false, length: data - offset) }
        guard let hole = try next(.hole, from: offset, end: end) else { return everything }
        return AllocationRun(mapped: true, length: max(1, hole - offset))
    }

    /// The next data (or hole) at or after `offset`, `end` for none before it; nil (and seeking turned
    /// off) where the file system cannot tell.
    private func next(
        _ target: SeekTarget, from offset: UInt64, end: UInt64
    ) throws(StoreError) -> UInt64? {
        switch try file.seek(toNext: target, from: offset) {
        case .offset(let found): return min(found, end)
        case .none: return end
        case .unsupported:
            seekWorks.store(false, ordering: .relaxed)
            return nil
        }
    }

    public func prefetch(at offset: UInt64, length: UInt64) {
        file.adviseWillNeed(offset: offset, length: length)
    }

    public func resize(to newSize: UInt64) throws(StoreError) {
        let actual = try file.size()
        switch kind {
        case .regular:
            if newSize > actual {
                guard !isReadOnly else { throw .readOnly }
                try file.truncate(to: newSize)
            }
        case .blockDevice, .other:
            guard newSize <= actual else { throw .outOfRange }
        }
        sizeBytes.store(newSize, ordering: .relaxed)
    }

    /// Flushes and closes the file, once (a second call does nothing: the descriptor may be reused).
    public func close() {
        file.close(syncing: !isReadOnly)
    }
}
