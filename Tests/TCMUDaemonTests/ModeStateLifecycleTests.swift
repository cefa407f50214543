import Foundation
import Logging
import SCSIEmu
import Sense
import TCMUDaemon
import Testing
import TestSupport

/// A `file` handler that opens real block devices on memory, so MODE SELECT changes their write cache.
final class MemoryDiskHandler: DeviceHandler, @unchecked Sendable {
    let subtype = "file"
    let configDescription = "path"
    var opened: [BlockDevice] = []

    func checkConfig(_ config: String) throws(ConfigError) {}
    func open(_ parameters: DeviceOpenParameters) throws(HandlerError) -> any EmulatedDevice {
        var c = BlockDeviceConfiguration()
        c.blockSize = 512
        do {
            let d = try BlockDevice(store: try MemoryStore(size: 1 << 20), configuration: c)
            opened.append(d)
            return d
        } catch { throw HandlerError(.ioError, message: "\(error)") }
    }
}

/// The write cache sd turned off (MODE SELECT, Caching page WCE 0) stays off when the daemon restarts:
/// the initiator saw no power cycle and sends no FUA to a disk it believes writes through
/// (`DeviceLifecycle+ModeState`). A fresh device, or one the kernel removed, starts from the defaults.
@Suite struct ModeStateLifecycleTests {
    let sysfs = FakeSysfs()
    let state: String
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    init() throws {
        state = NSTemporaryDirectory() + "emud-state-\(UUID().uuidString)"
        sysfs.addDevice(minor: 4, name: "d4", config: "file//var/d.img")
    }

    func lifecycle(_ handler: MemoryDiskHandler) -> DeviceLifecycle {
        let l = DeviceLifecycle(registry: HandlerRegistry([handler]), files: sysfs.files, opener: RecordingRings(sysfs), logger: quiet)
        l.stateDirectory = state
        return l
    }

    let added = NetlinkEvent(kind: .added, uioName: "tcm-user/1/d4/file//var/d.img", minor: 4, deviceID: 5)
    let removed = NetlinkEvent(kind: .removed, uioName: "tcm-user/1/d4/file//var/d.img", minor: 4, deviceID: 6)
    var file: String { state + "/user_1-d4.modes" }

    /// MODE SELECT(10) turning WCE off: the header without a block descriptor, then the Caching page.
    func turnWriteCacheOff(_ d: BlockDevice) {
        var page = d.unit.withState { $0.modePages }.first { $0.code == 0x08 }!.current
        page[2] &= ~0x04  // the page with its header (08h 12h), WCE in byte 2
        let list: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0] + page
        let out = run(d, [0x55, 0x10, 0, 0, 0, 0, 0, 0, UInt8(list.count), 0], dataOut: list)
        #expect(out.status == .good)
    }

    @Test func theWriteCacheSdTurnedOffStaysOffAcrossARestartAndGoesWithTheDevice() throws {
        defer { try? FileManager.default.removeItem(atPath: state) }
        let first = MemoryDiskHandler()
        let before = lifecycle(first)
        #expect(before.handle(added)?.status == 0)
        let disk = try #require(first.opened.first)
        #expect(disk.engine.writeCacheEnabled)
        turnWriteCacheOff(disk)
        #expect(!disk.engine.writeCacheEnabled)
        let saved = try String(contentsOfFile: file, encoding: .utf8)
        // The config string, then code and subpage and the Caching page as MODE SENSE shows it: WCE 0.
        #expect(saved == "file//var/d.img\n08 00 08 12" + String(repeating: " 00", count: 18) + "\n")
        // SIGKILL: no shutdown. The next daemon finds the device and restores the page.
        let second = MemoryDiskHandler()
        let after = lifecycle(second)
        #expect(after.openExistingDevices() == 1)
        let reopened = try #require(second.opened.first)
        #expect(!reopened.engine.writeCacheEnabled)
        #expect(ModePage.writeCacheEnabled(in: reopened.unit.withState { $0.modePages }) == false)
        // The kernel removes the device: the values go with it; a fresh one has the defaults.
        #expect(after.handle(removed)?.status == 0)
        #expect(!FileManager.default.fileExists(atPath: file))
        let third = MemoryDiskHandler()
        #expect(lifecycle(third).handle(added)?.status == 0)
        #expect(try #require(third.opened.first).engine.writeCacheEnabled)
    }

    /// Values left by another device of the same name (another config string), or a file that is not
    /// ours, or a file larger than a record can be, are not applied; an ADDED (a new device) drops whatever file was there.
    @Test func foreignOrBrokenValuesAreNotRestoredAndANewDeviceDropsThem() throws {
        defer { try? FileManager.default.removeItem(atPath: state) }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        for text in ["file//other.img\n08 00 08 12" + String(repeating: " 00", count: 18) + "\n",
                     "file//var/d.img\n08 00 zz\n",
                     // A valid record padded past the 64 KiB bound (blank lines parse as nothing): not read.
                     "file//var/d.img\n08 00 08 12" + String(repeating: " 00", count: 18) + String(repeating: "\n", count: 70_000)] {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let h = MemoryDiskHandler()
            #expect(lifecycle(h).openExistingDevices() == 1)
            #expect(try #require(h.opened.first).engine.writeCacheEnabled)
        }
        let h = MemoryDiskHandler()
        #expect(lifecycle(h).handle(added)?.status == 0)
        #expect(!FileManager.default.fileExists(atPath: file))
    }
}
