import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// A session at once that never finishes: the daemon restarts (or the disc is reloaded) after the cue
/// sheet and some of its writes. The record marks the cue sheet's tracks; reopening leaves what a drive
/// leaves after an interrupted burn: an appendable disc, the last session incomplete, the track being
/// written incomplete with its NWA after the last block that arrived.
@Suite struct SessionAtOnceRestartTests {
    typealias SAO = SessionAtOnceTests

    /// Two Mode 1 tracks of 300 blocks: track 1 at 0 (pre-gap from −150), track 2 at 450 (pre-gap from 300).
    static let twoTracks: [UInt8] = SAO.entry(0x41, 0, 0, 0x14, -150) + SAO.entry(0x41, 1, 0, 0x10, -150)
        + SAO.entry(0x41, 1, 1, 0x10, 0) + SAO.entry(0x41, 2, 0, 0x10, 300) + SAO.entry(0x41, 2, 1, 0x10, 450)
        + SAO.entry(0x41, 0xAA, 1, 0x14, 750)

    /// A blank CD-R with the two-track cue sheet sent and `blocks` written from −150, then dropped without
    /// SYNCHRONIZE CACHE or close (kill -9); returns the image for the next start.
    static func interruptedBurn(after blocks: Int32) -> BurnImage {
        let image = BurnImage()
        var d: OpticalDevice? = image.drive("profile-cdr/capacity-40000/")
        #expect(SAO.selectWriteType(d!, WriteType.sessionAtOnce).status == .good)
        #expect(SAO.sendCueSheet(d!, twoTracks).status == .good)
        var lba: Int32 = -150
        while lba < -150 + blocks {
            let n = min(50, -150 + blocks - lba)
            #expect(SAO.write(d!, lba: lba, blocks: UInt16(n)).status == .good)
            lba += n
        }
        d = nil
        return image
    }

