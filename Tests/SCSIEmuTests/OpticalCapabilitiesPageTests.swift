import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// Mode page 2Ah as the two hosts that parse it read it: Linux sr (MODE SENSE(6), block descriptors allowed,
/// 128 bytes) and dvd+rw-mediainfo (MODE SENSE(10) with DBD, which it requires to be honoured).
@Suite struct OpticalCapabilitiesPageTests {
    /// The whole page (MMC-3 §5.5.10 layout, kept by MMC-6), tray closed, unlocked, default speeds.
    static let page: [UInt8] = [
        0x2A, 0x22,
        0x3B,  // 2: DVD-RAM, DVD-R, DVD-ROM, CD-RW, CD-R read; no METHOD 2
        0x37,  // 3: DVD-RAM, DVD-R, CD-RW, CD-R write, TEST WRITE (issue 17: sr prints "writer")
        0x70,  // 4: multi-session, mode 2 form 2, mode 2 form 1 (READ CD); no audio play
        0x73,  // 5: UPC, ISRC, C2 pointers, CD-DA stream accurate, CD-DA commands
        0x29,  // 6: tray (001b), EJECT, LOCK
        0x00,
        0x21, 0x00,  // 8-9: maximum read speed 8448 kB/s = 48 × 176
        0x00, 0x00,  // 10-11: no volume levels
        0x08, 0x00,  // 12-13: buffer 2048 KiB
        0x21, 0x00,  // 14-15: current read speed
        0x00, 0x00,
        0x1B, 0x0D,  // 18-19: maximum write speed 6925 kB/s (DVD 5×)
        0x1B, 0x0D,  // 20-21: current write speed
        0x00, 0x00, 0x00, 0x00, 0x00,
        0x00,  // 27: rotation control CLV
        0x1B, 0x0D,  // 28-29: current write speed selected
        0x00, 0x01,  // 30-31: one write speed descriptor
        0x00, 0x00, 0x1B, 0x0D,
    ]

    @Test func modeSense10WithDBDGivesThePageAlone() {
        let d = opticalDevice("", image: OpticalImage(blocks: 16))
        let r = run(d, [0x5A, 0x08, 0x2A, 0, 0, 0, 0, 0, 64, 0])
        #expect(r.status == .good)
        #expect(r.data.count == 8 + 36)
        #expect(Array(r.data[0..<2]) == [0x00, 0x2A])  // mode data length 6 + 36
        #expect(Array(r.data[6..<8]) == [0x00, 0x00])  // block descriptor length 0 (DBD honoured)
        #expect(Array(r.data[8...]) == Self.page)
    }

    /// What sr's get_capabilities prints from MODE SENSE(6) page 2Ah (drivers/scsi/sr.c): current and
    /// maximum read speed / 176, then "writer " (byte 3 bit 0), "dvd-ram " (3.5), "cd/rw " (2.1),
    /// "xa/form2 " (4.5), "cdda " (5.0) and the loading mechanism name of byte 6 bits 7-5.
    static func srLine(_ response: [UInt8]) -> String {
        let n = 4 + Int(response[3])
        let p = Array(response[n...])
        let mechanisms = ["caddy", "tray", "pop-up", "", "changer", "cartridge changer", "", ""]
        let speed = (Int(p[8]) << 8 | Int(p[9])) / 176
        let current = (Int(p[14]) << 8 | Int(p[15])) / 176
        return "scsi3-mmc drive: \(current)x/\(speed)x "
            + (p[3] & 0x01 != 0 ? "writer " : "") + (p[3] & 0x20 != 0 ? "dvd-ram " : "")
            + (p[2] & 0x02 != 0 ? "cd/rw " : "") + (p[4] & 0x20 != 0 ? "xa/form2 " : "")
            + (p[5] & 0x01 != 0 ? "cdda " : "") + mechanisms[Int(p[6] >> 5)]
    }

    @Test func linuxSrSeesAScsi3MMCDVDRAMDrive() {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        let r = run(d, [0x1A, 0x00, 0x2A, 0, 128, 0])
        #expect(r.status == .good)
        #expect(Array(r.data[4...]) == Self.page)
        // The exact dmesg line vm/scenarios/27-fbo-tray.sh asserts.
        #expect(Self.srLine(r.data) == "scsi3-mmc drive: 48x/48x writer dvd-ram cd/rw xa/form2 cdda tray")
        // Byte 2 bit 3 (DVD-ROM read) is what sr and dvd+rw-mediainfo take for "a DVD unit".
        #expect(r.data[4 + 2] & 0x08 != 0)
    }
}
