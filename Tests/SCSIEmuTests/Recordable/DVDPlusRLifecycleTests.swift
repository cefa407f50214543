import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// A DVD+R (profile 001Bh) from blank through two sessions to finalized, every answer in exact bytes
/// (MMC-6 §4.5 sequential recording, §6.22 READ DISC INFORMATION, §6.27 READ TRACK INFORMATION, §6.3 CLOSE
/// TRACK SESSION, §6.26 READ TOC format 1, §6.23 READ CAPACITY).
@Suite struct DVDPlusRLifecycleTests {
    @Test func blankDiscAnswers() {
        let image = BurnImage()
        let d = image.drive("profile-dvd+r/capacity-1024/")
        // GET CONFIGURATION RT 10b feature 0: header CURRENT PROFILE 001Bh; DVD+R listed current.
        let config = run(d, [0x46, 0x02, 0, 0, 0, 0, 0, 0x01, 0x00, 0]).data
        #expect(Array(config[6..<8]) == [0x00, 0x1B])
        let profiles = Array(config[12...])
        #expect(profiles.count == 4 * MediumProfile.allCases.count)
        #expect(Array(profiles[0..<4]) == [0x00, 0x43, 0, 0])  // descending: BD-RE first
        let currentProfiles: [UInt8] = stride(from: 0, to: profiles.count, by: 4).filter { profiles[$0 + 2] & 1 == 1 }
            .map { profiles[$0 + 1] }
        #expect(currentProfiles == [0x1B])
        // Feature 002Bh DVD+R: version 1, current, WRITE.
        let plusR: [UInt8] = [0, 0, 0, 12, 0, 0, 0, 0x1B, 0x00, 0x2B, 0x05, 4, 1, 0, 0, 0]
        #expect(run(d, [0x46, 0x02, 0x00, 0x2B, 0, 0, 0, 0, 16, 0]).data == plusR)
        // Blank: not erasable, last session empty, disc blank; 1 session, tracks 1..1, URU; next lead-in
        // at LBA 0, last possible lead-out at 1024 (400h).
        var blankInfo: [UInt8] = [0, 32, 0x00, 1, 1, 1, 1, 0x20, 0, 0, 0, 0, 0, 0, 0, 0]
        blankInfo += [0, 0, 0, 0, 0, 0, 0x04, 0x00]
        blankInfo += [UInt8](repeating: 0, count: 10)
        #expect(Burn.readDiscInformation(d) == blankInfo)
        // The invisible track (FFh): mode 7 (DVD+R), blank, data mode 1, NWA_V; NWA 0, 1024 free, blocking 16.
        var invisible: [UInt8] = [0, 46, 1, 1, 0, 0x07, 0x41, 0x01]
        invisible += be32(0) + be32(0) + be32(1024)
        invisible += be32(16) + be32(1024) + be32(0)
        invisible += [UInt8](repeating: 0, count: 16)
        #expect(Burn.trackInformation(d, type: 1, 0xFF).data == invisible)
        #expect(Burn.readCapacity(d) == [0, 0, 0, 0, 0, 0, 0x08, 0])
        // Blank disc: no TOC (INVALID FIELD IN CDB, FORMAT).
        #expect(Burn.toc(d, format: 0).sense
                == Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 3)))
    }

    @Test func twoSessionsThenFinalize() {
        let image = BurnImage()
        let d = image.drive("profile-dvd+r/capacity-1024/")
        #expect(Burn.write(d, lba: 5, blocks: 1).sense == Burn.invalidAddressForWrite)  // not the NWA
        #expect(Burn.write(d, lba: 0, blocks: 16).status == .good)
        #expect(Burn.write(d, lba: 0, blocks: 1).sense == Burn.invalidAddressForWrite)  // write-once
        #expect(Burn.readCapacity(d) == [0, 0, 0, 15, 0, 0, 0x08, 0])
        #expect(run(d, [0x28, 0, 0, 0, 0, 15, 0, 0, 1, 0], capacity: 2048).data == OpticalImage.pattern(15))
        #expect(run(d, [0x28, 0, 0, 0, 0, 16, 0, 0, 1, 0], capacity: 2048).sense == Burn.outOfRange)
        // Appendable, last session incomplete (01b << 2 | 01b).
        #expect(Burn.readDiscInformation(d)[2] == 0x05)
        // Track 1 incomplete: not blank, LRA_V and NWA_V, NWA 16, free 1008, LRA 15.
        var track1: [UInt8] = [0x07, 0x01, 0x03]
        track1 += be32(0) + be32(16) + be32(1008)
        track1 += be32(16) + be32(1024) + be32(15)
        #expect(Array(Burn.trackInformation(d, type: 1, 1).data[5..<32]) == track1)
        #expect(Burn.close(d, 1, number: 1).status == .good)
        #expect(Burn.close(d, 2).status == .good)
        // Session 1 closed: 2 sessions, the last empty (00b), disc appendable; track 2 open at 16.
        #expect(Array(Burn.readDiscInformation(d)[2..<7]) == [0x01, 1, 2, 2, 2])
        #expect(Array(Burn.readDiscInformation(d)[16..<24]) == be32(16) + be32(1024))
        #expect(Burn.toc(d, format: 1).data == [0, 10, 1, 1, 0, 0x15, 1, 0, 0, 0, 0, 0])
        // Track 1 closed: RT set, not blank (dvd+rw-mediainfo: "partial/complete"), LRA_V only; no NWA, 0 free.
        var closed1: [UInt8] = [0x07, 0x81, 0x02]
        closed1 += be32(0) + be32(0) + be32(0)
        closed1 += be32(16) + be32(16) + be32(15)
        #expect(Array(Burn.trackInformation(d, type: 1, 1).data[5..<32]) == closed1)
        #expect(Burn.write(d, lba: 16, blocks: 4).status == .good)
        // Session 2 incomplete (what an interrupted burn leaves): the session info still names the last
        // complete session, 1 (MMC-6 §6.26.3.3), so Linux mounts and growisofs -M resume from it.
        #expect(Burn.toc(d, format: 1).data == [0, 10, 1, 1, 0, 0x15, 1, 0, 0, 0, 0, 0])
        #expect(Burn.close(d, 2).status == .good)
        // Multi-session TOC: the last session (2) starts with track 2 at LBA 16 (Linux's isofs offset).
        #expect(Burn.toc(d, format: 1).data == [0, 10, 1, 2, 0, 0x15, 2, 0, 0, 0, 0, 16])
        var toc: [UInt8] = [0, 26, 1, 2, 0, 0x15, 1, 0]
        toc += be32(0) + [0, 0x15, 2, 0] + be32(16)
        toc += [0, 0x15, 0xAA, 0] + be32(20)
        #expect(Burn.toc(d, format: 0).data == toc)
        // Finalize (110b): complete (11b << 2 | 10b), lead-in/out FFFFFFFFh, no open track, writes refused.
        #expect(Burn.close(d, 6).status == .good)
        let info = Burn.readDiscInformation(d)
        #expect(Array(info[2..<7]) == [0x0E, 1, 2, 2, 2])
        #expect(Array(info[16..<24]) == [UInt8](repeating: 0xFF, count: 8))
        #expect(Burn.write(d, lba: 20, blocks: 1).sense == Burn.invalidAddressForWrite)
        #expect(Burn.close(d, 7).sense
                == Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 2)))
        // The state change was announced: GESN media class, MediaChanged (4h).
        #expect(run(d, gesnCDB(0x10)).data == [0, 4, 0x04, 0x56, 0x04, 0x02, 0, 0])
    }

    @Test func emptySessionCannotBeClosed() {
        let image = BurnImage()
        let d = image.drive("profile-dvd+r/capacity-1024/")
        #expect(Burn.close(d, 2).sense == Sense(.illegalRequest, .currentProgramAreaIsEmpty))
        #expect(Burn.close(d, 1, number: 1).status == .good)  // a blank open track: nothing to close
        #expect(Burn.close(d, 1, number: 9).sense
                == Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 4, bit: 7)))
    }

    @Test func romDiscRefusesTheRecordingCommands() {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("ro/", image: image)
        #expect(Burn.close(d, 1, number: 1).sense == Sense(.illegalRequest, .cannotWriteMediumIncompatibleFormat))
        #expect(run(d, [0x53, 0, 0, 0, 0, 0, 0, 0, 16, 0]).sense == Sense(.illegalRequest, .cannotWriteMediumIncompatibleFormat))
        #expect(run(d, [0xA1, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).sense
                == Sense(.illegalRequest, .cannotWriteMediumIncompatibleFormat))
    }
}
