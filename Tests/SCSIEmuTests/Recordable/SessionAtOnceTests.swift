import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// SEND CUE SHEET and CD session-at-once writing, in exact bytes: the cue sheet format (MMC-6 §6.33.3,
/// table 548), its refusals, and the session it makes (§6.33.2, §4.5.3.3; the Write Parameters page's
/// WRITE TYPE 2, §7.5.4.2).
@Suite struct SessionAtOnceTests {
    /// A cue sheet descriptor: CTL/ADR, TNO, INDEX, DATA FORM, SCMS, MIN, SEC, FRAME.
    static func entry(_ ctladr: UInt8, _ tno: UInt8, _ index: UInt8, _ form: UInt8, _ lba: Int) -> [UInt8] {
        let frames = lba + 150
        return [ctladr, tno, index, form, 0, UInt8(frames / 4500), UInt8(frames / 75 % 60), UInt8(frames % 75)]
    }

    /// The cue sheet `wodim -dao` and `cdrskin -sao` send for one Mode 1 track of `blocks` at `start`:
    /// lead-in (form 14h) and the track's pre-gap at start − 150, index 1 at start, the lead-out after.
    static func dataCue(start: Int = 0, blocks: Int, track: UInt8 = 1) -> [UInt8] {
        entry(0x41, 0, 0, 0x14, start - 150) + entry(0x41, track, 0, 0x10, start - 150)
            + entry(0x41, track, 1, 0x10, start) + entry(0x41, 0xAA, 1, 0x14, start + blocks)
    }

    static func invalidParameter(_ byte: UInt16, bit: UInt8 = 7) -> Sense {
        Sense(.illegalRequest, .invalidFieldInParameterList, keySpecific: .fieldPointer(inCDB: false, byte: byte, bit: bit))
    }

    static func refusal(_ bytes: [UInt8]) -> Sense? {
        do throws(Sense) { _ = try MMCCueSheet.parse(bytes) } catch { return error }
        return nil
    }

