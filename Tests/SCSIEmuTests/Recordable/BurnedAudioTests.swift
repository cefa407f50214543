import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// CD-DA burned track at once on a CD-R (page 05h WRITE TYPE 1, TRACK MODE 0, DATA BLOCK TYPE 0: 2352-byte
/// sectors, MMC-6 §7.5.4.2) after a mode 1 data track: READ CD returns each sector's 2352 bytes and the Q
/// sub-channel of its track (§6.19), the TOC and PMA carry CONTROL 0h for the audio tracks (§6.26), a
/// 2048-byte READ of audio is 64/00 ILLEGAL MODE FOR THIS TRACK, and all of it survives a restart.
@Suite struct BurnedAudioTests {
    /// MODE SELECT(10) of page 05h: track at once, audio (TRACK MODE 0, DATA BLOCK TYPE 0) or mode 1 data.
    static func selectTrackAtOnce(_ d: OpticalDevice, audio: Bool, multi: UInt8 = 0) -> Outcome {
        var page = [UInt8](repeating: 0, count: 52)
        page[0] = 0x05; page[1] = 0x32; page[2] = 0x01; page[3] = multi << 6 | (audio ? 0x00 : 0x04)
        page[4] = audio ? 0x00 : 0x08; page[15] = 150
        let list = [UInt8](repeating: 0, count: 8) + page
        return run(d, [0x55, 0x10, 0, 0, 0, 0, 0, 0, UInt8(list.count), 0], dataOut: list)
    }

