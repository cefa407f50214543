import Foundation
import Logging
import SCSIEmu
import SystemService
import TCMUDaemon
import Testing
import TestSupport

/// The D-Bus API as targetcli calls it, over a private dbus-daemon with the shipped policy: exact replies.
@Suite(.serialized) final class TCMUBusServiceTests {
    let service: TCMUBusService
    let configfs = FakeConfigFS()
    let bus: PrivateBus

    init() throws {
        bus = try PrivateBus()
        let methods = TCMUServiceMethods(registry: .standard, files: configfs.files, logger: Logger(label: "test"))
        service = TCMUBusService(methods: methods, logger: Logger(label: "test"))
        try service.start(address: .address(bus.address))
    }

    /// The service leaves before its bus goes away (else it logs a lost connection).
    deinit { service.stop() }

    @Test func getManagedObjectsListsOneObjectPerHandlerWithItsConfigDesc() throws {
        let json = try bus.busctlJSON([
            "call", "org.kernel.TCMUService1", "/org/kernel/TCMUService1", "org.freedesktop.DBus.ObjectManager",
            "GetManagedObjects",
        ]) as? [String: Any]
        #expect(json?["type"] as? String == "a{oa{sa{sv}}}")
        let objects = (json?["data"] as? [Any])?.first as? [String: [String: [String: [String: Any]]]] ?? [:]
        let expected = HandlerRegistry.standard.handlers.map { "/org/kernel/TCMUService1/\($0.subtype)" }
        #expect(objects.keys.sorted() == expected.sorted())
        #expect(Set(HandlerRegistry.standard.handlers.map(\.subtype)) == ["file", "qcow", "fbo", "zbc", "rbd"])
        for h in HandlerRegistry.standard.handlers {
            let property = objects["/org/kernel/TCMUService1/\(h.subtype)"]?["org.kernel.TCMUService1"]?["ConfigDesc"]
            #expect(property?["type"] as? String == "s")
            #expect(property?["data"] as? String == h.configDescription)
        }
    }

    @Test func configDescIsAReadableProperty() throws {
        let json = try bus.busctlJSON([
            "get-property", "org.kernel.TCMUService1", "/org/kernel/TCMUService1/zbc", "org.kernel.TCMUService1",
            "ConfigDesc",
        ]) as? [String: String]
        #expect(json == ["type": "s", "data": ZBCHandler().configDescription])
    }

    @Test func checkConfigAcceptsAValidStringWithSuccess() throws {
        let r = try bus.call("zbc", "CheckConfig", "s", "zbc/model-HM/zsize-64@\(configfs.root)/z.raw")
        #expect(r.status == 0, "\(r.error)")
        #expect(r.output == "bs true \"success\"\n")
    }

    @Test func checkConfigRefusesWithTheRegistrysReason() throws {
        let bad = "zbc/model-HX@\(configfs.root)/z.raw"
        var reason = ""
        do { try HandlerRegistry.standard.checkConfig(bad) } catch { reason = error.description }
        #expect(reason.hasPrefix("model"))
        let r = try bus.call("zbc", "CheckConfig", "s", bad)
        #expect(r.output == "bs false \(PrivateBus.quoted(reason))\n")
    }

    @Test func checkConfigRefusesAnotherHandlersString() throws {
        let r = try bus.call("fbo", "CheckConfig", "s", "zbc/model-HM@/var/z.raw")
        #expect(r.output == "bs false \(PrivateBus.quoted("subtype: 'zbc/model-HM@/var/z.raw' is a zbc config string, not fbo"))\n")
    }

    @Test func changeMediumIsOnlyOnTheOpticalHandler() throws {
        let r = try bus.call("zbc", "ChangeMedium", "sts", "z0", "0", "zbc/@/var/z.raw")
        #expect(r.status != 0)
        #expect(r.error.contains("Unknown method"), "\(r.error)")
        let intro = try bus.busctl(["introspect", "org.kernel.TCMUService1", "/org/kernel/TCMUService1/fbo", "org.kernel.TCMUService1"])
        #expect(intro.output.contains(".ChangeMedium"))
        #expect(intro.output.contains(".CheckConfig"))
    }

    @Test func changeMediumWritesTheNewConfigAndSize() throws {
        let old = configfs.addOptical("cd0", image: "a.iso", size: 4096)
        let new = configfs.image("second.iso", bytes: 8192)
        let r = try bus.call("fbo", "ChangeMedium", "sts", "cd0", "8192", "fbo/\(new)")
        #expect(r.output == "is 0 \"success\"\n", "\(r.error)")
        #expect(configfs.read("user_1/cd0/attrib/dev_config") == "fbo/\(new)")
        #expect(configfs.read("user_1/cd0/attrib/dev_size") == "8192")
        #expect(old != new)
    }

