import SCSIEmu
import Sense
import Testing
import TestSupport

/// Every zone sense case of issue 5, through the device's table, as the exact fixed-format bytes the ring
/// carries (SPC-5 §4.4.3: | 0 70h | 2 SENSE KEY | 7 ADDITIONAL LENGTH 0Ah | 12 ASC | 13 ASCQ | 15–17 SKS |).
///
/// OFFLINE: ZBC-2 §4.4.3.5.7 (and libzbc's checks) answer every read, write or zone operation on an OFFLINE
/// zone with DATA PROTECT / ZONE IS OFFLINE (2Ch/0Eh), not MEDIUM ERROR as the issue first said; READ ONLY
/// zones refuse writes and zone operations with DATA PROTECT / ZONE IS READ ONLY (27h/08h).
@Suite struct ZonedSenseBytesTests {
    let seq: UInt64 = 4 * zoneBlocks

    /// Fixed sense: key, ASC, ASCQ, and the three SKS bytes (zeros when there is no field pointer).
    func fixed(_ key: UInt8, _ asc: UInt8, _ ascq: UInt8, sks: [UInt8] = [0, 0, 0]) -> [UInt8] {
        TestSense.fixed(key, asc, ascq, sks: sks)
    }

    /// A field pointer at `byte`/`bit` of the CDB.
    func pointer(_ byte: UInt16, bit: UInt8 = 7) -> [UInt8] { TestSense.fieldPointer(byte, bit: bit) }

    func bytes(_ o: Outcome) -> [UInt8] {
        #expect(o.status == .checkCondition)
        return o.sense?.encoded(as: .fixed) ?? []
    }

    @Test func writes() throws {
        let d = try makeZonedDevice("model-HM/zsize-1/conv-2/open-3/ro-10/offline-11")
        // UNALIGNED WRITE COMMAND: not at the write pointer.
        #expect(bytes(writeBlocks(d, seq + 8, 1)) == fixed(0x05, 0x21, 0x04))
        // WRITE BOUNDARY VIOLATION: across the end of a sequential write required zone, and from a
        // conventional zone into a sequential one.
        writeBlocks(d, seq, UInt32(zoneBlocks - 1))
        #expect(bytes(writeBlocks(d, seq + zoneBlocks - 1, 2)) == fixed(0x05, 0x21, 0x05))
        #expect(bytes(writeBlocks(d, 2 * zoneBlocks - 1, 2)) == fixed(0x05, 0x21, 0x05))
        // INVALID FIELD IN CDB (pointing at the LBA) for a FULL zone.
        writeBlocks(d, seq + zoneBlocks - 1, 1)
        #expect(bytes(writeBlocks(d, seq, 1)) == fixed(0x05, 0x24, 0x00, sks: pointer(2)))
        // DATA PROTECT: READ ONLY, OFFLINE.
        #expect(bytes(writeBlocks(d, 10 * zoneBlocks, 1)) == fixed(0x07, 0x27, 0x08))
        #expect(bytes(writeBlocks(d, 11 * zoneBlocks, 1)) == fixed(0x07, 0x2C, 0x0E))
        // LOGICAL BLOCK ADDRESS OUT OF RANGE.
        #expect(bytes(writeBlocks(d, 16 * zoneBlocks, 1)) == fixed(0x05, 0x21, 0x00))
        // The zones did not move.
        #expect(condition(d, 10) == .readOnly && condition(d, 11) == .offline && condition(d, 4) == .full)
    }

    @Test func openZoneResources() throws {
        let d = try makeZonedDevice()  // at most 3 open
        for z in 4..<7 { #expect(run(d, zoneOutCDB(.open, lba: UInt64(z) * zoneBlocks)).status == .good) }
        let insufficient = fixed(0x07, 0x55, 0x0E)
        #expect(bytes(run(d, zoneOutCDB(.open, lba: 7 * zoneBlocks))) == insufficient)
        #expect(bytes(writeBlocks(d, 7 * zoneBlocks, 1)) == insufficient)
        #expect(bytes(run(d, zoneOutCDB(.finish, lba: 7 * zoneBlocks))) == insufficient)
        writeBlocks(d, 4 * zoneBlocks, 1)
        #expect(run(d, zoneOutCDB(.close, lba: 4 * zoneBlocks)).status == .good)
        writeBlocks(d, 8 * zoneBlocks, 1)  // implicitly open: 2 explicit + 1 implicit
        #expect(run(d, zoneOutCDB(.close, lba: 8 * zoneBlocks)).status == .good)
        #expect(run(d, zoneOutCDB(.open, lba: 7 * zoneBlocks)).status == .good)  // 3 explicit again
        #expect(bytes(run(d, zoneOutCDB(.open, all: true))) == insufficient)  // 2 CLOSED zones, no room
        #expect(condition(d, 4) == .closed && condition(d, 8) == .closed)
    }

    @Test(arguments: ZoneOutAction.allCases)
    func zoneOut(_ action: ZoneOutAction) throws {
        let d = try makeZonedDevice("model-HM/zsize-1/conv-2/open-3/ro-10/offline-11")
        #expect(bytes(run(d, zoneOutCDB(action, lba: seq + 1))) == fixed(0x05, 0x24, 0x00, sks: pointer(2)))
        #expect(bytes(run(d, zoneOutCDB(action, lba: zoneBlocks))) == fixed(0x05, 0x24, 0x00, sks: pointer(2)))
        #expect(bytes(run(d, zoneOutCDB(action, lba: 16 * zoneBlocks))) == fixed(0x05, 0x21, 0x00))
        #expect(bytes(run(d, zoneOutCDB(action, lba: 14 * zoneBlocks, count: 3))) == fixed(0x05, 0x24, 0x00, sks: pointer(12)))
        #expect(bytes(run(d, zoneOutCDB(action, lba: 10 * zoneBlocks))) == fixed(0x07, 0x27, 0x08))
        #expect(bytes(run(d, zoneOutCDB(action, lba: 11 * zoneBlocks))) == fixed(0x07, 0x2C, 0x0E))
        // A range holding READ ONLY and OFFLINE zones is refused as a whole (the first one found): zone 9 stays.
        #expect(bytes(run(d, zoneOutCDB(action, lba: 9 * zoneBlocks, count: 3))) == fixed(0x07, 0x27, 0x08))
        #expect(condition(d, 9) == .empty)
    }

    @Test func reads() throws {
        let d = try makeZonedDevice("model-HM/zsize-1/conv-2/open-3/urswrz-0/offline-9")
        writeBlocks(d, seq, 2)
        #expect(bytes(run(d, read16CDB(lba: seq + 1, blocks: 2))) == fixed(0x05, 0x21, 0x06))
        #expect(bytes(run(d, read16CDB(lba: seq - 1, blocks: 2))) == fixed(0x05, 0x21, 0x07))
        #expect(bytes(run(d, read16CDB(lba: 9 * zoneBlocks, blocks: 1))) == fixed(0x07, 0x2C, 0x0E))
        #expect(bytes(run(d, read16CDB(lba: 16 * zoneBlocks, blocks: 1))) == fixed(0x05, 0x21, 0x00))
        // REPORT ZONES: a start LBA past the end, an unknown reporting option (byte 14, bits 5–0).
        #expect(bytes(run(d, reportZonesCDB(lba: 16 * zoneBlocks))) == fixed(0x05, 0x21, 0x00))
        #expect(bytes(run(d, reportZonesCDB(option: 0x09))) == fixed(0x05, 0x24, 0x00, sks: pointer(14, bit: 5)))
    }
}
