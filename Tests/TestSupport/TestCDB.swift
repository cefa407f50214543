/// CDB builders for the tests, every multi-byte field written big-endian explicitly.
public enum TestCDB {
    /// `v` as `width` big-endian bytes (the low `width` bytes of it).
    public static func be(_ v: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: v >> UInt64((width - 1 - $0) * 8)) }
    }

    /// READ/WRITE/VERIFY(10)-style:
    /// | 0 op | 1 flags | 2–5 LBA | 6 group | 7–8 TRANSFER LENGTH | 9 CONTROL |
    public static func rw10(_ op: UInt8, _ lba: UInt32, _ blocks: UInt16, flags: UInt8 = 0) -> [UInt8] {
        [op, flags] + be(UInt64(lba), 4) + [0] + be(UInt64(blocks), 2) + [0]
    }

    /// READ/WRITE/VERIFY(12)-style:
    /// | 0 op | 1 flags | 2–5 LBA | 6–9 TRANSFER LENGTH | 10 group | 11 CONTROL |
    public static func rw12(_ op: UInt8, _ lba: UInt32, _ blocks: UInt32, flags: UInt8 = 0) -> [UInt8] {
        [op, flags] + be(UInt64(lba), 4) + be(UInt64(blocks), 4) + [0, 0]
    }

    /// READ/WRITE/VERIFY(16)-style:
    /// | 0 op | 1 flags | 2–9 LBA | 10–13 TRANSFER LENGTH | 14 group | 15 CONTROL |
    public static func rw16(_ op: UInt8, _ lba: UInt64, _ blocks: UInt32, flags: UInt8 = 0) -> [UInt8] {
        [op, flags] + be(lba, 8) + be(UInt64(blocks), 4) + [0, 0]
    }

    /// READ(10) (SBC-4 §5.16).
    public static func read10(lba: UInt32, blocks: UInt16) -> [UInt8] { rw10(0x28, lba, blocks) }

    /// WRITE(10) (SBC-4 §5.43).
    public static func write10(lba: UInt32, blocks: UInt16) -> [UInt8] { rw10(0x2A, lba, blocks) }

    /// READ(16) (SBC-4 §5.18).
    public static func read16(lba: UInt64, blocks: UInt32) -> [UInt8] { rw16(0x88, lba, blocks) }

    /// WRITE(16) (SBC-4 §5.42), FUA in byte 1 bit 3.
    public static func write16(lba: UInt64, blocks: UInt32, fua: Bool = false) -> [UInt8] {
        rw16(0x8A, lba, blocks, flags: fua ? 0x08 : 0)
    }

    /// SYNCHRONIZE CACHE(16) (SBC-4 §5.31) of the whole medium.
    public static let synchronizeCache16: [UInt8] = [0x91, 0x00] + [UInt8](repeating: 0, count: 14)
}
