import SCSIEmu
import Synchronization
import SystemCalls

// RingIO's one owner of unsafe memory: every byte of the shared TCMU map is read and written through this
// type's bounds-checked accessors. Offsets coming from the ring are untrusted, so the accessors return nil
// or false instead of trapping; the atomic word accessor takes only our own ABI constants and checks them
// with a precondition.

/// A `MAP_SHARED` read-write mapping of a file (a UIO device's map0, or a memfd), unmapped on deinit.
public struct MappedRegion: ~Copyable, @unchecked Sendable {
    /// The mapped bytes. Stays valid for the lifetime of this value.
    @usableFromInline let base: UnsafeMutableRawPointer
    /// The mapping's length in bytes.
    public let count: Int

    /// Maps `length` bytes of `fileDescriptor` from offset 0. The descriptor may be closed afterwards.
    /// - Throws: the `mmap` errno; `invalidArgument` for a length ≤ 0.
    public init(fileDescriptor: borrowing FileDescriptor, length: Int) throws(Errno) {
        guard length > 0 else { throw .invalidArgument }
        self.base = try Syscalls.mapShared(fileDescriptor.rawValue, length: length)
        self.count = length
    }

    deinit {
        try? Syscalls.unmap(base, length: count)
    }

    // MARK: - Bounds

    /// Whether `offset..<offset+length` lies inside the mapping (no overflow, no negative values).
    @inlinable public func contains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= count && length <= count - offset
    }

    /// Whether the 64-bit `offset..<offset+length` from the ring lies inside the mapping.
    @inlinable public func contains(offset: UInt64, length: UInt64) -> Bool {
        let c = UInt64(count)
        return offset <= c && length <= c - offset
    }

    // MARK: - Scalars (little-endian, as the kernel writes them on every Linux architecture we run on)

    /// The little-endian integer at `offset`, or nil when it is not inside the mapping.
    @inlinable public func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T? {
        guard contains(offset: offset, length: MemoryLayout<T>.size) else { return nil }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Stores `value` little-endian at `offset`; false when it is not inside the mapping.
    @inlinable @discardableResult
    public func store<T: FixedWidthInteger>(_ value: T, at offset: Int) -> Bool {
        guard contains(offset: offset, length: MemoryLayout<T>.size) else { return false }
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
        return true
    }

    // MARK: - Byte ranges

    /// A copy of `length` bytes at `offset`, or nil when the range is not inside the mapping.
    public func bytes(at offset: Int, count length: Int) -> [UInt8]? {
        guard contains(offset: offset, length: length) else { return nil }
        return [UInt8](UnsafeRawBufferPointer(start: base + offset, count: length))
    }

    /// Copies `bytes` to `offset`; false (nothing written) when the range is not inside the mapping.
    @discardableResult
    public func write(_ bytes: some Collection<UInt8>, at offset: Int) -> Bool {
        guard contains(offset: offset, length: bytes.count) else { return false }
        // Arrays and their slices (sense data, the simulated kernel's Data-Out): one copy, not a byte loop.
        let copied: Void? = bytes.withContiguousStorageIfAvailable { source in
            if let from = source.baseAddress { (base + offset).copyMemory(from: from, byteCount: source.count) }
        }
        if copied != nil { return true }
        var p = base + offset
        for b in bytes {
            p.storeBytes(of: b, as: UInt8.self)
            p += 1
        }
        return true
    }

    /// Sets `length` bytes at `offset` to `value`; false when the range is not inside the mapping.
    @discardableResult
    public func fill(at offset: Int, count length: Int, with value: UInt8 = 0) -> Bool {
        guard contains(offset: offset, length: length) else { return false }
        (base + offset).initializeMemory(as: UInt8.self, repeating: value, count: length)
        return true
    }

    /// Calls `body` with the bytes of `offset..<offset+length` (inside the mapping), or returns nil.
    public func withBytes<R>(
        at offset: Int, count length: Int, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R? {
        guard contains(offset: offset, length: length) else { return nil }
        return try body(UnsafeRawBufferPointer(start: base + offset, count: length))
    }

    /// The CDB of `length` bytes at `offset` (inside the mapping), or nil. Up to 32 bytes are read as four
    /// little-endian words when 32 bytes are mapped there (the per-command path; the CDB clears what lies
    /// past `length`); otherwise byte by byte. Inlined into the drain: the CDB returned from a call was
    /// read back with wider loads than its stores, which stalled (docs/performance.md, session 13).
    @inline(__always)
    public func cdb(at offset: Int, count length: Int) -> CDB? {
        guard length > 0, contains(offset: offset, length: length) else { return nil }
        guard length <= CDB.inlineCapacity, contains(offset: offset, length: CDB.inlineCapacity) else {
            return spilledCDB(at: offset, count: length)
        }
        let p = base + offset
        func word(_ k: Int) -> UInt64 { UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)) }
        return CDB(words: (word(0), word(1), word(2), word(3)), count: length)
    }

    /// A CDB over 32 bytes (or too near the map's end for four word loads), byte by byte; the range is checked.
    private func spilledCDB(at offset: Int, count length: Int) -> CDB? {
        CDB(UnsafeRawBufferPointer(start: base + offset, count: length))
    }

    /// The raw memory of a checked range, for building `DataBuffer` views of command data (valid while
    /// this region lives; the ring keeps it alive for as long as commands are in flight), or nil.
    public func unsafeSegment(at offset: Int, count length: Int) -> UnsafeMutableRawBufferPointer? {
        guard contains(offset: offset, length: length) else { return nil }
        return UnsafeMutableRawBufferPointer(start: base + offset, count: length)
    }

    /// `unsafeSegment` of a range given as the ring's unsigned words (an iovec's base and length): one
    /// check, inlined into the drain.
    @inline(__always)
    public func unsafeSegment(at offset: UInt64, count length: UInt64) -> UnsafeMutableRawBufferPointer? {
        guard contains(offset: offset, length: length) else { return nil }
        return UnsafeMutableRawBufferPointer(start: base + Int(offset), count: Int(length))
    }

    // MARK: - Atomic words (ring head and tail)

    /// The 32-bit word at `offset` as an atomic, for acquire loads / release stores of the ring indices.
    /// `offset` is one of our ABI constants, so a bad one is a programmer error.
    public func atomicUInt32(at offset: Int) -> UnsafePointer<Atomic<UInt32>> {
        precondition(contains(offset: offset, length: 4) && offset % 4 == 0, "atomic word \(offset) outside map")
        return UnsafePointer((base + offset).assumingMemoryBound(to: Atomic<UInt32>.self))
    }
}
