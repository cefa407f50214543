// The 3-byte SENSE-KEY SPECIFIC field (SPC-5 §4.4.2.4): the same bytes sit at 15–17 of fixed format and
// at 4–6 of the sense-key specific descriptor. SKSV (bit 7 of the first byte) says the field is valid;
// the sense key says which of the layouts below applies.
//
// Field pointer (ILLEGAL REQUEST, §4.4.2.4.2):
//   byte 0 | SKSV | C/D | rsvd | rsvd | BPV | BIT POINTER (2..0) |
//   byte 1 | FIELD POINTER (MSB)                                  |
//   byte 2 | FIELD POINTER (LSB)                                  |
//   C/D = 1: the field is in the CDB, 0: in the parameter list. BPV = 1: BIT POINTER is valid.
// Actual retry count (RECOVERED ERROR, MEDIUM ERROR, HARDWARE ERROR, §4.4.2.4.3):
//   byte 0 | SKSV | reserved |   bytes 1–2 | ACTUAL RETRY COUNT |
// Progress indication (NO SENSE, NOT READY, §4.4.2.4.4):
//   byte 0 | SKSV | reserved |   bytes 1–2 | PROGRESS INDICATION (fraction of 65 536) |
// Segment pointer (COPY ABORTED, §4.4.2.4.5):
//   byte 0 | SKSV | rsvd | SD | rsvd | BPV | BIT POINTER (2..0) |   bytes 1–2 | FIELD POINTER |
//   SD = 1: the pointer is into the segment descriptor, 0: into the parameter list.
// Unit attention condition queue overflow (UNIT ATTENTION, §4.4.2.4.6):
//   byte 0 | SKSV | reserved (6..1) | OVERFLOW |   bytes 1–2 | reserved |

extension SenseKeySpecific {
    /// The three wire bytes, SKSV set.
    var wireBytes: (UInt8, UInt8, UInt8) {
        let sksv: UInt8 = 0x80
        switch self {
        case let .fieldPointer(inCDB, byte, bit):
            let first = sksv | (inCDB ? 0x40 : 0) | Self.bitPointerBits(bit)
            return (first, UInt8(truncatingIfNeeded: byte >> 8), UInt8(truncatingIfNeeded: byte))
        case let .progress(value), let .actualRetryCount(value):
            return (sksv, UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
        case let .segmentPointer(inSegmentDescriptor, byte, bit):
            let first = sksv | (inSegmentDescriptor ? 0x20 : 0) | Self.bitPointerBits(bit)
            return (first, UInt8(truncatingIfNeeded: byte >> 8), UInt8(truncatingIfNeeded: byte))
        case let .unitAttentionOverflow(overflow):
            return (sksv | (overflow ? 0x01 : 0), 0, 0)
        case let .raw(a, b, c):
            return (sksv | (a & 0x7F), b, c)
        }
    }

    /// BPV (bit 3) and BIT POINTER (bits 2–0); no bits when the pointer names a whole byte.
    private static func bitPointerBits(_ bit: UInt8?) -> UInt8 {
        guard let bit else { return 0 }
        return 0x08 | (bit & 0x07)
    }

    /// Decodes the three bytes of a SENSE-KEY SPECIFIC field for `key`; `nil` when SKSV is zero.
    ///
    /// The layout follows the sense key as SPC-5 §4.4.2.4 assigns it; keys with no defined layout
    /// (DATA PROTECT, BLANK CHECK, ABORTED COMMAND, ...) give `.raw` with SKSV removed.
    init?(wireBytes b0: UInt8, _ b1: UInt8, _ b2: UInt8, key: SenseKey) {
        guard b0 & 0x80 != 0 else { return nil }
        let value = UInt16(b1) << 8 | UInt16(b2)
        let bit: UInt8? = b0 & 0x08 != 0 ? b0 & 0x07 : nil
        switch key {
        case .illegalRequest:
            self = .fieldPointer(inCDB: b0 & 0x40 != 0, byte: value, bit: bit)
        case .noSense, .notReady:
            self = .progress(value)
        case .recoveredError, .mediumError, .hardwareError:
            self = .actualRetryCount(value)
        case .copyAborted:
            self = .segmentPointer(inSegmentDescriptor: b0 & 0x20 != 0, byte: value, bit: bit)
        case .unitAttention:
            self = .unitAttentionOverflow(b0 & 0x01 != 0)
        default:
            self = .raw(b0 & 0x7F, b1, b2)
        }
    }
}
