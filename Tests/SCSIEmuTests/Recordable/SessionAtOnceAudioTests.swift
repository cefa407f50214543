import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// CD-DA written session at once (MMC-6 §6.33: cue sheet DATA FORM 00h/01h, ADR 2 catalog and ADR 3 ISRC
/// pairs), in exact bytes: the cue sheet wodim -dao -audio sends (track 2's pre-gap is the end of track 1's
/// data, cdrecord's layout), the burned disc's READ CD sectors, Q sub-channel in the pre-gap (INDEX 00,
/// relative time counting down: ECMA-130 §22.3.3.3), READ SUB-CHANNEL formats 02h/03h (§6.28), the TOC, and
/// all of it after a restart.
@Suite struct SessionAtOnceAudioTests {
    typealias SAO = SessionAtOnceTests
    static let catalog = "0123456789012"
    static let isrc1 = "DEXYZ2600001"
    static let isrc2 = "DEXYZ2600002"

    static func pair(_ adr: UInt8, _ tno: UInt8?, _ text: String) -> [UInt8] {
        var chars = Array(text.utf8)
        if adr == 2 { chars.append(0) }
        let head: [UInt8] = tno.map { [adr, $0] } ?? [adr]
        let half = chars.count / 2
        return head + chars[..<half] + head + chars[half...]
    }

    /// wodim -dao mcn=… -audio isrc=… t1.wav isrc=… t2.wav: tracks of 600 and 450 sectors, track 2's pre-gap
    /// (150) the last sectors of track 1's file: index 0 at 450, index 1 at 600, the lead-out at 1050.
    static let twoAudioTracks: [UInt8] = pair(2, nil, catalog) + SAO.entry(0x01, 0, 0, 0x01, -150)
        + pair(3, 1, isrc1) + SAO.entry(0x01, 1, 0, 0x00, -150) + SAO.entry(0x01, 1, 1, 0x00, 0)
        + pair(3, 2, isrc2) + SAO.entry(0x01, 2, 0, 0x00, 450) + SAO.entry(0x01, 2, 1, 0x00, 600)
        + SAO.entry(0x01, 0xAA, 1, 0x01, 1050)

    static func refusal(_ bytes: [UInt8]) -> Sense? { SAO.refusal(bytes) }
    static func invalid(_ byte: UInt16, bit: UInt8 = 7) -> Sense { SAO.invalidParameter(byte, bit: bit) }

