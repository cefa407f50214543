/// Recognisable data for the tests: every block and every offset differs from its neighbours, so a block
/// read from the wrong place, or shifted by a byte, shows in a comparison.
public enum TestPattern {
    /// Blocks `lba`… of `blockSize` bytes: byte j of block b is (b·7 + j) mod 256.
    public static func blocks(from lba: Int = 0, count: Int, blockSize: Int = 512) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count * blockSize)
        for b in lba..<(lba + count) {
            out += (0..<blockSize).map { UInt8(truncatingIfNeeded: b &* 7 &+ $0) }
        }
        return out
    }

    /// `count` bytes seeded by `seed`, not aligned to any block size.
    public static func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ ($0 >> 9)) ^ seed }
    }

    /// `blocks` blocks of 512 bytes filled with `tag`, each starting with its own LBA (8 bytes, big-endian),
    /// so a block written to the wrong LBA names the LBA it was meant for.
    public static func lbaTagged(_ lba: UInt64, _ blocks: UInt32, tag: UInt8 = 0xA5) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Int(blocks) * 512)
        for b in 0..<UInt64(blocks) {
            var block = [UInt8](repeating: tag, count: 512)
            block.replaceSubrange(0..<8, with: TestCDB.be(lba + b, 8))
            out += block
        }
        return out
    }
}
