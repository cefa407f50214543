// Descriptor format sense data (SPC-5 §4.4.2), response codes 72h (current) and 73h (deferred).
//
//  byte | 7         | 6 | 5 | 4 | 3 | 2 | 1 | 0 |
//  -----+-----------+---------------------------+
//    0  | reserved  | RESPONSE CODE (72h or 73h)|
//    1  | reserved (7..4)   | SENSE KEY         |
//    2  | ADDITIONAL SENSE CODE                 |
//    3  | ADDITIONAL SENSE CODE QUALIFIER       |
//    4  | SDAT_OVFL | reserved                  |
//  5,6  | reserved                              |
//    7  | ADDITIONAL SENSE LENGTH (n - 7)       |
// 8..n  | sense data descriptors, each: TYPE, ADDITIONAL LENGTH (k - 1), k - 1 bytes
//
// Descriptors this builder writes, in this order, each only when the value has the field:
//  type 00h information (§4.4.2.2), 12 bytes:
//    0: 00h | 1: 0Ah | 2: VALID(1) + reserved | 3: reserved | 4..11: INFORMATION (64-bit)
//  type 01h command-specific information (§4.4.2.3), 12 bytes:
//    0: 01h | 1: 0Ah | 2,3: reserved | 4..11: COMMAND-SPECIFIC INFORMATION (64-bit)
//  type 02h sense-key specific (§4.4.2.4), 8 bytes:
//    0: 02h | 1: 06h | 2,3: reserved | 4: SKSV + field | 5,6: field | 7: reserved
//  type 04h stream commands (§4.4.2.6), 4 bytes, when FILEMARK or EOM is set:
//    0: 04h | 1: 02h | 2: reserved | 3: FILEMARK(7) EOM(6) ILI(5)
//  type 05h block commands (§4.4.2.7), 4 bytes, when only ILI is set (READ LONG / WRITE LONG on a
//  block device carry ILI here, not in the stream descriptor):
//    0: 05h | 1: 02h | 2: reserved | 3: ILI(5)
// Longest: 8 + 12 + 12 + 8 + 4 = 44 bytes (`Sense.maximumEncodedLength`).

extension Sense {
    var descriptorLength: Int {
        8 + (information != nil ? 12 : 0) + (commandSpecific != nil ? 12 : 0)
            + (keySpecific != nil ? 8 : 0) + (filemark || endOfMedium || incorrectLength ? 4 : 0)
    }

    func writeDescriptor(into out: inout MutableRawSpan) {
        out.storeSenseByte(deferred ? 0x73 : 0x72, at: 0)
        out.storeSenseByte(key.rawValue, at: 1)
        out.storeSenseByte(code.asc, at: 2)
        out.storeSenseByte(code.ascq, at: 3)
        out.storeSenseByte(UInt8(descriptorLength - 8), at: 7)
        var offset = 8
        if let information {
            out.storeSenseByte(0x00, at: offset)
            out.storeSenseByte(0x0A, at: offset + 1)
            out.storeSenseByte(0x80, at: offset + 2)
            out.storeSenseBigEndian(information, width: 8, at: offset + 4)
            offset += 12
        }
        if let commandSpecific {
            out.storeSenseByte(0x01, at: offset)
            out.storeSenseByte(0x0A, at: offset + 1)
            out.storeSenseBigEndian(commandSpecific, width: 8, at: offset + 4)
            offset += 12
        }
        if let (b0, b1, b2) = keySpecific?.wireBytes {
            out.storeSenseByte(0x02, at: offset)
            out.storeSenseByte(0x06, at: offset + 1)
            out.storeSenseByte(b0, at: offset + 4)
            out.storeSenseByte(b1, at: offset + 5)
            out.storeSenseByte(b2, at: offset + 6)
            offset += 8
        }
        if filemark || endOfMedium {
            out.storeSenseByte(0x04, at: offset)
            out.storeSenseByte(0x02, at: offset + 1)
            out.storeSenseByte(streamBits, at: offset + 3)
        } else if incorrectLength {
            out.storeSenseByte(0x05, at: offset)
            out.storeSenseByte(0x02, at: offset + 1)
            out.storeSenseByte(0x20, at: offset + 3)
        }
    }

    /// Parses descriptor format sense data; `bytes[0] & 7Fh` is 72h or 73h (checked by the caller).
    ///
    /// Reads within the shorter of the buffer and 8 + ADDITIONAL SENSE LENGTH: a header cut short
    /// leaves ASC/ASCQ 0, a descriptor cut short is skipped. Descriptor types this model has no field
    /// for (FRU, ATA status, vendor, ...) are skipped; for a type that appears twice the first wins.
    /// - Throws: `.truncated` when the buffer ends before the SENSE KEY (byte 1); `.malformedDescriptor`
    ///   when a known descriptor's ADDITIONAL LENGTH is too short to hold its fields.
    static func parseDescriptor(_ bytes: Span<UInt8>) throws(SenseDecodingError) -> Sense {
        guard bytes.count >= 2 else { throw .truncated(at: bytes.count) }
        let limit = bytes.count >= 8 ? min(bytes.count, 8 + Int(bytes[7])) : bytes.count
        let key = SenseKey(rawValue: bytes[1] & 0x0F)
        var sense = Sense(key, AdditionalSenseCode(
            asc: bytes.count > 2 ? bytes[2] : 0,
            ascq: bytes.count > 3 ? bytes[3] : 0))
        sense.deferred = bytes[0] & 0x7F == 0x73
        var seen: UInt8 = 0  // bit n: descriptor type n already decoded
        var offset = 8
        while offset + 2 <= limit {
            let type = bytes[offset]
            let end = offset + 2 + Int(bytes[offset + 1])
            guard end <= limit else { break }
            let first = type < 8 && seen & (1 << type) == 0
            if type < 8 { seen |= 1 << type }
            func need(_ length: Int) throws(SenseDecodingError) {
                if end - offset < length { throw .malformedDescriptor(type: type, at: offset) }
            }
            switch type {
            case 0x00 where first:
                try need(12)
                if bytes[offset + 2] & 0x80 != 0 {
                    sense.information = bytes.senseBigEndian(at: offset + 4, width: 8)
                }
            case 0x01 where first:
                try need(12)
                sense.commandSpecific = bytes.senseBigEndian(at: offset + 4, width: 8)
            case 0x02 where first:
                try need(7)
                sense.keySpecific = SenseKeySpecific(
                    wireBytes: bytes[offset + 4], bytes[offset + 5], bytes[offset + 6], key: key)
            case 0x04 where first:
                try need(4)
                sense.filemark = bytes[offset + 3] & 0x80 != 0
                sense.endOfMedium = bytes[offset + 3] & 0x40 != 0
                sense.incorrectLength = sense.incorrectLength || bytes[offset + 3] & 0x20 != 0
            case 0x05 where first:
                try need(4)
                sense.incorrectLength = sense.incorrectLength || bytes[offset + 3] & 0x20 != 0
            default:
                break
            }
            offset = end
        }
        return sense
    }
}
