import Sense

/// A command descriptor block, copied out of the ring (SPC-5 §4.2).
///
/// Up to 32 bytes live inline (no allocation); a variable-length CDB (7Fh, up to 260 bytes) spills to
/// the heap. Reading past the end returns 0, never traps: the dispatcher checks the length against the
/// command table before any handler reads a field.
public struct CDB: Sendable, Hashable {
    public static let inlineCapacity = 32
    /// The largest CDB SPC allows: a variable-length CDB with additional length 252.
    public static let maximumLength = 260

    /// Bytes 0…31, eight to a word: byte `i` is bits 8·(i mod 8)… of word i / 8; zero past `count`.
    /// Plain words, not an `InlineArray`: a struct holding an `InlineArray` is moved and copied through
    /// outlined value-witness calls (three per command on the ring's hot path, docs/performance.md).
    @usableFromInline var words: (UInt64, UInt64, UInt64, UInt64)
    @usableFromInline var spill: [UInt8]?
    /// The number of valid bytes.
    public let count: Int

    /// Copies `bytes` (1...260 of them).
    @inlinable public init?(_ bytes: some Collection<UInt8>) {
        let n = bytes.count
        guard n > 0, n <= Self.maximumLength else { return nil }
        self.count = n
        self.words = (0, 0, 0, 0)
        self.spill = nil
        if n <= Self.inlineCapacity {
            for (i, b) in bytes.enumerated() {
                let bits = UInt64(b) << (UInt64(i & 7) * 8)
                switch i >> 3 {
                case 0: words.0 |= bits
                case 1: words.1 |= bits
                case 2: words.2 |= bits
                default: words.3 |= bits
                }
            }
        } else {
            self.spill = Array(bytes)
        }
    }

    /// A CDB of `count` (1...32) bytes given as four little-endian words (byte `i` in bits 8·(i mod 8) of
    /// word i / 8): the ring's copy out of a slot, four loads instead of a byte loop. Bits past `count`
    /// are cleared here. Always inlined: returned from a call, the caller's wide loads of the value just
    /// stored field by field stalled (docs/performance.md, session 13).
    @inlinable @inline(__always) public init(words: (UInt64, UInt64, UInt64, UInt64), count: Int) {
        precondition(count > 0 && count <= Self.inlineCapacity, "an inline CDB holds 1...32 bytes")
        @inline(__always) func keep(_ w: UInt64, _ k: Int) -> UInt64 {
            let valid = count - 8 * k
            return valid >= 8 ? w : valid <= 0 ? 0 : w & (1 << UInt64(8 * valid) - 1)
        }
        self.words = (keep(words.0, 0), keep(words.1, 1), keep(words.2, 2), keep(words.3, 3))
        self.spill = nil
        self.count = count
    }

    /// The byte at `index`, or 0 past the end.
    @inlinable public subscript(index: Int) -> UInt8 {
        byte(index)
    }

    /// Inlinable: the usage check and the field getters read bytes one by one on every command.
    @inlinable @inline(__always) func byte(_ index: Int) -> UInt8 {
        guard index >= 0, index < count else { return 0 }
        if let spill { return spill[index] }
        return UInt8(truncatingIfNeeded: word(index >> 3) >> (UInt64(index & 7) * 8))
    }

