import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// TEST WRITE (page 05h byte 2 bit 4, MMC-6 §7.5.4.2): a simulated burn is checked as a real one and the
/// drive reports its progress, but nothing lands on the disc: afterwards the disc, its image and its
/// record are exactly as before (as `wodim -dummy` and libburn's simulate expect).
@Suite struct TestWriteTests {
    /// MODE SELECT(10) of page 05h with TEST WRITE, write type `type`, a mode 1 data track.
    static func selectTestWrite(_ d: OpticalDevice, _ type: UInt8, on: Bool = true) -> Outcome {
        SessionAtOnceTests.selectWriteType(d, type | (on ? 0x10 : 0))
    }

    static func nwa(_ d: OpticalDevice) -> [UInt8] {
        Array(Burn.trackInformation(d, type: 1, 0xFF).data[12..<16])
    }

    @Test func aTrackAtOnceTestWriteMovesTheNWAButLeavesTheDiscBlank() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        let record = image.record
        #expect(Self.selectTestWrite(d, WriteType.trackAtOnce).status == .good)
        #expect(WriteParametersTests.currentPage(d)[2] == 0x11)
        #expect(Burn.write(d, lba: 0, blocks: 16).status == .good)
        #expect(Burn.write(d, lba: 16, blocks: 16).status == .good)
        // The simulated disc took the writes: its NWA moved, a write off it is refused as on a real burn.
        #expect(Self.nwa(d) == be32(32))
        #expect(Burn.write(d, lba: 0, blocks: 1).sense == Burn.invalidAddressForWrite)
        #expect(Burn.readDiscInformation(d)[2] == 0x05)  // appendable, last session incomplete (simulated)
        #expect(Burn.close(d, 0b001, number: 1).status == .good)
        #expect(Self.nwa(d) == be32(32))
        #expect(Burn.write(d, lba: 32, blocks: 300).status == .good)
        #expect(Burn.close(d, 0b001, number: 2).status == .good)
        // Closing the session ends the simulation: the disc is blank, nothing was written or recorded.
        #expect(Burn.close(d, 0b010).status == .good)
        #expect(Burn.readDiscInformation(d)[2] == 0x00)
        #expect(Self.nwa(d) == be32(0))
        #expect(Burn.status(d).contains("state=blank sessions=1 last-session=empty tracks=1 nwa=0 free=40000"))
        #expect(image.record == record)
        let data = [UInt8](FileManager.default.contents(atPath: image.path) ?? Data())
        #expect(data.count == 40000 * 2048 && data.allSatisfy { $0 == 0 })
        // A read of a block the simulation wrote: nothing is recorded there.
        #expect(run(d, [0x28, 0] + be32(0) + [0] + be16(1) + [0], capacity: 2048).sense == Burn.outOfRange)
    }

    @Test func aSessionAtOnceTestWriteEndsAtTheFlushWithTheDiscUnchanged() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        let record = image.record
        #expect(Self.selectTestWrite(d, WriteType.sessionAtOnce).status == .good)
        #expect(SessionAtOnceTests.sendCueSheet(d, SessionAtOnceTests.dataCue(blocks: 400)).status == .good)
        #expect(SessionAtOnceTests.write(d, lba: 0, blocks: 1).sense == Burn.invalidAddressForWrite)
        #expect(SessionAtOnceTests.write(d, lba: -150, blocks: 150).status == .good)
        #expect(SessionAtOnceTests.write(d, lba: 0, blocks: 400).status == .good)
        // Track 1 of the simulated disc is written (not blank: byte 6 bit 6 clear), the session incomplete.
        #expect(Burn.trackInformation(d, type: 1, 1).data[6] & 0x40 == 0)
        #expect(Burn.readDiscInformation(d)[2] == 0x05)
        #expect(SessionAtOnceTests.synchronizeCache(d).status == .good)
        #expect(Burn.readDiscInformation(d)[2] == 0x00)
        #expect(image.record == record)
        #expect(Burn.status(d).contains("state=blank"))
        // A real burn follows on the same blank disc.
        #expect(Self.selectTestWrite(d, WriteType.sessionAtOnce, on: false).status == .good)
        #expect(SessionAtOnceTests.sendCueSheet(d, SessionAtOnceTests.dataCue(blocks: 400)).status == .good)
        #expect(SessionAtOnceTests.write(d, lba: -150, blocks: 550).status == .good)
        #expect(SessionAtOnceTests.synchronizeCache(d).status == .good)
        #expect(Burn.status(d).contains("state=complete sessions=1 last-session=complete tracks=1 track1=s1:0+400/400,closed"))
    }

    @Test func aRealWriteOrAReloadEndsASimulationUnfinished() {
        let image = BurnImage()
        let d = image.drive("profile-dvd-r/capacity-4096/")
        #expect(Self.selectTestWrite(d, WriteType.packet).status == .good)
        #expect(Burn.write(d, lba: 0, blocks: 16).status == .good)
        #expect(Self.nwa(d) == be32(16))
        // TEST WRITE cleared: the next write is real, at the recorded disc's NWA (0), the simulation gone.
        #expect(Self.selectTestWrite(d, WriteType.packet, on: false).status == .good)
        #expect(Burn.write(d, lba: 16, blocks: 16).sense == Burn.invalidAddressForWrite)
        #expect(Burn.write(d, lba: 0, blocks: 16).status == .good)
        #expect(Burn.status(d).contains("track1=s1:0+16"))
        // A simulation in progress is not in the record: a new drive on the image finds the real disc.
        #expect(Self.selectTestWrite(d, WriteType.packet).status == .good)
        #expect(Burn.write(d, lba: 16, blocks: 32).status == .good)
        #expect(Self.nwa(d) == be32(48))
        let again = image.drive("profile-dvd-r/capacity-4096/")
        #expect(Self.nwa(again) == be32(16))
    }

    @Test func dvdPlusRHasNoTestWriteAndWritesForReal() {
        let image = BurnImage()
        let d = image.drive("profile-dvd+r/capacity-4096/")
        #expect(Self.selectTestWrite(d, WriteType.packet).status == .good)
        #expect(Burn.write(d, lba: 0, blocks: 16).status == .good)
        #expect(Burn.status(d).contains("state=appendable") && Burn.status(d).contains("track1=s1:0+16"))
    }
}
