/// A raw 2352-byte CD-ROM mode 1 sector (ECMA-130 §14): the fields READ CD may return beside user data.
///
///     0-11     SYNC: 00h, FFh ×10, 00h
///     12-15    HEADER: minute, second, frame (BCD, LBA + 150), MODE 01h
///     16-2063  USER DATA (2048)
///     2064-2067 EDC: CRC-32 (x^32+x^31+x^16+x^15+x^4+x^3+x+1, LSB first) over bytes 0-2063, little-endian
///     2068-2075 zero
///     2076-2247 P parity: 86 RS(26,24) codewords over bytes 12-2075 (ECMA-130 annex A)
///     2248-2351 Q parity: 52 RS(45,43) codewords over bytes 12-2247
public enum CDSector {
    public static let rawSize = 2352
    public static let sync: [UInt8] = [0x00] + [UInt8](repeating: 0xFF, count: 10) + [0x00]

    /// GF(2^8) with x^8+x^4+x^3+x^2+1: `double[i]` = α·i, `inverseOfOnePlusAlpha[i ^ α·i]` = i.
    static let double: [UInt8] = (0..<256).map { i in UInt8(truncatingIfNeeded: i << 1 ^ (i & 0x80 != 0 ? 0x11D : 0)) }
    static let divideByOnePlusAlpha: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for i in 0..<256 { t[Int(UInt8(i) ^ double[i])] = UInt8(i) }
        return t
    }()
    static let edcTable: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c >> 1 ^ (c & 1 != 0 ? 0xD801_8001 : 0) }
        return c
    }

    /// The EDC of `bytes`.
    public static func edc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0
        for b in bytes { c = c >> 8 ^ edcTable[Int((c ^ UInt32(b)) & 0xFF)] }
        return c
    }

    /// The whole mode 1 sector for `lba` holding `userData` (2048 bytes).
    public static func mode1(lba: UInt32, userData: [UInt8]) -> [UInt8] {
        precondition(userData.count == 2048)
        var s = [UInt8](repeating: 0, count: rawSize)
        s.replaceSubrange(0..<12, with: sync)
        s.replaceSubrange(12..<15, with: MSF(lba: lba).bcd)
        s[15] = 0x01
        s.replaceSubrange(16..<2064, with: userData)
        let e = edc(s[0..<2064])
        s.replaceSubrange(2064..<2068, with: [UInt8(e & 0xFF), UInt8(e >> 8 & 0xFF), UInt8(e >> 16 & 0xFF), UInt8(e >> 24)])
        parity(&s, majorCount: 86, minorCount: 24, majorStep: 2, minorStep: 86, at: 2076)
        parity(&s, majorCount: 52, minorCount: 43, majorStep: 86, minorStep: 88, at: 2248)
        return s
    }

    /// Reed-Solomon parity over the area from byte 12 viewed as two interleaved byte planes (even and odd
    /// bytes of each 16-bit word). Codeword `major` takes `minorCount` bytes, starting at its column and
    /// stepping by `minorStep` (wrapping: the Q diagonals); its two parity bytes go to `at + major` and
    /// `at + majorCount + major`, chosen so that Σc = 0 and Σα^(n-1-i)·c_i = 0.
    static func parity(_ s: inout [UInt8], majorCount: Int, minorCount: Int, majorStep: Int, minorStep: Int, at: Int) {
        let area = majorCount * minorCount
        for major in 0..<majorCount {
            var index = (major >> 1) * majorStep + (major & 1)
            var weighted: UInt8 = 0  // W = Σ α^(minorCount-i)·c_i, by Horner's rule
            var sum: UInt8 = 0
            for _ in 0..<minorCount {
                let c = s[12 + index]
                index += minorStep
                if index >= area { index -= area }
                weighted = double[Int(weighted ^ c)]
                sum ^= c
            }
            // p0 + p1 = sum and α·W + α·p0 + p1 = 0 give (1 + α)·p0 = α·W + sum.
            let p0 = divideByOnePlusAlpha[Int(double[Int(weighted)] ^ sum)]
            s[at + major] = p0
            s[at + majorCount + major] = p0 ^ sum
        }
    }
}
