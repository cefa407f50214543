import Foundation
import Logging
import SCSIEmu
import Sense
import TCMUDaemon
import Testing
import TestSupport

/// The daemon's control answers over real devices: an `fbo` drive opened by its handler on a temporary
/// image, next to a `file` device that has no control commands of its own.
@Suite struct ControlLifecycleTests {
    let sysfs = FakeSysfs()
    let rings: RecordingRings
    let lifecycle: DeviceLifecycle
    let images: [String]

    init() throws {
        rings = RecordingRings(sysfs)
        lifecycle = DeviceLifecycle(
            registry: HandlerRegistry([RecordingHandler(), FBOHandler()]), files: sysfs.files, opener: rings,
            logger: quietLogger)
        let root = sysfs.root
        images = (0..<2).map { i in
            let path = root + "/disc\(i).iso"
            FileManager.default.createFile(atPath: path, contents: Data(count: (16 + 16 * i) * 2048))
            return path
        }
        sysfs.addDevice(minor: 0, name: "dvd0", config: "fbo/ro/\(images[0])")
        sysfs.addDevice(minor: 1, hba: "2", name: "disk0", config: "file//var/d.img", size: 1 << 20, blockSize: 512)
        sysfs.addDevice(minor: 2, hba: "3", name: "dvd0", config: "fbo/ro/\(images[1])")
        for m in 0..<3 { #expect(lifecycle.add(minor: UInt32(m), uioName: nil, reopen: false) == 0) }
    }

    func ask(_ line: String) -> ControlReply { lifecycle.respond(to: line.split(separator: " ").map(String.init)) }

    @Test func listShowsEveryDeviceWithSubtypeAndConfig() {
        #expect(ask("list") == .ok("""
            1/dvd0 fbo uio0 fbo/ro/\(images[0])
            2/disk0 file uio1 file//var/d.img
            3/dvd0 fbo uio2 fbo/ro/\(images[1])
            """))
        #expect(ask("help") == .ok(DeviceLifecycle.controlHelp))
    }

    @Test func devicesAreFoundByNameOrHBAAndName() {
        #expect(ask("disk0 status") == .ok("read-only=no condition=ready"))
        #expect(ask("2/disk0 status") == ask("user_2/disk0 status"))
        #expect(ask("dvd0 status") == .error("'dvd0' is ambiguous (1/dvd0, 3/dvd0): name it as HBA/NAME"))
        #expect(ask("3/dvd0 status") == .ok("tray=closed disc=yes locked=no profile=profile-dvdrom write-protected=yes blocks=32 image=\(images[1])"))
        #expect(ask("cd9 eject") == .error("no device 'cd9' is served (devices: 1/dvd0, 2/disk0, 3/dvd0)"))
        #expect(ask("9/disk0 status").isOK == false)
        #expect(ask("disk0") == .error("no command for disk0: try 'disk0 help'"))
        #expect(ask("disk0 eject") == .error("disk0: unknown command 'eject' (known: status, help)"))
        #expect(ask("1/dvd0 eject now") == .error("1/dvd0: unexpected 'now' (usage: eject [--force])"))
    }

    @Test func controlCommandsReachTheDriveAndTheInitiatorSeesThem() throws {
        let drive = try #require(lifecycle.devices[0]?.device as? OpticalDevice)
        drive.unit.withState { $0.unitAttentions.removeAll() }
        #expect(ask("1/dvd0 insert \(images[1]) profile-cdrom") == .ok("inserted \(images[1]) (profile-cdrom, read-only, 32 blocks)"))
        #expect(run(drive, [0, 0, 0, 0, 0, 0]).sense == Sense(.unitAttention, .notReadyToReadyChangeMediumMayHaveChanged))
        #expect(ask("1/dvd0 remove") == .ok("disc removed, tray open"))
        #expect(ask("1/dvd0 status") == .ok("tray=open disc=no locked=no"))
    }

    @Test func reconfigDevConfigInsertsTheNewImage() throws {
        func reconfig(_ minor: UInt32, _ c: String) -> Int32? {
            lifecycle.handle(NetlinkEvent(kind: .reconfig(.config(c)), uioName: "x", minor: minor, deviceID: 4))?.status
        }
        // configfs takes what `echo` wrote, newline included.
        #expect(reconfig(0, "fbo/ro/profile-cdrom/\(images[1])\n") == 0)
        #expect(ask("1/dvd0 status") == .ok("tray=closed disc=yes locked=no profile=profile-cdrom write-protected=yes blocks=32 image=\(images[1])"))
        #expect(ask("list").text.hasPrefix("1/dvd0 fbo uio0 fbo/ro/profile-cdrom/\(images[1])\n"))
        // Another handler, a bad option, a missing image, a file device: refused, nothing changed.
        #expect(reconfig(0, "file//var/d.img") == -22)
        #expect(reconfig(0, "fbo/sideways/\(images[0])") == -22)
        #expect(reconfig(0, "fbo/ro//nonexistent/disc.iso") == -2)
        #expect(reconfig(1, "file//var/other.img") == -95)
        #expect(ask("list").text.hasPrefix("1/dvd0 fbo uio0 fbo/ro/profile-cdrom/\(images[1])\n"))
        // The host locked the tray: EBUSY, the configfs write fails.
        let drive = try #require(lifecycle.devices[0]?.device as? OpticalDevice)
        #expect(run(drive, [0, 0, 0, 0, 0, 0]).sense == Sense(.unitAttention, .notReadyToReadyChangeMediumMayHaveChanged))
        #expect(run(drive, [0x1E, 0, 0, 0, 1, 0]).status == .good)
        #expect(reconfig(0, "fbo/ro/\(images[0])") == -16)
    }

    @Test func theSocketServesTheLifecycle() throws {
        let dir = SocketDirectory()
        let background = BackgroundServer(
            try ControlServer(path: dir.socket, responder: lifecycle, logger: quietLogger))
        defer { background.stop() }
        #expect(try ControlClient.request(["2/disk0", "status"], socketPath: dir.socket) == .ok("read-only=no condition=ready"))
        #expect(try ControlClient.request(["1/dvd0", "eject"], socketPath: dir.socket) == .ok("tray open"))
    }
}

/// The daemon's start-up with a control socket another daemon already serves.
@Suite struct ControlDaemonStartTests {
    @Test func refusesToStartBeforeTouchingNetlinkOrDevices() throws {
        let dir = SocketDirectory()
        let sysfs = FakeSysfs()
        sysfs.write("sys/module/target_core_user/parameters/block_netlink", "0\n")
        let live = try ControlServer(path: dir.socket, responder: EchoResponder(), logger: quietLogger)
        defer { live.close() }
        let lifecycle = DeviceLifecycle(
            registry: HandlerRegistry([]), files: sysfs.files, opener: RecordingRings(sysfs), logger: quietLogger)
        let daemon = Daemon(lifecycle: lifecycle, logger: quietLogger)
        daemon.controlSocketPath = dir.socket
        do { try daemon.run(); Issue.record("started") } catch {
            #expect(error.code == 98)  // EADDRINUSE
            #expect(error.message.contains("another emud is serving it"))
        }
        #expect(sysfs.read("sys/module/target_core_user/parameters/block_netlink") == "0\n")
        #expect(try exchange(live, Array("still here\n".utf8)) == "ok still|here\n")
    }
}