    /// Inline word `k` (0...3).
    @inlinable func word(_ k: Int) -> UInt64 {
        switch k {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
    }

    /// Whether none of the bits of `mask` (four words laid out as the CDB's own) is set in bytes 0…31;
    /// nil for a CDB longer than 32 bytes (held on the heap: check it byte by byte).
    @inlinable func hasNoBits(of mask: (UInt64, UInt64, UInt64, UInt64)) -> Bool? {
        guard spill == nil else { return nil }
        return (words.0 & mask.0) | (words.1 & mask.1) | (words.2 & mask.2) | (words.3 & mask.3) == 0
    }

    public var bytes: [UInt8] { (0..<count).map { byte($0) } }

    public static func == (a: CDB, b: CDB) -> Bool { a.bytes == b.bytes }
    public func hash(into h: inout Hasher) { h.combine(bytes) }

    // MARK: - Fields

    @inlinable public var opcode: UInt8 { byte(0) }

    /// Big-endian unsigned field of `width` bytes at `offset` (width ≤ 8). A field inside an inline CDB
    /// (the usual case) is taken out of its words, one or two shifts and a byte swap, instead of a checked
    /// load per byte (READ(10)'s LBA and length cost ≈ 170 instructions that way). Always inlined: the
    /// offset and width are constants at every call, so the field is a few instructions where it is read
    /// (as a call it cost ≈ 50 per field, docs/performance.md, session 14).
    @inlinable @inline(__always) public func bigEndian(at offset: Int, width: Int) -> UInt64 {
        if spill == nil, width > 0, width <= 8, offset >= 0, offset + width <= count {
            // The field's bytes first byte lowest (then whatever follows, shifted out below).
            let shift = UInt64(offset & 7) * 8
            var bytes = word(offset >> 3) >> shift
            if (offset & 7) + width > 8 { bytes |= word(offset >> 3 + 1) << (64 - shift) }
            return bytes.byteSwapped >> (64 - UInt64(width) * 8)
        }
        return bigEndianByBytes(at: offset, width: width)
    }

    /// `bigEndian` byte by byte: a field of a CDB over 32 bytes, or one reaching past the CDB's end
    /// (whose missing bytes read as 0).
    @usableFromInline @inline(never) func bigEndianByBytes(at offset: Int, width: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<width { v = v << 8 | UInt64(byte(offset + i)) }
        return v
    }
    @inlinable @inline(__always) public func u16(_ offset: Int) -> UInt16 { UInt16(truncatingIfNeeded: bigEndian(at: offset, width: 2)) }
    @inlinable @inline(__always) public func u24(_ offset: Int) -> UInt32 { UInt32(truncatingIfNeeded: bigEndian(at: offset, width: 3)) }
    @inlinable @inline(__always) public func u32(_ offset: Int) -> UInt32 { UInt32(truncatingIfNeeded: bigEndian(at: offset, width: 4)) }
    @inlinable @inline(__always) public func u64(_ offset: Int) -> UInt64 { bigEndian(at: offset, width: 8) }
    @inlinable @inline(__always) public func bit(_ offset: Int, _ bit: Int) -> Bool { byte(offset) >> bit & 1 == 1 }

    /// The service action: bytes 8–9 of a variable-length CDB, else bits 4–0 of byte 1.
    public var serviceAction: UInt16 {
        opcode == 0x7F ? u16(8) : UInt16(byte(1) & 0x1F)
    }

    // MARK: - Lengths

    /// The CDB length the Linux kernel copies for this first byte (`scsi_command_size`): by group code,
    /// 6/10/10/12/16/12/10/10, and 8 + additional length for 7Fh. `nil` when byte 7 of a 7Fh CDB is not
    /// yet known (`additionalLength == nil`).
    /// Always inlined: the ring asks once per command (a call of its own cost the drain 31 instructions).
    @inlinable @inline(__always) public static func kernelLength(opcode: UInt8, additionalLength: UInt8?) -> Int? {
        if opcode == 0x7F {
            guard let additionalLength else { return nil }
            return 8 + Int(additionalLength)
        }
        switch opcode >> 5 {
        case 0: return 6
        case 3, 5: return 12
        case 4: return 16
        default: return 10
        }
    }
}

// MARK: - The common CDB layouts (SBC-4 §5 / SPC-5 §4.2.2)
//
//  6-byte:  | op | LBA 20..16 | LBA 15..8 | LBA 7..0 | TRANSFER LENGTH | CONTROL |   (length 0 means 256)
// 10-byte:  | op | flags | LBA (4) @2 | group @6 | TRANSFER LENGTH (2) @7 | CONTROL @9 |
// 12-byte:  | op | flags | LBA (4) @2 | TRANSFER LENGTH (4) @6 | group @10 | CONTROL @11 |
// 16-byte:  | op | flags | LBA (8) @2 | TRANSFER LENGTH (4) @10 | group @14 | CONTROL @15 |
// 32-byte:  | 7Fh | CONTROL | … | ADDITIONAL LENGTH @7 (18h) | SERVICE ACTION @8 | … | LBA (8) @12 | … |
//           | TRANSFER LENGTH (4) @28 |

extension CDB {
    /// LBA and transfer length of a READ/WRITE-style CDB, by length. 6-byte: length 0 means 256 blocks.
    public var lbaAndLength: (lba: UInt64, blocks: UInt32) { lbaAndLength(cdbLength: count) }

    /// `lbaAndLength` in the layout of a `cdbLength`-byte CDB: what a row passes, whose CDB length is its
    /// own (the dispatcher has checked the CDB is at least that long). Always inlined: with the length a
    /// constant the switch folds away and each field is a load and a byte swap of the words (the switch on
    /// `count` cost ≈ 29 instructions per READ, docs/performance.md, session 15).
    @inlinable @inline(__always) public func lbaAndLength(cdbLength: Int) -> (lba: UInt64, blocks: UInt32) {
        switch cdbLength {
        case 6:
            let lba = UInt64(byte(1) & 0x1F) << 16 | UInt64(byte(2)) << 8 | UInt64(byte(3))
            let n = byte(4)
            return (lba, n == 0 ? 256 : UInt32(n))
        case 10: return (UInt64(u32(2)), UInt32(u16(7)))
        case 12: return (UInt64(u32(2)), u32(6))
        case 16: return (u64(2), u32(10))
        case 32: return (u64(12), u32(28))
        default: return (0, 0)
        }
    }
}
