/// Small byte-array reads and writes for a store's own metadata (a zoned image's superblocks and zone
/// table), through bounce buffers. Data moves through `DataBuffer`s, never through these.
extension BackingStore {
    /// Reads `count` bytes at `offset`; bytes past the end of the store read as zeros.
    public func readBytes(count: Int, at offset: UInt64) throws(StoreError) -> [UInt8] {
        let buffer = OwnedDataBuffer(count: count)
        let available = offset < size ? Int(min(UInt64(count), size - offset)) : 0
        if available > 0 { try read(into: buffer.view, 0..<available, at: offset) }
        return buffer.bytes
    }

    /// Writes `bytes` at `offset` (not durable until `flush`).
    public func writeBytes(_ bytes: [UInt8], at offset: UInt64) throws(StoreError) {
        let buffer = OwnedDataBuffer(bytes)
        try write(from: buffer.view, 0..<bytes.count, at: offset)
    }
}
