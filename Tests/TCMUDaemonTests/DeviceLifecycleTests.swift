import Foundation
import Logging
import SCSIEmu
import Sense
import Synchronization
import SystemCalls
import TCMUDaemon
import Testing

/// A device that records what the lifecycle did to it.
final class RecordingDevice: SPCDevice {
    let unit = LogicalUnit(identity: DeviceIdentity(peripheralType: 0, product: "TEST"))
    let commandTable = CommandTable<RecordingDevice>([])
    let parameters: DeviceOpenParameters
    let log: Mutex<[String]> = Mutex([])
    let refuseResize: Bool

    init(_ parameters: DeviceOpenParameters, refuseResize: Bool = false) {
        self.parameters = parameters
        self.refuseResize = refuseResize
    }

    func resize(toBytes size: UInt64) throws(Sense) {
        if refuseResize { throw Sense(.illegalRequest, .invalidFieldInParameterList) }
        log.withLock { $0.append("resize \(size)") }
    }
    func close() { log.withLock { $0.append("close") } }
    func resume(after interrupted: InterruptedWrites) {
        guard !interrupted.isEmpty else { return }
        log.withLock { $0.append("resume \(interrupted.count) write(s)") }
    }
}

/// A handler whose open succeeds or fails on demand and keeps what it built.
final class RecordingHandler: DeviceHandler, @unchecked Sendable {
    let subtype = "file"
    let configDescription = "path"
    var failOpen: HandlerError?
    var opened: [RecordingDevice] = []

    func checkConfig(_ config: String) throws(ConfigError) {
        guard config.hasPrefix("/") else { throw ConfigError(field: "path", reason: "not absolute") }
    }
    func open(_ parameters: DeviceOpenParameters) throws(HandlerError) -> any EmulatedDevice {
        if let failOpen { throw failOpen }
        let d = RecordingDevice(parameters)
        opened.append(d)
        return d
    }
}

/// Rings that record their lifecycle; `blockDevAtOpen` captures configfs action/block_dev when opened.
final class RecordingRings: RingSessionOpener, @unchecked Sendable {
    final class Ring: RingSession {
        var started = false, closed = false, idle = true
        /// What the ring holds when opened (left by a daemon that died), and what configfs's reset_ring
        /// said when it was read and when the ring moved to the kernel's new indices.
        var queued: [CDB] = []
        var resetRingWhenRead: String?, resetRingWhenRestarted: String?
        let resetRing: () -> String?
        init(resetRing: @escaping () -> String?) { self.resetRing = resetRing }
        func start(device: any EmulatedDevice, ioWorkers: Int, logger: Logger) { started = true }
        var isIdle: Bool { idle }
        func close() { closed = true }
        func queuedCommands() -> [CDB] {
            resetRingWhenRead = resetRing()
            return queued
        }
        func restartAtKernelIndices() { resetRingWhenRestarted = resetRing() }
    }
    var queuedAtOpen: [UInt32: [CDB]] = [:]
    var failOpen: DeviceSetupError?
    var rings: [UInt32: Ring] = [:]
    var blockDevAtOpen: [UInt32: String] = [:]
    let sysfs: FakeSysfs

    init(_ sysfs: FakeSysfs) { self.sysfs = sysfs }

    func open(_ uio: UIODevice, files: ControlFiles, logger: Logger) throws(DeviceSetupError) -> any RingSession {
        if let failOpen { throw failOpen }
        #expect(uio.mapSize == 0x4080_0000)
        blockDevAtOpen[uio.minor] = sysfs.read(
            "sys/kernel/config/target/core/\(uio.name.hbaDirectory)/\(uio.name.deviceName)/action/block_dev")
        let action = "sys/kernel/config/target/core/\(uio.name.hbaDirectory)/\(uio.name.deviceName)/action"
        let r = Ring(resetRing: { [sysfs] in sysfs.read("\(action)/reset_ring") })
        r.queued = queuedAtOpen[uio.minor] ?? []
        rings[uio.minor] = r
        return r
    }
}

@Suite struct DeviceLifecycleTests {
    let sysfs = FakeSysfs()
    let handler = RecordingHandler()
    let rings: RecordingRings
    let lifecycle: DeviceLifecycle

