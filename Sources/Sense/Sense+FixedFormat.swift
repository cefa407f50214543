// Fixed format sense data (SPC-5 §4.4.3), response codes 70h (current) and 71h (deferred).
//
//  byte | 7        | 6   | 5   | 4        | 3 | 2 | 1 | 0 |
//  -----+----------+-----+-----+----------+---------------+
//    0  | VALID    | RESPONSE CODE (70h or 71h)           |
//    1  | obsolete                                        |
//    2  | FILEMARK | EOM | ILI | SDAT_OVFL| SENSE KEY     |
//  3..6 | INFORMATION (MSB first)                         |
//    7  | ADDITIONAL SENSE LENGTH (n - 7) = 0Ah           |
// 8..11 | COMMAND-SPECIFIC INFORMATION                    |
//   12  | ADDITIONAL SENSE CODE                           |
//   13  | ADDITIONAL SENSE CODE QUALIFIER                 |
//   14  | FIELD REPLACEABLE UNIT CODE                     |
//   15  | SKSV     | SENSE-KEY SPECIFIC (see SenseKeySpecific+Encoding.swift)
// 16,17 | SENSE-KEY SPECIFIC                              |
// 18..n | additional sense bytes (this builder writes none)
//
// Values wider than the 4-byte fields:
// - INFORMATION above FFFF_FFFFh cannot be represented: VALID is 0 and the field is zero (SPC-5 §4.4.3:
//   VALID = 0 means the INFORMATION field is not defined). Such sense needs descriptor format, which the
//   initiator selects with D_SENSE in the Control mode page.
// - With ILI set, INFORMATION is a signed residue (SBC-4 READ LONG / WRITE LONG): a negative value passed
//   as the UInt64 bit pattern of an Int64 is stored as 32-bit two's complement when it fits an Int32, and
//   the parser sign-extends it back.
// - COMMAND-SPECIFIC INFORMATION above FFFF_FFFFh saturates to FFFF_FFFFh, the value the command
//   standards use for "not available" (e.g. SBC-4 REASSIGN BLOCKS).

extension Sense {
    /// Fixed format is always 18 bytes: ADDITIONAL SENSE LENGTH 10, no additional sense bytes.
    static let fixedLength = 18

    /// The INFORMATION field as a 4-byte value, or `nil` when VALID must be zero.
    var fixedInformation: UInt32? {
        guard let information else { return nil }
        if let narrow = UInt32(exactly: information) {
            return incorrectLength && Int32(exactly: narrow) == nil ? nil : narrow
        }
        if incorrectLength, let signed = Int32(exactly: Int64(bitPattern: information)) {
            return UInt32(bitPattern: signed)
        }
        return nil
    }

    func writeFixed(into out: inout MutableRawSpan) {
        let info = fixedInformation
        out.storeSenseByte((info != nil ? 0x80 : 0) | (deferred ? 0x71 : 0x70), at: 0)
        out.storeSenseByte(streamBits | key.rawValue, at: 2)
        out.storeSenseBigEndian(UInt64(info ?? 0), width: 4, at: 3)
        out.storeSenseByte(UInt8(Self.fixedLength - 8), at: 7)
        if let commandSpecific {
            out.storeSenseBigEndian(min(commandSpecific, 0xFFFF_FFFF), width: 4, at: 8)
        }
        out.storeSenseByte(code.asc, at: 12)
        out.storeSenseByte(code.ascq, at: 13)
        if let (b0, b1, b2) = keySpecific?.wireBytes {
            out.storeSenseByte(b0, at: 15)
            out.storeSenseByte(b1, at: 16)
            out.storeSenseByte(b2, at: 17)
        }
    }

    /// FILEMARK (bit 7), EOM (bit 6), ILI (bit 5): fixed byte 2 and the stream commands descriptor byte 3.
    var streamBits: UInt8 {
        (filemark ? 0x80 : 0) | (endOfMedium ? 0x40 : 0) | (incorrectLength ? 0x20 : 0)
    }

    /// Parses fixed format sense data; `bytes[0] & 7Fh` is 70h or 71h (checked by the caller).
    ///
    /// Fields are read only within the sense data actually present: the shorter of the buffer and
    /// 8 + ADDITIONAL SENSE LENGTH. A field cut off by that limit reads as absent (`nil`, ASC/ASCQ 0).
    /// A zero COMMAND-SPECIFIC INFORMATION field reads as `nil` (fixed format cannot say "absent").
    /// - Throws: `.truncated` when the buffer ends before the SENSE KEY (byte 2).
    static func parseFixed(_ bytes: Span<UInt8>) throws(SenseDecodingError) -> Sense {
        guard bytes.count >= 3 else { throw .truncated(at: bytes.count) }
        let limit = bytes.count >= 8 ? min(bytes.count, 8 + Int(bytes[7])) : bytes.count
        let key = SenseKey(rawValue: bytes[2] & 0x0F)
        var sense = Sense(key, AdditionalSenseCode(
            asc: limit > 12 ? bytes[12] : 0,
            ascq: limit > 13 ? bytes[13] : 0))
        sense.deferred = bytes[0] & 0x7F == 0x71
        sense.filemark = bytes[2] & 0x80 != 0
        sense.endOfMedium = bytes[2] & 0x40 != 0
        sense.incorrectLength = bytes[2] & 0x20 != 0
        if bytes[0] & 0x80 != 0, limit >= 7 {
            let raw = UInt32(bytes.senseBigEndian(at: 3, width: 4))
            sense.information = sense.incorrectLength
                ? UInt64(bitPattern: Int64(Int32(bitPattern: raw))) : UInt64(raw)
        }
        if limit >= 12 {
            let csi = bytes.senseBigEndian(at: 8, width: 4)
            sense.commandSpecific = csi == 0 ? nil : csi
        }
        if limit >= 18 {
            sense.keySpecific = SenseKeySpecific(wireBytes: bytes[15], bytes[16], bytes[17], key: key)
        }
        return sense
    }
}
