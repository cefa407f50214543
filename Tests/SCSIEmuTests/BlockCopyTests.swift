import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// COMPARE AND WRITE, EXTENDED COPY and RECEIVE COPY RESULTS.
@Suite("Block compare and copy")
struct BlockCopyTests {
    typealias S = BlockTestSupport

    static func caw(_ lba: UInt64, _ blocks: UInt8, flags: UInt8 = 0) -> [UInt8] {
        [0x89, flags] + BlockCDB.be(lba, 8) + [0, 0, 0, blocks, 0, 0]
    }

    @Test(arguments: StoreKind.allCases)
    func compareAndWriteSwapsOnlyOnAMatch(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        let old = S.pattern(1024, seed: 1), new = S.pattern(1024, seed: 2)
        disk.write(40, old)
        #expect(disk.run(Self.caw(40, 2, flags: 0x08), dataOut: old + new).result == CommandResult(status: .good))
        #expect(disk.read(40, 2) == new)
        var stale = old
        stale[700] ^= 1
        #expect(disk.run(Self.caw(40, 2), dataOut: stale + old).result
            == .checkCondition(Sense(.miscompare, .miscompareDuringVerifyOperation, information: 0)))
        var almost = new
        almost[700] ^= 1
        #expect(disk.run(Self.caw(40, 2), dataOut: almost + old).result
            == .checkCondition(Sense(.miscompare, .miscompareDuringVerifyOperation, information: 700)))
        #expect(disk.read(40, 2) == new)
        #expect(disk.run(Self.caw(40, 0)).result == CommandResult(status: .good))
        #expect(disk.run(Self.caw(2047, 2), dataOut: new + new).result
            == .checkCondition(Sense(.illegalRequest, .logicalBlockAddressOutOfRange)))
        #expect(disk.run(Self.caw(40, 2), dataOut: new).result
            == .checkCondition(Sense(.illegalRequest, .invalidFieldInCommandInformationUnit)))
    }

    @Test func compareAndWriteLengthLimit() throws {
        let disk = try BlockTestDisk(.memory) { $0.maxTransferBlocks = 8 }
        let data = [UInt8](repeating: 0, count: 10 * 512)
        #expect(disk.run(Self.caw(0, 5), dataOut: data).result == .checkCondition(SPC.invalidFieldInCDB(byte: 13)))
        #expect(disk.run(Self.caw(0, 4), dataOut: Array(data.prefix(8 * 512))).result == CommandResult(status: .good))
    }

    /// NUMBER OF LOGICAL BLOCKS 0 is no operation and not an error (SBC-4 §5.3), whatever Data-Out the
    /// initiator offers: libiscsi 1.19 sends 256 blocks as 0 (the field is one byte) with 512 blocks of
    /// Data-Out and expects INVALID FIELD IN CDB; the medium must stay untouched.
    @Test func compareAndWriteOfZeroBlocksDoesNothing() throws {
        let disk = try BlockTestDisk(.memory)
        let old = S.pattern(256 * 512, seed: 4)
        disk.write(0, old)
        let offered = [UInt8](repeating: 0x41, count: 2 * 256 * 512)
        #expect(disk.run(Self.caw(0, 0), dataOut: offered).result == CommandResult(status: .good))
        #expect(disk.read(0, 256) == old)
        #expect(BlockIdentityTests.inquiry(disk, page: 0xB0)[5] == 255)
    }

    /// ORWRITE(16): the medium becomes medium OR Data-Out (0Fh | A0h = AFh), only in the named range.
    @Test(arguments: StoreKind.allCases)
    func orWriteOrsTheDataIntoTheMedium(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        func orw(_ lba: UInt64, _ n: UInt32, flags: UInt8 = 0) -> [UInt8] { BlockCDB.rw16(0x8B, lba, n, flags: flags) }
        disk.write(10, [UInt8](repeating: 0x0F, count: 4 * 512))
        var incoming = [UInt8](repeating: 0xA0, count: 2 * 512)
        incoming[3] = 0x50
        #expect(disk.run(orw(11, 2, flags: 0x18), dataOut: incoming).result == CommandResult(status: .good))
        var expected = [UInt8](repeating: 0x0F, count: 4 * 512)
        for i in 512..<1536 { expected[i] = 0xAF }
        expected[512 + 3] = 0x5F
        #expect(disk.read(10, 4) == expected)
        // 0 blocks: nothing; past the end, over MAXIMUM TRANSFER LENGTH, ORPROTECT, short Data-Out.
        #expect(disk.run(orw(0, 0)).result == CommandResult(status: .good))
        #expect(disk.run(orw(2047, 2), dataOut: incoming).result
            == .checkCondition(Sense(.illegalRequest, .logicalBlockAddressOutOfRange)))
        #expect(disk.run(orw(0, 1025)).result == .checkCondition(SPC.invalidFieldInCDB(byte: 10)))
        #expect(disk.run(orw(0, 1, flags: 0x20), dataOut: Array(incoming.prefix(512))).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 5)))
        #expect(disk.run(orw(0, 2), dataOut: Array(incoming.prefix(512))).result
            == .checkCondition(Sense(.illegalRequest, .invalidFieldInCommandInformationUnit)))
        #expect(disk.read(10, 4) == expected)
    }

    /// Threads increment a counter in block 0 with COMPARE AND WRITE, retrying on MISCOMPARE, while
    /// others write block 1: every increment must land exactly once.
    @Test func compareAndWriteIsAtomicUnderConcurrency() async throws {
        let disk = try BlockTestDisk(.memory)
        func block(_ n: UInt64) -> [UInt8] { BlockCDB.be(n, 8) + [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 504) }
        disk.write(0, block(0))
        let threads = 4, perThread = 200
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<threads {
                group.addTask {
                    var done = 0
                    while done < perThread {
                        let current = disk.read(0, 1)
                        let n = current.bigEndianValue(at: 0, width: 8)
                        if disk.run(Self.caw(0, 1), dataOut: current + block(n + 1)).result.status == .good { done += 1 }
                    }
                }
            }
            group.addTask {
                for i in 0..<400 { disk.write(1, block(UInt64(i))) }
            }
        }
        #expect(disk.read(0, 1) == block(UInt64(threads * perThread)))
    }

    // MARK: - EXTENDED COPY

    /// An identification CSCD descriptor naming `disk` by its NAA designator (VPD 83h).
    static func cscd(_ disk: BlockTestDisk, designator: [UInt8]? = nil, type: UInt8 = 0xE4, blockSize: UInt32 = 512) -> [UInt8] {
        let naa = designator ?? SPC.naaRegisteredExtended(serial: disk.device.unit.identity.serial)
        var d: [UInt8] = [type, 0x00, 0, 0, 0x01, 0x03, 0, UInt8(naa.count)] + naa
        d += [UInt8](repeating: 0, count: 28 - d.count)
        return d + [0] + Array(BlockCDB.be(UInt64(blockSize), 3))
    }

    static func segment(_ blocks: UInt16, from: UInt64, to: UInt64, source: UInt16 = 0, destination: UInt16 = 0,
                        type: UInt8 = 0x02) -> [UInt8] {
        [type, 0, 0, 0x18] + BlockCDB.be(UInt64(source), 2) + BlockCDB.be(UInt64(destination), 2) + [0, 0]
            + BlockCDB.be(UInt64(blocks), 2) + BlockCDB.be(from, 8) + BlockCDB.be(to, 8)
    }

    static func list(_ cscds: [[UInt8]], _ segments: [[UInt8]], usage: UInt8 = 0, listID: UInt8 = 1) -> [UInt8] {
        let c = cscds.flatMap { $0 }, s = segments.flatMap { $0 }
        return [listID, usage << 3] + BlockCDB.be(UInt64(c.count), 2) + [0, 0, 0, 0] + BlockCDB.be(UInt64(s.count), 4)
            + [0, 0, 0, 0] + c + s
    }

    static func xcopy(_ disk: BlockTestDisk, _ list: [UInt8], length: Int? = nil) -> CommandResult {
        let n = length ?? list.count
        return disk.run([0x83, 0x00] + [UInt8](repeating: 0, count: 8) + BlockCDB.be(UInt64(n), 4) + [0, 0], dataOut: list).result
    }

    @Test(arguments: StoreKind.allCases)
    func extendedCopyCopiesWithinTheUnit(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        let data = S.pattern(64 * 512, seed: 3)
        disk.write(0, data)
        let l = Self.list([Self.cscd(disk)], [Self.segment(64, from: 0, to: 1000)], usage: 3, listID: 0)
        #expect(Self.xcopy(disk, l) == CommandResult(status: .good))
        #expect(disk.read(1000, 64) == data)
        // Overlapping, destination above the source: copied as if through a buffer.
        let overlap = Self.list([Self.cscd(disk), Self.cscd(disk)], [Self.segment(64, from: 0, to: 10, source: 0, destination: 1)])
        #expect(Self.xcopy(disk, overlap) == CommandResult(status: .good))
        #expect(disk.read(10, 64) == data)
        #expect(Self.xcopy(disk, [], length: 0) == CommandResult(status: .good))
    }

    @Test func extendedCopyRefusesBadLists() throws {
        let disk = try BlockTestDisk(.memory)
        let good = Self.cscd(disk), seg = Self.segment(8, from: 0, to: 100)
        func expect(_ l: [UInt8], length: Int? = nil, _ sense: Sense) {
            #expect(Self.xcopy(disk, l, length: length) == .checkCondition(sense))
        }
        // Another device's designator: refused (CVE-2021-3139).
        var other = SPC.naaRegisteredExtended(serial: "fedcba9876543210")
        expect(Self.list([Self.cscd(disk, designator: other)], [seg]), Sense(.copyAborted, .copyTargetDeviceNotReachable))
        other = SPC.naaRegisteredExtended(serial: disk.device.unit.identity.serial)
        expect(Self.list([Self.cscd(disk, blockSize: 4096)], [seg]), Sense(.copyAborted, .incorrectCopyTargetDeviceType))
        expect(Self.list([good, good, good], [seg]), Sense(.illegalRequest, .tooManyTargetDescriptors))
        expect(Self.list([good], [seg, seg]), Sense(.illegalRequest, .tooManySegmentDescriptors))
        expect(Self.list([Self.cscd(disk, type: 0xE0)], [seg]),
               Sense(.illegalRequest, .unsupportedTargetDescriptorTypeCode, keySpecific: .fieldPointer(inCDB: false, byte: 16, bit: 7)))
        expect(Self.list([good], [Self.segment(8, from: 0, to: 100, type: 0x0A)]),
               Sense(.illegalRequest, .unsupportedSegmentDescriptorTypeCode, keySpecific: .fieldPointer(inCDB: false, byte: 48, bit: 7)))
        // A stream-to-stream descriptor (01h) is 20 bytes long, shorter than block → block: still an
        // unsupported type, not a length error (libiscsi ExtendedCopy.DescrType).
        let stream: [UInt8] = [0x01, 0, 0, 0x10] + [UInt8](repeating: 0, count: 16)
        expect(Self.list([good], [stream]),
               Sense(.illegalRequest, .unsupportedSegmentDescriptorTypeCode, keySpecific: .fieldPointer(inCDB: false, byte: 48, bit: 7)))
        expect(Self.list([good], [Self.segment(8, from: 0, to: 100, destination: 1)]),
               Sense(.copyAborted, .copyTargetDeviceNotReachable, keySpecific: .segmentPointer(inSegmentDescriptor: true, byte: 6, bit: nil)))
        expect(Self.list([good], [Self.segment(8, from: 0, to: 2041)]),
               Sense(.copyAborted, .noAdditionalSenseInformation, keySpecific: .segmentPointer(inSegmentDescriptor: true, byte: 20, bit: nil)))
        let full = Self.list([good], [seg])
        expect(full, length: 16 + 31, Sense(.illegalRequest, .parameterListLengthError))
        expect(full, length: full.count - 1, Sense(.illegalRequest, .parameterListLengthError))
        expect(Self.list([good], [seg], usage: 3, listID: 5), SPC.invalidFieldInParameterList(byte: 0))
        let long = Self.list([good, good], [[UInt8]](repeating: seg, count: 35))
        expect(long, Sense(.illegalRequest, .parameterListLengthError))
    }

    @Test func receiveCopyResultsOperatingParameters() throws {
        let disk = try BlockTestDisk(.memory)
        let r = disk.run([0x84, 0x03, 0, 0, 0, 0, 0, 0, 0, 0] + BlockCDB.be(1024, 4) + [0, 0], dataIn: 1024)
        var expected: [UInt8] = [0, 0, 0, 42, 0x01, 0, 0, 0, 0, 2, 0, 1] + BlockCDB.be(1024, 4) + BlockCDB.be(16 << 20, 4)
        expected += [UInt8](repeating: 0, count: 12) + [0, 0, 0, 1, 1, 9, 9, 9, 0, 0, 0, 2, 0x02, 0xE4]
        #expect(r.data == expected)
        // RECEIVE DATA (01h) is not supported (no held data).
        #expect(disk.run([0x84, 0x01, 0, 0, 0, 0, 0, 0, 0, 0] + BlockCDB.be(1024, 4) + [0, 0], dataIn: 1024).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 4)))
    }
}
