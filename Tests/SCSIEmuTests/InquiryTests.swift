import SCSIEmu
import Sense
import Testing
import TestSupport

@Suite("INQUIRY and VPD pages")
struct InquiryTests {
    /// Standard INQUIRY data, SPC-5 §6.7.2, written out field by field.
    static let standard: [UInt8] =
        [
            0x00,  // PERIPHERAL QUALIFIER 000b, PERIPHERAL DEVICE TYPE 00h (direct access)
            0x00,  // RMB 0
            0x07,  // VERSION: SPC-5
            0x12,  // HISUP 1, RESPONSE DATA FORMAT 2
            91,  // ADDITIONAL LENGTH: 96 − 5
            0x00,  // SCCS ACC TPGS 3PC PROTECT: none
            0x00,  // ENCSERV VS MULTIP
            0x02,  // CMDQUE
        ]
        + ascii("LIO-ORG ")  // 8–15 T10 VENDOR IDENTIFICATION
        + ascii("TCMU device     ")  // 16–31 PRODUCT IDENTIFICATION
        + ascii("0002")  // 32–35 PRODUCT REVISION LEVEL
        + [UInt8](repeating: 0, count: 22)  // 36–57
        + [0x00, 0xC0, 0x05, 0xC0, 0x06, 0x00]  // 58–63 VERSION DESCRIPTORS: SAM-6, SPC-5, SBC-4
        + [UInt8](repeating: 0, count: 10)  // 64–73 unused descriptors
        + [UInt8](repeating: 0, count: 22)  // 74–95 reserved

    @Test func standardData() {
        let out = run(TestDisk(), [0x12, 0x00, 0x00, 0x00, 0xFF, 0x00])
        #expect(out.status == .good)
        #expect(out.data == Self.standard)
        #expect(out.result.dataInLength == 96)
    }

    @Test func truncatedToAllocationLength() {
        let out = run(TestDisk(), [0x12, 0x00, 0x00, 0x00, 36, 0x00])
        #expect(out.status == .good)
        #expect(out.result.dataInLength == 36)
        #expect(out.data == Array(Self.standard.prefix(36)))
    }

    @Test func allocationLengthZeroReturnsNothing() {
        let out = run(TestDisk(), [0x12, 0x00, 0x00, 0x00, 0x00, 0x00])
        #expect(out.status == .good)
        #expect(out.result.dataInLength == 0)
    }

    @Test func pageCodeWithoutEVPDIsRejected() {
        let out = run(TestDisk(), [0x12, 0x00, 0x80, 0x00, 0xFF, 0x00])
        #expect(out.status == .checkCondition)
        #expect(out.sense == invalidCDB(2, 7))
    }

    @Test func obsoleteCMDDTIsRejected() {
        let out = run(TestDisk(), [0x12, 0x02, 0x00, 0x00, 0xFF, 0x00])
        #expect(out.sense == invalidCDB(1, 1))
    }

    /// Supported VPD Pages (SPC-5 Supported VPD Pages VPD page): core pages and the device's, ascending.
    @Test func supportedPages() {
        let out = run(TestDisk(), [0x12, 0x01, 0x00, 0x00, 0xFF, 0x00])
        #expect(out.status == .good)
        #expect(out.data == [0x00, 0x00, 0x00, 0x05, 0x00, 0x80, 0x83, 0xB0, 0xB1])
    }

    /// Unit Serial Number (SPC-5 Unit Serial Number VPD page): the configfs serial, no NUL.
    @Test func unitSerialNumber() {
        let out = run(TestDisk(), [0x12, 0x01, 0x80, 0x00, 0xFF, 0x00])
        #expect(out.data == [0x00, 0x80, 0x00, 36] + ascii("a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"))
    }

    /// Device Identification (SPC-5 Device Identification VPD page): T10 vendor ID, NAA 6 (LIO's derivation), vendor specific.
    /// The NAA value is the WWID Linux shows for this serial on LIO: 36001405a1b2c3d45e6f4a7b8c9d0e1f2.
    @Test func deviceIdentification() {
        let out = run(TestDisk(), [0x12, 0x01, 0x83, 0x00, 0xFF, 0x00])
        let expected: [UInt8] =
            [0x00, 0x83, 0x00, 85]  // PDT, PAGE CODE 83h, PAGE LENGTH 48 + 20 + 17
            + [0x02, 0x01, 0x00, 44]  // ASCII, LU, T10 vendor ID based, length 8 + 36
            + ascii("LIO-ORG ") + ascii("a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
            + [0x01, 0x03, 0x00, 16]  // binary, LU, NAA, length 16
            + [0x60, 0x01, 0x40, 0x5A, 0x1B, 0x2C, 0x3D, 0x45, 0xE6, 0xF4, 0xA7, 0xB8, 0xC9, 0xD0, 0xE1, 0xF2]
            + [0x02, 0x00, 0x00, 13]  // ASCII, LU, vendor specific, length 13
            + ascii("file/disk.img")
        #expect(out.status == .good)
        #expect(out.data == expected)
    }

    @Test func naaSkipsNonHexAndZeroFills() {
        // "xyz" has no hex digit; "0F" gives two nibbles, the rest stays zero.
        #expect(SPC.naaRegisteredExtended(serial: "x0yFz") == [0x60, 0x01, 0x40, 0x50, 0xF0] + [UInt8](repeating: 0, count: 11))
    }

    @Test func devicePageThroughHook() {
        let out = run(TestDisk(), [0x12, 0x01, 0xB0, 0x00, 0xFF, 0x00])
        #expect(out.data == [0x00, 0xB0, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04])
    }

    @Test func unknownPageIsRejected() {
        #expect(run(TestDisk(), [0x12, 0x01, 0x99, 0x00, 0xFF, 0x00]).sense == invalidCDB(2, 7))
        // Listed by the device but not produced: rejected too, never an empty page.
        #expect(run(TestDisk(), [0x12, 0x01, 0xB1, 0x00, 0xFF, 0x00]).sense == invalidCDB(2, 7))
    }

    @Test func vpdPageTruncated() {
        let out = run(TestDisk(), [0x12, 0x01, 0x83, 0x00, 0x06, 0x00])
        #expect(out.data == [0x00, 0x83, 0x00, 85, 0x02, 0x01])
    }
}
