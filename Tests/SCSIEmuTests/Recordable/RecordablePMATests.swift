import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// READ TOC/PMA/ATIP format 3 (PMA, MMC-6 §6.26.3.5) on CD-R/RW, and the full TOC (format 2, §6.26.3.4)
/// of a disc whose last session is incomplete: the incomplete session has no lead-in, so only the complete
/// sessions are listed and B0h names the incomplete session's program area.
@Suite struct RecordablePMATests {
    static func pma(_ d: OpticalDevice) -> Outcome { run(d, [0x43, 0x02, 0x03, 0, 0, 0, 0, 0x03, 0x00, 0]) }
    static func fullTOC(_ d: OpticalDevice) -> Outcome { run(d, [0x43, 0x02, 0x02, 0, 0, 0, 0, 0x03, 0x00, 0]) }

    @Test func thePMAListsEachClosedTrackWithItsStopAndStartTimes() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-300000/")
        // Blank: an empty PMA, the header alone.
        #expect(Self.pma(d).data == [0, 2, 0, 0])
        #expect(Burn.write(d, lba: 0, blocks: 300).status == .good)
        // The open track is not in the PMA until it is closed.
        #expect(Self.pma(d).data == [0, 2, 0, 0])
        #expect(Burn.close(d, 0b001, number: 1).status == .good)
        #expect(Burn.write(d, lba: 300, blocks: 450).status == .good)
        #expect(Burn.close(d, 0b001, number: 2).status == .good)
        // Track 1: LBA 0-299 = 00:02:00-00:05:74; track 2: 300-749 = 00:06:00-00:11:74. ADR 1, CONTROL 5h.
        #expect(Self.pma(d).data == [0, 24, 0, 0,
                                     0, 0x15, 0, 1, 0, 5, 74, 0, 0, 2, 0,
                                     0, 0x15, 0, 2, 0, 11, 74, 0, 0, 6, 0])
        // DVD media have no PMA: INVALID FIELD IN CDB at FORMAT.
        let dvd = BurnImage().drive("profile-dvd-r/capacity-4096/")
        #expect(Self.pma(dvd).sense == Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 3)))
    }

    @Test func aFullTOCLeavesOutTheIncompleteSessionAndPointsB0AtIt() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-300000/")
        #expect(RecordableMediaTests.selectMultiSession(d, 0b11).status == .good)
        #expect(Burn.write(d, lba: 0, blocks: 300).status == .good)
        #expect(Burn.close(d, 0b010).status == .good)
        // Session 2 begun (track 2 at 300 + 11400 = 11700, 100 blocks written) and not closed: an incomplete session.
        #expect(Burn.write(d, lba: 11_700, blocks: 100).status == .good)
        #expect(Burn.readDiscInformation(d)[2] == 0x05)
        // Session 1 only: A0h track 1, A1h track 1, A2h lead-out 00:06:00 (LBA 300), track 1 at 00:02:00;
        // B0h: next program area 02:38:00 (LBA 11700 + 150 = 11850 frames), one mode 5 pointer, last possible
        // lead-out start 66:42:00 (LBA 300000).
        let expected: [UInt8] = [0, 57, 1, 1,
                                 1, 0x15, 0, 0xA0, 0, 0, 0, 0, 1, 0, 0,
                                 1, 0x15, 0, 0xA1, 0, 0, 0, 0, 1, 0, 0,
                                 1, 0x15, 0, 0xA2, 0, 0, 0, 0, 0, 6, 0,
                                 1, 0x15, 0, 1, 0, 0, 0, 0, 0, 2, 0,
                                 1, 0x55, 0, 0xB0, 2, 38, 0, 1, 66, 42, 0]
        #expect(Self.fullTOC(d).data == expected)
        // Closing session 2 adds it with its own points, and B0h moves after it (11800 + 6900 = 18700: 04:11:25).
        #expect(Burn.close(d, 0b010).status == .good)
        let closed = Self.fullTOC(d).data
        #expect(closed.count == 4 + 9 * 11 && closed[3] == 2)
        #expect(Array(closed.suffix(11)) == [2, 0x55, 0, 0xB0, 4, 11, 25, 1, 66, 42, 0])
    }
}
