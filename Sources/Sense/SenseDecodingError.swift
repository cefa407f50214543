/// Why a byte string is not sense data the decoder can read.
///
/// Built like swift-asn1's errors: a stable `Code` to match on, plus where it happened. Two errors are
/// equal when code, offset and value are equal, so tests and callers compare against the factories:
/// `#expect(throws: SenseDecodingError.unknownResponseCode(0x7F))`.
public struct SenseDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; new codes may be added, existing raw values never change.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt8

        /// The bytes end before the first field the format requires (the SENSE KEY).
        public static let truncated = Code(rawValue: 1)
        /// RESPONSE CODE is not 70h–73h (SPC-5 §4.4.1, table 27); 7Fh vendor-specific included.
        public static let unknownResponseCode = Code(rawValue: 2)
        /// A sense data descriptor's ADDITIONAL LENGTH is too short for its fixed fields.
        public static let malformedDescriptor = Code(rawValue: 3)

        public var description: String {
            switch rawValue {
            case 1: "truncated"
            case 2: "unknown response code"
            case 3: "malformed descriptor"
            default: "code \(rawValue)"
            }
        }
    }

    public let code: Code
    /// The byte offset the problem is at (the first missing byte for `.truncated`).
    public let offset: Int
    /// The offending byte: the response code or descriptor type; 0 for `.truncated`.
    public let value: UInt8

    /// The bytes end at `offset`, before a required field.
    public static func truncated(at offset: Int) -> Self {
        Self(code: .truncated, offset: offset, value: 0)
    }

    /// Byte 0 holds `responseCode` (bit 7 masked off), which is neither fixed nor descriptor format.
    public static func unknownResponseCode(_ responseCode: UInt8) -> Self {
        Self(code: .unknownResponseCode, offset: 0, value: responseCode)
    }

    /// The descriptor of `type` at `offset` is shorter than its type requires.
    public static func malformedDescriptor(type: UInt8, at offset: Int) -> Self {
        Self(code: .malformedDescriptor, offset: offset, value: type)
    }

    public var description: String {
        switch code {
        case .truncated: "sense data truncated at byte \(offset)"
        case .unknownResponseCode: "unknown sense response code \(AdditionalSenseCode.hex(value))h"
        case .malformedDescriptor:
            "malformed sense descriptor type \(AdditionalSenseCode.hex(value))h at byte \(offset)"
        default: "sense decoding error \(code) at byte \(offset)"
        }
    }
}
