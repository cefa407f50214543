import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// READ/WRITE/VERIFY/SYNC/READ CAPACITY on real image files; read-only media; errors instead of GOOD.
@Suite struct OpticalMediaTests {
    static let outOfRange = Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
    static let writeProtected = Sense(.dataProtect, .writeProtected)

    @Test func readCapacityAndReads() {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("ro/", image: image)
        // LAST LBA 15, BLOCK LENGTH 2048.
        #expect(run(d, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]).data == [0, 0, 0, 0x0F, 0, 0, 0x08, 0x00])
        let r10 = run(d, [0x28, 0, 0, 0, 0, 2, 0, 0, 3, 0], capacity: 3 * 2048)
        #expect(r10.result.dataInLength == 6144)
        #expect(r10.data == OpticalImage.pattern(2) + OpticalImage.pattern(3) + OpticalImage.pattern(4))
        let r12 = run(d, [0xA8, 0, 0, 0, 0, 15, 0, 0, 0, 1, 0, 0], capacity: 2048)
        #expect(r12.data == OpticalImage.pattern(15))
        #expect(run(d, [0x28, 0, 0, 0, 0, 15, 0, 0, 2, 0]).sense == Self.outOfRange)
        #expect(run(d, [0x28, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 1, 0]).sense == Self.outOfRange)
        #expect(run(d, [0x28, 0, 0, 0, 0, 16, 0, 0, 0, 0]).status == .good)  // 0 blocks at the end
    }

