import Logging
import Synchronization

/// A qcow2 image (version 2 or 3) as a backing store: reads through L1/L2 tables (zero, unallocated and
/// zlib-compressed clusters included), allocating writes with refcount updates, discard that frees
/// clusters and punches their space out of the file.
///
/// Concurrency: lookups take the metadata mutex briefly; data for clusters already owned (COPIED) moves
/// outside it, straight between the file and the command's iovecs. A write that must allocate (or copy a
/// compressed or shared cluster) holds the mutex from allocation to the L2 update, so two writers of one
/// new cluster never allocate it twice.
///
/// Not supported, refused at open with the reason: backing files, encryption, external data files,
/// extended L2 entries, zstd compression, dirty images, and writing an image that has internal snapshots
/// or is marked corrupt (it opens read-only). A write that would land on the image's own metadata is
/// refused and marks the image corrupt (`QCOW2Overlap`).
public final class QCOW2Store: BackingStore {
    public let path: String
    public let header: QCOW2Header
    public let isReadOnly: Bool
    private let file: StoreFile<StoreError>
    private let metadata: Mutex<QCOW2Metadata>

    /// - Parameter logger: where a prevented write onto metadata (the image then marked corrupt) is told.
    public init(path: String, readOnly: Bool = false, logger: Logger? = nil) throws(StoreError) {
        let file = try StoreFile<StoreError>(path: path, access: readOnly ? .readOnly : .readWrite)
        do throws(StoreError) {
            let (header, fileSize) = try Self.inspect(file, readOnly: readOnly)
            var h = header
            if !readOnly, h.version == 3, h.autoclearFeatures != 0 {
                // Autoclear features we do not maintain (bitmaps) must be cleared by a writer.
                try file.writeBytes([UInt8](repeating: 0, count: 8), at: 88)
                h.autoclearFeatures = 0
            }
            self.header = h
            self.metadata = Mutex(try QCOW2Metadata(header: h, file: file, fileSize: fileSize, logger: logger))
        } catch {
            file.close(syncing: false)
            throw error
        }
        self.path = path
        self.isReadOnly = readOnly
        self.file = file
    }

    /// Runs the checks `init` makes, without changing the image: it opens as asked, its header is a
    /// supported qcow2 header (see `inspect`), its tables can be read, and its virtual size holds `size`
    /// bytes.
    public static func check(path: String, readOnly: Bool, size: UInt64?) throws(StoreError) {
        let file = try StoreFile<StoreError>(path: path, access: readOnly ? .readOnly : .readWrite)
        defer { file.close(syncing: false) }
        let (header, fileSize) = try inspect(file, readOnly: readOnly)
        _ = try QCOW2Metadata(header: header, file: file, fileSize: fileSize)
        if let size, header.virtualSize < size {
            throw .unsupported("\(path): virtual size \(header.virtualSize) bytes, smaller than the device (\(size) bytes)")
        }
    }

    /// The virtual size of the image at `path`, read from its checked header.
    public static func virtualSize(path: String) throws(StoreError) -> UInt64 {
        let file = try StoreFile<StoreError>(path: path, access: .readOnly)
        defer { file.close(syncing: false) }
        return try inspect(file, readOnly: true).0.virtualSize
    }

    /// Reads and checks the header: a qcow2 v2/v3 header with only supported features, no backing file,
    /// no internal snapshots unless `readOnly`, L1 and refcount tables inside the file. Returns the header
    /// and the file's size.
    static func inspect(_ file: StoreFile<StoreError>, readOnly: Bool) throws(StoreError) -> (QCOW2Header, UInt64) {
        let path = file.path
        let fileSize = try file.size()
        let first = try file.readBytes(count: Int(min(fileSize, 4096)), at: 0)
        let header: QCOW2Header
        do throws(QCOW2HeaderError) {
            header = try QCOW2Header(parsing: first)
        } catch {
            throw StoreError.unsupported("\(path): \(error)")
        }
        if header.backingFileOffset != 0 {
            let n = Int(min(header.backingFileSize, 1023))
            let name = String(decoding: try file.readBytes(count: n, at: header.backingFileOffset), as: UTF8.self)
            throw StoreError.unsupported(
                "\(path): backing file '\(name)' (backing chains are not supported; flatten with 'qemu-img convert')")
        }
        if header.snapshotCount > 0, !readOnly {
            throw StoreError.unsupported(
                "\(path): nb_snapshots = \(header.snapshotCount): images with internal snapshots open read-only only")
        }
        if header.incompatibleFeatures & QCOW2Header.incompatibleCorrupt != 0, !readOnly {
            throw StoreError.unsupported(
                "\(path): the image is marked corrupt (incompatible feature bit 1): it opens read-only only; repair it with 'qemu-img check -r all'")
        }
        // Both tables inside the file (offsets from the header: no sum may overflow).
        let l1Bytes = UInt64(header.l1Size) * 8
        let refcountBytes = UInt64(header.refcountTableClusters) * header.clusterSize
        guard header.l1TableOffset <= fileSize, l1Bytes <= fileSize - header.l1TableOffset,
            header.refcountTableOffset <= fileSize, refcountBytes <= fileSize - header.refcountTableOffset
        else { throw StoreError.corrupt("\(path): L1 or refcount table lies past the end of the file") }
        return (header, fileSize)
    }

