import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// The generated mixed-mode CUE/BIN disc (`CueDiscFixture`) through the drive: READ TOC, READ CD and READ
/// CD MSF with sector types, fields and sub-channel, READ SUB-CHANNEL, READ(10) and the audio play
/// commands. Every expected byte is derived by hand in the comments (MMC-6 §6.19, §6.20, §6.26, §6.28;
/// Q sub-channel per ECMA-130 §22.3.3).
@Suite struct AudioDiscReadTests {
    let disc = CueDiscFixture()

    static func readCD(type: UInt8, lba: UInt32, count: UInt8, fields: UInt8, subchannel: UInt8 = 0) -> [UInt8] {
        [0xBE, type << 2] + be32(lba) + [0, 0, count, fields, subchannel, 0]
    }

    static func toc(format: UInt8, msf: Bool = false, track: UInt8 = 0) -> [UInt8] {
        [0x43, msf ? 0x02 : 0, format, 0, 0, 0, track, 0x03, 0x00, 0]
    }

    @Test func profileAndCDReadFeature() {
        let d = disc.drive()
        // GET CONFIGURATION RT 10b, feature 001Eh: header (data length 12, current profile 0008h), then
        // 001Eh version 2, current (byte 2 = 2<<2 | 1 = 09h), length 4, C2 FLAGS (bit 1) set.
        let r = run(d, [0x46, 0x02, 0x00, 0x1E, 0, 0, 0, 0, 0x40, 0])
        #expect(r.data == [0, 0, 0, 0x0C, 0, 0, 0x00, 0x08, 0x00, 0x1E, 0x09, 0x04, 0x02, 0, 0, 0])
        #expect(d.statusReport.contains("profile=profile-cdrom write-protected=yes blocks=195"))
    }

