// Big-endian encoding into byte arrays: the response builders' only integer writer (SPC-5, byte order conventions: every
// multi-byte field is big-endian, most significant byte first).

extension Array where Element == UInt8 {
    /// Appends `value` most significant byte first, in `width` bytes (default `MemoryLayout<T>.size`;
    /// fewer keep the low bytes: a 3-byte field).
    @inlinable public mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T, width: Int = MemoryLayout<T>.size) {
        for i in stride(from: width - 1, through: 0, by: -1) {
            append(UInt8(truncatingIfNeeded: value >> (i * 8)))
        }
    }

    /// Writes `value` big-endian at `offset` in `width` bytes, as `appendBigEndian` (the bytes must
    /// already exist).
    @inlinable public mutating func setBigEndian<T: FixedWidthInteger>(_ value: T, width: Int = MemoryLayout<T>.size, at offset: Int) {
        for i in 0..<width {
            self[offset + i] = UInt8(truncatingIfNeeded: value >> ((width - 1 - i) * 8))
        }
    }

    /// Reads a big-endian unsigned field of `width` bytes at `offset`; bytes past the end read as 0.
    @inlinable public func bigEndianValue(at offset: Int, width: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<width {
            let j = offset + i
            v = v << 8 | UInt64(j >= 0 && j < count ? self[j] : 0)
        }
        return v
    }

    /// Appends `text` as an ASCII field of exactly `width` bytes: truncated, padded with spaces, and any
    /// byte outside 20h–7Eh replaced by a space (SPC-5 ASCII data field requirements: ASCII fields hold graphic codes only).
    public mutating func appendASCIIField(_ text: String, width: Int) {
        var n = 0
        for b in text.utf8 where n < width {
            append(b >= 0x20 && b <= 0x7E ? b : 0x20)
            n += 1
        }
        while n < width {
            append(0x20)
            n += 1
        }
    }
}