    init() {
        rings = RecordingRings(sysfs)
        lifecycle = DeviceLifecycle(
            registry: HandlerRegistry([handler]), files: sysfs.files, opener: rings, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func added(_ minor: UInt32, _ config: String = "file//var/d.img;tcmur_cmd_time_out=7", id: UInt32 = 5) -> NetlinkEvent {
        NetlinkEvent(kind: .added, uioName: "tcm-user/1/d\(minor)/\(config)", minor: minor, deviceID: id)
    }

    @Test func addOpensWithConfigfsAttributesAndRepliesZero() throws {
        sysfs.addDevice(minor: 2, name: "d2", config: "file//var/d.img;tcmur_cmd_time_out=7", size: 8 << 20, blockSize: 4096, maxSectors: 256)
        #expect(lifecycle.handle(added(2)) == NetlinkReply(command: .addedDeviceDone, deviceID: 5, status: 0))
        let p = try #require(handler.opened.first).parameters
        #expect(p.config == "/var/d.img")
        #expect(p.fullConfigString == "file//var/d.img;tcmur_cmd_time_out=7")
        #expect(p.commandTimeout == 7)
        #expect((p.hba, p.deviceName) == ("1", "d2"))
        #expect((p.sizeInBytes, p.blockSize, p.maxSectors, p.blockCount) == (8 << 20, 4096, 256, 2048))
        #expect(p.unitSerial == "5c9a0f2e-1b")
        #expect(rings.rings[2]?.started == true)
        #expect(lifecycle.devices[2] != nil)
        // A second ADDED for the same minor is refused, the first device untouched.
        #expect(lifecycle.handle(added(2))?.status == -17)
        #expect(rings.rings[2]?.closed == false)
    }

    @Test func badConfigStringFailsWithEINVALAndOpensNothing() {
        sysfs.addDevice(minor: 0, name: "d0", config: "file/relative.img")
        #expect(lifecycle.handle(added(0, "file/relative.img"))?.status == -22)
        #expect(lifecycle.handle(added(0, "rbd/pool/img"))?.status == -22)
        #expect(rings.rings.isEmpty && handler.opened.isEmpty && lifecycle.devices.isEmpty)
    }

    @Test func missingConfigfsAttributeFailsWithItsErrno() {
        sysfs.addDevice(minor: 1, name: "d1", config: "file//d")
        sysfs.remove("sys/kernel/config/target/core/user_1/d1/attrib/hw_block_size")
        #expect(lifecycle.handle(added(1, "file//d"))?.status == -2)
        sysfs.write("sys/kernel/config/target/core/user_1/d1/attrib/hw_block_size", "0\n")
        #expect(lifecycle.handle(added(1, "file//d"))?.status == -22)
        #expect(rings.rings.isEmpty && lifecycle.devices.isEmpty)
    }

    @Test func handlerOpenFailureClosesTheRing() {
        sysfs.addDevice(minor: 4, name: "d4", config: "file//d")
        handler.failOpen = HandlerError(.permissionDenied, message: "permission denied")
        #expect(lifecycle.handle(added(4, "file//d"))?.status == -13)
        #expect(rings.rings[4]?.closed == true && rings.rings[4]?.started == false)
        #expect(lifecycle.devices.isEmpty)
    }

    @Test func ringOpenFailureNeverOpensTheHandler() {
        sysfs.addDevice(minor: 4, name: "d4", config: "file//d")
        rings.failOpen = DeviceSetupError(.resourceBusy, message: "busy")
        #expect(lifecycle.handle(added(4, "file//d"))?.status == -16)
        #expect(handler.opened.isEmpty && lifecycle.devices.isEmpty)
    }

    @Test func removeStopsRingThenClosesDeviceAndUnknownStillAnswers() throws {
        sysfs.addDevice(minor: 3, name: "d3", config: "file//d")
        #expect(lifecycle.handle(added(3, "file//d"))?.status == 0)
        let removed = NetlinkEvent(kind: .removed, uioName: "tcm-user/1/d3/file//d", minor: 3, deviceID: 5)
        #expect(lifecycle.handle(removed) == NetlinkReply(command: .removedDeviceDone, deviceID: 5, status: 0))
        #expect(rings.rings[3]?.closed == true)
        #expect(try #require(handler.opened.first).log.withLock { $0 } == ["close"])
        #expect(lifecycle.devices.isEmpty)
        #expect(lifecycle.handle(removed)?.status == 0)
    }

    @Test func resizeRaisesCapacityChangedOnceAndOtherChangesAreRefused() throws {
        sysfs.addDevice(minor: 6, name: "d6", config: "file//d", size: 1 << 20)
        #expect(lifecycle.handle(added(6, "file//d"))?.status == 0)
        let device = try #require(handler.opened.first)
        func reconfig(_ c: Reconfiguration) -> NetlinkReply? {
            lifecycle.handle(NetlinkEvent(kind: .reconfig(c), uioName: "tcm-user/1/d6/file//d", minor: 6, deviceID: 8))
        }
        #expect(reconfig(.size(1 << 20)) == NetlinkReply(command: .reconfigDeviceDone, deviceID: 8, status: 0))
        #expect(device.unit.peekUnitAttention() == nil)  // same size: no UA
        #expect(reconfig(.size(2 << 20))?.status == 0)
        #expect(reconfig(.size(4 << 20))?.status == 0)
        #expect(device.log.withLock { $0 } == ["resize 2097152", "resize 4194304"])
        #expect(device.unit.takeUnitAttention() == Sense(.unitAttention, .capacityDataHasChanged))
        #expect(device.unit.takeUnitAttention() == nil)
        #expect(lifecycle.devices[6]?.sizeInBytes == 4 << 20)
        #expect(reconfig(.config("file//other"))?.status == -95)
        #expect(reconfig(.writeCache(true))?.status == -95)
        #expect(reconfig(.unknown)?.status == -95)
        let unknown = NetlinkEvent(kind: .reconfig(.size(1)), uioName: "x", minor: 99, deviceID: 9)
        #expect(lifecycle.handle(unknown) == NetlinkReply(command: .reconfigDeviceDone, deviceID: 9, status: -19))
    }

    @Test func startupScanBlocksResetsOpensAndUnblocks() {
        sysfs.addDevice(minor: 0, name: "a", config: "file//a")
        sysfs.addDevice(minor: 7, hba: "2", name: "b", config: "file//b")
        sysfs.addDevice(minor: 3, name: "bad", config: "file/relative")
        sysfs.write("sys/class/uio/uio1/name", "some-other-uio\n")
        #expect(lifecycle.openExistingDevices() == 2)
        #expect(Set(lifecycle.devices.keys) == [0, 7])
        #expect(rings.blockDevAtOpen == [0: "1", 7: "1"])
        for dir in ["user_1/a", "user_2/b", "user_1/bad"] {
            #expect(sysfs.read("sys/kernel/config/target/core/\(dir)/action/block_dev") == (dir.hasSuffix("bad") ? "" : "0"))
        }
        #expect(sysfs.read("sys/kernel/config/target/core/user_1/a/action/reset_ring") == "1")
    }

    /// What the ring held when the previous daemon died is read while the device is blocked and before
    /// reset_ring; the ring then moves to the kernel's indices and the device learns the queued writes.
    @Test func startupReadsTheQueuedCommandsBeforeTheRingReset() throws {
        sysfs.addDevice(minor: 0, name: "a", config: "file//a")
        let write16: [UInt8] = [0x8A, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 8, 0, 0]
        rings.queuedAtOpen[0] = [try #require(CDB(write16)), try #require(CDB([0, 0, 0, 0, 0, 0]))]
        #expect(lifecycle.openExistingDevices() == 1)
        let ring = try #require(rings.rings[0])
        #expect(ring.resetRingWhenRead == "" && ring.resetRingWhenRestarted == "1" && ring.started)
        #expect(handler.opened.first?.log.withLock { $0 } == ["resume 1 write(s)"])
    }

    @Test func shutdownBlocksClosesAndUnblocksEveryDevice() throws {
        sysfs.addDevice(minor: 0, name: "a", config: "file//a")
        sysfs.addDevice(minor: 1, name: "b", config: "file//b")
        lifecycle.openExistingDevices()
        lifecycle.shutdown(drainTimeoutMilliseconds: 100)
        #expect(lifecycle.devices.isEmpty)
        #expect(rings.rings.values.allSatisfy { $0.closed })
        #expect(handler.opened.allSatisfy { $0.log.withLock { $0 } == ["close"] })
        #expect(sysfs.read("sys/kernel/config/target/core/user_1/b/action/block_dev") == "0")
    }
}

/// Issue 13 trap 6 through the real entry point: a RECONFIG dev_size ≥ 2^63 on a live `file` device.
@Suite struct HostileReconfigTests {
    @Test func hugeReconfigSizeIsRefusedAndTheDeviceKeepsItsSize() throws {
        let sysfs = FakeSysfs()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emud-reconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = "file/\(dir.path)/d.img"
        sysfs.addDevice(minor: 3, name: "d3", config: config, size: 1 << 20)
        let lifecycle = DeviceLifecycle(
            registry: HandlerRegistry([FileHandler()]), files: sysfs.files, opener: RecordingRings(sysfs),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        #expect(lifecycle.add(minor: 3, uioName: nil, reopen: false) == 0)
        defer { _ = lifecycle.remove(minor: 3) }
        for size in [UInt64(1) << 63, .max] {
            let event = NetlinkEvent(kind: .reconfig(.size(size)), uioName: "tcm-user/1/d3/\(config)", minor: 3, deviceID: 4)
            #expect(lifecycle.handle(event)?.status == -27)  // EFBIG
        }
        #expect(lifecycle.devices[3]?.sizeInBytes == 1 << 20)
        let grow = NetlinkEvent(kind: .reconfig(.size(2 << 20)), uioName: "tcm-user/1/d3/\(config)", minor: 3, deviceID: 4)
        #expect(lifecycle.handle(grow)?.status == 0)
    }
}
