import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// READ CAPACITY, the SBC VPD pages and their agreement, mode pages, REPORT SUPPORTED OPERATION CODES.
@Suite("Block identity")
struct BlockIdentityTests {
    static func inquiry(_ disk: BlockTestDisk, page: UInt8) -> [UInt8] {
        let r = disk.run([0x12, 0x01, page, 0x01, 0x00, 0], dataIn: 256)
        #expect(r.result.status == .good, "VPD \(page): \(String(describing: r.result.sense))")
        return r.data
    }

    @Test func readCapacityTenAndSixteen() throws {
        let disk = try BlockTestDisk(.memory, blocks: 2048, blockSize: 4096)
        #expect(disk.run([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], dataIn: 8).data == [0, 0, 0x07, 0xFF, 0, 0, 0x10, 0])
        // LBA without PMI: invalid (SBC-3); RELADR (byte 1 bit 0) is outside the mask.
        #expect(disk.run([0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0], dataIn: 8).result == .checkCondition(SPC.invalidFieldInCDB(byte: 2)))
        #expect(disk.run([0x25, 1, 0, 0, 0, 0, 0, 0, 0, 0], dataIn: 8).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 0)))
        let rc16 = disk.run([0x9E, 0x10] + BlockCDB.be(0, 8) + BlockCDB.be(32, 4) + [0, 0], dataIn: 32)
        #expect(rc16.data == [0, 0, 0, 0, 0, 0, 0x07, 0xFF, 0, 0, 0x10, 0, 0, 0, 0xC0, 0] + [UInt8](repeating: 0, count: 16))
        // Allocation length truncates.
        let short = disk.run([0x9E, 0x10] + BlockCDB.be(0, 8) + BlockCDB.be(12, 4) + [0, 0], dataIn: 32)
        #expect(short.result.dataInLength == 12)
        let full = try BlockTestDisk(.memory) { $0.thinProvisioning = false }
        let fullData = full.run([0x9E, 0x10] + BlockCDB.be(0, 8) + BlockCDB.be(32, 4) + [0, 0], dataIn: 32).data
        #expect(fullData[14] == 0)
        // One logical block per physical block (exponent 0), as LIO fileio and tcmu-runner: with 3 (a
        // 512e disk over 4 KiB pages) libiscsi 1.19 GetLBAStatus.UnmapSingle fails, as it asks for the
        // status at LBA i + 1 and wants the first descriptor at i + LBPPB (SBC-4: at the STARTING LBA).
        #expect(fullData[13] == 0)
    }

    @Test func supportedPagesAndBlockLimits() throws {
        let disk = try BlockTestDisk(.memory)
        #expect(Self.inquiry(disk, page: 0x00) == [0, 0, 0, 6, 0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2])
        var b0: [UInt8] = [0, 0xB0, 0, 0x3C, 0x01, 0xFF]  // WSNZ; MAXIMUM COMPARE AND WRITE LENGTH 255
        b0 += [0, 8]  // OPTIMAL TRANSFER LENGTH GRANULARITY: 4 KiB pages of 512-byte blocks
        b0 += BlockCDB.be(1024, 4) + BlockCDB.be(1024, 4)  // MAXIMUM / OPTIMAL TRANSFER LENGTH
        b0 += BlockCDB.be(0, 4)  // MAXIMUM PREFETCH LENGTH: no limit
        b0 += BlockCDB.be(1 << 20, 4) + BlockCDB.be(256, 4)  // MAXIMUM UNMAP LBA / DESCRIPTOR COUNT
        b0 += BlockCDB.be(8, 4) + [0x80, 0, 0, 0]  // OPTIMAL UNMAP GRANULARITY, UGAVALID
        b0 += BlockCDB.be(0xFFFF, 8)  // MAXIMUM WRITE SAME LENGTH: FFFFh blocks
        b0 += [UInt8](repeating: 0, count: 20)
        #expect(Self.inquiry(disk, page: 0xB0) == b0)
        var b1 = [UInt8](repeating: 0, count: 64)
        b1[1] = 0xB1
        b1[3] = 0x3C
        b1[5] = 0x01
        b1[8] = 0x03
        #expect(Self.inquiry(disk, page: 0xB1) == b1)
        #expect(Self.inquiry(disk, page: 0xB2) == [0, 0xB2, 0, 4, 0, 0xE4, 0x02, 0])
        #expect(disk.run([0x12, 0x01, 0xB3, 0x01, 0x00, 0], dataIn: 256).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 2)))
    }