    public var size: UInt64 { header.virtualSize }
    public var discardGranularity: UInt64 { header.clusterSize }
    public var description: String { "qcow2 v\(header.version) \(path)" }

    // MARK: - Clusters of a byte range

    /// One cluster's share of a command: where it lies in the buffer, its guest offset, and how the
    /// cluster is mapped.
    private struct Piece {
        let bytes: Range<Int>
        let guest: UInt64
        let mapping: QCOW2Mapping
    }

    /// Calls `body` for each cluster piece of `range` of the buffer at guest `offset`, the cluster's
    /// mapping looked up under the metadata mutex (held only for the lookup).
    /// - Parameter writing: the pieces are to be written: refused once the image is marked corrupt, and a
    ///   cluster written in place (COPIED) must not hold metadata (checked under the same lock).
    private func forEachPiece(
        of range: Range<Int>, at offset: UInt64, writing: Bool = false, _ body: (Piece) throws(StoreError) -> Void
    ) throws(StoreError) {
        var done = 0
        let cs = header.clusterSize
        while done < range.count {
            let g = offset + UInt64(done)
            let n = min(range.count - done, Int(cs - g % cs))
            let mapping = try metadata.withLock { (m) throws(StoreError) in
                let mapping = try m.mapping(at: g)
                if writing {
                    try m.checkWritable()
                    if case .data(let host, copied: true) = mapping {
                        try m.checkDataCluster(host, "writing guest offset \(g)")
                    }
                }
                return mapping
            }
            let lo = range.lowerBound + done
            try body(Piece(bytes: lo..<(lo + n), guest: g, mapping: mapping))
            done += n
        }
    }

    // MARK: - BackingStore