    @Test func tocFormatZero() {
        let d = disc.drive()
        // LBA: length 2 + 4×8 = 34; track 1 data (ADR 1, CONTROL 4h), track 2 audio DCP (2h) at 170 (AAh),
        // track 3 audio at 182 (B6h), lead-out (AAh) at 195 (C3h) with the last track's CONTROL.
        #expect(run(d, Self.toc(format: 0)).data == [
            0x00, 0x22, 0x01, 0x03,
            0x00, 0x14, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x12, 0x02, 0x00, 0x00, 0x00, 0x00, 0xAA,
            0x00, 0x10, 0x03, 0x00, 0x00, 0x00, 0x00, 0xB6,
            0x00, 0x10, 0xAA, 0x00, 0x00, 0x00, 0x00, 0xC3,
        ])
        // MSF from track 2: 170+150 = 320 frames = 00:04:20, 332 = 00:04:32, 345 = 00:04:45.
        #expect(run(d, Self.toc(format: 0, msf: true, track: 2)).data == [
            0x00, 0x1A, 0x01, 0x03,
            0x00, 0x12, 0x02, 0x00, 0x00, 0x00, 0x04, 0x14,
            0x00, 0x10, 0x03, 0x00, 0x00, 0x00, 0x04, 0x20,
            0x00, 0x10, 0xAA, 0x00, 0x00, 0x00, 0x04, 0x2D,
        ])
        #expect(run(d, Self.toc(format: 0, track: 0xAA)).data == [0x00, 0x0A, 0x01, 0x03, 0x00, 0x10, 0xAA, 0x00, 0, 0, 0, 0xC3])
        #expect(run(d, Self.toc(format: 0, track: 4)).sense == invalidCDB(6))
    }

    @Test func tocSessionAndFullTOC() {
        let d = disc.drive()
        // Format 1: one session; its first track is track 1 at LBA 0.
        #expect(run(d, Self.toc(format: 1)).data == [0x00, 0x0A, 0x01, 0x01, 0x00, 0x14, 0x01, 0x00, 0, 0, 0, 0])
        // Format 2: 2 + 6×11 = 68 bytes; A0h first track 1, disc type 00h; A1h last track 3; A2h lead-out
        // 00:04:45; tracks at 00:02:00, 00:04:20, 00:04:32 (binary).
        #expect(run(d, Self.toc(format: 2)).data == [
            0x00, 0x44, 0x01, 0x01,
            0x01, 0x14, 0x00, 0xA0, 0, 0, 0, 0, 0x01, 0x00, 0x00,
            0x01, 0x10, 0x00, 0xA1, 0, 0, 0, 0, 0x03, 0x00, 0x00,
            0x01, 0x10, 0x00, 0xA2, 0, 0, 0, 0, 0x00, 0x04, 0x2D,
            0x01, 0x14, 0x00, 0x01, 0, 0, 0, 0, 0x00, 0x02, 0x00,
            0x01, 0x12, 0x00, 0x02, 0, 0, 0, 0, 0x00, 0x04, 0x14,
            0x01, 0x10, 0x00, 0x03, 0, 0, 0, 0, 0x00, 0x04, 0x20,
        ])
        // No PMA, ATIP or CD-TEXT on a pressed disc.
        #expect(run(d, Self.toc(format: 4)).sense == invalidCDB(2, 3))
    }

    @Test func audioSectorsAndPregap() {
        let d = disc.drive()
        // CD-DA expected, all fields asked (what Linux CDROMREADAUDIO sends): 2352 sample bytes each.
        let r = run(d, Self.readCD(type: 1, lba: 170, count: 2, fields: 0xF8), capacity: 2 * 2352)
        #expect(r.data == CueDiscFixture.audio(0) + CueDiscFixture.audio(1))
        // Track 3 index 0 (LBA 180) is file sector 10; the PREGAP of track 2 is silence.
        #expect(run(d, Self.readCD(type: 1, lba: 180, count: 1, fields: 0x10), capacity: 2352).data == CueDiscFixture.audio(10))
        #expect(run(d, Self.readCD(type: 0, lba: 100, count: 1, fields: 0x10), capacity: 2352).data == [UInt8](repeating: 0, count: 2352))
        // C2 error bits (294, zero) follow the samples; no user data: only C2.
        #expect(run(d, Self.readCD(type: 1, lba: 194, count: 1, fields: 0x12), capacity: 4096).data
                == CueDiscFixture.audio(24) + [UInt8](repeating: 0, count: 294))
        #expect(run(d, Self.readCD(type: 1, lba: 194, count: 1, fields: 0x04), capacity: 4096).data.count == 296)
    }

    @Test func dataTrackRawSectorGenerated() {
        let d = disc.drive()
        let r = run(d, Self.readCD(type: 2, lba: 3, count: 1, fields: 0xF8), capacity: 2352)
        #expect(Array(r.data[0..<16]) == CDSector.sync + [0x00, 0x02, 0x03, 0x01])  // 00:02:03 BCD, mode 1
        #expect(Array(r.data[16..<2064]) == OpticalImage.pattern(3))
        #expect(r.data == CDSector.mode1(lba: 3, userData: OpticalImage.pattern(3)))
        // Header only + user data: 2052 bytes; header codes 10b (subheader) on mode 1: nothing.
        #expect(run(d, Self.readCD(type: 0, lba: 3, count: 1, fields: 0x30)).data == [0x00, 0x02, 0x03, 0x01] + OpticalImage.pattern(3))
        #expect(run(d, Self.readCD(type: 0, lba: 3, count: 1, fields: 0x50)).data == OpticalImage.pattern(3))
    }

    @Test func sectorTypeMismatch() {
        let d = disc.drive()
        // CD-DA asked of the data track, mode 1 of an audio track, mode 2 form 1 of either: 05/64/00 naming
        // the first sector that differs (INFORMATION).
        #expect(run(d, Self.readCD(type: 1, lba: 19, count: 1, fields: 0x10)).sense
                == Sense(.illegalRequest, .illegalModeForThisTrack, information: 19))
        #expect(run(d, Self.readCD(type: 2, lba: 19, count: 2, fields: 0x10), capacity: 8192).sense
                == Sense(.illegalRequest, .illegalModeForThisTrack, information: 20))
        #expect(run(d, Self.readCD(type: 4, lba: 170, count: 1, fields: 0x10)).sense
                == Sense(.illegalRequest, .illegalModeForThisTrack, information: 170))
        #expect(run(d, Self.readCD(type: 6, lba: 0, count: 1, fields: 0x10)).sense == invalidCDB(1, 4))
        #expect(run(d, Self.readCD(type: 0, lba: 194, count: 2, fields: 0x10)).sense
                == Sense(.illegalRequest, .logicalBlockAddressOutOfRange))
    }

    @Test func formattedQWithCRC() {
        let d = disc.drive()
        // Q = CONTROL/ADR, TNO, INDEX, relative M S F, 0, absolute M S F (BCD), CRC-16 inverted; 4 zero bytes.
        // Track 1 at 00:02:00: 41 01 01 00:00:00 00 00:02:00, CRC 2832h (the Q of any data disc's LBA 0).
        #expect(run(d, Self.readCD(type: 0, lba: 0, count: 1, fields: 0, subchannel: 2)).data
                == [0x41, 0x01, 0x01, 0, 0, 0, 0, 0x00, 0x02, 0x00, 0x28, 0x32, 0, 0, 0, 0])
        // Track 2 pregap, LBA 21: CONTROL 2h, index 0, 149 frames (00:01:74) before INDEX 01, 00:02:21.
        #expect(run(d, Self.readCD(type: 0, lba: 21, count: 1, fields: 0, subchannel: 2)).data
                == [0x21, 0x02, 0x00, 0x00, 0x01, 0x74, 0, 0x00, 0x02, 0x21, 0xEC, 0xD1, 0, 0, 0, 0])
        // Track 2 INDEX 01 at LBA 170: 00:04:20.
        #expect(run(d, Self.readCD(type: 1, lba: 170, count: 1, fields: 0, subchannel: 2)).data
                == [0x21, 0x02, 0x01, 0, 0, 0, 0, 0x00, 0x04, 0x20, 0xC0, 0xA5, 0, 0, 0, 0])
        // Samples then Q: track 3 index 0, one frame before its INDEX 01, 00:04:31.
        let r = run(d, Self.readCD(type: 1, lba: 181, count: 1, fields: 0x10, subchannel: 2), capacity: 2368)
        #expect(r.data == CueDiscFixture.audio(11) + [0x01, 0x03, 0x00, 0, 0, 0x01, 0, 0x00, 0x04, 0x31, 0xFD, 0x19, 0, 0, 0, 0])
        // R-W (100b) is not supported: no R-W data.
        #expect(run(d, Self.readCD(type: 0, lba: 0, count: 1, fields: 0x10, subchannel: 4)).sense == invalidCDB(10, 2))
    }

    @Test func rawPWCarriesPAndQ() {
        let d = disc.drive()
        // LBA 21 (pregap): P = 1 in every byte (bit 7); Q bit i in bit 6 of byte i; R-W zero.
        let pw = run(d, Self.readCD(type: 0, lba: 21, count: 1, fields: 0, subchannel: 1)).data
        #expect(pw.count == 96)
        #expect(Array(pw[0..<8]) == [0x80, 0x80, 0xC0, 0x80, 0x80, 0x80, 0x80, 0xC0])  // Q byte 0 = 21h
        let q = (0..<12).map { byte in (0..<8).reduce(UInt8(0)) { $0 << 1 | (pw[byte * 8 + $1] >> 6 & 1) } }
        #expect(q == [0x21, 0x02, 0x00, 0x00, 0x01, 0x74, 0, 0x00, 0x02, 0x21, 0xEC, 0xD1])
        #expect(pw.allSatisfy { $0 & 0xBF == 0x80 })
        // In a track (index 1) P is 0.
        #expect(run(d, Self.readCD(type: 0, lba: 0, count: 1, fields: 0, subchannel: 1)).data.allSatisfy { $0 & 0x80 == 0 })
    }

    @Test func readCDMSF() {
        let d = disc.drive()
        // 00:04:20 to 00:04:22 (exclusive): LBAs 170-171, CD-DA.
        let r = run(d, [0xB9, 0x04, 0, 0x00, 0x04, 0x14, 0x00, 0x04, 0x16, 0x10, 0, 0], capacity: 2 * 2352)
        #expect(r.data == CueDiscFixture.audio(0) + CueDiscFixture.audio(1))
        // End before start; a start in the lead-in (00:01:00).
        #expect(run(d, [0xB9, 0, 0, 0x00, 0x04, 0x16, 0x00, 0x04, 0x14, 0x10, 0, 0]).sense == invalidCDB(6))
        #expect(run(d, [0xB9, 0, 0, 0x00, 0x01, 0x00, 0x00, 0x04, 0x14, 0x10, 0, 0]).sense == invalidCDB(3))
        // Equal addresses: nothing transferred.
        #expect(run(d, [0xB9, 0, 0, 0x00, 0x04, 0x14, 0x00, 0x04, 0x14, 0x10, 0, 0]).result.dataInLength == 0)
    }

    @Test func readSubChannel() {
        let d = disc.drive()
        // MCN: header (audio status 00h, length 20), 02h, MCVAL, 13 ASCII digits, 0, AFRAME 0.
        #expect(run(d, [0x42, 0, 0x40, 0x02, 0, 0, 0, 0, 0x18, 0]).data
                == [0, 0, 0, 0x14, 0x02, 0, 0, 0, 0x80] + Array("0123456789012".utf8) + [0, 0])
        // ISRC of track 2 (ADR/CONTROL 12h), of track 3 (none: TCVAL 0), of a track not on the disc.
        #expect(run(d, [0x42, 0, 0x40, 0x03, 0, 0, 0x02, 0, 0x18, 0]).data
                == [0, 0, 0, 0x14, 0x03, 0x12, 0x02, 0, 0x80] + Array("USEMD2600001".utf8) + [0, 0, 0])
        #expect(run(d, [0x42, 0, 0x40, 0x03, 0, 0, 0x03, 0, 0x18, 0]).data
                == [0, 0, 0, 0x14, 0x03, 0x10, 0x03, 0, 0] + [UInt8](repeating: 0, count: 15))
        #expect(run(d, [0x42, 0, 0x40, 0x03, 0, 0, 0x09, 0, 0x18, 0]).sense == invalidCDB(6))
        // Current position: track 1 start until a read; after reading LBA 181 (track 3 index 0): absolute
        // 00:04:31 (MSF) or B5h (LBA), relative one frame before INDEX 01 (−1 as an LBA).
        #expect(run(d, [0x42, 0, 0x40, 0x01, 0, 0, 0, 0, 0x10, 0]).data
                == [0, 0, 0, 0x0C, 0x01, 0x14, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0])
        _ = run(d, Self.readCD(type: 1, lba: 181, count: 1, fields: 0x10), capacity: 2352)
        #expect(run(d, [0x42, 0x02, 0x40, 0x01, 0, 0, 0, 0, 0x10, 0]).data
                == [0, 0, 0, 0x0C, 0x01, 0x10, 0x03, 0x00, 0, 0x00, 0x04, 0x1F, 0, 0, 0, 0x01])
        #expect(run(d, [0x42, 0, 0x40, 0x01, 0, 0, 0, 0, 0x10, 0]).data
                == [0, 0, 0, 0x0C, 0x01, 0x10, 0x03, 0x00, 0, 0, 0, 0xB5, 0xFF, 0xFF, 0xFF, 0xFF])
        // SUBQ = 0: the header only; an unknown parameter list code.
        #expect(run(d, [0x42, 0, 0x00, 0x01, 0, 0, 0, 0, 0x10, 0]).data == [0, 0, 0, 0])
        #expect(run(d, [0x42, 0, 0x40, 0x04, 0, 0, 0, 0, 0x10, 0]).sense == invalidCDB(3))
    }

    @Test func readTenAndCapacity() {
        let d = disc.drive()
        // READ CAPACITY: last LBA 194 (C2h), 2048-byte blocks.
        #expect(run(d, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]).data == [0, 0, 0, 0xC2, 0, 0, 0x08, 0x00])
        #expect(run(d, [0x28, 0, 0, 0, 0, 18, 0, 0, 2, 0]).data == OpticalImage.pattern(18) + OpticalImage.pattern(19))
        // Reaching the audio track (its pregap starts at LBA 20): 05/64/00 at 20.
        #expect(run(d, [0x28, 0, 0, 0, 0, 19, 0, 0, 2, 0]).sense
                == Sense(.illegalRequest, .illegalModeForThisTrack, information: 20))
        #expect(run(d, [0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0], dataOut: OpticalImage.pattern(0)).sense
                == Sense(.dataProtect, .writeProtected))
    }

    /// PLAY AUDIO (10) 45h, PLAY AUDIO MSF 47h, PAUSE/RESUME 4Bh, STOP PLAY/SCAN 4Eh, PLAY AUDIO (12) A5h,
    /// SCAN BAh: feature 0103h (CD External Audio Play) is not reported, so ILLEGAL REQUEST 20/00.
    @Test(arguments: [0x45, 0x47, 0x4B, 0x4E, 0xA5, 0xBA] as [UInt8])
    func audioPlayIsNotSupported(opcode: UInt8) {
        let d = disc.drive()
        let cdb: [UInt8] = opcode >= 0xA0 ? [opcode] + [UInt8](repeating: 0, count: 11) : [opcode] + [UInt8](repeating: 0, count: 9)
        #expect(run(d, cdb).sense == Sense(.illegalRequest, .invalidCommandOperationCode))
    }

    @Test func insertedAtRunTime() throws {
        let d = opticalDevice("profile-cdrom/", image: OpticalImage(blocks: 16))
        try d.insert(imagePath: disc.cuePath)
        drainUnitAttentions(d)
        #expect(run(d, Self.toc(format: 0, track: 0xAA)).data == [0x00, 0x0A, 0x01, 0x03, 0x00, 0x10, 0xAA, 0x00, 0, 0, 0, 0xC3])
        #expect(d.statusReport.hasSuffix("image=\(disc.cuePath)"))
    }

    @Test func badSheetIsRefusedNamingTheLine() {
        let bad = CueDiscFixture(sheet: "FILE \"data.bin\" BINARY\n  TRACK 01 MODE1/2048\n    INDEX 01 00:00:99\n")
        #expect(throws: OpticalControlError.unusableImage(
            path: bad.cuePath,
            reason: "cue sheet line 3, INDEX 01 time: '00:00:99' is not a time mm:ss:ff (seconds < 60, frames < 75)")) {
            try OpticalDevice(config: OpticalConfig(parsing: "fbo/\(bad.cuePath)"))
        }
        let missing = CueDiscFixture(sheet: "FILE \"nothere.bin\" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n")
        #expect(throws: OpticalControlError.self) { try OpticalDevice(config: OpticalConfig(parsing: "fbo/\(missing.cuePath)")) }
    }
}
