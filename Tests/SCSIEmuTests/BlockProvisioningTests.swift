import Foundation
import Sense
import Synchronization
import Testing
import TestSupport

@testable import SCSIEmu

/// A store that records which write path each command took (plain, durable, flush).
final class RecordingStore: BackingStore {
    let inner: MemoryStore
    let calls = Mutex<[String]>([])
    init(size: UInt64) throws { inner = try MemoryStore(size: size) }
    var size: UInt64 { inner.size }
    var isReadOnly: Bool { false }
    var discardGranularity: UInt64 { inner.discardGranularity }
    var description: String { "recording" }
    private func log(_ s: String) { calls.withLock { $0.append(s) } }
    func taken() -> [String] { calls.withLock { c in defer { c = [] }; return c } }
    func read(into b: DataBuffer, _ r: Range<Int>, at o: UInt64) throws(StoreError) { try inner.read(into: b, r, at: o) }
    func write(from b: DataBuffer, _ r: Range<Int>, at o: UInt64) throws(StoreError) {
        log("write"); try inner.write(from: b, r, at: o)
    }
    func writeDurable(from b: DataBuffer, _ r: Range<Int>, at o: UInt64) throws(StoreError) {
        log("writeDurable"); try inner.write(from: b, r, at: o)
    }
    func flush() throws(StoreError) { log("flush") }
    func writeZeroes(at o: UInt64, length: UInt64, deallocate: Bool) throws(StoreError) {
        log(deallocate ? "zeroes+deallocate" : "zeroes"); try inner.writeZeroes(at: o, length: length, deallocate: deallocate)
    }
    func discard(at o: UInt64, length: UInt64) throws(StoreError) { log("discard"); try inner.discard(at: o, length: length) }
    func allocationStatus(at o: UInt64) throws(StoreError) -> AllocationRun { try inner.allocationStatus(at: o) }
    func prefetch(at o: UInt64, length: UInt64) { log("prefetch") }
    func resize(to s: UInt64) throws(StoreError) { try inner.resize(to: s) }
    func close() {}
}

/// UNMAP, WRITE SAME, GET LBA STATUS, FORMAT UNIT and the durability paths.
@Suite("Block provisioning")
struct BlockProvisioningTests {
    typealias S = BlockTestSupport

    static func unmapList(_ ranges: [(UInt64, UInt32)]) -> [UInt8] {
        var d: [UInt8] = BlockCDB.be(UInt64(6 + 16 * ranges.count), 2) + BlockCDB.be(UInt64(16 * ranges.count), 2) + [0, 0, 0, 0]
        for (lba, n) in ranges { d += BlockCDB.be(lba, 8) + BlockCDB.be(UInt64(n), 4) + [0, 0, 0, 0] }
        return d
    }

    static func unmapCDB(_ length: Int) -> [UInt8] { [0x42, 0, 0, 0, 0, 0, 0] + BlockCDB.be(UInt64(length), 2) + [0] }

    static func lbaStatus(_ disk: BlockTestDisk, _ lba: UInt64, allocation: UInt32 = 1024) -> [UInt8] {
        let r = disk.run([0x9E, 0x12] + BlockCDB.be(lba, 8) + BlockCDB.be(UInt64(allocation), 4) + [0, 0], dataIn: Int(allocation))
        #expect(r.result.status == .good, "\(String(describing: r.result.sense))")
        return r.data
    }

    /// One GET LBA STATUS descriptor: LBA, blocks, status (0 mapped, 1 deallocated).
    static func descriptor(_ lba: UInt64, _ blocks: UInt32, _ status: UInt8) -> [UInt8] {
        BlockCDB.be(lba, 8) + BlockCDB.be(UInt64(blocks), 4) + [status, 0, 0, 0]
    }

