/// An ADDITIONAL SENSE CODE / ADDITIONAL SENSE CODE QUALIFIER pair (SPC-5 §4.4.4, table 50).
///
/// Every code a handler uses has a named constant, generated from `Catalog/AdditionalSenseCodes.txt`, with its
/// T10 text so logs and the decoder can say what a pair means.
@frozen
public struct AdditionalSenseCode: Hashable, Sendable, CustomStringConvertible {
    public let asc: UInt8
    public let ascq: UInt8

    @inlinable public init(asc: UInt8, ascq: UInt8) {
        self.asc = asc
        self.ascq = ascq
    }

    /// The pair as one 16-bit value, ASC in the high byte (`0x2400`).
    @inlinable public var combined: UInt16 { UInt16(asc) << 8 | UInt16(ascq) }

    /// The T10 text, or `nil` when the pair is not in the catalog.
    public var text: String? { AdditionalSenseCode.catalog[combined] }

    public var description: String {
        let hex = "\(Self.hex(asc))/\(Self.hex(ascq))"
        return text.map { "\(hex) \($0)" } ?? hex
    }

    /// Two upper-case hex digits (`0x0A` → `"0A"`).
    static func hex(_ b: UInt8) -> String {
        String(decoding: [hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]], as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
