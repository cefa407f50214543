import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// MODE SELECT of the Write Parameters page 05h (MMC-6 §7.5.4.2, tables 650-653): the write type, track
/// mode and data block type combinations the drive records are taken, the others refused with INVALID
/// FIELD IN PARAMETER LIST pointing at the field (SPC-5 §6.12), nothing changed.
@Suite struct WriteParametersTests {
    /// MODE SELECT(10) of page 05h, no block descriptor: the page starts at list byte 8.
    static func select(
        _ d: OpticalDevice, type: UInt8, multi: UInt8 = 0, trackMode: UInt8, blockType: UInt8, sessionFormat: UInt8 = 0
    ) -> Outcome {
        var page = [UInt8](repeating: 0, count: 52)
        page[0] = 0x05; page[1] = 0x32; page[2] = type; page[3] = multi << 6 | trackMode; page[4] = blockType
        page[8] = sessionFormat; page[15] = 150
        let list = [UInt8](repeating: 0, count: 8) + page
        return run(d, [0x55, 0x10, 0, 0, 0, 0, 0, 0, UInt8(list.count), 0], dataOut: list)
    }

    /// The page as MODE SENSE(10) returns it now (current values).
    static func currentPage(_ d: OpticalDevice) -> [UInt8] {
        Array(run(d, [0x5A, 0x00, 0x05, 0, 0, 0, 0, 0, 60, 0]).data.dropFirst(8))
    }

    static func refused(byte: UInt16, bit: UInt8) -> Sense {
        Sense(.illegalRequest, .invalidFieldInParameterList, keySpecific: .fieldPointer(inCDB: false, byte: byte, bit: bit))
    }

    /// libburn's write mode probe (spc_probe_write_modes): each write type 1-3 with data block types 0-3
    /// (track mode 0) and 8-13 (track mode 4). The drive takes TAO mode 1 and SAO (block type 0 or 8-13,
    /// not used), and no raw mode nor SAO with raw sub-channel, so libburn offers TAO and SAO, never RAW96/RAW16
    /// (and wodim lists "TAO PACKET SAO", without SAO/R96P and SAO/R96R).
    @Test func libburnsProbeFindsTrackAtOnceModeOneAndSessionAtOnceButNoRaw() {
        let d = BurnImage().drive("profile-cdr/capacity-1000/")
        var accepted: [String] = []
        for type: UInt8 in 1...3 {
            for block: UInt8 in [0, 1, 2, 3, 8, 9, 10, 11, 12, 13] {
                let outcome = Self.select(d, type: type, trackMode: block > 4 ? 4 : 0, blockType: block)
                if outcome.status == .good { accepted.append("\(type):\(block)") }
            }
        }
        #expect(accepted == ["1:0", "1:8", "2:0", "2:8", "2:9", "2:10", "2:11", "2:12", "2:13"])
    }

    @Test func rawWriteTypeIsRefusedAtTheWriteTypeFieldAndChangesNothing() {
        let d = BurnImage().drive("profile-cdr/capacity-1000/")
        let before = Self.currentPage(d)
        let raw = Self.select(d, type: WriteType.raw, trackMode: 0, blockType: 0)
        #expect(raw.sense == Self.refused(byte: 10, bit: 3))
        // Exact wire bytes: fixed format, ILLEGAL REQUEST, 26/00, SKSV|BPV|bit 3 (C/D 0: a parameter), byte 000Ah.
        let wire = raw.sense?.encoded(as: .fixed) ?? []
        #expect(wire.count >= 18 && wire[2] == 0x05)
        #expect(Array(wire.dropFirst(12).prefix(6)) == [0x26, 0x00, 0x00, 0x8B, 0x00, 0x0A])
        #expect(Self.currentPage(d) == before)
        // Layer jump (4) and the reserved types likewise.
        #expect(Self.select(d, type: 4, trackMode: 4, blockType: 8).sense == Self.refused(byte: 10, bit: 3))
        #expect(Self.select(d, type: 0x0F, trackMode: 4, blockType: 8).sense == Self.refused(byte: 10, bit: 3))
    }

    @Test func trackAtOnceTakesModeOneAndCDDAPacketModeOneOnly() {
        let d = BurnImage().drive("profile-cdr/capacity-1000/")
        #expect(Self.select(d, type: WriteType.trackAtOnce, trackMode: 4, blockType: 8).status == .good)
        #expect(Self.select(d, type: WriteType.trackAtOnce, trackMode: 5, blockType: 8).status == .good)
        #expect(Self.select(d, type: WriteType.packet, trackMode: 7, blockType: 8).status == .good)
        // CD-DA (block type 0) with an audio TRACK MODE in TAO: an audio track; in packet writing, or mode 2 (10)
        // in TAO: not recorded, the data block type field (list byte 12).
        #expect(Self.select(d, type: WriteType.trackAtOnce, trackMode: 0, blockType: 0).status == .good)
        #expect(Self.select(d, type: WriteType.packet, trackMode: 0, blockType: 0).sense == Self.refused(byte: 12, bit: 3))
        #expect(Self.select(d, type: WriteType.trackAtOnce, trackMode: 4, blockType: 10).sense == Self.refused(byte: 12, bit: 3))
        // Mode 1 blocks in a track whose CONTROL says audio: the track mode field (list byte 11, bits 3-0).
        #expect(Self.select(d, type: WriteType.trackAtOnce, trackMode: 0, blockType: 8).sense == Self.refused(byte: 11, bit: 3))
        // Raw with sub-channel (1-3), reserved (4-6, 14) and vendor-specific (7, 15) data block types, even in SAO.
        for block: UInt8 in [1, 2, 3, 4, 5, 6, 7, 14, 15] {
            #expect(Self.select(d, type: WriteType.sessionAtOnce, trackMode: 4, blockType: block).sense == Self.refused(byte: 12, bit: 3))
        }
    }

    @Test func multiSessionAndSessionFormatReservedValuesAreRefused() {
        let d = BurnImage().drive("profile-cdr/capacity-1000/")
        for multi: UInt8 in [0b00, 0b01, 0b11] {
            #expect(Self.select(d, type: WriteType.trackAtOnce, multi: multi, trackMode: 4, blockType: 8).status == .good)
        }
        #expect(Self.select(d, type: WriteType.trackAtOnce, multi: 0b10, trackMode: 4, blockType: 8).sense == Self.refused(byte: 11, bit: 7))
        for format: UInt8 in [0x00, 0x10, 0x20] {
            #expect(Self.select(d, type: WriteType.trackAtOnce, trackMode: 4, blockType: 8, sessionFormat: format).status == .good)
        }
        #expect(Self.select(d, type: WriteType.trackAtOnce, trackMode: 4, blockType: 8, sessionFormat: 0x30).sense == Self.refused(byte: 16, bit: 7))
        // The last accepted page is the current one: TAO, MULTI-SESSION 00b, track mode 4, block type 8, CD-ROM XA.
        let page = Self.currentPage(d)
        #expect(Array(page[0..<5]) == [0x05, 0x32, 0x01, 0x04, 0x08] && page[8] == 0x20)
    }

    @Test func growisofsDVDMinusRIncrementalAndDiscAtOncePagesAreTaken() {
        let d = BurnImage().drive("profile-dvd-r/capacity-4096/")
        // Incremental (0), track mode 5, mode 1 blocks; DAO (2) likewise.
        #expect(Self.select(d, type: WriteType.packet, trackMode: 5, blockType: 8).status == .good)
        #expect(Self.select(d, type: WriteType.sessionAtOnce, trackMode: 5, blockType: 8).status == .good)
    }
}
