#if canImport(Glibc)
import Glibc
#endif

// This file and `OwnedDataBuffer` are SCSIEmu's only raw-memory code: everything else reads and writes
// command data through `DataBuffer`'s bounds-checked methods.

/// A non-owning, bounds-checked view of one command's data: a scatter-gather list of raw segments.
///
/// The ring builds it from the entry's iovecs (memory in the shared data area), tests and the replay from
/// an `OwnedDataBuffer`. The memory stays valid until the command completes; a `DataBuffer` must not be
/// kept past that. Every offset is clamped: reads past the end return fewer bytes, writes are truncated.
public struct DataBuffer: @unchecked Sendable {
    @usableFromInline enum Segments {
        case none
        case one(UnsafeMutableRawBufferPointer)
        case many([UnsafeMutableRawBufferPointer])
    }

    @usableFromInline let segments: Segments
    /// Total bytes over all segments.
    public let count: Int

    /// An empty buffer (commands without data). Inlinable, as the next: the ring builds one or two per command.
    @inlinable public init() {
        self.segments = .none
        self.count = 0
    }

    /// A view of one contiguous segment.
    @inlinable public init(unsafeSegment: UnsafeMutableRawBufferPointer) {
        self.segments = unsafeSegment.count == 0 ? .none : .one(unsafeSegment)
        self.count = unsafeSegment.count
    }

    /// A view of several segments, in order.
    public init(unsafeSegments: [UnsafeMutableRawBufferPointer]) {
        let nonEmpty = unsafeSegments.filter { $0.count > 0 }
        switch nonEmpty.count {
        case 0: self.segments = .none
        case 1: self.segments = .one(nonEmpty[0])
        default: self.segments = .many(nonEmpty)
        }
        self.count = nonEmpty.reduce(0) { $0 + $1.count }
    }

    /// The first `n` bytes (a view of the same memory).
    public func prefix(_ n: Int) -> DataBuffer {
        let n = max(0, min(n, count))
        if n == count { return self }
        var out: [UnsafeMutableRawBufferPointer] = []
        var left = n
        forEachSegment { seg in
            guard left > 0 else { return }
            let take = min(left, seg.count)
            out.append(UnsafeMutableRawBufferPointer(rebasing: seg[0..<take]))
            left -= take
        }
        return DataBuffer(unsafeSegments: out)
    }

    @inlinable func forEachSegment(_ body: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        switch segments {
        case .none: return
        case .one(let s): try body(s)
        case .many(let list): for s in list { try body(s) }
        }
    }

    /// Calls `body` with each piece of `range` (clamped to the buffer): the piece and its offset in the buffer.
    @inlinable func forEachPiece(
        in range: Range<Int>, _ body: (UnsafeMutableRawBufferPointer, Int) throws -> Void
    ) rethrows {
        let lower = max(0, range.lowerBound), upper = min(count, range.upperBound)
        guard lower < upper else { return }
        var base = 0
        try forEachSegment { seg in
            let segEnd = base + seg.count
            defer { base = segEnd }
            let lo = max(lower, base), hi = min(upper, segEnd)
            guard lo < hi else { return }
            try body(UnsafeMutableRawBufferPointer(rebasing: seg[(lo - base)..<(hi - base)]), lo)
        }
    }

    // MARK: - Data-Out

    /// Copies up to `length` bytes from `offset` (fewer past the end).
    public func bytes(from offset: Int = 0, length: Int? = nil) -> [UInt8] {
        let start = max(0, min(offset, count))
        let end = length.map { min(count, start + max(0, $0)) } ?? count
        var out = [UInt8]()
        out.reserveCapacity(end - start)
        forEachPiece(in: start..<end) { piece, _ in out.append(contentsOf: piece) }
        return out
    }

    /// Copies bytes from `offset` into `destination`; returns how many were copied.
    public func copy(from offset: Int, into destination: UnsafeMutableRawBufferPointer) -> Int {
        var copied = 0
        forEachPiece(in: offset..<(offset + destination.count)) { piece, at in
            let dst = UnsafeMutableRawBufferPointer(rebasing: destination[(at - offset)...])
            dst.copyMemory(from: UnsafeRawBufferPointer(piece))
            copied += piece.count
        }
        return copied
    }

    /// The byte offset of the first difference between this buffer (from `offset`) and `expected`, or nil.
    public func firstMismatch(from offset: Int, against expected: some Collection<UInt8>) -> Int? {
        var it = expected.makeIterator()
        var result: Int?
        forEachPiece(in: offset..<(offset + expected.count)) { piece, at in
            guard result == nil else { return }
            for (i, b) in piece.enumerated() where it.next() != b {
                result = at - offset + i
                return
            }
        }
        return result
    }

