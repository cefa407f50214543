import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// GET CONFIGURATION bytes, hand-built from MMC-6 §5.3 feature layouts.
@Suite struct OpticalGetConfigurationTests {
    // Each feature: FEATURE CODE (2) | VERSION<<2 | PERSISTENT<<1 | CURRENT | ADDITIONAL LENGTH | data.
    /// 0000h, v0, persistent, current, 48 bytes: BD-RE, BD-R, DVD+R, DVD+RW, DVD-RW seq, DVD-RW RO, DVD-RAM,
    /// DVD-R, DVD-ROM, CD-RW, CD-R, CD-ROM (descending, MMC-6 §5.3.1).
    static func profileList(current: UInt16?) -> [UInt8] {
        let numbers: [UInt8] = [0x43, 0x41, 0x1B, 0x1A, 0x14, 0x13, 0x12, 0x11, 0x10, 0x0A, 0x09, 0x08]
        return [0x00, 0x00, 0x03, 0x30] + numbers.flatMap { n -> [UInt8] in [0x00, n, UInt16(n) == current ? 1 : 0, 0] }
    }
    /// 0021h v1: DATA BLOCK TYPES 0100h (mode 1), BUF, one link size.
    static func incrementalStreaming(link: UInt8) -> [UInt8] { [0x00, 0x21, 0x04, 8, 0x01, 0x00, 0x01, 1, link, 0, 0, 0] }
    /// 0026h, 002Ah, 002Bh, 002Ch, 002Dh, 002Eh, 002Fh, 0040h, 0041h, none current (a ROM disc or none).
    static let writeFeatures: [UInt8] = {
        var f: [UInt8] = [0x00, 0x26, 0x00, 0]
        f += [0x00, 0x2A, 0x04, 4, 1, 0, 0, 0]
        f += [0x00, 0x2B, 0x04, 4, 1, 0, 0, 0]
        f += [0x00, 0x2C, 0x04, 4, 1, 0, 0, 0]
        f += [0x00, 0x2D, 0x08, 4, 0x46, 0, 0x01, 0x00]
        f += [0x00, 0x2E, 0x00, 4, 0x66, 0x00, 0x08, 0x00]  // CD Mastering v0: BUF, SAO, TEST WRITE, CD-RW; cue ≤ 2048
        f += [0x00, 0x2F, 0x04, 4, 0x46, 0, 0, 0]
        let classes: [UInt8] = [0, 2, 0, 0, 0, 0, 0, 0]
        f += [0x00, 0x40, 0x04, 28, 0, 0, 0, 0] + classes + classes + classes
        f += [0x00, 0x41, 0x04, 20, 0, 0, 0, 0] + classes + classes
        return f
    }()
    static let core: [UInt8] = [0x00, 0x01, 0x0B, 0x08, 0, 0, 0, 1, 0x03, 0, 0, 0]  // v2, SCSI, INQ2, DBE
    static let morphing: [UInt8] = [0x00, 0x02, 0x07, 0x04, 0x02, 0, 0, 0]  // v1, OCEVENT
    static let removable: [UInt8] = [0x00, 0x03, 0x0B, 0x04, 0x39, 0, 0, 0]  // v2: tray, LOAD, EJECT, LOCK
    static func randomReadable(current: Bool, blocking: UInt8) -> [UInt8] {
        [0x00, 0x10, current ? 1 : 0, 0x08, 0, 0, 0x08, 0x00, 0, blocking, 0x01, 0]  // 2048, blocking, PP
    }
    static func multiRead(current: Bool) -> [UInt8] { [0x00, 0x1D, current ? 1 : 0, 0] }
    /// 001Eh CD Read: C2 FLAGS (byte 4 bit 1) set: READ CD returns C2 error bits (MMC-6 §5.3.11).
    static func cdRead(current: Bool) -> [UInt8] { [0x00, 0x1E, current ? 0x09 : 0x08, 4, 0x02, 0, 0, 0] }
    static func dvdRead(current: Bool) -> [UInt8] { [0x00, 0x1F, current ? 0x05 : 0x04, 4, 0, 0, 0, 0] }
    static func randomWritable(current: Bool, lastLBA: UInt8) -> [UInt8] {
        [0x00, 0x20, current ? 0x05 : 0x04, 0x0C, 0, 0, 0, lastLBA, 0, 0, 0x08, 0, 0, 0x10, 0x01, 0]
    }
    static func formattable(current: Bool) -> [UInt8] { [0x00, 0x23, current ? 0x05 : 0x04, 8, 0, 0, 0, 0, 0, 0, 0, 0] }
    static func defectManagement(current: Bool) -> [UInt8] { [0x00, 0x24, current ? 0x05 : 0x04, 4, 0, 0, 0, 0] }
    static let powerManagement: [UInt8] = [0x01, 0x00, 0x03, 0]
    static let timeout: [UInt8] = [0x01, 0x05, 0x07, 4, 0, 0, 0, 0]

