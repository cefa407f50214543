import Testing

@testable import SCSIEmu

/// `CDB.bigEndian(at:width:)` reads an inline CDB's fields out of its words: every offset and width gives
/// what the byte-by-byte definition gives (bytes past the end read as 0).
struct CDBFieldTests {
    /// The definition: byte by byte, most significant first.
    private func reference(_ cdb: CDB, _ offset: Int, _ width: Int) -> UInt64 {
        (0..<width).reduce(0) { $0 << 8 | UInt64(cdb[offset + $1]) }
    }

    @Test(arguments: [6, 10, 12, 16, 32, 40])
    func everyFieldMatchesTheByteDefinition(length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: 0x9E &+ $0 &* 0x3B) }
        let cdb = try #require(CDB(bytes))
        for offset in -1...(length + 2) {
            for width in 0...8 {
                #expect(cdb.bigEndian(at: offset, width: width) == reference(cdb, offset, width),
                        "length \(length) offset \(offset) width \(width)")
            }
        }
    }

    @Test func readTenFields() throws {
        let cdb = try #require(CDB([0x28, 0, 0x12, 0x34, 0x56, 0x78, 0, 0x9A, 0xBC, 0]))
        #expect(cdb.u32(2) == 0x1234_5678)
        #expect(cdb.u16(7) == 0x9ABC)
        #expect(cdb.lbaAndLength.lba == 0x1234_5678)
        #expect(cdb.lbaAndLength.blocks == 0x9ABC)
        let ring = CDB(words: (0x9A00_7856_3412_0028, 0xBC, 0, 0), count: 10)
        #expect(ring.u32(2) == 0x1234_5678)
        #expect(ring.u16(7) == 0x9ABC)
    }

    @Test func sixteenByteFieldsCrossAWord() throws {
        let cdb = try #require(CDB([0x88, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0xA, 0xB, 0xC, 0xD, 0, 0]))
        #expect(cdb.u64(2) == 0x0102_0304_0506_0708)
        #expect(cdb.u32(10) == 0x0A0B_0C0D)
        #expect(cdb.u24(7) == 0x06_0708)
    }
}