    /// The disk's standard INQUIRY data claims SPC-4 in VERSION (06h) and in its version descriptors,
    /// with SBC-3 (04C0h) and SBC-4 (0600h) (SPC-5 §6.7.2, table "Version descriptor values").
    @Test func standardInquiryClaimsSPC4SBC3AndSBC4() throws {
        let disk = try BlockTestDisk(.memory)
        let r = disk.run([0x12, 0x00, 0x00, 0x00, 0xFF, 0], dataIn: 255)
        #expect(r.result.status == .good)
        #expect(r.data.count == 96)
        #expect(Array(r.data[0..<8]) == [0x00, 0x00, 0x06, 0x12, 91, 0x08, 0x00, 0x02])  // VERSION 06h; 3PC
        #expect(Array(r.data[58..<74]) == [0x00, 0xA0, 0x04, 0x60, 0x04, 0xC0, 0x06, 0x00] + [UInt8](repeating: 0, count: 8))
        #expect(SPC.versionField([VersionDescriptor.sam6, VersionDescriptor.spc5]) == 0x07)
        #expect(SPC.versionField([]) == 0x07)
    }

    @Test func provisioningPagesAgreeWithReadCapacity() throws {
        for thin in [true, false] {
            let disk = try BlockTestDisk(.memory) { $0.thinProvisioning = thin }
            let rc16 = disk.run([0x9E, 0x10] + BlockCDB.be(0, 8) + BlockCDB.be(32, 4) + [0, 0], dataIn: 32).data
            let b2 = Self.inquiry(disk, page: 0xB2)
            let b0 = Self.inquiry(disk, page: 0xB0)
            let lbpme = rc16[14] & 0x80 != 0, lbprz = rc16[14] & 0x40 != 0
            #expect(lbpme == thin)
            #expect(lbprz == (b2[5] >> 2 & 0x07 == 1))
            #expect(lbpme == (b2[5] & 0x80 != 0))  // LBPU
            #expect((b2[5] & 0x80 != 0) == (b0.bigEndianValue(at: 20, width: 4) > 0))  // UNMAP limits
            #expect(b2[6] & 0x07 == (thin ? 2 : 0))
        }
    }

    @Test func modePagesAndHeader() throws {
        let disk = try BlockTestDisk(.memory)
        let r = disk.run([0x1A, 0x00, 0x3F, 0, 255, 0], dataIn: 255)
        #expect(r.result.status == .good)
        // Header: mode data length, medium type 0, DPOFUA, block descriptor length 8.
        #expect(Array(r.data[1...3]) == [0, 0x10, 8])
        // Block descriptor: 2048 blocks of 512 bytes.
        #expect(Array(r.data[4..<12]) == [0, 0, 0x08, 0x00, 0, 0, 0x02, 0x00])
        let codes = pageCodes(Array(r.data[12...]))
        #expect(codes == [0x01, 0x08, 0x0A])
    }

    private func pageCodes(_ pages: [UInt8]) -> [UInt8] {
        var i = 0, codes: [UInt8] = []
        while i + 1 < pages.count {
            codes.append(pages[i] & 0x3F)
            i += 2 + Int(pages[i + 1])
        }
        return codes
    }

    @Test func reportSupportedOperationCodesListsTheSBCRows() throws {
        let disk = try BlockTestDisk(.memory)
        // One command, WRITE SAME(16): support 3 (supported), CDB size 16, usage data.
        let r = disk.run([0xA3, 0x0C, 0x01, 0x93, 0, 0, 0, 0, 1, 0, 0, 0], dataIn: 256)
        #expect(r.result.status == .good)
        #expect(r.data.count >= 4 + 16)
        #expect(r.data[1] & 0x07 == 3)
        #expect(Array(r.data[4..<20]) == [0x93, 0x09] + [UInt8](repeating: 0xFF, count: 12) + [0x1F, 0x00])
        let all = disk.run([0xA3, 0x0C, 0x00, 0, 0, 0, 0, 0, 0x10, 0, 0, 0], dataIn: 4096)
        let listed = Set(stride(from: 4, to: all.data.count, by: 8).map { all.data[$0] })
        for op: UInt8 in [0x08, 0x0A, 0x28, 0x2A, 0x88, 0x8A, 0xA8, 0xAA, 0x2E, 0x2F, 0x35, 0x41, 0x42, 0x89, 0x8B, 0x93, 0x9E, 0x83, 0x84, 0x04] {
            #expect(listed.contains(op), "opcode \(op) not listed")
        }
    }
}

@Suite("Block usage masks")
struct BlockUsageMaskTests {
    @Test func everyReservedBitOfEveryRowIsRefused() throws {
        for thin in [true, false] {
            let disk = try BlockTestDisk(.memory) { $0.thinProvisioning = thin }
            expectUsageMaskEnforced(table: disk.device.commandTable, device: disk.device)
        }
    }
}