    /// Sector `lba` of the test audio: 2352 bytes, different in every sector.
    static func samples(_ lba: Int) -> [UInt8] { (0..<2352).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ lba &* 13 &+ ($0 >> 8)) } }

    static func writeAudio(_ d: OpticalDevice, lba: UInt32, blocks: UInt16) -> Outcome {
        let data = (0..<Int(blocks)).flatMap { samples(Int(lba) + $0) }
        return run(d, [0x2A, 0] + be32(lba) + [0] + be16(blocks) + [0], dataOut: data)
    }

    static func readCD(_ d: OpticalDevice, lba: UInt32, blocks: UInt32, type: UInt8, subchannel: UInt8 = 0) -> Outcome {
        run(d, [0xBE, type << 2] + be32(lba) + be24(blocks) + [0x10, subchannel, 0], capacity: Int(blocks) * 2368)
    }

    /// A mixed-mode CD-R: track 1 data (LBA 0-299), tracks 2 (300-599) and 3 (600-899) audio, finalized.
    static func burnMixedMode(_ image: BurnImage) -> OpticalDevice {
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(Self.selectTrackAtOnce(d, audio: false).status == .good)
        #expect(Burn.write(d, lba: 0, blocks: 300).status == .good)
        #expect(Burn.close(d, 0b001, number: 1).status == .good)
        #expect(Self.selectTrackAtOnce(d, audio: true).status == .good)
        #expect(Self.writeAudio(d, lba: 300, blocks: 200).status == .good)
        #expect(Self.writeAudio(d, lba: 500, blocks: 100).status == .good)
        #expect(Burn.close(d, 0b001, number: 2).status == .good)
        #expect(Self.writeAudio(d, lba: 600, blocks: 300).status == .good)
        #expect(Burn.close(d, 0b001, number: 3).status == .good)
        #expect(Burn.close(d, 0b010).status == .good)
        return d
    }

    @Test func audioTracksBurnedTrackAtOnceReadBackBitExactWithTheirQSubchannel() {
        let image = BurnImage()
        let d = Self.burnMixedMode(image)
        #expect(Burn.status(d).contains("state=complete sessions=1 last-session=complete tracks=3"))
        // READ CD, expected type CD-DA (001b), user data: the 2352 bytes written, sector by sector.
        let audio = Self.readCD(d, lba: 300, blocks: 600, type: 1)
        #expect(audio.status == .good && audio.data == (300..<900).flatMap { Self.samples($0) })
        // Formatted Q (010b) of LBA 301: CONTROL 0 ADR 1, track 02, index 01, relative 00:00:01, absolute
        // 00:06:01 (LBA 451 frames), CRC-16 inverted; then 4 zero bytes.
        let q = Self.readCD(d, lba: 301, blocks: 1, type: 1, subchannel: 2).data
        var expected: [UInt8] = [0x01, 0x02, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x06, 0x01]
        let crc = CDSubchannel.crc(expected[0..<10])
        expected += [UInt8(crc >> 8), UInt8(crc & 0xFF), 0, 0, 0, 0]
        #expect(q.count == 2352 + 16 && Array(q.suffix(16)) == expected)
        // The data track reads as mode 1; a CD-DA type over it, or a mode 1 type over audio: 64/00 at the LBA.
        #expect(Self.readCD(d, lba: 0, blocks: 1, type: 2).data == OpticalImage.pattern(0))
        #expect(Self.readCD(d, lba: 299, blocks: 2, type: 2).sense
                == Sense(.illegalRequest, .illegalModeForThisTrack, information: 300))
        // READ(10) of audio: ILLEGAL MODE FOR THIS TRACK, INFORMATION the first audio LBA.
        #expect(run(d, [0x28, 0] + be32(298) + [0] + be16(4) + [0], capacity: 8192).sense
                == Sense(.illegalRequest, .illegalModeForThisTrack, information: 300))
        // TOC: track 1 ADR 1 CONTROL 5h (data, incremental) at 0, tracks 2 and 3 CONTROL 0h (audio) at 300
        // and 600, the lead-out (AAh) with the last track's CONTROL at 900.
        #expect(Burn.toc(d, format: 0).data == [0, 34, 1, 3, 0, 0x15, 1, 0] + be32(0) + [0, 0x10, 2, 0] + be32(300)
                + [0, 0x10, 3, 0] + be32(600) + [0, 0x10, 0xAA, 0] + be32(900))
        // PMA: one entry per track, audio ones with CONTROL 0h.
        let pma = run(d, [0x43, 0x02, 0x03, 0, 0, 0, 0, 0x01, 0x00, 0]).data
        #expect(pma.count == 4 + 33 && pma[5] == 0x15 && pma[16] == 0x10 && pma[27] == 0x10)
        // READ TRACK INFORMATION of track 2: TRACK MODE 0h (two-channel audio).
        #expect(Burn.trackInformation(d, type: 1, 2).data[5] == 0x00)
        // A restart finds the audio tracks (record flag bit 3) and their sectors.
        let again = image.drive("profile-cdr/capacity-40000/")
        #expect(Self.readCD(again, lba: 899, blocks: 1, type: 1).data == Self.samples(899))
        #expect(Burn.toc(again, format: 0).data == Burn.toc(d, format: 0).data)
    }

    /// wodim -tao sends no CLOSE TRACK between tracks: the SYNCHRONIZE CACHE after a track at once ends it,
    /// and the next track (here audio) starts at the new invisible track's NWA; packet writing is not ended.
    @Test func aFlushAfterATrackAtOnceClosesTheTrack() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(Self.selectTrackAtOnce(d, audio: false).status == .good)
        #expect(Burn.write(d, lba: 0, blocks: 300).status == .good)
        #expect(SessionAtOnceTests.synchronizeCache(d).status == .good)
        #expect(Burn.status(d).contains("track1=s1:0+300/300,closed track2=s1:300+0"))
        #expect(Self.selectTrackAtOnce(d, audio: true).status == .good)
        #expect(Self.writeAudio(d, lba: 300, blocks: 300).status == .good)
        #expect(SessionAtOnceTests.synchronizeCache(d).status == .good)
        #expect(Burn.status(d).contains("track2=s1:300+300/300,closed track3=s1:600+0"))
        // A flush with nothing written since changes nothing.
        #expect(SessionAtOnceTests.synchronizeCache(d).status == .good)
        #expect(Burn.status(d).contains("tracks=3"))
        let dvd = BurnImage().drive("profile-dvd-r/capacity-4096/")
        #expect(SessionAtOnceTests.selectWriteType(dvd, WriteType.packet).status == .good)
        #expect(Burn.write(dvd, lba: 0, blocks: 16).status == .good)
        #expect(SessionAtOnceTests.synchronizeCache(dvd).status == .good)
        #expect(Burn.status(dvd).contains("tracks=1 "))
    }

    @Test func aTrackTakesOneKindOfBlocksAndPacketWritingHasNoAudio() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        #expect(Self.selectTrackAtOnce(d, audio: true).status == .good)
        #expect(Self.writeAudio(d, lba: 0, blocks: 300).status == .good)
        // Data blocks into the open audio track: ILLEGAL MODE FOR THIS TRACK, nothing recorded.
        #expect(Self.selectTrackAtOnce(d, audio: false).status == .good)
        #expect(Burn.write(d, lba: 300, blocks: 1).sense == Sense(.illegalRequest, .illegalModeForThisTrack))
        #expect(Burn.status(d).contains("track1=s1:0+300"))
        // 2352-byte blocks with a 2048-byte Data-Out size: 0E/03, as any write whose Data-Out differs.
        #expect(Self.selectTrackAtOnce(d, audio: true).status == .good)
        #expect(run(d, [0x2A, 0] + be32(300) + [0] + be16(1) + [0], dataOut: [UInt8](repeating: 0, count: 2048)).sense
                == Sense(.illegalRequest, .invalidFieldInCommandInformationUnit))
        // Packet writing (WRITE TYPE 0) with DATA BLOCK TYPE 0: INVALID FIELD IN PARAMETER LIST at byte 12.
        var page = [UInt8](repeating: 0, count: 52)
        page[0] = 0x05; page[1] = 0x32; page[2] = 0x00; page[3] = 0x00; page[4] = 0x00; page[15] = 150
        let list = [UInt8](repeating: 0, count: 8) + page
        #expect(run(d, [0x55, 0x10, 0, 0, 0, 0, 0, 0, UInt8(list.count), 0], dataOut: list).sense
                == WriteParametersTests.refused(byte: 12, bit: 3))
        // Track at once, DATA BLOCK TYPE 0 with a data TRACK MODE: refused at TRACK MODE (byte 11).
        page[2] = 0x01; page[3] = 0x04
        let data = [UInt8](repeating: 0, count: 8) + page
        #expect(run(d, [0x55, 0x10, 0, 0, 0, 0, 0, 0, UInt8(data.count), 0], dataOut: data).sense
                == WriteParametersTests.refused(byte: 11, bit: 3))
    }

    @Test func aTestWriteOfAudioRecordsNothing() {
        let image = BurnImage()
        let d = image.drive("profile-cdr/capacity-40000/")
        var page = [UInt8](repeating: 0, count: 52)
        page[0] = 0x05; page[1] = 0x32; page[2] = 0x11; page[3] = 0x00; page[4] = 0x00; page[15] = 150
        let list = [UInt8](repeating: 0, count: 8) + page
        #expect(run(d, [0x55, 0x10, 0, 0, 0, 0, 0, 0, UInt8(list.count), 0], dataOut: list).status == .good)
        #expect(Self.writeAudio(d, lba: 0, blocks: 300).status == .good)
        #expect(Burn.close(d, 0b001, number: 1).status == .good)
        #expect(Burn.close(d, 0b010).status == .good)
        #expect(Burn.readDiscInformation(d)[2] == 0x00)
        let cdda = [UInt8](FileManager.default.contents(atPath: image.path + ".cdda") ?? Data())
        #expect(cdda.count == 40000 * 2352 && cdda.allSatisfy { $0 == 0 })
    }
}
