import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// READ, WRITE, WRITE AND VERIFY, VERIFY, SYNCHRONIZE CACHE, PRE-FETCH on a memory and a file store.
@Suite("Block read/write")
struct BlockReadWriteTests {
    typealias S = BlockTestSupport
    static func outOfRange(_ lba: UInt64) -> Sense { Sense(.illegalRequest, .logicalBlockAddressOutOfRange) }

    @Test(arguments: StoreKind.allCases)
    func everyReadAndWriteLengthRoundTrips(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        let data = S.pattern(3 * 512, seed: 1)
        // WRITE(6) at LBA 5, READ(10), READ(12), READ(16), READ(6) all see it.
        #expect(disk.run([0x0A, 0, 0, 5, 3, 0], dataOut: data).result.status == .good)
        #expect(disk.run(BlockCDB.rw10(0x28, 5, 3), dataIn: 1536).data == data)
        #expect(disk.run(BlockCDB.rw12(0xA8, 5, 3), dataIn: 1536).data == data)
        #expect(disk.run(BlockCDB.rw16(0x88, 5, 3), dataIn: 1536).data == data)
        #expect(disk.run([0x08, 0, 0, 5, 3, 0], dataIn: 1536).data == data)
        // WRITE(10), WRITE(12), WRITE(16) with DPO and FUA accepted.
        let d2 = S.pattern(1024, seed: 2)
        #expect(disk.run(BlockCDB.rw10(0x2A, 100, 2, flags: 0x18), dataOut: d2).result.status == .good)
        #expect(disk.run(BlockCDB.rw12(0xAA, 200, 2, flags: 0x08), dataOut: d2).result.status == .good)
        #expect(disk.run(BlockCDB.rw16(0x8A, 300, 2, flags: 0x10), dataOut: d2).result.status == .good)
        for lba in [100, 200, 300] as [UInt64] { #expect(disk.read(lba, 2) == d2) }
        // Never-written blocks read as zeros.
        #expect(disk.read(1000, 1) == [UInt8](repeating: 0, count: 512))
    }

    @Test func read6LengthZeroMeans256Blocks() throws {
        let disk = try BlockTestDisk(.memory)
        let r = disk.run([0x08, 0, 0, 0, 0, 0], dataIn: 256 * 512)
        #expect(r.result == CommandResult(status: .good, dataInLength: 256 * 512))
    }

    @Test(arguments: StoreKind.allCases)
    func rangeAndZeroLengthAnswers(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        // Zero-length transfers are GOOD with no data.
        #expect(disk.run(BlockCDB.rw10(0x28, 0, 0), dataIn: 512).result == CommandResult(status: .good))
        #expect(disk.run(BlockCDB.rw16(0x8A, 2047, 0)).result == CommandResult(status: .good))
        // Past the end: LBA OUT OF RANGE, no data, INFORMATION = the LBA.
        let r = disk.run(BlockCDB.rw16(0x88, 2047, 2), dataIn: 1024)
        #expect(r.result == .checkCondition(Self.outOfRange(2047)))
        #expect(disk.run(BlockCDB.rw10(0x28, 2048, 0), dataIn: 0).result == CommandResult(status: .good))
        #expect(disk.run(BlockCDB.rw10(0x28, 2049, 0)).result == .checkCondition(Self.outOfRange(2049)))
        #expect(disk.run(BlockCDB.rw16(0x88, UInt64.max, 1), dataIn: 512).result == .checkCondition(Self.outOfRange(.max)))
        #expect(disk.run(BlockCDB.rw16(0x8A, 2040, 9), dataOut: [UInt8](repeating: 1, count: 9 * 512)).result
            == .checkCondition(Self.outOfRange(2040)))
    }

    @Test func protectionFieldsAndTransferLimitsAreInvalidFields() throws {
        let disk = try BlockTestDisk(.memory) { $0.maxTransferBlocks = 8 }
        // RDPROTECT = 1 (byte 1 bit 5): no protection information.
        #expect(disk.run(BlockCDB.rw10(0x28, 0, 1, flags: 0x20), dataIn: 512).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 5)))
        // WRPROTECT = 4 (bit 7).
        #expect(disk.run(BlockCDB.rw16(0x8A, 0, 1, flags: 0x80), dataOut: [UInt8](repeating: 0, count: 512)).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 7)))
        // More than MAXIMUM TRANSFER LENGTH: the field pointer names TRANSFER LENGTH.
        #expect(disk.run(BlockCDB.rw16(0x88, 0, 9), dataIn: 9 * 512).result == .checkCondition(SPC.invalidFieldInCDB(byte: 10)))
        #expect(disk.run(BlockCDB.rw10(0x28, 0, 9), dataIn: 9 * 512).result == .checkCondition(SPC.invalidFieldInCDB(byte: 7)))
    }

