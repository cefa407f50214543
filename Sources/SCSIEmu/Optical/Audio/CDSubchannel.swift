/// The Q sub-channel of each sector (Red Book / ECMA-130 §22.3.3, mode 1 "current position"), and the
/// P-W bytes READ CD returns (MMC-6 §6.19.2.6, sub-channel selection).
///
/// Q (12 bytes):  0 CONTROL (7-4), ADR (3-0) = 1 | 1 TNO (BCD) | 2 INDEX (BCD) | 3-5 relative MIN SEC FRAME
///                (BCD; in the pregap counting down to INDEX 01) | 6 ZERO | 7-9 absolute AMIN ASEC AFRAME
///                (BCD, LBA + 150) | 10-11 CRC: CRC-16 (x^16+x^12+x^5+1, initial 0) of bytes 0-9, inverted,
///                most significant byte first.
/// Raw P-W (96 bytes): byte i holds bit i of each channel, P in bit 7, Q in bit 6, R-W in bits 5-0
/// (zero: the disc has no R-W data); P is 1 in a pregap (index 0).
public enum CDSubchannel {
    public static let crcTable: [UInt16] = (0..<256).map { i in
        var c = UInt16(i) << 8
        for _ in 0..<8 { c = c & 0x8000 != 0 ? c << 1 ^ 0x1021 : c << 1 }
        return c
    }

    /// The inverted CRC-16 of `bytes` as Q carries it.
    public static func crc(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var c: UInt16 = 0
        for b in bytes { c = c << 8 ^ crcTable[Int(UInt8(c >> 8) ^ b)] }
        return ~c
    }

    static func bcd(_ v: UInt8) -> UInt8 { (v / 10) << 4 | v % 10 }

    /// The 12 Q bytes of sector `lba` of `layout` (in a track; the lead-out uses TNO AAh, INDEX 01).
    public static func q(_ lba: UInt32, layout: CDLayout) -> [UInt8] {
        var q = [UInt8](repeating: 0, count: 12)
        if let t = layout.track(at: lba) {
            let index = t.index(at: lba)
            q[0] = t.qControlADR
            q[1] = bcd(t.number)
            q[2] = bcd(index)
            let relative = index == 0 ? t.start - lba : lba - t.start
            q.replaceSubrange(3..<6, with: MSF(frames: relative).bcd)
        } else {
            q[0] = layout.tracks.last.map(\.qControlADR) ?? 0x01
            q[1] = 0xAA
            q[2] = 0x01
            q.replaceSubrange(3..<6, with: MSF(frames: lba - layout.leadOut).bcd)
        }
        q.replaceSubrange(7..<10, with: MSF(lba: lba).bcd)
        let c = crc(q[0..<10])
        q[10] = UInt8(c >> 8)
        q[11] = UInt8(c & 0xFF)
        return q
    }

    /// Formatted Q (sub-channel selection 010b): the 12 Q bytes and 4 zero bytes.
    public static func formattedQ(_ lba: UInt32, layout: CDLayout) -> [UInt8] {
        q(lba, layout: layout) + [0, 0, 0, 0]
    }

    /// Raw P-W (sub-channel selection 001b), 96 bytes.
    public static func rawPW(_ lba: UInt32, layout: CDLayout) -> [UInt8] {
        let q = q(lba, layout: layout)
        let p: UInt8 = layout.track(at: lba).map { $0.index(at: lba) == 0 } ?? false ? 0x80 : 0
        return (0..<96).map { i in p | (q[i >> 3] >> (7 - UInt8(i & 7)) & 1) << 6 }
    }
}

extension MSF {
    /// A duration of `frames` (no 2 s offset): a Q relative time.
    init(frames: UInt32) {
        self.init(minute: UInt8(frames / 4500 % 100), second: UInt8(frames / 75 % 60), frame: UInt8(frames % 75))
    }

    /// The LBA of this address (MSF − 00:02:00; negative in the lead-in, so nil).
    var lba: UInt32? {
        let frames = (UInt32(minute) * 60 + UInt32(second)) * 75 + UInt32(frame)
        return frames >= 150 ? frames - 150 : nil
    }
}
