import Foundation
import SCSIEmu
import Sense
import Testing
import TestSupport

/// A zoned disk on a qcow2 image: the same engine and store the `qcow` disk uses, the zone metadata kept
/// as on a raw file (superblocks and zone table before the data), recognised by the qcow2 magic.
@Suite struct ZonedQCOW2Tests {
    typealias S = BlockTestSupport

    @Test(.enabled(if: BlockTestSupport.qemuImg != nil, "qemu-img is not installed (apt-get install qemu-utils)"))
    func zonedDiskOnQcow2KeepsZonesAndDataAcrossReopen() throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("zbc.qcow2").path
        let size: UInt64 = 16 << 20
        #expect(try S.run(S.qemuImg!, ["create", "-q", "-f", "qcow2", path, "\(32 << 20)"]).status == 0)
        do {
            let d = try ZonedDevice(configString: "zbc/zsize-1/conv-2/open-3@\(path)", deviceSize: size)
            #expect(d.engine.store is QCOW2Store)
            #expect(writeBlocks(d, 4 * zoneBlocks, 8).status == .good)
            #expect(writeBlocks(d, 4 * zoneBlocks, 1).sense == Sense(.illegalRequest, .unalignedWriteCommand))
            #expect(run(d, zoneOutCDB(.finish, lba: 5 * zoneBlocks)).status == .good)
            #expect(run(d, sync16CDB).status == .good)
            d.close()
        }
        let check = try S.run(S.qemuImg!, ["check", path])
        #expect(check.status == 0, "\(check.output)")
        let d = try ZonedDevice(configString: "zbc/\(path)", deviceSize: size)
        #expect(condition(d, 4) == .closed && condition(d, 5) == .full)
        #expect(d.zoneStateMachine.zones[4].writePointer == 4 * zoneBlocks + 8)
        #expect(run(d, read16CDB(lba: 4 * zoneBlocks, blocks: 8), capacity: 8 * 512).data == pattern(4 * zoneBlocks, 8))
        d.close()
    }
}
