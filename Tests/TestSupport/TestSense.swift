/// Expected sense bytes written out by hand (independent of the `Sense` encoder the tests check).
public enum TestSense {
    /// Fixed-format sense data, 18 bytes (SPC-5 §4.4.3):
    ///
    /// | 0 VALID (7) · 70h | 1 obsolete | 2 SENSE KEY | 3–6 INFORMATION | 7 ADDITIONAL LENGTH 0Ah |
    /// | 8–11 COMMAND-SPECIFIC | 12 ASC | 13 ASCQ | 14 FRU | 15–17 SENSE KEY SPECIFIC |
    ///
    /// VALID and INFORMATION when `information` is given; `sks` is bytes 15–17 (`fieldPointer`).
    public static func fixed(
        _ key: UInt8, _ asc: UInt8, _ ascq: UInt8 = 0, information: UInt32? = nil, sks: [UInt8] = [0, 0, 0]
    ) -> [UInt8] {
        [information == nil ? 0x70 : 0xF0, 0, key] + TestCDB.be(UInt64(information ?? 0), 4)
            + [0x0A, 0, 0, 0, 0, asc, ascq, 0] + sks
    }

    /// A field pointer's SENSE KEY SPECIFIC bytes (SPC-5 §4.4.2.4.2): SKSV · C/D (in the CDB) · BPV ·
    /// BIT POINTER, then FIELD POINTER (2 bytes).
    public static func fieldPointer(_ byte: UInt16, bit: UInt8 = 7, inCDB: Bool = true) -> [UInt8] {
        [0x80 | (inCDB ? 0x40 : 0) | 0x08 | bit] + TestCDB.be(UInt64(byte), 2)
    }
}