    @Test func dataOutLengthMustMatchTheBlocks() throws {
        let disk = try BlockTestDisk(.memory)
        let short = disk.run(BlockCDB.rw10(0x2A, 0, 2), dataOut: [UInt8](repeating: 1, count: 600))
        #expect(short.result == .checkCondition(Sense(.illegalRequest, .invalidFieldInCommandInformationUnit)))
        let long = disk.run(BlockCDB.rw10(0x2A, 0, 1), dataOut: [UInt8](repeating: 1, count: 1024))
        #expect(long.result == .checkCondition(Sense(.illegalRequest, .invalidFieldInCommandInformationUnit)))
        #expect(disk.read(0, 2) == [UInt8](repeating: 0, count: 1024))
        // A Data-In buffer shorter than the transfer gets what fits.
        disk.write(0, S.pattern(1024, seed: 3))
        let r = disk.run(BlockCDB.rw10(0x28, 0, 2), dataIn: 700)
        #expect(r.result == CommandResult(status: .good, dataInLength: 700))
        #expect(r.data == Array(S.pattern(1024, seed: 3).prefix(700)))
    }

    @Test(arguments: StoreKind.allCases)
    func readOnlyUnitRefusesEveryWrite(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind) { $0.readOnly = true }
        let protected = CommandResult.checkCondition(Sense(.dataProtect, .writeProtected))
        let block = [UInt8](repeating: 7, count: 512)
        #expect(disk.run(BlockCDB.rw10(0x2A, 0, 1), dataOut: block).result == protected)
        #expect(disk.run(BlockCDB.rw10(0x2A, 0, 0)).result == protected)
        #expect(disk.run(BlockCDB.rw16(0x8E, 0, 1), dataOut: block).result == protected)
        #expect(disk.run([0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0], dataOut: block).result == protected)
        #expect(disk.run([0x89, 0] + BlockCDB.be(0, 8) + [0, 0, 0, 1, 0, 0], dataOut: block + block).result == protected)
        #expect(disk.run([0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0], dataOut: [0, 22, 0, 16, 0, 0, 0, 0] + BlockCDB.be(0, 8) + BlockCDB.be(1, 8)).result == protected)
        #expect(disk.run([0x04, 0, 0, 0, 0, 0]).result == protected)
        #expect(disk.read(0, 1) == [UInt8](repeating: 0, count: 512))
        // MODE SENSE(6) header: WP and DPOFUA in the device-specific parameter.
        let ms = disk.run([0x1A, 0x08, 0x3F, 0, 255, 0], dataIn: 255)
        #expect(ms.data[2] == 0x90)
    }

    @Test(arguments: StoreKind.allCases)
    func verifyComparesAndReportsTheMiscompareOffset(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        let data = S.pattern(4 * 512, seed: 4)
        disk.write(10, data)
        for op: UInt8 in [0x2F, 0xAF, 0x8F] {
            func cdb(_ flags: UInt8, _ blocks: UInt32) -> [UInt8] {
                switch op {
                case 0x2F: BlockCDB.rw10(op, 10, UInt16(blocks), flags: flags)
                case 0xAF: BlockCDB.rw12(op, 10, blocks, flags: flags)
                default: BlockCDB.rw16(op, 10, blocks, flags: flags)
                }
            }
            #expect(disk.run(cdb(0x00, 4)).result == CommandResult(status: .good))  // BYTCHK 0: medium only
            #expect(disk.run(cdb(0x02, 4), dataOut: data).result == CommandResult(status: .good))
            var wrong = data
            wrong[1234] ^= 0xFF
            #expect(disk.run(cdb(0x02, 4), dataOut: wrong).result
                == .checkCondition(Sense(.miscompare, .miscompareDuringVerifyOperation, information: 1234)))
            #expect(disk.run(cdb(0x04, 4), dataOut: data).result == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 2)))
            #expect(disk.run(cdb(0x02, 0)).result == CommandResult(status: .good))
        }
        // BYTCHK 11b: one block compared with every block of the range.
        let block = S.pattern(512, seed: 5)
        disk.write(50, block + block + block)
        #expect(disk.run(BlockCDB.rw16(0x8F, 50, 3, flags: 0x06), dataOut: block).result == CommandResult(status: .good))
        #expect(disk.run(BlockCDB.rw16(0x8F, 50, 4, flags: 0x06), dataOut: block).result
            == .checkCondition(Sense(.miscompare, .miscompareDuringVerifyOperation, information: 3 * 512)))
        #expect(disk.run(BlockCDB.rw16(0x8F, 2047, 2)).result == .checkCondition(Self.outOfRange(2047)))
    }

    @Test(arguments: StoreKind.allCases)
    func writeAndVerifyWritesThenCompares(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        let data = S.pattern(1024, seed: 6)
        #expect(disk.run(BlockCDB.rw10(0x2E, 7, 2, flags: 0x02), dataOut: data).result == CommandResult(status: .good))
        #expect(disk.run(BlockCDB.rw12(0xAE, 9, 2), dataOut: data).result == CommandResult(status: .good))
        #expect(disk.run(BlockCDB.rw16(0x8E, 11, 2, flags: 0x12), dataOut: data).result == CommandResult(status: .good))
        #expect(disk.read(7, 6) == data + data + data)
        #expect(disk.run(BlockCDB.rw16(0x8E, 11, 2, flags: 0x04), dataOut: data).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 2)))
        #expect(disk.run(BlockCDB.rw16(0x8E, 2047, 2), dataOut: data).result == .checkCondition(Self.outOfRange(2047)))
    }

    @Test(arguments: StoreKind.allCases)
    func synchronizeCacheAndPrefetch(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        #expect(disk.run([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]).result == CommandResult(status: .good))
        #expect(disk.run([0x91, 0x02] + BlockCDB.be(2000, 8) + BlockCDB.be(48, 4) + [0, 0]).result == CommandResult(status: .good))
        #expect(disk.run([0x91, 0] + BlockCDB.be(2000, 8) + BlockCDB.be(49, 4) + [0, 0]).result == .checkCondition(Self.outOfRange(2000)))
        #expect(disk.run([0x34, 0, 0, 0, 0, 0, 0, 0, 16, 0]).result == CommandResult(status: .conditionMet))
        #expect(disk.run([0x90, 0x02] + BlockCDB.be(100, 8) + BlockCDB.be(0, 4) + [0, 0]).result == CommandResult(status: .conditionMet))
        #expect(disk.run([0x34, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0]).result == .checkCondition(Self.outOfRange(2049)))
    }

    @Test func writeCacheDisabledByModeSelectMakesWritesDurable() throws {
        let disk = try BlockTestDisk(.file)
        #expect(disk.device.engine.writeCacheEnabled)
        // MODE SELECT(6), PF: header (4) + Caching page with WCE = 0.
        var page = [UInt8](repeating: 0, count: 20)
        page[0] = 0x08
        page[1] = 0x12
        let r = disk.run([0x15, 0x10, 0, 0, 24, 0], dataOut: [0, 0, 0, 0] + page)
        #expect(r.result == CommandResult(status: .good))
        #expect(!disk.device.engine.writeCacheEnabled)
        let sense = disk.run([0x1A, 0x08, 0x08, 0, 255, 0], dataIn: 255)
        #expect(sense.data[4] == 0x08 && sense.data[6] & 0x04 == 0)
        disk.write(3, S.pattern(512, seed: 8))
        #expect(disk.read(3, 1) == S.pattern(512, seed: 8))
        page[2] = 0x04
        #expect(disk.run([0x15, 0x10, 0, 0, 24, 0], dataOut: [0, 0, 0, 0] + page).result.status == .good)
        #expect(disk.device.engine.writeCacheEnabled)
    }

    @Test func unsupportedOpcodesAreInvalidCommandOperationCode() throws {
        let disk = try BlockTestDisk(.memory)
        for op: UInt8 in [0x9C, 0x9A, 0x3B, 0xC0] {  // WRITE ATOMIC(16), WRITE LONG, WRITE BUFFER, vendor
            let cdb = [op] + [UInt8](repeating: 0, count: CDB.kernelLength(opcode: op, additionalLength: 0)! - 1)
            #expect(disk.run(cdb).result == .checkCondition(Sense(.illegalRequest, .invalidCommandOperationCode)))
        }
    }
}