    static func header(length: Int, profile: UInt16) -> [UInt8] {
        [0, 0, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0, UInt8(profile >> 8), UInt8(profile & 0xFF)]
    }

    @Test func allFeaturesDVDROM() throws {
        let medium = GetConfiguration.MediumState(profile: .dvdROM, writable: false, blockCount: 16)
        let body =
            Self.profileList(current: 0x10) + Self.core + Self.morphing + Self.removable
            + Self.randomReadable(current: true, blocking: 16) + Self.multiRead(current: false)
            + Self.cdRead(current: false) + Self.dvdRead(current: true)
            + Self.randomWritable(current: false, lastLBA: 15) + Self.incrementalStreaming(link: 16)
            + Self.formattable(current: false) + Self.defectManagement(current: false) + Self.writeFeatures
            + Self.powerManagement + Self.timeout
        let r = try GetConfiguration.response(rt: 0, startingFeature: 0, medium: medium)
        #expect(r == Self.header(length: 4 + body.count, profile: 0x0010) + body)
        #expect(r.count == 288)
    }

    @Test func currentFeaturesDVDRAMAndCDROM() throws {
        let ram = GetConfiguration.MediumState(profile: .dvdRAM, writable: true, blockCount: 16)
        let ramBody =
            Self.profileList(current: 0x12) + Self.core + Self.morphing + Self.removable
            + Self.randomReadable(current: true, blocking: 16) + Self.dvdRead(current: true)
            + Self.randomWritable(current: true, lastLBA: 15) + Self.formattable(current: true)
            + Self.defectManagement(current: true) + Self.powerManagement + Self.timeout
        #expect(try GetConfiguration.response(rt: 1, startingFeature: 0, medium: ram)
                == Self.header(length: 4 + ramBody.count, profile: 0x0012) + ramBody)

        let cd = GetConfiguration.MediumState(profile: .cdROM, writable: false, blockCount: 16)
        let cdBody =
            Self.profileList(current: 0x08) + Self.core + Self.morphing + Self.removable
            + Self.randomReadable(current: true, blocking: 1) + Self.multiRead(current: true)
            + Self.cdRead(current: true) + Self.powerManagement + Self.timeout
        #expect(try GetConfiguration.response(rt: 1, startingFeature: 0, medium: cd)
                == Self.header(length: 4 + cdBody.count, profile: 0x0008) + cdBody)

        // A write-protected DVD-RAM: the writing features are not current.
        let wp = GetConfiguration.MediumState(profile: .dvdRAM, writable: false, blockCount: 16)
        let wpBody = try GetConfiguration.response(rt: 1, startingFeature: 0x0020, medium: wp)
        #expect(wpBody == Self.header(length: 4 + 12, profile: 0x0012) + Self.powerManagement + Self.timeout)
    }

    @Test func startingFeatureAndRT2() throws {
        let rom = GetConfiguration.MediumState(profile: .dvdROM, writable: false, blockCount: 16)
        #expect(try GetConfiguration.response(rt: 2, startingFeature: 0x001F, medium: rom)
                == Self.header(length: 12, profile: 0x10) + Self.dvdRead(current: true))
        // An unsupported feature with RT 10b: the header alone.
        #expect(try GetConfiguration.response(rt: 2, startingFeature: 0x0050, medium: rom)
                == Self.header(length: 4, profile: 0x10))
        #expect(try GetConfiguration.response(rt: 0, startingFeature: 0x0024, medium: rom)
                == Self.header(length: 4 + 20 + Self.writeFeatures.count, profile: 0x10)
                + Self.defectManagement(current: false) + Self.writeFeatures + Self.powerManagement + Self.timeout)
        #expect(throws: Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 1, bit: 1))) {
            try GetConfiguration.response(rt: 3, startingFeature: 0, medium: rom)
        }
    }

    @Test func noMediumHasProfileZero() throws {
        let body =
            Self.profileList(current: nil) + Self.core + Self.morphing + Self.removable + Self.powerManagement
            + Self.timeout
        #expect(try GetConfiguration.response(rt: 1, startingFeature: 0, medium: nil)
                == Self.header(length: 4 + body.count, profile: 0) + body)
    }

    @Test func throughTheTableWithAllocationLengths() throws {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("ro/", image: image)
        // udev cdrom_id: 8 bytes first, then the length the header gives.
        let short = run(d, [0x46, 0x00, 0, 0, 0, 0, 0, 0x00, 0x08, 0])
        #expect(short.status == .good)
        #expect(short.data == Self.header(length: 284, profile: 0x10))
        let full = run(d, [0x46, 0x00, 0, 0, 0, 0, 0, 0x01, 0x20, 0])
        #expect(full.result.dataInLength == 288)
        #expect(full.data == (try GetConfiguration.response(rt: 0, startingFeature: 0, medium: d.mediumIfPresent?.state)))
        #expect(run(d, [0x46, 0x03, 0, 0, 0, 0, 0, 0, 8, 0]).sense == invalidCDB(1, 1))
    }
}
