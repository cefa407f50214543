import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// READ TOC, READ DISC INFORMATION, READ TRACK INFORMATION, READ DVD STRUCTURE, MECHANISM STATUS, READ
/// FORMAT CAPACITIES, GET PERFORMANCE: exact bytes from the MMC-6 tables, for a 16-block disc.
@Suite struct OpticalDiscStructureTests {
    @Test func tocFormat0LBAAndMSF() throws {
        // TOC DATA LENGTH 18 | first 1 | last 1 | track 1: ADR 1 CONTROL 4, start 0 | lead-out AAh at 16.
        #expect(try ReadTOC.response(format: 0, msf: false, trackOrSession: 0, profile: .dvdROM, blockCount: 16)
                == [0x00, 0x12, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0, 0, 0x14, 0xAA, 0, 0, 0, 0, 0x10])
        // MSF: track 1 at 00:02:00, lead-out at LBA 16 + 150 = 166 frames = 00:02:16; DVD-RAM CONTROL 7.
        #expect(try ReadTOC.response(format: 0, msf: true, trackOrSession: 1, profile: .dvdRAM, blockCount: 16)
                == [0x00, 0x12, 1, 1, 0, 0x17, 1, 0, 0, 0, 2, 0, 0, 0x17, 0xAA, 0, 0, 0, 2, 16])
        // Starting at the lead-out: its descriptor alone.
        #expect(try ReadTOC.response(format: 0, msf: false, trackOrSession: 0xAA, profile: .cdROM, blockCount: 16)
                == [0x00, 0x0A, 1, 1, 0, 0x14, 0xAA, 0, 0, 0, 0, 0x10])
        #expect(throws: invalidCDB(6)) {
            try ReadTOC.response(format: 0, msf: false, trackOrSession: 2, profile: .cdROM, blockCount: 16)
        }
    }

    @Test func msfConversion() {
        #expect(MSF(lba: 0) == MSF(minute: 0, second: 2, frame: 0))
        #expect(MSF(lba: 4500) == MSF(minute: 1, second: 2, frame: 0))  // 4650 frames
        #expect(MSF(lba: 74) == MSF(minute: 0, second: 2, frame: 74))
        #expect(MSF(lba: 2_000_000) == MSF(minute: 255, second: 59, frame: 74))  // clamped
        #expect(MSF(lba: 4500 * 12 + 75 * 34 + 56 - 150).bcd == [0x12, 0x34, 0x56])
    }

    @Test func tocFormats1And2AndLegacyByte9() throws {
        // Multi-session: length 10 | sessions 1..1 | first track of last session at LBA 0.
        let session: [UInt8] = [0x00, 0x0A, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0]
        #expect(try ReadTOC.response(format: 1, msf: false, trackOrSession: 0, profile: .dvdROM, blockCount: 16) == session)
        // Full TOC: 4 descriptors of 11 bytes; A0h first track 1 disc type 00h, A1h last track 1,
        // A2h lead-out 00:02:16, track 1 at 00:02:00.
        let full: [UInt8] = [0x00, 0x2E, 1, 1]
            + [1, 0x14, 0, 0xA0, 0, 0, 0, 0, 1, 0x00, 0]
            + [1, 0x14, 0, 0xA1, 0, 0, 0, 0, 1, 0, 0]
            + [1, 0x14, 0, 0xA2, 0, 0, 0, 0, 0, 2, 16]
            + [1, 0x14, 0, 0x01, 0, 0, 0, 0, 0, 2, 0]
        #expect(try ReadTOC.response(format: 2, msf: true, trackOrSession: 1, profile: .cdROM, blockCount: 16) == full)

        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        // Linux sr's multisession probe: format 0 with byte 9 = 40h, 12 bytes.
        #expect(run(d, [0x43, 0, 0, 0, 0, 0, 0, 0, 12, 0x40]).data == session)
        #expect(run(d, [0x43, 0x02, 0, 0, 0, 0, 0, 0, 0xFF, 0x80]).data == full)
        #expect(run(d, [0x43, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xC0]).sense == invalidCDB(9))
        #expect(run(d, [0x43, 0, 0x03, 0, 0, 0, 0, 0, 0xFF, 0]).sense == invalidCDB(2, 3))
        // Header only (4 bytes), as cdrom.c reads it first.
        let header = run(d, [0x43, 0, 0, 0, 0, 0, 0, 0, 4, 0])
        #expect(header.data == [0x00, 0x12, 1, 1] && header.result.dataInLength == 4)
    }

    @Test func discAndTrackInformation() throws {
        // ROM: complete session, finalized disc, URU; lead-in/out FFFFFFFFh.
        #expect(ReadDiscInformation.response(profile: .dvdROM)
                == [0x00, 0x20, 0x0E, 1, 1, 1, 1, 0x20, 0x00, 0, 0, 0, 0, 0, 0, 0]
                + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 10))
        // DVD-RAM: erasable, session complete, status 11b.
        #expect(ReadDiscInformation.response(profile: .dvdRAM)
                == [0x00, 0x20, 0x1F, 1, 1, 1, 1, 0x20, 0x00] + [UInt8](repeating: 0, count: 25))

        // Track 1 of a DVD-RAM: track mode 4 (only DVD+R/+MRW use 7), data mode 1, no LRA, blocking 16, size 16.
        let ram: [UInt8] = [0x00, 0x2E, 1, 1, 0, 0x04, 0x01, 0x00]
            + [0, 0, 0, 0] + [0, 0, 0, 0] + [0, 0, 0, 0] + [0, 0, 0, 16] + [0, 0, 0, 16] + [0, 0, 0, 0]
            + [0, 0, 0, 0] + [UInt8](repeating: 0, count: 12)
        #expect(try ReadTrackInformation.response(addressType: 1, number: 1, profile: .dvdRAM, blockCount: 16) == ram)
        // A CD-ROM track, found by LBA: mode 4, LRA_V with last recorded address 15, blocking 0.
        let cd = try ReadTrackInformation.response(addressType: 0, number: 15, profile: .cdROM, blockCount: 16)
        #expect(cd == [0x00, 0x2E, 1, 1, 0, 0x04, 0x01, 0x02]
                + [0, 0, 0, 0] + [0, 0, 0, 0] + [0, 0, 0, 0] + [0, 0, 0, 0] + [0, 0, 0, 16] + [0, 0, 0, 15]
                + [UInt8](repeating: 0, count: 16))
        let rom = try ReadTrackInformation.response(addressType: 1, number: 1, profile: .dvdROM, blockCount: 16)
        #expect(Array(rom[5..<8]) == [0x04, 0x01, 0x02] && Array(rom[20..<32]) == [0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0, 15])
        #expect(throws: Sense(.illegalRequest, .logicalBlockAddressOutOfRange)) {
            try ReadTrackInformation.response(addressType: 0, number: 16, profile: .cdROM, blockCount: 16)
        }
        #expect(throws: invalidCDB(2)) {
            try ReadTrackInformation.response(addressType: 2, number: 2, profile: .cdROM, blockCount: 16)
        }
        #expect(throws: invalidCDB(1, 1)) {
            try ReadTrackInformation.response(addressType: 3, number: 1, profile: .cdROM, blockCount: 16)
        }

        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        #expect(run(d, [0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0]).result.dataInLength == 34)
        #expect(run(d, [0x51, 0x01, 0, 0, 0, 0, 0, 0, 34, 0]).sense == invalidCDB(1, 2))
        #expect(run(d, [0x52, 0x01, 0, 0, 0, 1, 0, 0, 48, 0]).result.dataInLength == 48)
    }

    @Test func dvdStructures() throws {
        let rom = ReadDVDStructure.Disc(profile: .dvdROM, writeProtected: true, blockCount: 16)
        var physical = [UInt8](repeating: 0, count: 2052)
        // DATA LENGTH 2050 | DVD-ROM part 1 | 120 mm, rate n/s | one layer, embossed | start PSN 030000h |
        // end PSN 03000Fh.
        physical.replaceSubrange(0..<16, with: [0x08, 0x02, 0, 0, 0x01, 0x0F, 0x01, 0x00,
                                                0, 0x03, 0x00, 0x00, 0, 0x03, 0x00, 0x0F])
        #expect(try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0x00, disc: rom) == physical)
        #expect(try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0x01, disc: rom)
                == [0x00, 0x06, 0, 0, 0, 0, 0, 0])

        let ram = ReadDVDStructure.Disc(profile: .dvdRAM, writeProtected: false, blockCount: 16)
        let ramPhysical = try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0x00, disc: ram)
        #expect(Array(ramPhysical[4..<16]) == [0x16, 0x0F, 0x04, 0x00, 0, 0x03, 0x10, 0x00, 0, 0x03, 0x10, 0x0F])
        // The list: format, RDS, structure length (header included).
        #expect(try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0xFF, disc: ram)
                == [0x00, 0x16, 0, 0, 0x00, 0x40, 0x08, 0x04, 0x01, 0x40, 0x00, 0x08, 0x04, 0x40, 0x08, 0x04,
                    0x09, 0x40, 0x00, 0x08, 0xC0, 0x40, 0x00, 0x08])
        let wpRAM = ReadDVDStructure.Disc(profile: .dvdRAM, writeProtected: true, blockCount: 16)
        #expect(try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0xC0, disc: wpRAM)
                == [0x00, 0x06, 0, 0, 0x02, 0, 0, 0])  // PWP (no cartridge, so not CWP)
        #expect(try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0xC0, disc: ram)
                == [0x00, 0x06, 0, 0, 0x00, 0, 0, 0])
        #expect(try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0x09, disc: wpRAM)
                == [0x00, 0x06, 0, 0, 0x02, 0x10, 0, 0])
        #expect(try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0x09, disc: ram)
                == [0x00, 0x06, 0, 0, 0x00, 0x10, 0, 0])

        let cd = ReadDVDStructure.Disc(profile: .cdROM, writeProtected: true, blockCount: 16)
        #expect(throws: Sense(.illegalRequest, .cannotReadMediumIncompatibleFormat)) {
            try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0x00, disc: cd)
        }
        #expect(try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0xFF, disc: cd) == [0x00, 0x02, 0, 0])
        #expect(throws: invalidCDB(6)) { try ReadDVDStructure.response(mediaType: 0, layer: 1, format: 0, disc: rom) }
        #expect(throws: invalidCDB(1, 3)) { try ReadDVDStructure.response(mediaType: 1, layer: 0, format: 0, disc: rom) }
        #expect(throws: invalidCDB(7)) { try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0x02, disc: rom) }
        #expect(throws: Sense(.illegalRequest, .cannotReadMediumIncompatibleFormat)) {
            try ReadDVDStructure.response(mediaType: 0, layer: 0, format: 0x09, disc: rom)
        }

        // Through the table, on CD media: incompatible format; allocation 4 cuts to the header.
        let cdDevice = opticalDevice("profile-cdrom/", image: OpticalImage(blocks: 16))
        #expect(run(cdDevice, [0xAD, 0, 0, 0, 0, 0, 0, 0x00, 0x08, 0x04, 0, 0]).sense
                == Sense(.illegalRequest, .cannotReadMediumIncompatibleFormat))
        let romDevice = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        let cut = run(romDevice, [0xAD, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x04, 0, 0])
        #expect(cut.data == [0x08, 0x02, 0, 0] && cut.result.dataInLength == 4)
    }

    @Test func mechanismStatusAndFormatCapacities() {
        #expect(MechanismStatus.response(trayOpen: true) == [0x00, 0x10, 0, 0, 0, 0, 0, 0])
        #expect(MechanismStatus.response(trayOpen: false) == [0, 0, 0, 0, 0, 0, 0, 0])
        // No medium: descriptor type 11b, 2 295 104 blocks of 2048.
        #expect(ReadFormatCapacities.response(medium: nil) == [0, 0, 0, 8, 0x00, 0x23, 0x05, 0x40, 0x03, 0x00, 0x08, 0x00])
        // DVD-RAM: formatted (10b) 16 blocks + format type 00h descriptor.
        let ram = GetConfiguration.MediumState(profile: .dvdRAM, writable: true, blockCount: 16)
        #expect(ReadFormatCapacities.response(medium: ram)
                == [0, 0, 0, 16, 0, 0, 0, 16, 0x02, 0x00, 0x08, 0x00, 0, 0, 0, 16, 0x00, 0x00, 0x08, 0x00])
        // Write-protected DVD-RAM: the format descriptor is still listed (cdrom_id and dvd+rw-mediainfo
        // refuse a DVD-RAM list shorter than 16 bytes).
        let wpRAM = GetConfiguration.MediumState(profile: .dvdRAM, writable: false, blockCount: 16)
        #expect(ReadFormatCapacities.response(medium: wpRAM) == ReadFormatCapacities.response(medium: ram))
        let rom = GetConfiguration.MediumState(profile: .dvdROM, writable: false, blockCount: 16)
        #expect(ReadFormatCapacities.response(medium: rom) == [0, 0, 0, 8, 0, 0, 0, 16, 0x02, 0x00, 0x08, 0x00])
    }

    @Test func performanceAndSpeed() {
        let d = opticalDevice("", image: OpticalImage(blocks: 16))
        // Type 00h nominal read: length 20 | flags 0 | 0..15 at 22160 kB/s (DVD 16×).
        #expect(run(d, [0xAC, 0x10, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0]).data
                == [0, 0, 0, 0x14, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x56, 0x90, 0, 0, 0, 0x0F, 0, 0, 0x56, 0x90])
        // Write performance: WRITE flag in the header, 6925 kB/s (DVD-RAM 5×).
        #expect(run(d, [0xAC, 0x14, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0]).data
                == [0, 0, 0, 0x14, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1B, 0x0D, 0, 0, 0, 0x0F, 0, 0, 0x1B, 0x0D])
        // Exceptions: none. Maximum 0 descriptors: header only.
        #expect(run(d, [0xAC, 0x11, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0]).data == [0, 0, 0, 4, 0x01, 0, 0, 0])
        #expect(run(d, [0xAC, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0]).data == [0, 0, 0, 4, 0, 0, 0, 0])
        // Type 03h write speed: END LBA 16, read 22160, write 6925.
        #expect(run(d, [0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x03, 0]).data
                == [0, 0, 0, 0x14, 0, 0, 0, 0, 0x00, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0x56, 0x90, 0, 0, 0x1B, 0x0D])
        #expect(run(d, [0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 0]).sense == invalidCDB(10))

        // SET CD SPEED 10× (1764 kB/s) shows in page 2Ah CURRENT READ SPEED; FFFFh selects the maximum.
        #expect(run(d, [0xBB, 0, 0x06, 0xE4, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0]).status == .good)
        let page = run(d, [0x1A, 0x08, 0x2A, 0, 128, 0]).data
        #expect(Array(page[4 + 14..<4 + 16]) == [0x06, 0xE4])
        #expect(run(d, [0xBB, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0]).status == .good)
        #expect(Array(run(d, [0x1A, 0x08, 0x2A, 0, 128, 0]).data[18..<20]) == [0x21, 0x00])
        #expect(run(d, [0xBB, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0]).sense == invalidCDB(1, 1))
    }
}