    // MARK: - Data-In

    /// Writes `source` at `offset`, truncated at the end of the buffer; returns the bytes written.
    @discardableResult
    public func write(_ source: some Collection<UInt8>, at offset: Int = 0) -> Int {
        guard offset >= 0, offset < count, !source.isEmpty else { return 0 }
        var written = 0
        var index = source.startIndex
        forEachPiece(in: offset..<(offset + source.count)) { piece, _ in
            for i in 0..<piece.count {
                piece[i] = source[index]
                index = source.index(after: index)
            }
            written += piece.count
        }
        return written
    }

    /// Writes raw bytes at `offset`, truncated at the end of the buffer; returns the bytes written.
    @discardableResult
    public func write(raw source: UnsafeRawBufferPointer, at offset: Int) -> Int {
        var written = 0
        forEachPiece(in: offset..<(offset + source.count)) { piece, at in
            piece.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[(at - offset)..<(at - offset + piece.count)]))
            written += piece.count
        }
        return written
    }

    /// Sets `range` (clamped) to zero.
    public func zero(_ range: Range<Int>) {
        forEachPiece(in: range) { piece, _ in piece.initializeMemory(as: UInt8.self, repeating: 0) }
    }

    // MARK: - Vectored I/O

    /// Calls `body` with the iovecs that cover `range` of this buffer (clamped), for `preadv`/`pwritev`
    /// straight into the command's memory. One segment needs no allocation.
    /// Inlined for one segment, the ring's usual case (a single iovec on the stack, no piece walk); two or
    /// more go through `withScatteredIOVecs`.
    @inline(__always)
    public func withIOVecs<R>(
        covering range: Range<Int>, _ body: (UnsafeBufferPointer<iovec>) throws -> R
    ) rethrows -> R {
        if case .one(let segment) = segments {
            let lower = max(0, range.lowerBound), upper = min(count, range.upperBound)
            guard lower < upper, let base = segment.baseAddress else {
                return try body(UnsafeBufferPointer(start: nil, count: 0))
            }
            var vec = iovec(iov_base: base + lower, iov_len: upper - lower)
            return try withUnsafePointer(to: &vec) { try body(UnsafeBufferPointer(start: $0, count: 1)) }
        }
        return try withScatteredIOVecs(covering: range, body)
    }

    /// `withIOVecs` of none or several segments: the iovecs in a temporary allocation.
    func withScatteredIOVecs<R>(
        covering range: Range<Int>, _ body: (UnsafeBufferPointer<iovec>) throws -> R
    ) rethrows -> R {
        var pieces = 0
        forEachPiece(in: range) { _, _ in pieces += 1 }
        return try withUnsafeTemporaryAllocation(of: iovec.self, capacity: max(pieces, 1)) { vecs in
            var i = 0
            forEachPiece(in: range) { piece, _ in
                vecs[i] = iovec(iov_base: piece.baseAddress, iov_len: piece.count)
                i += 1
            }
            return try body(UnsafeBufferPointer(rebasing: vecs[0..<i]))
        }
    }
}

/// Heap memory that owns its bytes and lends a `DataBuffer` view (tests, the replay, bounce buffers).
public final class OwnedDataBuffer: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    /// The segments the view is split into (tests split buffers to exercise scatter-gather).
    public let view: DataBuffer

    /// `count` zeroed bytes, viewed as segments of at most `segmentSize` bytes.
    public init(count: Int, segmentSize: Int? = nil) {
        storage = .allocate(byteCount: max(count, 1), alignment: 64)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        let whole = UnsafeMutableRawBufferPointer(rebasing: storage[0..<count])
        if let segmentSize, segmentSize > 0, segmentSize < count {
            view = DataBuffer(unsafeSegments: stride(from: 0, to: count, by: segmentSize).map {
                UnsafeMutableRawBufferPointer(rebasing: whole[$0..<min(count, $0 + segmentSize)])
            })
        } else {
            view = DataBuffer(unsafeSegment: whole)
        }
    }

    /// A buffer holding `bytes`.
    public convenience init(_ bytes: [UInt8], segmentSize: Int? = nil) {
        self.init(count: bytes.count, segmentSize: segmentSize)
        view.write(bytes)
    }

    deinit { storage.deallocate() }

    public var bytes: [UInt8] { view.bytes() }
}
