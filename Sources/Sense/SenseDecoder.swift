// The inverse of the builder: sense bytes back to a `Sense` value, for replay, logs and tests.
// RESPONSE CODE (byte 0, bits 6–0; SPC-5 §4.4.1) selects the layout:
//   70h current / 71h deferred  → fixed format      (Sense+FixedFormat.swift, SPC-5 §4.4.3)
//   72h current / 73h deferred  → descriptor format (Sense+DescriptorFormat.swift, SPC-5 §4.4.2)
//   anything else (7Fh vendor specific, 00h, ...) → `SenseDecodingError.unknownResponseCode`

extension Sense {
    /// Decodes fixed or descriptor format sense data.
    ///
    /// Truncated sense is read as far as it goes (a fixed sense of 8 bytes gives the key, an 8-byte
    /// descriptor header gives key/ASC/ASCQ); the encoder's output decodes back to an equal value,
    /// except where a format cannot carry a field (see `Sense+FixedFormat.swift`).
    /// - Parameter bytes: the sense data as returned with CHECK CONDITION or by REQUEST SENSE.
    /// - Throws: `SenseDecodingError` (`.truncated`, `.unknownResponseCode`, `.malformedDescriptor`).
    public init(decoding bytes: some Collection<UInt8>) throws(SenseDecodingError) {
        let array = Array(bytes)
        try self.init(decoding: array.span)
    }

    /// Decodes sense data from a span (the ring's sense slot, a log record) without copying it.
    /// - Throws: `SenseDecodingError`.
    public init(decoding bytes: Span<UInt8>) throws(SenseDecodingError) {
        guard !bytes.isEmpty else { throw .truncated(at: 0) }
        switch bytes[0] & 0x7F {
        case 0x70, 0x71: self = try Self.parseFixed(bytes)
        case 0x72, 0x73: self = try Self.parseDescriptor(bytes)
        case let other: throw .unknownResponseCode(other)
        }
    }

    /// The format of encoded sense data, from its RESPONSE CODE; `nil` when it is neither.
    public static func format(ofEncoded bytes: some Collection<UInt8>) -> SenseFormat? {
        switch bytes.first.map({ $0 & 0x7F }) {
        case 0x70, 0x71: .fixed
        case 0x72, 0x73: .descriptor
        default: nil
        }
    }

    /// Bytes as space-separated upper-case hex pairs (`"70 00 05 00"`), for logs next to `description`.
    public static func hexDump(_ bytes: some Collection<UInt8>) -> String {
        bytes.map { AdditionalSenseCode.hex($0) }.joined(separator: " ")
    }
}