    public func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try checkRange(offset, UInt64(range.count))
        var run = HostRun(file, buffer, writing: false)
        try forEachPiece(of: range, at: offset) { (p) throws(StoreError) in
            let inCluster = p.guest % header.clusterSize
            switch p.mapping {
            case .data(let host, _):
                try run.add(p.bytes, host: host + inCluster)
            case .unallocated, .zero:
                try run.flush()
                buffer.zero(p.bytes)
            case let .compressed(host, length):
                try run.flush()
                let cluster = try inflateCluster(host: host, length: length)
                buffer.write(cluster[Int(inCluster)..<(Int(inCluster) + p.bytes.count)], at: p.bytes.lowerBound)
            }
        }
        try run.flush()
    }

    public func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try checkWritable(offset, UInt64(range.count))
        var run = HostRun(file, buffer, writing: true)
        try forEachPiece(of: range, at: offset, writing: true) { (p) throws(StoreError) in
            if case .data(let host, copied: true) = p.mapping {
                try run.add(p.bytes, host: host + p.guest % header.clusterSize)
                return
            }
            try run.flush()
            try metadata.withLock { (m) throws(StoreError) in
                try allocatingWrite(&m, guest: p.guest, from: buffer, p.bytes)
            }
        }
        try run.flush()
    }

    public func writeDurable(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try write(from: buffer, range, at: offset)
        try file.dataSync()
    }

    public func flush() throws(StoreError) {
        guard !isReadOnly else { return }
        try file.dataSync()
    }

    public func writeZeroes(at offset: UInt64, length: UInt64, deallocate: Bool) throws(StoreError) {
        try checkWritable(offset, length)
        let cs = header.clusterSize
        var zeroFrom = offset, zeroTo = offset + length
        if deallocate {
            let first = (offset + cs - 1) / cs * cs, end = (offset + length) / cs * cs
            if first < end {
                try discard(at: first, length: end - first)
                try writeZeros(at: offset, length: first - offset)
                zeroFrom = end
                zeroTo = offset + length
            }
        }
        try writeZeros(at: zeroFrom, length: zeroTo - zeroFrom)
    }

    private func writeZeros(at offset: UInt64, length: UInt64) throws(StoreError) {
        try writeZeroChunks(at: offset, length: length) { z, r, o throws(StoreError) in try write(from: z, r, at: o) }
    }

    public func discard(at offset: UInt64, length: UInt64) throws(StoreError) {
        try checkWritable(offset, length)
        let cs = header.clusterSize
        var g = (offset + cs - 1) / cs * cs
        let end = (offset + length) / cs * cs
        while g < end {
            try metadata.withLock { (m) throws(StoreError) in
                try m.checkWritable()
                let mapping = try m.mapping(at: g)
                guard mapping != .unallocated else { return }
                try m.setEntry(at: g, 0)
                try m.release(mapping.referencedClusters(clusterSize: cs))
            }
            g += cs
        }
    }

    public func allocationStatus(at offset: UInt64) throws(StoreError) -> AllocationRun {
        guard offset < size else { throw .outOfRange }
        let cs = header.clusterSize
        return try metadata.withLock { (m) throws(StoreError) in
            let status = try m.mapping(at: offset).isMapped
            var g = (offset / cs + 1) * cs
            var scanned = 0
            while g < size, scanned < 1 << 16, try m.mapping(at: g).isMapped == status {
                g += cs
                scanned += 1
            }
            return AllocationRun(mapped: status, length: min(g, size) - offset)
        }
    }

    public func prefetch(at offset: UInt64, length: UInt64) {}

    public func resize(to newSize: UInt64) throws(StoreError) {
        guard newSize == size else { throw .unsupported("resizing a qcow2 image (use 'qemu-img resize')") }
    }

    /// Flushes and closes the file, once (a second call does nothing: the descriptor may be reused).
    public func close() {
        file.close(syncing: !isReadOnly)
    }

    // MARK: - Allocation

    /// Writes one piece into a cluster that is not owned (unallocated, zero, compressed or shared): a new
    /// cluster takes the old contents merged with the piece, then the L2 entry moves to it.
    private func allocatingWrite(
        _ m: inout QCOW2Metadata, guest g: UInt64, from buffer: DataBuffer, _ piece: Range<Int>
    ) throws(StoreError) {
        let cs = header.clusterSize
        let inCluster = g % cs
        try m.checkWritable()
        let mapping = try m.mapping(at: g)
        if case .data(let host, copied: true) = mapping {  // another writer allocated it meanwhile
            try m.checkDataCluster(host, "writing guest offset \(g)")
            try file.write(from: buffer, piece, at: host + inCluster)
            return
        }
        let new = try m.allocateCluster()
        switch mapping {
        case .unallocated, .zero:
            // A new cluster at the end of the file reads as zeros: only the piece needs writing.
            try file.write(from: buffer, piece, at: new + inCluster)
        case .data, .compressed:
            var contents: [UInt8]
            if case let .compressed(host, length) = mapping {
                contents = try inflateCluster(host: host, length: length)
            } else if case .data(let host, _) = mapping {
                contents = try file.readBytes(count: Int(cs), at: host)
            } else {
                contents = []
            }
            let bytes = buffer.bytes(from: piece.lowerBound, length: piece.count)
            contents.replaceSubrange(Int(inCluster)..<(Int(inCluster) + bytes.count), with: bytes)
            try file.writeBytes(contents, at: new)
        }
        try m.setEntry(at: g, new | QCOW2Mapping.copiedFlag)
        try m.release(mapping.referencedClusters(clusterSize: cs))
    }

    private func inflateCluster(host: UInt64, length: UInt64) throws(StoreError) -> [UInt8] {
        let compressed = try file.readBytes(count: Int(min(length, 2 * header.clusterSize)), at: host)
        return try qcow2Inflate(compressed, count: Int(header.clusterSize))
    }
}

/// Consecutive pieces of a command that are contiguous in the image file too: one preadv/pwritev.
private struct HostRun {
    let file: StoreFile<StoreError>
    let buffer: DataBuffer
    let writing: Bool
    private var bytes = 0..<0
    private var host: UInt64 = 0

    init(_ file: StoreFile<StoreError>, _ buffer: DataBuffer, writing: Bool) {
        self.file = file
        self.buffer = buffer
        self.writing = writing
    }

    /// Adds `piece` of the buffer at file offset `host`; a piece that does not continue the run moves the
    /// run first.
    mutating func add(_ piece: Range<Int>, host h: UInt64) throws(StoreError) {
        if !bytes.isEmpty, bytes.upperBound == piece.lowerBound, host + UInt64(bytes.count) == h {
            bytes = bytes.lowerBound..<piece.upperBound
            return
        }
        try flush()
        bytes = piece
        host = h
    }

    /// Reads or writes the run, and starts an empty one.
    mutating func flush() throws(StoreError) {
        guard !bytes.isEmpty else { return }
        if writing {
            try file.write(from: buffer, bytes, at: host)
        } else {
            try file.readZeroFilled(into: buffer, bytes, at: host)
        }
        bytes = 0..<0
    }
}