    @Test func theRecordMarksTheCueSheetsTracksWhileTheSessionIsWritten() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(SAO.selectWriteType(d, WriteType.sessionAtOnce).status == .good)
        #expect(SAO.sendCueSheet(d, Self.twoTracks).status == .good)
        // Track 1 runs to track 2's index 1: track 2's pre-gap (300-449) is recorded at its end.
        #expect(Burn.status(d).contains("tracks=2 track1=s1:0+0/450,cue track2=s1:450+0/300,cue"))
        // The newest slot (generation 2, slot 1): two tracks, flags 04h (FROM CUE SHEET).
        let slot = Array(image.record[DiscRecord.slotBytes..<(2 * DiscRecord.slotBytes)])
        #expect(Array(slot[12..<20]) == [0, 0, 0, 0, 0, 0, 0, 2])
        #expect(Array(slot[33..<35]) == [0, 2])
        #expect(Array(slot[35..<52]) == [0, 1, 0, 1] + be32(0) + be32(450) + be32(0) + [0x04])
        #expect(Array(slot[52..<69]) == [0, 2, 0, 1] + be32(450) + be32(300) + be32(0) + [0x04])
        #expect(DiscRecord.decode(slot)?.layout.tracks.map(\.fromCueSheet) == [true, true])
    }

    @Test func aRestartInTrackOneLeavesAnIncompleteTrackOne() {
        let image = Self.interruptedBurn(after: 250)  // 150 pre-gap blocks, then LBA 0-99
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(Burn.status(d).contains(
            "state=appendable sessions=1 last-session=incomplete tracks=1 nwa=100 free=39900 track1=s1:0+100"))
        // READ DISC INFORMATION: appendable (01b), last session incomplete (01b): 05h; 1 session, track 1.
        #expect(Array(Burn.readDiscInformation(d)[2..<7]) == [0x05, 1, 1, 1, 1])
        // READ TRACK INFORMATION track 1: not blank, LRA_V and NWA_V, NWA 100, free 39900.
        let info = Burn.trackInformation(d, type: 1, 1).data
        #expect(Array(info[7..<16]) == [0x03] + be32(0) + be32(100))
        #expect(Array(info[16..<20]) == be32(39_900))
        // The disc as a drive leaves it: the user data that came reads back; a cue sheet is refused
        // (the open track is not blank), a TAO write at the NWA goes on, and the session closes.
        #expect(run(d, [0x28, 0] + be32(99) + [0, 0, 1, 0], capacity: 2048).data == OpticalImage.pattern(99))
        #expect(SAO.selectWriteType(d, WriteType.sessionAtOnce).status == .good)
        #expect(SAO.sendCueSheet(d, SAO.dataCue(start: 100, blocks: 300)).sense == Sense(.illegalRequest, .commandSequenceError))
        #expect(SAO.selectWriteType(d, WriteType.trackAtOnce, multi: 0b11).status == .good)
        #expect(Burn.write(d, lba: 100, blocks: 200).status == .good)
        #expect(Burn.close(d, 2).status == .good)
        #expect(Burn.status(d).contains("state=appendable sessions=2 last-session=empty tracks=2 nwa=11700"))
    }

    @Test func aRestartInTrackTwoClosesTrackOneAndLeavesTrackTwoIncomplete() {
        let image = Self.interruptedBurn(after: 150 + 300 + 150 + 20)  // pre-gap, track 1, pre-gap, 20 of track 2
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(Burn.status(d).contains(
            "state=appendable sessions=1 last-session=incomplete tracks=2 nwa=470 free=39530 "
                + "track1=s1:0+450/450,closed track2=s1:450+20"))
        // READ TOC format 0 lists both tracks; the lead-out after track 2's last recorded block (470).
        let toc = Burn.toc(d, format: 0).data
        #expect(Array(toc[0..<4]) == [0, 26, 1, 2])
        #expect(Array(toc[12..<28]) == [0, 0x15, 2, 0] + be32(450) + [0, 0x15, 0xAA, 0] + be32(470))
    }

    @Test func aRestartInTheSecondPregapLeavesTrackOneIncompleteInIt() {
        // Track 2's pre-gap is recorded at the end of track 1: stopping in it leaves track 1 incomplete.
        let image = Self.interruptedBurn(after: 150 + 300 + 100)
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(Burn.status(d).contains(
            "state=appendable sessions=1 last-session=incomplete tracks=1 nwa=400 free=39600 track1=s1:0+400"))
    }

    @Test func aRestartBeforeAnyUserBlockLeavesTheDiscBlank() {
        let image = Self.interruptedBurn(after: 100)  // pre-gap only
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(Burn.status(d).contains("state=blank sessions=1 last-session=empty tracks=1 nwa=0 free=40000 track1=s1:0+0"))
        #expect(Burn.readDiscInformation(d)[2] == 0x00)
        // A new cue sheet burns the disc from the start.
        #expect(SAO.selectWriteType(d, WriteType.sessionAtOnce).status == .good)
        #expect(SAO.sendCueSheet(d, SAO.dataCue(blocks: 300)).status == .good)
        #expect(SAO.write(d, lba: -150, blocks: 450).status == .good)
        #expect(SAO.synchronizeCache(d).status == .good)
        #expect(Burn.status(d).contains("state=complete sessions=1 last-session=complete tracks=1 track1=s1:0+300/300,closed"))
    }

    @Test func everyBlockWrittenButNoFlushLeavesTheSessionIncomplete() {
        let image = Self.interruptedBurn(after: 900)  // everything the host sends; no SYNCHRONIZE CACHE
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(Burn.status(d).contains(
            "state=appendable sessions=1 last-session=incomplete tracks=3 nwa=750 free=39250 "
                + "track1=s1:0+450/450,closed track2=s1:450+300/300,closed track3=s1:750+0"))
    }

    @Test func aCloseSessionInTheMiddleEndsTheSessionAtOnceAsInterrupted() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(SAO.selectWriteType(d, WriteType.sessionAtOnce, multi: 0b11).status == .good)
        #expect(SAO.sendCueSheet(d, Self.twoTracks).status == .good)
        #expect(SAO.write(d, lba: -150, blocks: 250).status == .good)
        #expect(Burn.close(d, 2).status == .good)
        #expect(Burn.status(d).contains("state=appendable sessions=2 last-session=empty tracks=2 nwa=11500"))
        #expect(Burn.status(d).contains("track1=s1:0+100/100,closed track2=s2:11500+0"))
        // The cue sheet is gone: with page 05h still saying session at once, a write needs a new one.
        #expect(SAO.write(d, lba: 100, blocks: 1).sense == Sense(.illegalRequest, .commandSequenceError))
    }
}