    @Test func aWodimCueSheetParsesIntoPregapAndTrackRegions() throws {
        let cue = Self.dataCue(blocks: 1200)
        // Exact bytes: 00:00:00 is LBA -150, 00:02:00 LBA 0, 00:18:00 LBA 1200.
        #expect(cue == [
            0x41, 0, 0, 0x14, 0, 0, 0, 0, 0x41, 1, 0, 0x10, 0, 0, 0, 0,
            0x41, 1, 1, 0x10, 0, 0, 2, 0, 0x41, 0xAA, 1, 0x14, 0, 0, 18, 0,
        ])
        let sheet = try MMCCueSheet.parse(cue)
        #expect(sheet.tracks == [MMCCueSheet.Track(number: 1, pregapStart: -150, start: 0, end: 1200, control: 4, offset: 16)])
        #expect(sheet.regions == [
            MMCCueSheet.Region(lbas: -150..<0, form: .modeOne, track: 1),
            MMCCueSheet.Region(lbas: 0..<1200, form: .modeOne, track: 1),
        ])
        #expect(sheet.leadOut == 1200 && sheet.leadOutOffset == 24 && sheet.firstHostLBA == -150)
    }

    @Test func catalogNumberPairsAreSkippedAndLeadInTimesAboveNinetyMinutesAreNegative() throws {
        let mcn: [UInt8] = [0x02, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x02, 0x38, 0x39, 0x30, 0x31, 0x32, 0x33, 0x00]
        let sheet = try MMCCueSheet.parse(mcn + Self.dataCue(blocks: 300))
        #expect(sheet.tracks.map(\.offset) == [32])
        // 97:26:66 is LBA -11634, the ATIP lead-in start.
        #expect(MMCCueSheet.lba(minute: 97, second: 26, frame: 66) == -11_634)
    }

    @Test func aPregapTheDriveGeneratesIsSkippedByTheWritePointer() throws {
        let cue = Self.entry(0x41, 0, 0, 0x14, -150) + Self.entry(0x41, 1, 0, 0x14, -150)
            + Self.entry(0x41, 1, 1, 0x10, 0) + Self.entry(0x41, 0xAA, 1, 0x14, 400)
        var sao = SessionAtOnce(cue: try MMCCueSheet.parse(cue), finalize: true)
        #expect(sao.next == 0)
        #expect(throws: Burn.invalidAddressForWrite) { try sao.take(lba: -150, blocks: 1) }
        let taken = try sao.take(lba: 0, blocks: 400)
        // The generated pre-gap (before the first track's index 1: not recorded), then the track's blocks.
        #expect(taken.pieces == [
            SessionAtOnce.Piece(lbas: -150..<0, form: .modeOneGenerated, byteOffset: 0, recorded: false),
            SessionAtOnce.Piece(lbas: 0..<400, form: .modeOne, byteOffset: 0, recorded: true),
        ])
        #expect(taken.bytes == 400 * 2048)
        #expect(sao.isComplete)
    }

    @Test func aWriteAcrossThePregapEndSplitsIntoPieces() throws {
        var sao = SessionAtOnce(cue: try MMCCueSheet.parse(Self.dataCue(blocks: 300)), finalize: true)
        #expect(try sao.take(lba: -150, blocks: 140).pieces == [
            SessionAtOnce.Piece(lbas: -150..<(-10), form: .modeOne, byteOffset: 0, recorded: false),
        ])
        #expect(throws: Burn.invalidAddressForWrite) { try sao.take(lba: 0, blocks: 16) }
        #expect(try sao.take(lba: -10, blocks: 16).pieces == [
            SessionAtOnce.Piece(lbas: -10..<0, form: .modeOne, byteOffset: 0, recorded: false),
            SessionAtOnce.Piece(lbas: 0..<6, form: .modeOne, byteOffset: 10 * 2048, recorded: true),
        ])
        // Past the lead-out: refused, the pointer unchanged.
        #expect(throws: Burn.invalidAddressForWrite) { try sao.take(lba: 6, blocks: 295) }
        #expect(sao.next == 6)
    }

    @Test func cueSheetRefusalsPointAtTheField() {
        let good = Self.dataCue(blocks: 300)
        // Not whole descriptors, or fewer than lead-in, track, lead-out: PARAMETER LIST LENGTH ERROR.
        #expect(Self.refusal(Array(good.dropLast())) == Sense(.illegalRequest, .parameterListLengthError))
        #expect(Self.refusal(Array(good.prefix(16))) == Sense(.illegalRequest, .parameterListLengthError))
        var bad = good
        bad[8] = 0x45  // ADR 5
        #expect(Self.refusal(bad) == Self.invalidParameter(8, bit: 3))
        bad = good
        bad[19] = 0x00  // a CD-DA form in a data track (CTL 4): the form is not of the track's kind
        #expect(Self.refusal(bad) == Self.invalidParameter(19))
        bad[19] = 0x11  // raw 2352-byte Mode 1: not offered
        #expect(Self.refusal(bad) == Self.invalidParameter(19))
        bad = good
        bad[23] = 75  // FRAME 75
        #expect(Self.refusal(bad) == Self.invalidParameter(23))
        bad = good
        bad[1] = 1  // the first descriptor not the lead-in
        #expect(Self.refusal(bad) == Self.invalidParameter(1))
        bad = good
        bad[18] = 2  // index 0 then 2
        #expect(Self.refusal(bad) == Self.invalidParameter(18))
        // A track of 299 blocks: shorter than 4 s.
        #expect(Self.refusal(Self.dataCue(blocks: 299)) == Self.invalidParameter(21))
        // Track 1 then track 3.
        let head = Array(Self.dataCue(blocks: 300).prefix(24))
        let skip = head + Self.entry(0x41, 3, 1, 0x10, 300) + Self.entry(0x41, 0xAA, 1, 0x14, 600)
        #expect(Self.refusal(skip) == Self.invalidParameter(25))
        // A track without index 1.
        let noIndexOne = Self.entry(0x41, 0, 0, 0x14, -150) + Self.entry(0x41, 1, 0, 0x10, -150) + Self.entry(0x41, 0xAA, 1, 0x14, 300)
        #expect(Self.refusal(noIndexOne) == Self.invalidParameter(10))
        // The lead-out before the track's start.
        #expect(Self.refusal(head + Self.entry(0x41, 0xAA, 1, 0x14, -1)) == Self.invalidParameter(29))
        // Exact wire bytes of one: fixed format, SKSV|BPV|bit 7, field 0013h (the data forms above).
        let sense = Self.invalidParameter(19).encoded(as: .fixed)
        #expect(Array(sense[12..<18]) == [0x26, 0x00, 0, 0x8F, 0x00, 0x13])
    }

    // MARK: - The drive

    /// MODE SELECT(10) of page 05h: WRITE TYPE `type`, MULTI-SESSION `multi`, a mode 1 data track (TRACK MODE 4,
    /// DATA BLOCK TYPE 8), as wodim and growisofs send it.
    static func selectWriteType(_ d: OpticalDevice, _ type: UInt8, multi: UInt8 = 0) -> Outcome {
        var page = [UInt8](repeating: 0, count: 52)
        page[0] = 0x05; page[1] = 0x32; page[2] = type; page[3] = multi << 6 | 0x04; page[4] = 0x08; page[15] = 150
        let list = [UInt8](repeating: 0, count: 8) + page
        return run(d, [0x55, 0x10, 0, 0, 0, 0, 0, 0, UInt8(list.count), 0], dataOut: list)
    }

    static func sendCueSheet(_ d: OpticalDevice, _ cue: [UInt8]) -> Outcome {
        run(d, [0x5D, 0, 0, 0, 0, 0] + be24(UInt32(cue.count)) + [0], dataOut: cue)
    }

    /// WRITE(10) of `blocks` pattern blocks at the signed `lba`.
    static func write(_ d: OpticalDevice, lba: Int32, blocks: UInt16) -> Outcome {
        let data = (0..<Int(blocks)).flatMap { OpticalImage.pattern(Int(lba) + $0) }
        return run(d, [0x2A, 0] + be32(UInt32(bitPattern: lba)) + [0] + be16(blocks) + [0], dataOut: data)
    }

    static func synchronizeCache(_ d: OpticalDevice) -> Outcome { run(d, [0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }

    @Test func aSessionAtOnceBurnFromMinus150ClosesAtTheFlushAndReadsBack() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(Self.selectWriteType(d, WriteType.sessionAtOnce).status == .good)
        #expect(Self.sendCueSheet(d, Self.dataCue(blocks: 400)).status == .good)
        // The pre-gap first: a write at LBA 0 now is off the write pointer.
        #expect(Self.write(d, lba: 0, blocks: 1).sense == Burn.invalidAddressForWrite)
        #expect(Self.write(d, lba: -150, blocks: 140).status == .good)
        #expect(Self.write(d, lba: -10, blocks: 110).status == .good)  // 10 pre-gap blocks, then LBA 0-99
        #expect(Self.write(d, lba: 100, blocks: 300).status == .good)
        #expect(Burn.status(d).contains("state=appendable sessions=1 last-session=incomplete tracks=1 track1=s1:0+400/400"))
        #expect(Self.synchronizeCache(d).status == .good)
        // MULTI-SESSION 00b: the disc is complete, track 1 closed at 400 blocks.
        #expect(Burn.status(d).contains("state=complete sessions=1 last-session=complete tracks=1 track1=s1:0+400/400,closed"))
        #expect(Burn.readDiscInformation(d)[2] == 0x0E)
        #expect(Burn.readCapacity(d) == be32(399) + be32(2048))
        let back = run(d, [0x28, 0] + be32(0) + [0] + be16(2) + [0], capacity: 4096)
        #expect(back.data == OpticalImage.pattern(0) + OpticalImage.pattern(1))
        // TOC: track 1 (ADR 1, CTL 5: data, recorded on a sequential disc) at 0, lead-out at 400.
        #expect(Array(Burn.toc(d, format: 0).data[0..<20]) == [0, 18, 1, 1, 0, 0x15, 1, 0] + be32(0) + [0, 0x15, 0xAA, 0] + be32(400))
        // Full TOC (format 2, MSF): A0h first track 1, A1h last track 1, A2h lead-out 00:07:25 (LBA 400),
        // track 1 at 00:02:00; no B0h: the disc is complete.
        let full = run(d, [0x43, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x00, 0]).data
        #expect(full == [0, 46, 1, 1, 1, 0x15, 0, 0xA0, 0, 0, 0, 0, 1, 0, 0, 1, 0x15, 0, 0xA1, 0, 0, 0, 0, 1, 0, 0,
                         1, 0x15, 0, 0xA2, 0, 0, 0, 0, 0, 7, 25, 1, 0x15, 0, 1, 0, 0, 0, 0, 0, 2, 0])
    }

    @Test func multiSessionSessionAtOnceLeavesTheDiscAppendableAfterTheGap() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(Self.selectWriteType(d, WriteType.sessionAtOnce, multi: 0b11).status == .good)
        #expect(Self.sendCueSheet(d, Self.dataCue(blocks: 300)).status == .good)
        #expect(Self.write(d, lba: -150, blocks: 450).status == .good)
        #expect(Self.synchronizeCache(d).status == .good)
        #expect(Burn.status(d).contains("state=appendable sessions=2 last-session=empty tracks=2 nwa=11700"))
        // Full TOC of the appendable disc: session 1 (lead-out 00:06:00, LBA 300), then B0h (ADR 5): the next
        // program area at 02:38:00 (LBA 11700), the last possible lead-out at 08:55:25 (LBA 40000).
        let full = run(d, [0x43, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x00, 0]).data
        #expect(Array(full[0..<4]) == [0, 57, 1, 1])
        #expect(Array(full[26..<37]) == [1, 0x15, 0, 0xA2, 0, 0, 0, 0, 0, 6, 0])
        #expect(Array(full[48..<59]) == [1, 0x55, 0, 0xB0, 2, 38, 0, 1, 8, 55, 25])
        // The next session's cue sheet starts at the NWA; its track is number 2.
        #expect(Self.sendCueSheet(d, Self.dataCue(start: 11_700, blocks: 300)).sense == Self.invalidParameter(17))
        #expect(Self.sendCueSheet(d, Self.dataCue(start: 11_600, blocks: 300, track: 2)).sense == Self.invalidParameter(21))
        #expect(Self.sendCueSheet(d, Self.dataCue(start: 11_700, blocks: 300, track: 2)).status == .good)
        #expect(Self.write(d, lba: 11_550, blocks: 450).status == .good)
        #expect(Self.synchronizeCache(d).status == .good)
        #expect(Burn.status(d).contains("state=appendable sessions=3 last-session=empty tracks=3"))
    }

    @Test func sendCueSheetRefusals() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-1000/")
        let cue = Self.dataCue(blocks: 400)
        // The Write Parameters page says track at once (the power-on default): COMMAND SEQUENCE ERROR.
        #expect(Self.sendCueSheet(d, cue).sense == Sense(.illegalRequest, .commandSequenceError))
        #expect(Self.selectWriteType(d, WriteType.sessionAtOnce).status == .good)
        // Session at once without a cue sheet: a write is out of sequence.
        #expect(Self.write(d, lba: 0, blocks: 1).sense == Sense(.illegalRequest, .commandSequenceError))
        // Past the disc's 1000 blocks: the lead-out's MIN field.
        #expect(Self.sendCueSheet(d, Self.dataCue(blocks: 1001)).sense == Self.invalidParameter(29))
        // CUE SHEET SIZE past feature 002Eh's maximum.
        #expect(Self.sendCueSheet(d, [UInt8](repeating: 0, count: 2056)).sense == SPC.invalidFieldInCDB(byte: 6))
        #expect(Self.sendCueSheet(d, cue).status == .good)
        #expect(Self.write(d, lba: -150, blocks: 550).status == .good)
        #expect(Self.synchronizeCache(d).status == .good)
        // Complete: no open track for another cue sheet; a write is off any NWA.
        #expect(Self.sendCueSheet(d, cue).sense == Sense(.illegalRequest, .commandSequenceError))
        #expect(Self.write(d, lba: 400, blocks: 1).sense == Burn.invalidAddressForWrite)
        // A DVD takes no cue sheet.
        let dvd = BurnImage().drive("profile-dvd+r/capacity-4096/")
        #expect(Self.selectWriteType(dvd, WriteType.sessionAtOnce).status == .good)
        #expect(Self.sendCueSheet(dvd, cue).sense == Sense(.illegalRequest, .cannotWriteMediumIncompatibleFormat))
    }

    @Test func cdMasteringFeatureIsCurrentOnCDROnly() {
        let cd = BurnImage().drive("profile-cdr/capacity-1000/")
        let feature = run(cd, [0x46, 0x02, 0x00, 0x2E, 0, 0, 0, 0x00, 0x10, 0]).data
        // Header (8), then 002Eh v0, current, 4 bytes: BUF|SAO|TEST WRITE|CD-RW, max cue sheet 2048.
        #expect(Array(feature[8..<16]) == [0x00, 0x2E, 0x01, 0x04, 0x66, 0x00, 0x08, 0x00])
        let dvd = BurnImage().drive("profile-dvd+r/capacity-4096/")
        #expect(run(dvd, [0x46, 0x02, 0x00, 0x2E, 0, 0, 0, 0x00, 0x10, 0]).data[10] == 0x00)
    }
}
