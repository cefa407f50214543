import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// READ CD on the CD-ROM profile: user data, raw sectors with sync/header/EDC/ECC, and refusals.
@Suite struct OpticalReadCDTests {
    /// READ CD: expected type `type`, LBA, count, byte 9 field selection.
    static func readCD(type: UInt8 = 0, lba: UInt8, count: UInt8, fields: UInt8, subchannel: UInt8 = 0) -> [UInt8] {
        [0xBE, type << 2, 0, 0, 0, lba, 0, 0, count, fields, subchannel, 0]
    }

    /// α·x in GF(2^8) with x^8+x^4+x^3+x^2+1, written independently of the encoder's tables.
    static func gfMul(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, r: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { r ^= a }
            a = a & 0x80 != 0 ? (a << 1) ^ 0x1D : a << 1
            b >>= 1
        }
        return r
    }

    /// Checks H·c = 0 for every P (26, 24) and Q (45, 43) codeword of a raw sector (ECMA-130 annex A):
    /// Σ c_i = 0 and Σ α^(n-1-i) c_i = 0, walking the codewords in the annex's order.
    static func syndromesAreZero(_ s: [UInt8]) -> Bool {
        func check(majors: Int, minors: Int, majorStep: Int, minorStep: Int, parity: Int) -> Bool {
            let area = majors * minors
            for major in 0..<majors {
                var word: [UInt8] = []
                var index = (major >> 1) * majorStep + (major & 1)
                for _ in 0..<minors {
                    word.append(s[12 + index])
                    index = (index + minorStep) % area
                }
                word += [s[parity + major], s[parity + majors + major]]
                var sum: UInt8 = 0, weighted: UInt8 = 0
                for (i, c) in word.enumerated() {
                    sum ^= c
                    var power: UInt8 = 1
                    for _ in 0..<(word.count - 1 - i) { power = gfMul(power, 2) }
                    weighted ^= gfMul(power, c)
                }
                if sum != 0 || weighted != 0 { return false }
            }
            return true
        }
        return check(majors: 86, minors: 24, majorStep: 2, minorStep: 86, parity: 2076)
            && check(majors: 52, minors: 43, majorStep: 86, minorStep: 88, parity: 2248)
    }

    @Test func userDataOnlyMatchesRead() {
        let d = opticalDevice("profile-cdrom/", image: OpticalImage(blocks: 16))
        let r = run(d, Self.readCD(lba: 3, count: 2, fields: 0x10), capacity: 4096)
        #expect(r.result.dataInLength == 4096)
        #expect(r.data == OpticalImage.pattern(3) + OpticalImage.pattern(4))
        // Mode 1 expected: the same; nothing selected: no data.
        #expect(run(d, Self.readCD(type: 2, lba: 3, count: 1, fields: 0x10), capacity: 2048).data == OpticalImage.pattern(3))
        #expect(run(d, Self.readCD(lba: 3, count: 1, fields: 0x00)).result.dataInLength == 0)
    }

    @Test func rawSectorFields() {
        let d = opticalDevice("profile-cdrom/", image: OpticalImage(blocks: 16))
        // SYNC + all headers + user data + EDC/ECC: 2352 bytes per sector.
        let r = run(d, Self.readCD(lba: 0, count: 2, fields: 0xF8), capacity: 2 * 2352)
        #expect(r.result.dataInLength == 4704)
        let s0 = Array(r.data[0..<2352]), s1 = Array(r.data[2352...])
        #expect(Array(s0[0..<12]) == [0x00] + [UInt8](repeating: 0xFF, count: 10) + [0x00])
        #expect(Array(s0[12..<16]) == [0x00, 0x02, 0x00, 0x01])  // 00:02:00 BCD, mode 1
        #expect(Array(s1[12..<16]) == [0x00, 0x02, 0x01, 0x01])  // 00:02:01
        #expect(Array(s0[16..<2064]) == OpticalImage.pattern(0))
        // EDC: the CRC of bytes 0-2063 followed by the stored EDC leaves no remainder; 8 zero bytes follow.
        #expect(CDSector.edc(s0[0..<2068]) == 0 && CDSector.edc(s1[0..<2068]) == 0)
        #expect(CDSector.edc(s0[0..<2064]) != 0)
        #expect(s0[2068..<2076].allSatisfy { $0 == 0 })
        #expect(Self.syndromesAreZero(s0) && Self.syndromesAreZero(s1))
        var damaged = s0
        damaged[100] ^= 1
        #expect(!Self.syndromesAreZero(damaged))

        // Header only + user data (2052 bytes); C2 error bits (294 zero bytes) after user data.
        let h = run(d, Self.readCD(lba: 5, count: 1, fields: 0x30), capacity: 2052)
        #expect(h.data == [0x00, 0x02, 0x05, 0x01] + OpticalImage.pattern(5))
        let c2 = run(d, Self.readCD(lba: 5, count: 1, fields: 0x12), capacity: 2048 + 294)
        #expect(c2.data == OpticalImage.pattern(5) + [UInt8](repeating: 0, count: 294))
        // A buffer for one sector only: one sector produced.
        #expect(run(d, Self.readCD(lba: 0, count: 2, fields: 0xF8), capacity: 2352).result.dataInLength == 2352)
    }

    @Test func refusals() {
        let cd = opticalDevice("profile-cdrom/", image: OpticalImage(blocks: 16))
        #expect(run(cd, Self.readCD(type: 1, lba: 0, count: 1, fields: 0x10)).sense
                == Sense(.illegalRequest, .illegalModeForThisTrack))  // CD-DA
        #expect(run(cd, Self.readCD(type: 4, lba: 0, count: 1, fields: 0x10)).sense
                == Sense(.illegalRequest, .illegalModeForThisTrack))  // mode 2 form 1
        #expect(run(cd, Self.readCD(type: 6, lba: 0, count: 1, fields: 0x10)).sense == invalidCDB(1, 4))
        #expect(run(cd, Self.readCD(lba: 0, count: 1, fields: 0x16)).sense == invalidCDB(9, 2))
        #expect(run(cd, Self.readCD(lba: 0, count: 1, fields: 0x10, subchannel: 1)).sense == invalidCDB(10, 2))
        #expect(run(cd, Self.readCD(lba: 15, count: 2, fields: 0x10)).sense
                == Sense(.illegalRequest, .logicalBlockAddressOutOfRange))
        let dvd = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        #expect(run(dvd, Self.readCD(lba: 0, count: 1, fields: 0x10)).sense
                == Sense(.illegalRequest, .cannotReadMediumIncompatibleFormat))
    }
}