    @Test(arguments: StoreKind.allCases)
    func unmapPunchesHolesThatGetLBAStatusReports(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        disk.write(0, S.pattern(2048 * 512, seed: 1))
        #expect(Self.lbaStatus(disk, 0) == [0, 0, 0, 20, 0, 0, 0, 0] + Self.descriptor(0, 2048, 0))
        let list = Self.unmapList([(64, 128), (1024, 8)])
        #expect(disk.run(Self.unmapCDB(list.count), dataOut: list).result == CommandResult(status: .good))
        #expect(disk.read(64, 128) == [UInt8](repeating: 0, count: 128 * 512))
        #expect(disk.read(1024, 8) == [UInt8](repeating: 0, count: 8 * 512))
        #expect(disk.read(63, 1) == Array(S.pattern(2048 * 512, seed: 1)[63 * 512..<64 * 512]))
        let expected = [0, 0, 0, 84, 0, 0, 0, 0] + Self.descriptor(0, 64, 0) + Self.descriptor(64, 128, 1)
            + Self.descriptor(192, 832, 0) + Self.descriptor(1024, 8, 1) + Self.descriptor(1032, 1016, 0)
        #expect(Self.lbaStatus(disk, 0) == expected)
        // Starting inside a hole; allocation length for one descriptor only.
        #expect(Self.lbaStatus(disk, 100, allocation: 24) == [0, 0, 0, 20, 0, 0, 0, 0] + Self.descriptor(100, 92, 1))
        let beyond = disk.run([0x9E, 0x12] + BlockCDB.be(2048, 8) + BlockCDB.be(24, 4) + [0, 0], dataIn: 24)
        #expect(beyond.result == .checkCondition(Sense(.illegalRequest, .logicalBlockAddressOutOfRange)))
    }

