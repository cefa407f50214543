import Synchronization

/// A store in anonymous memory, for tests and the ring benchmark. Thin: pages are committed when first
/// written, tracked in a bitmap (one bit per 4 KiB unit) for GET LBA STATUS, and given back on discard.
public final class MemoryStore: BackingStore {
    public static let unit: UInt64 = 4096

    public let isReadOnly: Bool
    public let discardGranularity: UInt64 = MemoryStore.unit
    private let memory: AnonymousMemory
    private let sizeBytes: Atomic<UInt64>
    /// Bit i set = unit i holds written data.
    private let mapped: Mutex<[UInt64]>

    /// A zeroed, fully deallocated store of `size` bytes (it can later shrink, or grow up to `capacity`).
    public init(size: UInt64, capacity: UInt64? = nil, readOnly: Bool = false) throws(StoreError) {
        let cap = max(size, capacity ?? size)
        guard cap <= UInt64(Int.max / 2) else { throw .unsupported("memory store of \(cap) bytes") }
        memory = try AnonymousMemory(count: Int(cap))
        sizeBytes = Atomic(size)
        isReadOnly = readOnly
        let units = Int((cap + Self.unit - 1) / Self.unit)
        mapped = Mutex([UInt64](repeating: 0, count: (units + 63) / 64))
    }

    public var size: UInt64 { sizeBytes.load(ordering: .relaxed) }
    public var description: String { "memory \(size) bytes" }

    public func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try checkRange(offset, UInt64(range.count))
        memory.copy(at: Int(offset), length: range.count, into: buffer, at: range.lowerBound)
    }

    public func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try checkWritable(offset, UInt64(range.count))
        let n = min(range.count, max(0, buffer.count - range.lowerBound))
        memory.copy(from: buffer, at: range.lowerBound, length: n, to: Int(offset))
        setMapped(offset, UInt64(range.count), true)
    }

    public func writeDurable(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try write(from: buffer, range, at: offset)
    }

    public func flush() throws(StoreError) {}

    public func writeZeroes(at offset: UInt64, length: UInt64, deallocate: Bool) throws(StoreError) {
        try checkWritable(offset, length)
        memory.zero(at: Int(offset), length: Int(length))
        if deallocate {
            try discard(at: offset, length: length)
        } else {
            setMapped(offset, length, true)
        }
    }

    public func discard(at offset: UInt64, length: UInt64) throws(StoreError) {
        try checkWritable(offset, length)
        let first = (offset + Self.unit - 1) / Self.unit, end = (offset + length) / Self.unit
        guard first < end else { return }
        memory.release(at: Int(first * Self.unit), length: Int((end - first) * Self.unit))
        setMapped(first * Self.unit, (end - first) * Self.unit, false)
    }

    public func allocationStatus(at offset: UInt64) throws(StoreError) -> AllocationRun {
        let end = size
        guard offset < end else { throw .outOfRange }
        let lastUnit = (end - 1) / Self.unit
        return mapped.withLock { bits in
            let u0 = offset / Self.unit
            let status = Self.bit(bits, u0)
            var u = u0 + 1
            while u <= lastUnit, Self.bit(bits, u) == status { u += 1 }
            return AllocationRun(mapped: status, length: min(end, u * Self.unit) - offset)
        }
    }

    public func prefetch(at offset: UInt64, length: UInt64) {}

    public func resize(to newSize: UInt64) throws(StoreError) {
        guard newSize <= UInt64(memory.count) else { throw .noSpace }
        sizeBytes.store(newSize, ordering: .relaxed)
    }

    public func close() {}

    private static func bit(_ bits: [UInt64], _ unit: UInt64) -> Bool {
        bits[Int(unit / 64)] >> (unit % 64) & 1 == 1
    }

    /// Marks the units touched by the byte range (`true`) or the units wholly inside it (`false`).
    private func setMapped(_ offset: UInt64, _ length: UInt64, _ value: Bool) {
        guard length > 0 else { return }
        let first = offset / Self.unit, last = (offset + length - 1) / Self.unit
        mapped.withLock { bits in
            for u in first...last {
                let word = Int(u / 64), mask = UInt64(1) << (u % 64)
                if value { bits[word] |= mask } else { bits[word] &= ~mask }
            }
        }
    }
}
