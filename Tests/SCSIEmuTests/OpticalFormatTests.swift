import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// FORMAT UNIT on DVD-RAM: parameter checks, IMMED with progress in REQUEST SENSE and NOT READY 04/04.
@Suite struct OpticalFormatTests {
    /// FMTDATA=1, format code 001b | header: IMMED?, descriptor length 8 | blocks, type 00h, 2048.
    static func formatList(immediate: Bool, blocks: UInt32 = 16, optionByte: UInt8? = nil) -> [UInt8] {
        [0x00, optionByte ?? (immediate ? 0x02 : 0x00), 0x00, 0x08]
            + [UInt8(blocks >> 24), UInt8(blocks >> 16 & 0xFF), UInt8(blocks >> 8 & 0xFF), UInt8(blocks & 0xFF)]
            + [0x00, 0x00, 0x08, 0x00]
    }
    static let formatCDB: [UInt8] = [0x04, 0x11, 0, 0, 0, 0]

    @Test func immediateFormatReportsProgress() {
        let image = OpticalImage(blocks: 16)
        let background = ManualBackground()
        let d = opticalDevice("", image: image, background: background, formatChunkBytes: 4 * 2048)
        _ = run(d, gesnCDB(0x40))  // consume the power-on state
        #expect(run(d, Self.formatCDB, dataOut: Self.formatList(immediate: true)).status == .good)
        #expect(background.count == 1)

        let formatting = { (p: UInt16) in
            Sense(.notReady, .logicalUnitNotReadyFormatInProgress, keySpecific: .progress(p))
        }
        #expect(testUnitReady(d) == formatting(0))
        #expect(run(d, [0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0]).sense == formatting(0))
        #expect(run(d, ejectCDB).sense == formatting(0))
        #expect(throws: OpticalControlError.formatInProgress) { try d.eject(force: true) }
        // Device busy: a busy event, status busy.
        #expect(run(d, gesnCDB(0x40)).data == [0x00, 0x04, 0x06, 0x56, 0x01, 0x01, 0x00, 0x00])

        guard case .more = d.formatStep() else { Issue.record("step 1"); return }
        #expect(testUnitReady(d) == formatting(0x4000))
        // REQUEST SENSE: fixed format, NOT READY 04/04, SKSV + progress 4000h.
        let sense = run(d, [0x03, 0, 0, 0, 18, 0]).data
        #expect(sense == [0x70, 0, 0x02, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x04, 0x04, 0, 0x80, 0x40, 0x00])
        guard case .more = d.formatStep() else { Issue.record("step 2"); return }
        #expect(testUnitReady(d) == formatting(0x8000))
        guard case .more = d.formatStep() else { Issue.record("step 3"); return }
        #expect(testUnitReady(d) == formatting(0xC000))
        guard case .done = d.formatStep() else { Issue.record("step 4"); return }

        #expect(testUnitReady(d) == nil)
        #expect(run(d, gesnCDB(0x40)).data == [0x00, 0x04, 0x06, 0x56, 0x01, 0x00, 0x00, 0x00])
        #expect(image.contents == [UInt8](repeating: 0, count: 16 * 2048))
    }

    @Test func synchronousFormatZeroesTheImage() {
        let image = OpticalImage(blocks: 16)
        let background = ManualBackground()
        let d = opticalDevice("", image: image, background: background)
        // FFFFFFFFh blocks: the maximum, accepted like the exact capacity.
        #expect(run(d, Self.formatCDB, dataOut: Self.formatList(immediate: false, blocks: 0xFFFF_FFFF)).status == .good)
        #expect(background.count == 0)
        #expect(testUnitReady(d) == nil)
        #expect(image.contents == [UInt8](repeating: 0, count: 16 * 2048))
        // FMTDATA=0: the default format.
        #expect(run(d, [0x04, 0x01, 0, 0, 0, 0], dataOut: []).status == .good)
    }

    @Test func badFormatRequests() {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("", image: image)
        let list = Self.formatList(immediate: false)
        #expect(run(d, [0x04, 0x12, 0, 0, 0, 0], dataOut: list).sense == invalidCDB(1, 2))
        #expect(run(d, Self.formatCDB, dataOut: Array(list.prefix(8))).sense
                == Sense(.illegalRequest, .parameterListLengthError))
        #expect(run(d, Self.formatCDB, dataOut: Self.formatList(immediate: false, optionByte: 0x10)).sense
                == invalidParameter(1, 4))
        #expect(run(d, Self.formatCDB, dataOut: Self.formatList(immediate: false, blocks: 15)).sense
                == invalidParameter(4))
        var badType = list
        badType[8] = 0x04  // format type 01h
        #expect(run(d, Self.formatCDB, dataOut: badType).sense == invalidParameter(8))
        var badLength = list
        badLength[10] = 0x02  // 512-byte blocks
        #expect(run(d, Self.formatCDB, dataOut: badLength).sense == invalidParameter(9))
        #expect(image.contents[2048..<4096].elementsEqual(OpticalImage.pattern(1)))

        let rom = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        #expect(run(rom, Self.formatCDB, dataOut: list).sense == Sense(.illegalRequest, .cannotFormatMediumIncompatibleMedium))
        let wp = opticalDevice("ro/profile-dvdram/", image: OpticalImage(blocks: 16))
        #expect(run(wp, Self.formatCDB, dataOut: list).sense == Sense(.dataProtect, .writeProtected))
    }
}
