// The sense data builder: one `Sense` value, two wire formats (SPC-5 §4.4.2 descriptor, §4.4.3 fixed).
//
// The layouts live next to their parsers in `Sense+FixedFormat.swift` and `Sense+DescriptorFormat.swift`;
// this file is the public entry point and the bounds-clipped byte stores both writers share.

extension Sense {
    /// The longest encoding this builder produces, in bytes: descriptor format carrying every descriptor.
    ///
    /// 8 (header) + 12 (information) + 12 (command-specific) + 8 (sense-key specific) + 4 (stream or block
    /// commands) = 44. Fixed format is always 18 bytes. Both fit the ring's 96-byte sense slot
    /// (`TCMU_SENSE_BUFFERSIZE`) and the 252-byte limit of SPC-5 §4.4.1.
    public static let maximumEncodedLength = 44

    /// The number of bytes `encoded(as:)` returns for this value in `format`.
    public func encodedLength(as format: SenseFormat) -> Int {
        switch format {
        case .fixed: Self.fixedLength
        case .descriptor: descriptorLength
        }
    }

    /// The sense data in `format` (SPC-5 §4.4.2 descriptor, §4.4.3 fixed), at most
    /// `Sense.maximumEncodedLength` bytes.
    ///
    /// - Parameter format: `.fixed` (70h/71h) or `.descriptor` (72h/73h); deferred errors use 71h/73h.
    /// - Returns: the complete sense data, ADDITIONAL SENSE LENGTH included.
    public func encoded(as format: SenseFormat) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: encodedLength(as: format))
        var span = bytes.mutableSpan
        var raw = span.mutableBytes
        _ = encode(as: format, into: &raw)
        return bytes
    }

    /// Writes the sense data in `format` into the front of `destination` without allocating.
    ///
    /// The ring passes its 96-byte sense slot here; every encoding fits (`Sense.maximumEncodedLength`).
    /// A shorter destination receives the leading bytes only — truncated sense data, as SPC-5 §4.4.1
    /// allows (the ADDITIONAL SENSE LENGTH still tells the full length). Bytes after the returned count
    /// are not touched, so a caller reusing a slot zeroes the rest itself if it wants it clean.
    ///
    /// - Parameters:
    ///   - format: `.fixed` or `.descriptor`.
    ///   - destination: the bytes to fill, starting at offset 0.
    /// - Returns: the number of bytes written: `min(encodedLength(as: format), destination.byteCount)`.
    @discardableResult
    public func encode(as format: SenseFormat, into destination: inout MutableRawSpan) -> Int {
        let length = encodedLength(as: format)
        let written = min(length, destination.byteCount)
        for offset in 0..<written { destination.storeSenseByte(0, at: offset) }
        switch format {
        case .fixed: writeFixed(into: &destination)
        case .descriptor: writeDescriptor(into: &destination)
        }
        return written
    }
}

// MARK: - Bounds-clipped big-endian stores

extension MutableRawSpan {
    /// Stores `byte` at `offset` when the span reaches that far; drops it otherwise (truncated sense).
    @inline(__always)
    mutating func storeSenseByte(_ byte: UInt8, at offset: Int) {
        if offset >= 0, offset < byteCount {
            storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
        }
    }

    /// Stores `value` big-endian in `width` bytes starting at `offset` (SPC-5 §3.5.3: MSB first).
    @inline(__always)
    mutating func storeSenseBigEndian(_ value: UInt64, width: Int, at offset: Int) {
        for i in 0..<width {
            let shift = UInt64(8 * (width - 1 - i))
            storeSenseByte(UInt8(truncatingIfNeeded: value >> shift), at: offset + i)
        }
    }
}

// MARK: - Big-endian loads for the parsers

extension Span where Element == UInt8 {
    /// The `width`-byte big-endian value at `offset`; the caller has checked `offset + width <= count`.
    @inline(__always)
    func senseBigEndian(at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<width { value = value << 8 | UInt64(self[offset + i]) }
        return value
    }
}