    @Test func readPastTheEndOfTheFileIsAMediumError() {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("ro/", image: image)
        image.truncate(toBlocks: 8)  // shrunk underneath the drive
        #expect(run(d, [0x28, 0, 0, 0, 0, 10, 0, 0, 1, 0]).sense
                == Sense(.mediumError, .unrecoveredReadError, information: 10))
        #expect(run(d, [0x28, 0, 0, 0, 0, 6, 0, 0, 4, 0], capacity: 4 * 2048).sense
                == Sense(.mediumError, .unrecoveredReadError, information: 8))
        #expect(run(d, [0x2F, 0, 0, 0, 0, 7, 0, 0, 2, 0]).sense
                == Sense(.mediumError, .unrecoveredReadError, information: 8))
    }

    @Test func writesOnReadOnlyMediaAreDataProtect() {
        let block = OpticalImage.pattern(99)
        for options in ["ro/", "ro/profile-dvdram/", "profile-cdrom/", "profile-dvdrom/"] {
            let image = OpticalImage(blocks: 16)
            let d = opticalDevice(options, image: image)
            #expect(run(d, [0x2A, 0, 0, 0, 0, 1, 0, 0, 1, 0], dataOut: block).sense == Self.writeProtected, "\(options)")
            #expect(run(d, [0xAA, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0], dataOut: block).sense == Self.writeProtected)
            #expect(run(d, [0x2E, 0, 0, 0, 0, 1, 0, 0, 1, 0], dataOut: block).sense == Self.writeProtected)
            #expect(image.contents[2048..<4096].elementsEqual(OpticalImage.pattern(1)))
            // VERIFY reads, so it works on read-only media.
            #expect(run(d, [0x2F, 0x02, 0, 0, 0, 1, 0, 0, 1, 0], dataOut: OpticalImage.pattern(1)).status == .good)
        }
    }

    @Test func dvdRAMWritesVerifiesAndSyncs() {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("", image: image)
        let two = OpticalImage.pattern(100) + OpticalImage.pattern(101)
        #expect(run(d, [0x2A, 0x08, 0, 0, 0, 4, 0, 0, 2, 0], dataOut: two).status == .good)  // FUA
        #expect(Array(image.contents[4 * 2048..<6 * 2048]) == two)
        #expect(run(d, [0xAA, 0, 0, 0, 0, 14, 0, 0, 0, 2, 0, 0], dataOut: two).status == .good)
        #expect(Array(image.contents[14 * 2048..<16 * 2048]) == two)
        #expect(run(d, [0x2A, 0, 0, 0, 0, 15, 0, 0, 2, 0], dataOut: two).sense == Self.outOfRange)
        #expect(run(d, [0x2E, 0x02, 0, 0, 0, 0, 0, 0, 1, 0], dataOut: OpticalImage.pattern(7)).status == .good)
        #expect(Array(image.contents[0..<2048]) == OpticalImage.pattern(7))

        // VERIFY BYTCHK=1: equal → GOOD; a difference → MISCOMPARE with the byte offset.
        #expect(run(d, [0x2F, 0x02, 0, 0, 0, 4, 0, 0, 2, 0], dataOut: two).status == .good)
        var changed = two
        changed[2048 + 5] ^= 0xFF
        #expect(run(d, [0x2F, 0x02, 0, 0, 0, 4, 0, 0, 2, 0], dataOut: changed).sense
                == Sense(.miscompare, .miscompareDuringVerifyOperation, information: 2053))
        #expect(run(d, [0x2F, 0x02, 0, 0, 0, 4, 0, 0, 2, 0], dataOut: OpticalImage.pattern(1)).sense
                == Sense(.illegalRequest, .invalidFieldInCommandInformationUnit))
        #expect(run(d, [0x2F, 0x00, 0, 0, 0, 0, 0, 0, 16, 0], dataOut: []).status == .good)
        #expect(run(d, [0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0]).status == .good)
        #expect(run(d, [0x35, 0, 0, 0, 0, 17, 0, 0, 0, 0]).sense == Self.outOfRange)
    }

    /// A Data-Out shorter or longer than the transfer length is refused with 0E/03 before anything is
    /// written, as on the disk and the zoned disk (`BlockEngine.checkDataOut`); the DVD-RAM used to write
    /// the part it had and answer GOOD.
    @Test func dataOutNotMatchingTheTransferLengthWritesNothing() {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("", image: image)
        let refused = Sense(.illegalRequest, .invalidFieldInCommandInformationUnit)
        let one = OpticalImage.pattern(100), three = one + one + one
        #expect(run(d, [0x2A, 0, 0, 0, 0, 4, 0, 0, 2, 0], dataOut: one).sense == refused)  // short
        #expect(run(d, [0x2A, 0, 0, 0, 0, 4, 0, 0, 2, 0], dataOut: three).sense == refused)  // long
        #expect(run(d, [0xAA, 0, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0], dataOut: one).sense == refused)
        #expect(run(d, [0x2E, 0x02, 0, 0, 0, 4, 0, 0, 2, 0], dataOut: one).sense == refused)
        #expect(Array(image.contents[4 * 2048..<6 * 2048]) == OpticalImage.pattern(4) + OpticalImage.pattern(5))
    }

    @Test func newDVDRAMImageIsCreatedAtTheLUNSize() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("optical-new-\(UUID()).img").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let d = try OpticalDevice(configString: "fbo//\(path)", minimumBytes: 64 * 2048 + 100)
        #expect(run(d, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]).data == [0, 0, 0, 63, 0, 0, 0x08, 0])
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 64 * 2048)
    }

    @Test func usageMasksAndOpcodes() {
        let d = opticalDevice("", image: OpticalImage(blocks: 16))
        // READ TOC keeps the legacy format in CONTROL bits 7-6; every other row is checked generically.
        let rows = OpticalDevice.table.specs.filter { $0.opcode != 0x43 }
        expectUsageMaskEnforced(table: CommandTable<OpticalDevice>(rows), device: d)
        #expect(run(d, [0x43, 0, 0, 0, 0, 0, 0, 0, 4, 0x01]).sense == invalidCDB(9, 0))
        #expect(run(d, [0x43, 0x01, 0, 0, 0, 0, 0, 0, 4, 0]).sense == invalidCDB(1, 0))
        // Unknown opcode (READ(6) is not an MMC command).
        #expect(run(d, [0x08, 0, 0, 0, 1, 0]).sense == Sense(.illegalRequest, .invalidCommandOperationCode))
        // REPORT SUPPORTED OPERATION CODES lists the MMC rows: one-command form for GET CONFIGURATION.
        let one = run(d, [0xA3, 0x0C, 0x01, 0x46, 0, 0, 0, 0, 0, 32, 0, 0])
        #expect(one.status == .good && one.data.count >= 4 && one.data[1] & 0x07 == 0x03)
        #expect(Array(one.data[4..<14]) == [0x46, 0x03, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0])
    }

    @Test func inquiryAndModePages() {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        let inquiry = run(d, [0x12, 0, 0, 0, 36, 0]).data
        #expect(inquiry[0] == 0x05 && inquiry[1] == 0x80)  // PDT 05h, RMB
        #expect(Array(inquiry[16..<21]) == ascii("VOPTA"))
        // MODE SENSE(6) page 2Ah as Linux sr asks (128 bytes): header (length 39, no block descriptor) + page.
        let sr = run(d, [0x1A, 0x00, 0x2A, 0, 128, 0])
        let page2A: [UInt8] = [
            0x2A, 0x22, 0x3B, 0x37, 0x70, 0x73, 0x29, 0x00, 0x21, 0x00, 0x00, 0x00, 0x08, 0x00, 0x21, 0x00,
            0x00, 0x00, 0x1B, 0x0D, 0x1B, 0x0D, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1B, 0x0D, 0x00, 0x01,
            0x00, 0x00, 0x1B, 0x0D,
        ]
        #expect(sr.data == [39, 0, 0, 0] + page2A)
        // MODE SENSE(10) 3Fh: 01h, 05h, 1Ah, 1Dh, 2Ah in order. 05h Write Parameters: TAO, track mode 4,
        // data block type 8, audio pause 150 (MMC-6 §7.5.4).
        let all = run(d, [0x5A, 0x08, 0x3F, 0, 0, 0, 0, 0x01, 0x00, 0]).data
        let page05: [UInt8] = [0x05, 0x32, 0x01, 0x04, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 150] + [UInt8](repeating: 0, count: 36)
        let pages: [UInt8] =
            [0x01, 0x0A, 0x00, 0x05, 0, 0, 0, 0, 0x05, 0, 0, 0] + page05
            + [0x1A, 0x26] + [UInt8](repeating: 0, count: 37) + [0x54]
            + [0x1D, 0x08, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF] + page2A
        #expect(all == [0x00, UInt8(6 + pages.count), 0, 0, 0, 0, 0, 0] + pages)
        // MODE SELECT may change the retry counts of page 01h, not page 2Ah.
        let select01: [UInt8] = [0, 0, 0, 0] + [0x01, 0x0A, 0x00, 0x09, 0, 0, 0, 0, 0x07, 0, 0, 0]
        #expect(run(d, [0x15, 0x10, 0, 0, UInt8(select01.count), 0], dataOut: select01).status == .good)
        #expect(run(d, [0x1A, 0x08, 0x01, 0, 16, 0]).data == [15, 0, 0, 0, 0x01, 0x0A, 0, 9, 0, 0, 0, 0, 7, 0, 0, 0])
        var select2A = [0, 0, 0, 0] + page2A
        select2A[4 + 6] = 0x2B
        #expect(run(d, [0x15, 0x10, 0, 0, UInt8(select2A.count), 0], dataOut: select2A).sense?.code
                == .invalidFieldInParameterList)
    }
}
