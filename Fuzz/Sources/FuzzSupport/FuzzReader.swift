/// Reads values from the front of a fuzz input; past the end every read gives zeros, so any input is
/// a complete program.
public struct FuzzReader {
    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { position >= bytes.count }

    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// Big-endian 16-bit value.
    public mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    /// Up to `count` bytes (fewer at the end of the input).
    public mutating func bytes(_ count: Int) -> [UInt8] {
        let n = max(0, min(count, bytes.count - position))
        defer { position += n }
        return Array(bytes[position..<position + n])
    }

    /// Everything not read yet.
    public mutating func rest() -> [UInt8] { bytes(bytes.count - position) }
}
