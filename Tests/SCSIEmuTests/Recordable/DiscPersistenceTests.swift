import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// The disc record (`<image>.disc`, two CRC-checked slots): a restart finds the disc as it was left, an
/// interrupted burn leaves an appendable disc with an incomplete track, a torn newer slot loses to the
/// older one.
@Suite struct DiscPersistenceTests {
    @Test func restartKeepsSessionsAndTracks() {
        let image = BurnImage()
        do {
            let d = image.drive("profile-dvd+r/capacity-1024/")
            #expect(Burn.write(d, lba: 0, blocks: 16).status == .good)
            #expect(Burn.close(d, 2).status == .good)
            #expect(Burn.write(d, lba: 16, blocks: 8).status == .good)
            d.close()
        }
        let d = image.drive("profile-dvd+r/capacity-1024/")
        #expect(Array(Burn.readDiscInformation(d)[2..<7]) == [0x05, 1, 2, 2, 2])  // appendable, incomplete
        #expect(Burn.status(d).contains(
            "state=appendable sessions=2 last-session=incomplete tracks=2 nwa=24 free=1000 "
                + "track1=s1:0+16/16,closed track2=s2:16+8"))
        #expect(run(d, [0x28, 0, 0, 0, 0, 20, 0, 0, 1, 0], capacity: 2048).data == OpticalImage.pattern(20))
        #expect(Burn.write(d, lba: 24, blocks: 1).status == .good)  // the burn goes on at the NWA
    }

    /// A kill -9 mid-burn: nothing closes the drive; the record written after each WRITE (page cache)
    /// is what the next start finds: an incomplete track, NWA after the last completed write.
    @Test func interruptedBurnIsAnIncompleteTrack() {
        let image = BurnImage()
        var d: OpticalDevice? = image.drive("profile-dvd+r/capacity-1024/")
        for i in 0..<4 { #expect(Burn.write(d!, lba: UInt32(i * 16), blocks: 16).status == .good) }
        d = nil  // dropped without close or SYNCHRONIZE CACHE
        let again = image.drive("profile-dvd+r/capacity-1024/")
        #expect(Burn.readDiscInformation(again)[2] == 0x05)
        #expect(Array(Burn.trackInformation(again, type: 1, 0xFF).data[6..<16]) == [0x01, 0x03] + be32(0) + be32(64))
    }

    @Test func tornNewerSlotLosesToTheOlder() throws {
        let image = BurnImage()
        do {
            let d = image.drive("profile-dvd+r/capacity-1024/")
            // The blank record is generation 1 in slot 0; then generation 2 in slot 1, 3 in slot 0.
            #expect(Burn.write(d, lba: 0, blocks: 16).status == .good)
            #expect(Burn.write(d, lba: 16, blocks: 16).status == .good)
            d.close()
        }
        var bytes = image.record
        #expect(DiscRecord.decode(Array(bytes[..<DiscRecord.slotBytes]))?.generation == 3)
        #expect(DiscRecord.decode(Array(bytes[DiscRecord.slotBytes...]))?.generation == 2)
        bytes[30] ^= 0xFF  // tear the newer slot's payload: its CRC fails
        #expect(DiscRecord.decode(Array(bytes[..<DiscRecord.slotBytes])) == nil)
        try Data(bytes).write(to: URL(fileURLWithPath: image.recordPath))
        let d = image.drive("profile-dvd+r/capacity-1024/")
        #expect(Array(Burn.trackInformation(d, type: 1, 0xFF).data[12..<16]) == be32(16))  // NWA of generation 2
    }

    @Test func recordBytesAreTheDocumentedLayout() {
        var l = DiscLayout(blank: .cdR, capacity: 0x1234)
        try! l.write(lba: 0, blocks: 5)
        let slot = DiscRecord.slot(l, generation: 7)
        // 28 payload bytes of layout, then the CD extension: 13 catalog bytes and 16 a track (57 in all).
        var head: [UInt8] = Array("EMUDDISC".utf8) + [0, 1, 0, 57] + [0, 0, 0, 0, 0, 0, 0, 7]
        #expect(Array(slot[0..<20]) == head)
        head = [0x00, 0x09, 0, 0, 0x12, 0x34, 0, 0, 0x00, 0, 1]
        head += [0, 1, 0, 1, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 5, 0x00]
        #expect(Array(slot[24..<52]) == head)
        #expect(slot[52..<81].allSatisfy { $0 == 0 })
        #expect(DiscRecord.decode(slot)?.layout == l)
    }

    @Test func theCDExtensionKeepsCatalogPregapsAndISRCs() {
        var l = DiscLayout(blank: .cdR, capacity: 0x1234)
        try! l.write(lba: 0, blocks: 5, audio: true)
        l.catalog = "0123456789012"
        l.tracks[0].pregap = 0x96
        l.tracks[0].isrc = "USABC2600001"
        let slot = DiscRecord.slot(l, generation: 1)
        #expect(Array(slot[52..<65]) == Array("0123456789012".utf8))
        #expect(Array(slot[65..<81]) == [0, 0, 0, 0x96] + Array("USABC2600001".utf8))
        #expect(DiscRecord.decode(slot)?.layout == l)
        // A record without the extension (written before it existed) still decodes, the codes absent.
        var old = Array(slot[0..<52])
        old[10...11] = [0, 28]
        let crc = ZonedMetadata.crc32((Array(old[0..<20]) + old[24..<52])[...])
        old.replaceSubrange(20..<24, with: be32(crc))
        var plain = l
        plain.catalog = nil
        plain.tracks[0].pregap = 0
        plain.tracks[0].isrc = nil
        #expect(DiscRecord.decode(old)?.layout == plain)
        // A DVD record has no extension.
        #expect(DiscRecord.payload(DiscLayout(blank: .dvdPlusR, capacity: 16)).count == 28)
    }
}