    @Test func theWodimAudioCueSheetParsesWithItsCodes() throws {
        let cue = Self.twoAudioTracks
        #expect(Array(cue[0..<16]) == [0x02, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x02, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x00])
        #expect(Array(cue[24..<40]) == [0x03, 1, 0x44, 0x45, 0x58, 0x59, 0x5A, 0x32, 0x03, 1, 0x36, 0x30, 0x30, 0x30, 0x30, 0x31])
        #expect(Array(cue[72..<96]) == [0x01, 2, 0, 0, 0, 0, 8, 0, 0x01, 2, 1, 0, 0, 0, 10, 0, 0x01, 0xAA, 1, 0x01, 0, 0, 16, 0])
        let sheet = try MMCCueSheet.parse(cue)
        #expect(sheet.catalog == Self.catalog)
        #expect(sheet.tracks == [
            MMCCueSheet.Track(number: 1, pregapStart: -150, start: 0, end: 450, control: 0, offset: 48, audio: true, isrc: Self.isrc1),
            MMCCueSheet.Track(number: 2, pregapStart: 450, start: 600, end: 1050, control: 0, offset: 80, audio: true, isrc: Self.isrc2),
        ])
        #expect(sheet.regions == [
            MMCCueSheet.Region(lbas: -150..<0, form: .audio, track: 1), MMCCueSheet.Region(lbas: 0..<450, form: .audio, track: 1),
            MMCCueSheet.Region(lbas: 450..<600, form: .audio, track: 2), MMCCueSheet.Region(lbas: 600..<1050, form: .audio, track: 2),
        ])
        // A write over the pre-gap end: 2352 bytes a block, the pre-gap before index 1 not recorded.
        var sao = SessionAtOnce(cue: sheet, finalize: true)
        let taken = try sao.take(lba: -150, blocks: 160)
        #expect(taken.bytes == 160 * 2352)
        #expect(taken.pieces == [
            SessionAtOnce.Piece(lbas: -150..<0, form: .audio, byteOffset: 0, recorded: false),
            SessionAtOnce.Piece(lbas: 0..<10, form: .audio, byteOffset: 150 * 2352, recorded: true),
        ])
    }

    @Test func audioCueSheetRefusalsPointAtTheField() {
        let good = Self.twoAudioTracks
        var bad = good
        bad[51] = 0x10  // track 1 index 1 (offset 48): Mode 1 data form under an audio CTL
        #expect(Self.refusal(bad) == Self.invalid(51))
        bad = good
        bad[51] = 0x40  // CD-DA with sub-channel data (R-W): not offered
        #expect(Self.refusal(bad) == Self.invalid(51))
        bad = good
        bad[19] = 0x41  // CD-TEXT in the lead-in (offset 16)
        #expect(Self.refusal(bad) == Self.invalid(19))
        bad = good
        bad[48] = 0x41; bad[51] = 0x10  // track 1's index 1 a data track while its index 0 was audio: the CTL data bit
        #expect(Self.refusal(bad) == Self.invalid(48, bit: 6))
        bad = good
        bad[3] = 0x41  // "A" in the catalog number
        #expect(Self.refusal(bad) == Self.invalid(3))
        bad = good
        bad[15] = 0x33  // the catalog's 14th byte must be 00h
        #expect(Self.refusal(bad) == Self.invalid(15))
        bad = good
        bad[33] = 2  // the ISRC pair's second TNO differs
        #expect(Self.refusal(bad) == Self.invalid(33))
        bad = good
        bad[31] = 0x41  // I6 (the year's first digit) a letter
        #expect(Self.refusal(bad) == Self.invalid(31))
        // The catalog after the lead-in; half a catalog pair; track 2's ISRC before track 1.
        let leadIn = Array(good[16..<24])
        #expect(Self.refusal(leadIn + Self.pair(2, nil, Self.catalog) + Array(good[24...])) == Self.invalid(8, bit: 3))
        #expect(Self.refusal(Array(good[0..<8]) + Array(good[16...])) == Self.invalid(16, bit: 3))  // the ISRC where N8… belonged
        let early = leadIn + Self.pair(3, 2, Self.isrc2) + Array(good[40..<56]) + Array(good[72...])
        #expect(Self.refusal(early) == Self.invalid(9))
        // A pre-gap of no length (index 0 at index 1, as wodim sends a track without one): accepted.
        let noGap = Array(good[16..<56]) + SAO.entry(0x01, 2, 0, 0x00, 600) + Array(good[80...])
        #expect(try! MMCCueSheet.parse(noGap).tracks[1].pregapStart == 600)
    }

    /// WRITE(10) of `blocks` CD-DA sectors at the signed `lba` (silence before LBA 0).
    static func writeAudio(_ d: OpticalDevice, lba: Int32, blocks: UInt16) -> Outcome {
        let data: [UInt8] = (0..<Int(blocks)).flatMap { (i: Int) -> [UInt8] in
            lba + Int32(i) < 0 ? [UInt8](repeating: 0, count: 2352) : BurnedAudioTests.samples(Int(lba) + i)
        }
        return run(d, [0x2A, 0] + be32(UInt32(bitPattern: lba)) + [0] + be16(blocks) + [0], dataOut: data)
    }

    static func q(_ d: OpticalDevice, _ lba: UInt32) -> [UInt8] {
        run(d, [0xBE, 0x00] + be32(lba) + be24(1) + [0x00, 0x02, 0], capacity: 16).data
    }

    static func qBytes(_ ten: [UInt8]) -> [UInt8] {
        let crc = CDSubchannel.crc(ten[0..<10])
        return ten + [UInt8(crc >> 8), UInt8(crc & 0xFF), 0, 0, 0, 0]
    }

    static func subChannel(_ d: OpticalDevice, format: UInt8, track: UInt8 = 0) -> [UInt8] {
        run(d, [0x42, 0, 0x40, format, 0, 0, track, 0, 24, 0]).data
    }

    @Test func twoAudioTracksBurnedAtOnceReadAsAPressedCD() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(SAO.selectWriteType(d, WriteType.sessionAtOnce).status == .good)
        #expect(SAO.sendCueSheet(d, Self.twoAudioTracks).status == .good)
        // 2048-byte blocks where the cue sheet says CD-DA: the Data-Out size is wrong (0E/03).
        #expect(run(d, [0x2A, 0] + be32(UInt32(bitPattern: -150)) + [0] + be16(1) + [0], dataOut: [UInt8](repeating: 0, count: 2048)).sense
                == Sense(.illegalRequest, .invalidFieldInCommandInformationUnit))
        for lba in stride(from: Int32(-150), to: 1050, by: 100) {
            #expect(Self.writeAudio(d, lba: lba, blocks: UInt16(min(100, 1050 - lba))).status == .good)
        }
        #expect(SAO.synchronizeCache(d).status == .good)
        #expect(Burn.status(d).contains(
            "state=complete sessions=1 last-session=complete tracks=2 track1=s1:0+600/600,closed track2=s1:600+450/450,closed"))
        for drive in [d, image.drive("profile-cdr/capacity-40000/")] {  // and after a restart
            #expect(BurnedAudioTests.readCD(drive, lba: 0, blocks: 1050, type: 1).data == (0..<1050).flatMap { BurnedAudioTests.samples($0) })
            // Q at 599, one block before track 2's index 1: TNO 02, INDEX 00, relative 00:00:01, absolute 00:09:74.
            #expect(Self.q(drive, 599) == Self.qBytes([0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x09, 0x74]))
            // Its first pre-gap block, 450: relative 00:02:00, counting down; track 2's index 1 at 600: 00:00:00.
            #expect(Self.q(drive, 450) == Self.qBytes([0x01, 0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, 0x00]))
            #expect(Self.q(drive, 600) == Self.qBytes([0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00]))
            #expect(Self.q(drive, 449) == Self.qBytes([0x01, 0x01, 0x01, 0x00, 0x05, 0x74, 0x00, 0x00, 0x07, 0x74]))
            // Raw P-W in the pre-gap: P (bit 7) set in all 96 bytes.
            let pw = run(drive, [0xBE, 0x00] + be32(599) + be24(1) + [0x00, 0x01, 0], capacity: 96).data
            #expect(pw.count == 96 && pw.allSatisfy { $0 & 0x80 != 0 })
            // READ SUB-CHANNEL 02h: MCVAL and the 13 digits; 03h: ADR 1 CONTROL 0, the track, TCVAL, the ISRC.
            #expect(Self.subChannel(drive, format: 2) == [0, 0, 0, 20, 2, 0, 0, 0, 0x80] + Array(Self.catalog.utf8) + [0, 0])
            #expect(Self.subChannel(drive, format: 3, track: 2) == [0, 0, 0, 20, 3, 0x10, 2, 0, 0x80] + Array(Self.isrc2.utf8) + [0, 0, 0])
            // TOC: two audio tracks (CONTROL 0h) at 0 and 600, the lead-out at 1050.
            #expect(Burn.toc(drive, format: 0).data == [0, 26, 1, 2, 0, 0x10, 1, 0] + be32(0) + [0, 0x10, 2, 0] + be32(600)
                    + [0, 0x10, 0xAA, 0] + be32(1050))
            // READ SUB-CHANNEL 01h after a READ CD of 599: TRACK 2, INDEX 0, absolute 599, relative -1 (LBA).
            _ = Self.q(drive, 599)
            #expect(run(drive, [0x42, 0, 0x40, 0x01, 0, 0, 0, 0, 16, 0]).data
                    == [0, 0, 0, 12, 1, 0x10, 2, 0] + be32(599) + be32(UInt32(bitPattern: -1)))
            // READ TRACK INFORMATION: track 1 (TRACK MODE 0h, audio) from 0, 600 blocks (track 2's pre-gap at its
            // end); track 2 from 600, 450 blocks.
            let t1 = Burn.trackInformation(drive, type: 1, 1).data
            #expect(t1[5] == 0x00 && Array(t1[8..<12]) == be32(0) && Array(t1[24..<28]) == be32(600))
            let t2 = Burn.trackInformation(drive, type: 1, 2).data
            #expect(t2[5] == 0x00 && Array(t2[8..<12]) == be32(600) && Array(t2[24..<28]) == be32(450))
            // A 2048-byte READ of the pre-gap: ILLEGAL MODE FOR THIS TRACK at its first LBA.
            #expect(run(drive, [0x28, 0] + be32(597) + [0] + be16(2) + [0], capacity: 4096).sense
                    == Sense(.illegalRequest, .illegalModeForThisTrack, information: 597))
        }
    }

    @Test func anInterruptedAudioSessionAtOnceLeavesAnIncompleteAudioTrackThatTrackAtOnceContinues() {
        let image = BurnImage()
        var d: OpticalDevice? = image.drive("profile-cdr/capacity-40000/")
        #expect(SAO.selectWriteType(d!, WriteType.sessionAtOnce).status == .good)
        #expect(SAO.sendCueSheet(d!, Self.twoAudioTracks).status == .good)
        #expect(Self.writeAudio(d!, lba: -150, blocks: 300).status == .good)  // the pre-gap, then LBA 0-149
        d = nil  // kill -9: no flush, no close
        let again = image.drive("profile-cdr/capacity-40000/")
        #expect(Burn.status(again).contains("state=appendable sessions=1 last-session=incomplete tracks=1 nwa=150 free=39850 track1=s1:0+150"))
        #expect(BurnedAudioTests.readCD(again, lba: 0, blocks: 150, type: 1).data == (0..<150).flatMap { BurnedAudioTests.samples($0) })
        // The catalog number stays with the disc; the track goes on track at once as CD-DA and closes.
        #expect(Self.subChannel(again, format: 2) == [0, 0, 0, 20, 2, 0, 0, 0, 0x80] + Array(Self.catalog.utf8) + [0, 0])
        #expect(BurnedAudioTests.selectTrackAtOnce(again, audio: true).status == .good)
        #expect(BurnedAudioTests.writeAudio(again, lba: 150, blocks: 150).status == .good)
        #expect(Burn.close(again, 0b001, number: 1).status == .good)
        #expect(Burn.status(again).contains("track1=s1:0+300/300,closed"))
        #expect(BurnedAudioTests.readCD(again, lba: 299, blocks: 1, type: 1).data == BurnedAudioTests.samples(299))
    }

    @Test func aMixedModeSessionAtOnceRecordsTheAudioPregapInsideTheDataTrack() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        // wodim -dao data.iso -audio t.wav: track 1 Mode 1 (300 blocks), track 2 CD-DA after a 255-block pre-gap.
        let cue = SAO.entry(0x41, 0, 0, 0x14, -150) + SAO.entry(0x41, 1, 0, 0x10, -150) + SAO.entry(0x41, 1, 1, 0x10, 0)
            + SAO.entry(0x01, 2, 0, 0x00, 300) + SAO.entry(0x01, 2, 1, 0x00, 555) + SAO.entry(0x01, 0xAA, 1, 0x01, 855)
        #expect(SAO.selectWriteType(d, WriteType.sessionAtOnce).status == .good)
        #expect(SAO.sendCueSheet(d, cue).status == .good)
        #expect(SAO.write(d, lba: -150, blocks: 450).status == .good)
        let silence = [UInt8](repeating: 0, count: 255 * 2352)
        #expect(run(d, [0x2A, 0] + be32(300) + [0] + be16(255) + [0], dataOut: silence).status == .good)
        #expect(Self.writeAudio(d, lba: 555, blocks: 300).status == .good)
        #expect(SAO.synchronizeCache(d).status == .good)
        #expect(Burn.status(d).contains("tracks=2 track1=s1:0+555/555,closed track2=s1:555+300/300,closed"))
        #expect(run(d, [0x28, 0] + be32(0) + [0] + be16(1) + [0], capacity: 2048).data == OpticalImage.pattern(0))
        #expect(run(d, [0x28, 0] + be32(299) + [0] + be16(2) + [0], capacity: 4096).sense
                == Sense(.illegalRequest, .illegalModeForThisTrack, information: 300))
        // The pre-gap reads as CD-DA silence with Q TNO 02 INDEX 00, 255 frames (00:03:30) before index 1.
        #expect(BurnedAudioTests.readCD(d, lba: 300, blocks: 1, type: 1).data == [UInt8](repeating: 0, count: 2352))
        #expect(Self.q(d, 300) == Self.qBytes([0x01, 0x02, 0x00, 0x00, 0x03, 0x30, 0x00, 0x00, 0x06, 0x00]))
        #expect(BurnedAudioTests.readCD(d, lba: 555, blocks: 300, type: 1).data == (555..<855).flatMap { BurnedAudioTests.samples($0) })
        #expect(Burn.toc(d, format: 0).data == [0, 26, 1, 2, 0, 0x15, 1, 0] + be32(0) + [0, 0x10, 2, 0] + be32(555)
                + [0, 0x10, 0xAA, 0] + be32(855))
        // No catalog number: MCVAL 0.
        #expect(Self.subChannel(d, format: 2) == [0, 0, 0, 20, 2, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 15))
    }
}
