import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// The fourth kind of the one short/long Data-Out answer (`BlockEngine.checkDataOut`, docs/architecture.md):
/// a write-once disc refuses a Data-Out that is not exactly the transfer length with ILLEGAL REQUEST /
/// INVALID FIELD IN COMMAND INFORMATION UNIT (0E/03) before its recording policy sees the write, as the
/// disk (`BlockReadWriteTests.dataOutLengthMustMatchTheBlocks`), the zoned disk and the DVD-RAM
/// (`dataOutNotMatchingTheTransferLengthWritesNothing`) do.
@Suite struct RecordableDataOutTests {
    /// READ TRACK INFORMATION of the invisible track (FFh): bytes 12–15 NEXT WRITABLE ADDRESS (MMC-6 §6.27.3).
    static func nextWritableAddress(_ d: OpticalDevice) -> [UInt8] {
        Array(Burn.trackInformation(d, type: 1, 0xFF).data[12..<16])
    }

    @Test(arguments: ["profile-dvd+r/capacity-1024/", "profile-cdr/capacity-300000/"])
    func dataOutNotMatchingTheTransferLengthRecordsNothing(_ options: String) {
        let image = BurnImage()
        let d = image.drive(options)
        let refused = Sense(.illegalRequest, .invalidFieldInCommandInformationUnit)
        let recordBefore = image.record
        let one = OpticalImage.pattern(0), three = one + OpticalImage.pattern(1) + OpticalImage.pattern(2)
        // WRITE(10) of 2 blocks at LBA 0 (the next writable address): | 2Ah | 0 | LBA ×4 | 0 | 00 02 | 0 |
        let write2: [UInt8] = [0x2A, 0, 0, 0, 0, 0, 0, 0, 2, 0]
        #expect(run(d, write2, dataOut: one).sense == refused)  // short
        #expect(run(d, write2, dataOut: three).sense == refused)  // long
        // Nothing recorded: the next writable address did not move, the .disc record did not change, the
        // disc still reads as blank (READ CAPACITY: no recorded block).
        #expect(Self.nextWritableAddress(d) == [0, 0, 0, 0])
        #expect(image.record == recordBefore)
        #expect(Burn.readCapacity(d) == [0, 0, 0, 0, 0, 0, 0x08, 0])
        // The whole transfer is then recorded at that same address.
        #expect(Burn.write(d, lba: 0, blocks: 2).status == .good)
        #expect(Self.nextWritableAddress(d) == [0, 0, 0, 2])
        #expect(run(d, [0x28, 0, 0, 0, 0, 1, 0, 0, 1, 0], capacity: 2048).data == OpticalImage.pattern(1))
    }
}
