import Sense

/// FORMAT UNIT (04h) for DVD-RAM: parameter list parsing and the zero-fill job (MMC-6 §6.5).
///
/// CDB:  | 04h | FMTDATA (4) CMPLIST (3) FORMAT CODE (2-0) = 001b | rsvd/vendor ×3 | CONTROL |
///
/// Parameter list (FMTDATA = 1), 12 bytes:
///     format list header: 0 rsvd | 1 FOV (7) DCRT (5) … IMMED (1) VS (0) | 2-3 FORMAT DESCRIPTOR LENGTH (8)
///     format descriptor:  4-7 NUMBER OF BLOCKS | 8 FORMAT TYPE (7-2) | 9-11 TYPE DEPENDENT PARAMETER
/// Format type 00h (full format) only, with the disc's capacity (or FFFFFFFFh) and block length 2048.
/// FMTDATA = 0 formats with the defaults, synchronously.
public enum OpticalFormatUnit {
    public struct Request: Sendable, Hashable {
        public var immediate: Bool
    }

    /// Bits of header byte 1 the drive honours: FOV, DCRT, IMMED.
    static let acceptedOptionBits: UInt8 = 0x80 | 0x20 | 0x02

    static func invalidParameter(byte: UInt16, bit: UInt8) -> Sense {
        Sense(.illegalRequest, .invalidFieldInParameterList, keySpecific: .fieldPointer(inCDB: false, byte: byte, bit: bit))
    }

    /// - Throws: INVALID FIELD IN CDB for a format code other than 001b; PARAMETER LIST LENGTH ERROR for a
    ///   list shorter than 12 bytes; INVALID FIELD IN PARAMETER LIST (with pointer) for anything else.
    public static func parse(cdb: CDB, parameters: DataBuffer, blockCount: UInt32) throws(Sense) -> Request {
        guard cdb[1] & 0x07 == 0x01 else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 1, bit: 2))
        }
        guard cdb[1] & 0x10 != 0 else { return Request(immediate: false) }
        let p = parameters.bytes(from: 0, length: 12)
        guard p.count == 12 else { throw Sense(.illegalRequest, .parameterListLengthError) }
        let stray = p[1] & ~acceptedOptionBits
        if stray != 0 { throw invalidParameter(byte: 1, bit: UInt8(7 - stray.leadingZeroBitCount)) }
        guard p[2] == 0, p[3] == 8 else { throw invalidParameter(byte: 2, bit: 7) }
        guard p[8] >> 2 == 0x00 else { throw invalidParameter(byte: 8, bit: 7) }
        let blocks = UInt32(p[4]) << 24 | UInt32(p[5]) << 16 | UInt32(p[6]) << 8 | UInt32(p[7])
        guard blocks == blockCount || blocks == 0xFFFF_FFFF else { throw invalidParameter(byte: 4, bit: 7) }
        guard p[9] == 0x00, p[10] == 0x08, p[11] == 0x00 else { throw invalidParameter(byte: 9, bit: 7) }
        return Request(immediate: p[1] & 0x02 != 0)
    }
}

/// A running format: zero-fills the disc one chunk per step and reports progress as a fraction of 65 536.
public struct FormatJob: Sendable {
    public let medium: OpticalMedium
    public let totalBytes: UInt64
    public private(set) var doneBytes: UInt64 = 0
    public let chunkBytes: Int

    public init(medium: OpticalMedium, chunkBytes: Int = 1 << 20) {
        self.medium = medium
        self.totalBytes = UInt64(medium.blockCount) * UInt64(OpticalMedium.blockSize)
        self.chunkBytes = max(OpticalMedium.blockSize, chunkBytes)
    }

    public var finished: Bool { doneBytes >= totalBytes }

    /// PROGRESS INDICATION (SPC-5 §4.4.2.4.2): done / total × 65 536, below 65 536.
    public var progress: UInt16 {
        totalBytes == 0 ? 0 : UInt16(min(65535, doneBytes * 65536 / totalBytes))
    }

    /// The next chunk to zero, or nil when done.
    public var nextChunk: (offset: UInt64, count: Int)? {
        guard !finished else { return nil }
        return (doneBytes, Int(min(UInt64(chunkBytes), totalBytes - doneBytes)))
    }

    public mutating func advance(by count: Int) {
        doneBytes += UInt64(count)
    }
}