    @Test func unmapParameterListChecks() throws {
        let disk = try BlockTestDisk(.memory)
        #expect(disk.run(Self.unmapCDB(0)).result == CommandResult(status: .good))
        #expect(disk.run(Self.unmapCDB(6), dataOut: [0, 4, 0, 0, 0, 0]).result
            == .checkCondition(Sense(.illegalRequest, .parameterListLengthError)))
        let zero = Self.unmapList([(5, 0)])
        #expect(disk.run(Self.unmapCDB(zero.count), dataOut: zero).result == CommandResult(status: .good))
        let past = Self.unmapList([(0, 8), (2040, 9)])
        #expect(disk.run(Self.unmapCDB(past.count), dataOut: past).result
            == .checkCondition(Sense(.illegalRequest, .logicalBlockAddressOutOfRange)))
        let huge = Self.unmapList([(0, (1 << 20) + 1)])
        #expect(disk.run(Self.unmapCDB(huge.count), dataOut: huge).result
            == .checkCondition(SPC.invalidFieldInParameterList(byte: 16)))
        let tooMany = Self.unmapList((0..<257).map { (UInt64($0), 1) })
        #expect(disk.run(Self.unmapCDB(tooMany.count), dataOut: tooMany).result
            == .checkCondition(SPC.invalidFieldInParameterList(byte: 2)))
        // ANCHOR is not supported.
        #expect(disk.run([0x42, 0x01, 0, 0, 0, 0, 0, 0, 24, 0], dataOut: Self.unmapList([(0, 1)])).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 0)))
    }

    @Test func fullyProvisionedDiskHasNoUnmapOrGetLBAStatus() throws {
        let disk = try BlockTestDisk(.memory) { $0.thinProvisioning = false }
        // WRITE SAME with UNMAP: INVALID FIELD IN CDB (LBPWS and LBPWS10 are 0); without it, GOOD.
        let zeros = [UInt8](repeating: 0, count: 512)
        #expect(disk.run([0x41, 0x08, 0, 0, 0, 0, 0, 0, 1, 0], dataOut: zeros).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 3)))
        #expect(disk.run([0x93, 0x08] + BlockCDB.be(0, 8) + BlockCDB.be(1, 4) + [0, 0], dataOut: zeros).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 3)))
        #expect(disk.run([0x41, 0x00, 0, 0, 0, 0, 0, 0, 1, 0], dataOut: zeros).result == CommandResult(status: .good))
        let invalid = CommandResult.checkCondition(Sense(.illegalRequest, .invalidCommandOperationCode))
        #expect(disk.run(Self.unmapCDB(24), dataOut: Self.unmapList([(0, 1)])).result == invalid)
        #expect(disk.run([0x9E, 0x12] + BlockCDB.be(0, 8) + BlockCDB.be(24, 4) + [0, 0], dataIn: 24).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 4)))
    }

    @Test(arguments: StoreKind.allCases)
    func writeSameWritesUnmapsAndRejectsWhatItMust(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        let block = S.pattern(512, seed: 2)
        #expect(disk.run([0x41, 0, 0, 0, 0, 10, 0, 0, 5, 0], dataOut: block).result == CommandResult(status: .good))
        #expect(disk.read(10, 5) == Array([[UInt8]](repeating: block, count: 5).joined()))
        #expect(disk.run([0x93, 0] + BlockCDB.be(1000, 8) + BlockCDB.be(600, 4) + [0, 0], dataOut: block).result.status == .good)
        #expect(disk.read(1599, 1) == block)
        // UNMAP bit with a zero block: deallocated, reads zeros.
        disk.write(0, S.pattern(2048 * 512, seed: 3))
        let zeros = [UInt8](repeating: 0, count: 512)
        #expect(disk.run([0x93, 0x08] + BlockCDB.be(256, 8) + BlockCDB.be(256, 4) + [0, 0], dataOut: zeros).result.status == .good)
        #expect(disk.read(256, 256) == [UInt8](repeating: 0, count: 256 * 512))
        #expect(Self.lbaStatus(disk, 256, allocation: 24) == [0, 0, 0, 20, 0, 0, 0, 0] + Self.descriptor(256, 256, 1))
        // NDOB: no Data-Out, zeros.
        #expect(disk.run([0x93, 0x09] + BlockCDB.be(600, 8) + BlockCDB.be(8, 4) + [0, 0]).result.status == .good)
        #expect(disk.read(600, 8) == [UInt8](repeating: 0, count: 8 * 512))
        // UNMAP with a non-zero pattern writes it.
        #expect(disk.run([0x41, 0x08, 0, 0, 0, 20, 0, 0, 2, 0], dataOut: block).result.status == .good)
        #expect(disk.read(20, 2) == block + block)
        // 0 blocks with WSNZ, ANCHOR, LBDATA, beyond the end, short Data-Out.
        #expect(disk.run([0x41, 0, 0, 0, 0, 0, 0, 0, 0, 0], dataOut: block).result == .checkCondition(SPC.invalidFieldInCDB(byte: 7)))
        #expect(disk.run([0x93, 0] + BlockCDB.be(0, 8) + BlockCDB.be(0, 4) + [0, 0], dataOut: block).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 10)))
        #expect(disk.run([0x41, 0x10, 0, 0, 0, 0, 0, 0, 1, 0], dataOut: block).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 4)))
        #expect(disk.run([0x41, 0x02, 0, 0, 0, 0, 0, 0, 1, 0], dataOut: block).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 1)))
        #expect(disk.run([0x41, 0, 0, 0, 0x07, 0xFF, 0, 0, 2, 0], dataOut: block).result
            == .checkCondition(Sense(.illegalRequest, .logicalBlockAddressOutOfRange)))
        #expect(disk.run([0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0], dataOut: [1, 2, 3]).result
            == .checkCondition(Sense(.illegalRequest, .invalidFieldInCommandInformationUnit)))
    }

    /// MAXIMUM WRITE SAME LENGTH is FFFFh blocks (Block Limits bytes 36–43) and WRITE SAME(16) enforces
    /// it before the range: 10000h blocks are INVALID FIELD IN CDB at NUMBER OF LOGICAL BLOCKS (byte 10),
    /// FFFFh blocks pass the limit and then fail the range check of this 2048-block disk (libiscsi
    /// WriteSame16.Unmap expects exactly this split for a limit below 65536).
    @Test func writeSameLengthLimit() throws {
        let disk = try BlockTestDisk(.memory)
        let zeros = [UInt8](repeating: 0, count: 512)
        #expect(BlockIdentityTests.inquiry(disk, page: 0xB0)[36..<44] == [0, 0, 0, 0, 0, 0, 0xFF, 0xFF])
        #expect(disk.run([0x93, 0x08] + BlockCDB.be(0, 8) + BlockCDB.be(0x1_0000, 4) + [0, 0], dataOut: zeros).result
            == .checkCondition(SPC.invalidFieldInCDB(byte: 10)))
        #expect(disk.run([0x93, 0x08] + BlockCDB.be(0, 8) + BlockCDB.be(0xFFFF, 4) + [0, 0], dataOut: zeros).result
            == .checkCondition(Sense(.illegalRequest, .logicalBlockAddressOutOfRange)))
    }

    @Test func fuaAndWriteCacheChooseTheDurablePath() throws {
        let store = try RecordingStore(size: 1 << 20)
        var c = BlockDeviceConfiguration()
        c.maxTransferBlocks = 64
        let device = try BlockDevice(store: store, configuration: c)
        let block = OwnedDataBuffer(count: 512)
        func run(_ cdb: [UInt8]) -> SCSIStatus {
            var cmd = SCSICommand(cdb: CDB(cdb)!, data: block.view)
            return device.execute(&cmd).status
        }
        #expect(run(BlockCDB.rw10(0x2A, 0, 1)) == .good)
        #expect(store.taken() == ["write"])
        #expect(run(BlockCDB.rw10(0x2A, 0, 1, flags: 0x08)) == .good)
        #expect(store.taken() == ["writeDurable"])
        #expect(run(BlockCDB.rw16(0x8E, 0, 1)) == .good)  // WRITE AND VERIFY goes to the medium
        #expect(store.taken() == ["writeDurable"])
        #expect(run([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]) == .good)
        #expect(store.taken() == ["flush"])
        // WCE = 0: every write durable, WRITE SAME flushed.
        device.unit.withState { s in
            let i = s.modePages.firstIndex { $0.code == 0x08 }!
            s.modePages[i].current[2] &= ~0x04
        }
        device.modePagesChanged()
        #expect(run(BlockCDB.rw10(0x2A, 0, 1)) == .good)
        #expect(store.taken() == ["writeDurable"])
        #expect(run([0x41, 0, 0, 0, 0, 0, 0, 0, 4, 0]) == .good)
        #expect(store.taken() == ["zeroes", "flush"])
        // START STOP UNIT stop flushes (NO_FLUSH = 0).
        #expect(run([0x1B, 0, 0, 0, 0, 0]) == .good)
        #expect(store.taken() == ["flush"])
    }

    @Test(arguments: StoreKind.allCases)
    func formatUnitZeroesAndDeallocates(_ kind: StoreKind) throws {
        let disk = try BlockTestDisk(kind)
        disk.write(0, S.pattern(2048 * 512, seed: 4))
        #expect(disk.run([0x04, 0, 0, 0, 0, 0]).result == CommandResult(status: .good))
        #expect(disk.read(0, 2048) == [UInt8](repeating: 0, count: 2048 * 512))
        #expect(Self.lbaStatus(disk, 0, allocation: 24) == [0, 0, 0, 20, 0, 0, 0, 0] + Self.descriptor(0, 2048, 1))
        #expect(disk.device.unit.condition == .ready)
        // FMTDATA with a short header: IMMED accepted; IP, a defect list, FMTPINFO are refused.
        #expect(disk.run([0x04, 0x10, 0, 0, 0, 0], dataOut: [0, 0x02, 0, 0]).result == CommandResult(status: .good))
        #expect(disk.run([0x04, 0x10, 0, 0, 0, 0], dataOut: [0, 0x08, 0, 0]).result
            == .checkCondition(SPC.invalidFieldInParameterList(byte: 1, bit: 3)))
        #expect(disk.run([0x04, 0x10, 0, 0, 0, 0], dataOut: [0, 0, 0, 8]).result
            == .checkCondition(SPC.invalidFieldInParameterList(byte: 2)))
        #expect(disk.run([0x04, 0x30, 0, 0, 0, 0], dataOut: [0, 0, 0, 0]).result
            == .checkCondition(Sense(.illegalRequest, .parameterListLengthError)))
        #expect(disk.run([0x04, 0x80, 0, 0, 0, 0]).result == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 7)))
    }

    @Test func readDefectDataIsEmpty() throws {
        let disk = try BlockTestDisk(.memory)
        #expect(disk.run([0x37, 0, 0x1D, 0, 0, 0, 0, 0, 4, 0], dataIn: 4).data == [0, 0x1D, 0, 0])
        #expect(disk.run([0xB7, 0x0D, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0], dataIn: 255).data == [0, 0x0D, 0, 0, 0, 0, 0, 0])
    }
}