    @Test func changeMediumRefusalsSayWhy() throws {
        _ = configfs.addOptical("cd0", image: "a.iso", size: 4096)
        configfs.write("user_2/z0/attrib/dev_config", "zbc/model-HM@/var/z.raw")
        let none = try bus.call("fbo", "ChangeMedium", "sts", "nope", "0", "fbo//var/x.iso")
        #expect(none.output == "is -19 \(PrivateBus.quoted("no user backstore named 'nope'"))\n")
        let zoned = try bus.call("fbo", "ChangeMedium", "sts", "z0", "0", "fbo//var/x.iso")
        #expect(zoned.output == "is -22 \(PrivateBus.quoted("z0: its config string 'zbc/model-HM@/var/z.raw' is not a fbo device's; only fbo drives change media"))\n")
        let relative = try bus.call("fbo", "ChangeMedium", "sts", "cd0", "0", "fbo/disc.iso")
        #expect(relative.output.hasPrefix("is -22 \"cfgstring invalid: "), "\(relative.output)")
        #expect(configfs.read("user_1/cd0/attrib/dev_config") == "fbo/\(configfs.root)/a.iso")
    }

    @Test(.enabled(if: geteuid() == 0, "setpriv needs root to become another user"))
    func everyoneMayCheckButOnlyRootChangesAMedium() throws {
        _ = configfs.addOptical("cd0", image: "a.iso", size: 4096)
        let nobody: UInt32 = 65534
        let check = try bus.call("zbc", "CheckConfig", "s", "zbc/model-HX@/var/z.raw", asUser: nobody)
        #expect(check.status == 0, "\(check.error)")
        #expect(check.output.hasPrefix("bs false \"model"))
        let change = try bus.call("fbo", "ChangeMedium", "sts", "cd0", "0", "fbo/\(configfs.root)/a.iso", asUser: nobody)
        #expect(change.output == "is -1 \"permission denied: only root may change a medium\"\n", "\(change.error)")
    }

    @Test func aSecondServiceFindsTheNameTaken() throws {
        let second = TCMUBusService(methods: service.methods, logger: Logger(label: "test"))
        #expect(throws: TCMUBusError(
            "another process owns org.kernel.TCMUService1 (tcmu-runner?): stop it so that targetcli reaches emud"
        )) { try second.start(address: .address(bus.address)) }
    }

    @Test func noBusIsOneClearError() throws {
        let lone = TCMUBusService(methods: service.methods, logger: Logger(label: "test"))
        #expect(throws: TCMUBusError("cannot connect to address(\"unix:path=/nonexistent/bus\"): No such file or directory (errno 2)")) {
            try lone.start(address: .address("unix:path=/nonexistent/bus"))
        }
    }
}

/// A configfs target core tree under a temp root, with real image files beside it.
final class FakeConfigFS {
    let directory = try! TemporaryDirectory("configfs")
    var root: String { directory.path }
    var files: ControlFiles { ControlFiles(root: root) }
    static let core = "sys/kernel/config/target/core"

    init() {
        try! FileManager.default.createDirectory(atPath: root + "/" + Self.core, withIntermediateDirectories: true)
    }

    deinit { directory.remove() }

    func write(_ relative: String, _ text: String) { directory.write("\(Self.core)/\(relative)", text) }
    func read(_ relative: String) -> String? { directory.read("\(Self.core)/\(relative)") }

    /// An ISO-sized file of zeros; returns its path.
    func image(_ name: String, bytes: Int) -> String {
        let path = "\(root)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(count: bytes))
        return path
    }

    /// An fbo storage object in user_1 as the kernel shows it; returns its image path.
    @discardableResult
    func addOptical(_ name: String, image imageName: String, size: Int) -> String {
        let path = image(imageName, bytes: size)
        write("user_1/\(name)/attrib/dev_config", "fbo/\(path)")
        write("user_1/\(name)/attrib/dev_size", "\(size)")
        write("user_1/\(name)/info", "Status: ACTIVATED  Max Queue Depth: 0  SectorSize: 2048  HwMaxSectors: 128\n        Config: fbo/\(path) Size: \(size) MaxDataAreaMB: 1024 DataPagesPerBlk: 1\n")
        return path
    }
}
