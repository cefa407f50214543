import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// CD-R/RW, DVD-R, DVD+RW and the operator's controls, in exact bytes (MMC-6 §6.26.3.7 ATIP, §7.5.4 Write
/// Parameters MULTI-SESSION, §6.3 CLOSE SESSION on CD, §6.2 BLANK, §6.5 FORMAT UNIT, §6.31 RESERVE TRACK).
@Suite struct RecordableMediaTests {
    /// MODE SELECT(10) of page 05h with MULTI-SESSION `multi` (write type TAO, track mode 4, block type 8).
    static func selectMultiSession(_ d: OpticalDevice, _ multi: UInt8) -> Outcome {
        var page = [UInt8](repeating: 0, count: 52)
        page[0] = 0x05; page[1] = 0x32; page[2] = 0x01; page[3] = multi << 6 | 0x04; page[4] = 0x08; page[15] = 150
        let list = [UInt8](repeating: 0, count: 8) + page
        return run(d, [0x55, 0x10, 0, 0, 0, 0, 0, 0, UInt8(list.count), 0], dataOut: list)
    }

    @Test func cdrATIPAndClosingWithoutMultiSessionFinalizes() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-300000/")
        // ATIP: 26 bytes follow; power 5/speed 2, URU, CD-R (disc type 0); lead-in 97:26:66; last lead-out
        // start = MSF(300000) = 300150 frames = 66:42:00.
        var atip: [UInt8] = [0, 26, 0, 0, 0xD2, 0x40, 0x80, 0]
        atip += [97, 26, 66, 0, 66, 42, 0, 0]
        atip += [UInt8](repeating: 0, count: 12)
        #expect(Burn.toc(d, format: 4).data == atip)
        // Blank CD track: data mode Fh; no blocking factor on CD.
        #expect(Array(Burn.trackInformation(d, type: 1, 0xFF).data[5..<8]) == [0x04, 0x4F, 0x01])
        // Blank CD: lead-in/out in MSF: 00:02:00 (LBA 0) and 66:42:00.
        #expect(Array(Burn.readDiscInformation(d)[16..<24]) == [0, 0, 2, 0, 0, 66, 42, 0])
        #expect(Burn.write(d, lba: 0, blocks: 10).status == .good)
        #expect(Burn.close(d, 1, number: 1).status == .good)
        #expect(Burn.close(d, 2).status == .good)  // page 05h MULTI-SESSION 00b: no next session
        #expect(Burn.readDiscInformation(d)[2] == 0x0E)
        #expect(Burn.toc(d, format: 4).status == .good)  // ATIP stays readable
    }

    @Test func cdrMultiSessionLeavesTheLeadOutLeadInGap() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-300000/")
        #expect(Self.selectMultiSession(d, 0b11).status == .good)
        #expect(Burn.write(d, lba: 0, blocks: 100).status == .good)
        #expect(Burn.close(d, 2).status == .good)
        // Session 2's track 2 starts after 6750 + 4500 + 150 blocks (Orange Book; cdrecord -msinfo "0,11500").
        let next: [UInt8] = [2, 2, 0, 0x04, 0x4F, 0x01] + be32(11_500) + be32(11_500)
        #expect(Array(Burn.trackInformation(d, type: 1, 0xFF).data[2..<16]) == next)
        #expect(Burn.write(d, lba: 100, blocks: 1).sense == Burn.invalidAddressForWrite)
    }

    @Test func blankMakesACDRWBlankAgainButNotACDR() {
        let image = BurnImage()
        let rw = image.drive("profile-cdrw/capacity-1000/")
        #expect(Burn.write(rw, lba: 0, blocks: 4).status == .good)
        #expect(Burn.readDiscInformation(rw)[2] == 0x15)  // erasable, incomplete, appendable
        #expect(run(rw, [0xA1, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).status == .good)
        #expect(Burn.readDiscInformation(rw)[2] == 0x10)  // erasable, empty, blank
        #expect(run(rw, [0xA1, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).sense == invalidCDB(1, 2))  // blank a track
        let other = BurnImage()
        let r = other.drive("profile-cdr/capacity-1000/")
        #expect(run(r, [0xA1, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).sense
                == Sense(.illegalRequest, .cannotWriteMediumIncompatibleFormat))
    }

    @Test func dvdPlusRWFormatsAndOverwrites() {
        let image = BurnImage()
        let d = image.drive("profile-dvd+rw/capacity-2048/")
        // Unformatted: READ FORMAT CAPACITIES current descriptor 01b, then format type 26h.
        let capacities: [UInt8] = [0, 0, 0, 16] + be32(2048) + [0x01, 0, 0x08, 0] + be32(2048) + [0x98, 0, 0, 0]
        #expect(run(d, [0x23, 0, 0, 0, 0, 0, 0, 0, 252, 0]).data == capacities)
        #expect(Burn.readDiscInformation(d)[2] == 0x10)  // erasable, blank
        // The one track: blank, no NWA, every block free (a real blank DVD+RW: "Free Blocks: 2295104*2KB").
        var track: [UInt8] = [0x04, 0x41, 0x00] + be32(0) + be32(0) + be32(2048)
        track += be32(16) + be32(2048) + be32(0)
        #expect(Array(Burn.trackInformation(d, type: 1, 1).data[5..<32]) == track)
        let list: [UInt8] = [0, 0x02, 0, 8] + be32(2048) + [0x26 << 2, 0, 0, 0]
        #expect(run(d, [0x04, 0x11, 0, 0, 0, 0], dataOut: list).status == .good)
        #expect(Array(Burn.readDiscInformation(d)[2..<8]) == [0x1E, 1, 1, 1, 1, 0x23])  // complete, BG format done
        // Formatted: recorded to the last block (LRA_V, LRA 2047), still every block free for overwriting.
        track = [0x04, 0x01, 0x02] + be32(0) + be32(0) + be32(2048)
        track += be32(16) + be32(2048) + be32(2047)
        #expect(Array(Burn.trackInformation(d, type: 1, 1).data[5..<32]) == track)
        #expect(Burn.write(d, lba: 100, blocks: 2).status == .good)
        #expect(Burn.write(d, lba: 100, blocks: 2).status == .good)  // overwrite
        #expect(Burn.readCapacity(d) == be32(2047) + be32(2048))
        let plusRW: [UInt8] = [0, 0, 0, 12, 0, 0, 0, 0x1A, 0x00, 0x2A, 0x05, 4, 1, 0, 0, 0]
        #expect(run(d, [0x46, 0x02, 0x00, 0x2A, 0, 0, 0, 0, 16, 0]).data == plusRW)
    }

    @Test func dvdMinusRReservesATrack() {
        let image = BurnImage()
        let d = image.drive("profile-dvd-r/capacity-1024/")
        #expect(run(d, [0x53, 0, 0, 0, 0, 0, 0, 0, 20, 0]).status == .good)  // 20 → 32 blocks (ECC)
        let t1 = Burn.trackInformation(d, type: 1, 1).data
        var reserved: [UInt8] = [0x04, 0xE1, 0x01] + be32(0) + be32(0)
        reserved += be32(32) + be32(16) + be32(32) + be32(0)
        #expect(Array(t1[5..<32]) == reserved)
        let next: [UInt8] = [2, 1, 0, 0x04, 0x61, 0x01] + be32(32) + be32(32)
        #expect(Array(Burn.trackInformation(d, type: 1, 0xFF).data[2..<16]) == next)
        #expect(run(d, [0x53, 0, 0, 0, 0, 0, 0, 0, 16, 0]).status == .good)  // track 2 is still blank
        #expect(Burn.write(d, lba: 48, blocks: 1).status == .good)  // track 3
        #expect(run(d, [0x53, 0, 0, 0, 0, 0, 0, 0, 16, 0]).sense == Sense(.illegalRequest, .commandSequenceError))
        #expect(Burn.write(d, lba: 0, blocks: 33).sense == Burn.invalidAddressForWrite)  // past track 1's size
        #expect(Burn.write(d, lba: 0, blocks: 32).status == .good)
    }

    @Test func controlInsertBlankStatusAndExport() throws {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("ro/", image: image)
        let burn = BurnImage()
        #expect(try control(d, "insert --blank dvd+r --capacity 512 \(burn.path)")
                == "inserted \(burn.path) (profile-dvd+r, writable, 512 blocks)")
        drainUnitAttentions(d)
        #expect(Burn.write(d, lba: 0, blocks: 3).status == .good)
        #expect(try control(d, "status") == "tray=closed disc=yes locked=no profile=profile-dvd+r write-protected=no "
                + "blocks=512 state=appendable sessions=1 last-session=incomplete tracks=1 nwa=3 free=509 "
                + "track1=s1:0+3 image=\(burn.path)")
        let out = burn.dir + "/out.iso"
        #expect(try control(d, "export \(out)") == "exported 3 blocks (6144 bytes) to \(out)")
        let exported = [UInt8](FileManager.default.contents(atPath: out) ?? Data())
        #expect(exported == OpticalImage.pattern(0) + OpticalImage.pattern(1) + OpticalImage.pattern(2))
        #expect(refusal(d, "insert --blank dvdrom \(burn.path)")?.message.hasPrefix(
            "--blank 'dvdrom' is not a recordable profile (one of: cdr, cdrw, dvd-r, dvd-rw-ro, dvd-rw, dvd+rw, dvd+r, bd-r, bd-re)")
            == true)
    }
}
