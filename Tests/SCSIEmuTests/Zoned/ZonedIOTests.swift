import SCSIEmu
import Sense
import Testing
import TestSupport

/// Sense for every zone rule of READ and WRITE, ZONE OUT's field checks, and the identify data.
@Suite struct ZonedIOTests {
    let seq: UInt64 = 4 * zoneBlocks

    @Test func writeRules() throws {
        let d = try makeZonedDevice("model-HM/zsize-1/conv-2/open-3/ro-10/offline-11")
        #expect(writeBlocks(d, seq + 1, 1).sense == Sense(.illegalRequest, .unalignedWriteCommand))
        #expect(writeBlocks(d, seq + zoneBlocks - 1, 0).status == .good)  // zero blocks: nothing to check
        writeBlocks(d, seq, UInt32(zoneBlocks - 1))
        #expect(writeBlocks(d, seq + zoneBlocks - 1, 2).sense == Sense(.illegalRequest, .writeBoundaryViolation))
        #expect(writeBlocks(d, seq + zoneBlocks - 1, 1).status == .good)
        #expect(writeBlocks(d, seq, 1).sense == invalidCDB(2))  // FULL SWR zone
        #expect(writeBlocks(d, zoneBlocks - 1, 2).status == .good)  // conventional → conventional
        #expect(writeBlocks(d, 2 * zoneBlocks - 1, 1).status == .good)
        #expect(writeBlocks(d, 2 * zoneBlocks - 1, 2).sense == Sense(.illegalRequest, .writeBoundaryViolation))
        #expect(writeBlocks(d, 10 * zoneBlocks, 1).sense == Sense(.dataProtect, .zoneIsReadOnly))
        #expect(writeBlocks(d, 11 * zoneBlocks, 1).sense == Sense(.dataProtect, .zoneIsOffline))
        #expect(writeBlocks(d, 16 * zoneBlocks - 1, 2).sense == Sense(.illegalRequest, .logicalBlockAddressOutOfRange))
        // Exact fixed-format bytes for two of them.
        #expect(Sense(.illegalRequest, .unalignedWriteCommand).encoded(as: .fixed)
                == [0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x21, 0x04, 0, 0, 0, 0])
        #expect(Sense(.dataProtect, .insufficientZoneResources).encoded(as: .fixed)
                == [0x70, 0, 0x07, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x55, 0x0E, 0, 0, 0, 0])
    }

    @Test func readsUnrestricted() throws {
        let d = try makeZonedDevice()
        writeBlocks(d, seq, 2)
        // URSWRZ 1: past the write pointer and across zones reads zeros.
        let r = run(d, read16CDB(lba: seq + 1, blocks: UInt32(zoneBlocks)), capacity: Int(zoneBlocks) * 512)
        #expect(r.status == .good && r.data.count == Int(zoneBlocks) * 512)
        #expect(Array(r.data[0..<8]) == be(seq + 1, 8) && r.data[8] == 0xA5)
        #expect(r.data[512...].allSatisfy { $0 == 0 })
        #expect(run(d, read16CDB(lba: 0, blocks: 3)).data.allSatisfy { $0 == 0 })  // unwritten conventional
        // A read spanning a conventional and a sequential write required zone is refused even with
        // URSWRZ 1 (ZBC-2 §4.4.3.4.2; libzbc 01.064 and tcmu-runner answer 21h/06h).
        #expect(run(d, read16CDB(lba: 2 * zoneBlocks - 1, blocks: 2)).sense == Sense(.illegalRequest, .attemptToReadInvalidData))
    }

    /// A Data-Out shorter or longer than the transfer length is refused with 0E/03 before anything is
    /// written or any write pointer moves, as on the disk and the optical drive (`BlockEngine.checkDataOut`).
    @Test func dataOutNotMatchingTheTransferLengthWritesNothing() throws {
        let d = try makeZonedDevice()
        let refused = Sense(.illegalRequest, .invalidFieldInCommandInformationUnit)
        #expect(run(d, write16CDB(lba: seq, blocks: 2), dataOut: pattern(seq, 1)).sense == refused)
        #expect(run(d, write16CDB(lba: seq, blocks: 2), dataOut: pattern(seq, 3)).sense == refused)
        #expect(run(d, write16CDB(lba: 0, blocks: 2), dataOut: pattern(0, 1)).sense == refused)  // conventional
        #expect(d.zoneStateMachine.zones[Int(seq / zoneBlocks)].writePointer == seq)
        #expect(condition(d, Int(seq / zoneBlocks)) == .empty)
        #expect(run(d, read16CDB(lba: 0, blocks: 2)).data.allSatisfy { $0 == 0 })
    }

    @Test func readsRestricted() throws {
        let d = try makeZonedDevice("model-HM/zsize-1/conv-2/open-3/urswrz-0/offline-9")
        writeBlocks(d, seq, 2)
        #expect(run(d, read16CDB(lba: seq, blocks: 2)).status == .good)
        #expect(run(d, read16CDB(lba: seq + 1, blocks: 2)).sense == Sense(.illegalRequest, .attemptToReadInvalidData))
        #expect(run(d, zoneOutCDB(.finish, lba: seq)).status == .good)
        #expect(run(d, read16CDB(lba: seq + zoneBlocks - 1, blocks: 2)).sense == Sense(.illegalRequest, .readBoundaryViolation))
        #expect(run(d, read16CDB(lba: seq - 1, blocks: 2)).sense == Sense(.illegalRequest, .readBoundaryViolation))
        // Conventional → sequential write required: the zone type boundary rule (ZBC-2 §4.4.3.4.2).
        #expect(run(d, read16CDB(lba: 2 * zoneBlocks - 1, blocks: 2)).sense == Sense(.illegalRequest, .attemptToReadInvalidData))
        #expect(run(d, read16CDB(lba: zoneBlocks - 1, blocks: 2)).status == .good)  // conventional → conventional
        #expect(run(d, read16CDB(lba: 9 * zoneBlocks, blocks: 1)).sense == Sense(.dataProtect, .zoneIsOffline))
        #expect(run(d, read16CDB(lba: 16 * zoneBlocks, blocks: 1)).sense == Sense(.illegalRequest, .logicalBlockAddressOutOfRange))
    }

    @Test(arguments: ZoneOutAction.allCases)
    func zoneOutFieldChecks(_ action: ZoneOutAction) throws {
        let d = try makeZonedDevice("model-HM/zsize-1/conv-2/open-3/ro-10/offline-11")
        #expect(run(d, zoneOutCDB(action, lba: seq + 1)).sense == invalidCDB(2))
        #expect(run(d, zoneOutCDB(action, lba: 0)).sense == invalidCDB(2))  // conventional
        #expect(run(d, zoneOutCDB(action, lba: 16 * zoneBlocks)).sense == Sense(.illegalRequest, .logicalBlockAddressOutOfRange))
        #expect(run(d, zoneOutCDB(action, lba: 15 * zoneBlocks, count: 2)).sense == invalidCDB(12))
        #expect(run(d, zoneOutCDB(action, lba: 10 * zoneBlocks)).sense == Sense(.dataProtect, .zoneIsReadOnly))
        #expect(run(d, zoneOutCDB(action, lba: 11 * zoneBlocks)).sense == Sense(.dataProtect, .zoneIsOffline))
        #expect(run(d, zoneOutCDB(action, all: true)).status == .good)  // ALL skips them
        #expect(condition(d, 10) == .readOnly && condition(d, 11) == .offline)
        var cdb = zoneOutCDB(action, lba: seq)
        cdb[14] = 0x02
        #expect(run(d, cdb).sense == invalidCDB(14, 1))
    }

    @Test func identifyData() throws {
        let d = try makeZonedDevice()
        let b6 = run(d, [0x12, 0x01, 0xB6, 0x00, 0xFF, 0x00]).data
        #expect(b6.count == 64)
        #expect(Array(b6[0..<24]) == [0x14, 0xB6, 0x00, 0x3C, 0x01, 0, 0, 0]
                + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + [0, 0, 0, 3] + [0, 0, 0, 0])
        let ha = try makeZonedDevice("model-HA/zsize-1/conv-2/open-3")
        let haB6 = run(ha, [0x12, 0x01, 0xB6, 0x00, 0xFF, 0x00]).data
        #expect(Array(haB6[0..<20]) == [0x00, 0xB6, 0x00, 0x3C, 0x11, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(run(ha, [0x12, 0x01, 0xB1, 0x00, 0xFF, 0x00]).data[8] == 0x12)  // ZONED 01b, FUAB
        #expect(run(d, [0x12, 0x01, 0x00, 0x00, 0xFF, 0x00]).data == [0x14, 0x00, 0x00, 0x06, 0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB6])
        let rc16 = run(d, [0x9E, 0x10] + [UInt8](repeating: 0, count: 8) + be(32, 4) + [0, 0]).data
        #expect(rc16 == be(16 * zoneBlocks - 1, 8) + be(512, 4) + [0x10] + [UInt8](repeating: 0, count: 19))
        #expect(run(d, [0x25] + [UInt8](repeating: 0, count: 9)).data == be(16 * zoneBlocks - 1, 4) + be(512, 4))
    }

    @Test func formatAndSanitizeResetEverything() throws {
        for cdb in [[0x04, 0, 0, 0, 0, 0], [0x48, 0x03, 0, 0, 0, 0, 0, 0, 0, 0], [0x48, 0x02, 0, 0, 0, 0, 0, 0, 0, 0]] as [[UInt8]] {
            let d = try makeZonedDevice()
            writeBlocks(d, seq, 4)
            writeBlocks(d, 0, 4)
            #expect(run(d, zoneOutCDB(.open, lba: seq + zoneBlocks)).status == .good)
            #expect(run(d, cdb).status == .good)
            #expect((2..<16).allSatisfy { condition(d, $0) == .empty })
            #expect(run(d, read16CDB(lba: 0, blocks: 4)).data.allSatisfy { $0 == 0 })
            #expect(d.zoneStateMachine.openCount == 0)
        }
    }
}
