import Synchronization

/// A raw image: a regular file (sparse, holes punched on discard) or a block device.
///
/// Reads and writes go straight between the file and the command's iovecs (preadv/pwritev). A regular
/// file shorter than the device is grown sparsely; bytes past its end read as zeros.
public final class FileStore: BackingStore {
    public let path: String
    public let isReadOnly: Bool
    public let discardGranularity: UInt64
    let kind: StoreFileKind
    private let file: StoreFile
    private let closed = Atomic<Bool>(false)
    private let sizeBytes: Atomic<UInt64>
    /// Cleared the first time the file system says it cannot tell holes from data.
    private let seekWorks = Atomic<Bool>(true)

    /// Opens (and for a writable regular file, creates) `path`.
    /// - Parameters:
    ///   - size: the device size in bytes; nil takes the file's or block device's size. A regular file
    ///     that is shorter is extended sparsely; a block device must be at least this large.
    public init(path: String, readOnly: Bool = false, size: UInt64? = nil) throws(StoreError) {
        let file = try StoreFile.open(path: path, readOnly: readOnly, create: true)
        do throws(StoreError) {
            let (kind, actual) = try file.kindAndSize()
            var size = size ?? actual
            if kind == .blockDevice, size > actual {
                throw StoreError.unsupported("block device \(path) holds \(actual) bytes, fewer than \(size)")
            }
            if kind == .regular, size > actual, !readOnly { try file.truncate(to: size) }
            if kind == .blockDevice { size = min(size, actual) }
            self.kind = kind
            self.discardGranularity = kind == .regular ? 4096 : 512
            self.sizeBytes = Atomic(size)
        } catch {
            file.close()
            throw error
        }
        self.path = path
        self.isReadOnly = readOnly
        self.file = file
    }

    public var size: UInt64 { sizeBytes.load(ordering: .relaxed) }

    public var description: String { "\(kind == .regular ? "file" : "block device") \(path)" }

    public func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try checkRange(offset, UInt64(range.count))
        try file.read(into: buffer, range, at: offset)
    }

    public func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        guard !isReadOnly else { throw .readOnly }
        try checkRange(offset, UInt64(range.count))
        try file.write(from: buffer, range, at: offset, durable: false)
    }

    public func writeDurable(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        guard !isReadOnly else { throw .readOnly }
        try checkRange(offset, UInt64(range.count))
        try file.write(from: buffer, range, at: offset, durable: true)
    }

    public func flush() throws(StoreError) {
        guard !isReadOnly else { return }
        try file.dataSync()
    }

    public func writeZeroes(at offset: UInt64, length: UInt64, deallocate: Bool) throws(StoreError) {
        guard !isReadOnly else { throw .readOnly }
        try checkRange(offset, length)
        guard length > 0 else { return }
        switch kind {
        case .regular:
            let mode =
                deallocate
                ? LinuxConstant.fallocPunchHole | LinuxConstant.fallocKeepSize
                : LinuxConstant.fallocZeroRange | LinuxConstant.fallocKeepSize
            if try file.fallocate(mode: mode, offset: offset, length: length) { return }
        case .blockDevice:
            if try file.blockDeviceRange(LinuxConstant.blkZeroOut, offset: offset, length: length) { return }
        }
        try writeZeroBuffers(at: offset, length: length)
    }

    public func discard(at offset: UInt64, length: UInt64) throws(StoreError) {
        guard !isReadOnly else { throw .readOnly }
        try checkRange(offset, length)
        guard length > 0 else { return }
        switch kind {
        case .regular:
            // PUNCH_HOLE frees whole file-system blocks and zeroes the partial ones at the edges.
            _ = try file.fallocate(
                mode: LinuxConstant.fallocPunchHole | LinuxConstant.fallocKeepSize, offset: offset, length: length)
        case .blockDevice:
            // On a block device PUNCH_HOLE is "zero, unmapping if the device can"; BLKZEROOUT is the
            // fallback. Either keeps LBPRZ true (BLKDISCARD alone would not).
            if try file.fallocate(
                mode: LinuxConstant.fallocPunchHole | LinuxConstant.fallocKeepSize, offset: offset, length: length)
            {
                return
            }
            _ = try file.blockDeviceRange(LinuxConstant.blkZeroOut, offset: offset, length: length)
        }
    }

    public func allocationStatus(at offset: UInt64) throws(StoreError) -> AllocationRun {
        let end = size
        guard offset < end else { throw .outOfRange }
        guard kind == .regular, seekWorks.load(ordering: .relaxed) else {
            return AllocationRun(mapped: true, length: end - offset)
        }
        do throws(StoreError) {
            guard let data = try file.seek(LinuxConstant.seekData, from: offset), data < end else {
                return AllocationRun(mapped: false, length: end - offset)
            }
            if data > offset { return AllocationRun(mapped: false, length: data - offset) }
            let hole = try file.seek(LinuxConstant.seekHole, from: offset) ?? end
            return AllocationRun(mapped: true, length: max(1, min(hole, end) - offset))
        } catch .unsupported {
            seekWorks.store(false, ordering: .relaxed)
            return AllocationRun(mapped: true, length: end - offset)
        }
    }

    public func prefetch(at offset: UInt64, length: UInt64) {
        file.adviseWillNeed(offset: offset, length: length)
    }

    public func resize(to newSize: UInt64) throws(StoreError) {
        let (_, actual) = try file.kindAndSize()
        switch kind {
        case .regular:
            if newSize > actual {
                guard !isReadOnly else { throw .readOnly }
                try file.truncate(to: newSize)
            }
        case .blockDevice:
            guard newSize <= actual else { throw .outOfRange }
        }
        sizeBytes.store(newSize, ordering: .relaxed)
    }

    /// Flushes and closes the file, once (a second call does nothing: the descriptor may be reused).
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try? flush()
        file.close()
    }

    /// Writes zeros in 1 MiB pieces (where neither fallocate nor BLKZEROOUT can).
    private func writeZeroBuffers(at offset: UInt64, length: UInt64) throws(StoreError) {
        let chunk = Int(min(length, 1 << 20))
        let zeros = OwnedDataBuffer(count: chunk)
        var done: UInt64 = 0
        while done < length {
            let n = Int(min(UInt64(chunk), length - done))
            try file.write(from: zeros.view, 0..<n, at: offset + done, durable: false)
            done += UInt64(n)
        }
    }
}
