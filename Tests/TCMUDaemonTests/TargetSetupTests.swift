import Foundation
import SCSIEmu
import Synchronization
import TCMUDaemon
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `emud create/remove/list` on a fake target tree: exactly what is written, in which order, and that
/// every failure leaves the tree as it was.
@Suite("Target setup (emud create/remove/list)")
struct TargetSetupTests {
    let tree = FakeTargetTree()
    let images: String

    init() throws {
        images = tree.sysRoot + "/images"
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
    }

    /// Random words 1, 2, 3…: WWNs and aliases are predictable (`…0001`, `…0002`).
    func setup(loadModule: @escaping @Sendable (String) -> String? = { _ in nil }) -> TargetSetup<FakeTargetTree> {
        let counter = Atomic<UInt64>(0)
        var s = TargetSetup(
            tree: tree, sys: ControlFiles(root: tree.sysRoot), loadModule: loadModule,
            random: { counter.add(1, ordering: .relaxed).newValue })
        s.nodeTimeoutMilliseconds = 300
        s.indexLockPath = tree.sysRoot + "/rtslib_backstore.lock"
        return s
    }

    /// The SCSI device tcm_loop would add for host 7, target 1, LUN 0.
    func addLoopNodes(block: String = "sr0", generic: String = "sg1") {
        tree.addSys("sys/bus/scsi/devices/7:0:1:0/block/\(block)/")
        tree.addSys("sys/bus/scsi/devices/7:0:1:0/scsi_generic/\(generic)/")
        tree.addSys("dev/\(block)", "")
        tree.addSys("dev/\(generic)", "")
    }

    func iso(_ name: String = "disc.iso", bytes: Int = 4 * 2048) throws -> String {
        let path = "\(images)/\(name)"
        try Data(count: bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func createWritesWhatRtslibWritesInItsOrderThenPrintsTheNodes() throws {
        let image = try iso()
        addLoopNodes()
        let created = try setup().create(.init(name: "dvd0", configString: "fbo/ro/\(image)"))
        #expect(created.nodes == ["/dev/sr0", "/dev/sg1"])
        #expect(created.size == 8192)
        #expect(
            tree.journal == [
                "mkdir core/user_0",
                "mkdir core/user_0/dvd0",
                "write core/user_0/dvd0/control \"dev_config=fbo/ro/\(image)\"",
                "write core/user_0/dvd0/control \"dev_size=8192\"",
                "write core/user_0/dvd0/control \"hw_block_size=2048\"",
                "write core/user_0/dvd0/wwn/vpd_unit_serial \"00000000-0000-4001-b000-000000000002\\n\"",
                "write core/user_0/dvd0/enable \"1\\n\"",
                "mkdir loopback",
                "mkdir loopback/naa.5001405000000004",
                "mkdir loopback/naa.5001405000000004/tpgt_1",
                "write loopback/naa.5001405000000004/tpgt_1/nexus \"naa.5001405000000005\"",
                "mkdir loopback/naa.5001405000000004/tpgt_1/lun/lun_0",
                "link loopback/naa.5001405000000004/tpgt_1/lun/lun_0/0000000006 -> core/user_0/dvd0",
            ])
        let inventory = TargetInventory(tree: tree, sysRoot: tree.sysRoot)
        #expect(
            inventory.lines == [
                "dvd0  user_0  8192  fbo/ro/\(image)  loopback/naa.5001405000000004/tpgt_1/lun_0 /dev/sr0 /dev/sg1"
            ])
    }

    @Test func removeUndoesItInTheReverseOrder() throws {
        let image = try iso()
        addLoopNodes()
        _ = try setup().create(.init(name: "dvd0", configString: "fbo/ro/\(image)"))
        tree.clearJournal()
        let removed = try setup().remove(name: "dvd0")
        #expect(removed == ["loopback/naa.5001405000000004/tpgt_1/lun_0", "core/user_0/dvd0"])
        #expect(
            tree.journal == [
                "unlink loopback/naa.5001405000000004/tpgt_1/lun/lun_0/0000000006",
                "rmdir loopback/naa.5001405000000004/tpgt_1/lun/lun_0",
                "rmdir loopback/naa.5001405000000004/tpgt_1",
                "rmdir loopback/naa.5001405000000004",
                "rmdir core/user_0/dvd0",
                "rmdir core/user_0",
            ])
        #expect(tree.list("core") == [] && tree.list("loopback") == [])
        #expect(throws: TargetSetupError("no device named 'dvd0' (see 'emud list')")) { try setup().remove(name: "dvd0") }
    }

    @Test func iscsiExportMakesATPGWithAPortalAndDemoModeACLs() throws {
        let image = try iso()
        let iqn = "iqn.2003-01.org.example:dvd0"
        let created = try setup().create(.init(name: "dvd0", configString: "fbo/ro/\(image)", serial: "abc", iscsiIQN: iqn))
        #expect(created.nodes == [])
        #expect(
            Array(tree.journal.dropFirst(5)) == [
                "write core/user_0/dvd0/wwn/vpd_unit_serial \"abc\\n\"",
                "write core/user_0/dvd0/enable \"1\\n\"",
                "mkdir iscsi",
                "mkdir iscsi/\(iqn)",
                "mkdir iscsi/\(iqn)/tpgt_1",
                "mkdir iscsi/\(iqn)/tpgt_1/lun/lun_0",
                "link iscsi/\(iqn)/tpgt_1/lun/lun_0/0000000001 -> core/user_0/dvd0",
                "mkdir iscsi/\(iqn)/tpgt_1/np/0.0.0.0:3260",
                "write iscsi/\(iqn)/tpgt_1/attrib/authentication \"0\"",
                "write iscsi/\(iqn)/tpgt_1/attrib/demo_mode_write_protect \"0\"",
                "write iscsi/\(iqn)/tpgt_1/attrib/generate_node_acls \"1\"",
                "write iscsi/\(iqn)/tpgt_1/attrib/cache_dynamic_acls \"1\"",
                "write iscsi/\(iqn)/tpgt_1/enable \"1\"",
            ])
        tree.clearJournal()
        _ = try setup().remove(name: "dvd0")
        #expect(
            tree.journal == [
                "unlink iscsi/\(iqn)/tpgt_1/lun/lun_0/0000000001",
                "rmdir iscsi/\(iqn)/tpgt_1/lun/lun_0",
                "write iscsi/\(iqn)/tpgt_1/enable \"0\"",
                "rmdir iscsi/\(iqn)/tpgt_1/np/0.0.0.0:3260",
                "rmdir iscsi/\(iqn)/tpgt_1",
                "rmdir iscsi/\(iqn)",
                "rmdir core/user_0/dvd0",
                "rmdir core/user_0",
            ])
    }

    @Test func hbaIndexIsTheLowestNoObjectUses() throws {
        tree.kernelFile("core/fileio_0/f0/enable", "1\n")
        tree.kernelFile("core/user_1/other/enable", "1\n")
        addLoopNodes()
        let created = try setup().create(.init(name: "dvd0", configString: "fbo/ro/\(try iso())"))
        #expect(created.object.path == "core/user_2/dvd0")
    }

    @Test func refusalsNameTheProblemAndTouchNothing() throws {
        let image = try iso()
        tree.kernelFile("core/user_4/taken/enable", "1\n")
        func refusal(_ r: TargetSetup<FakeTargetTree>.Request) -> String {
            do {
                _ = try setup().create(r)
                return "created"
            } catch { return error.description }
        }
        #expect(
            refusal(.init(name: "taken", configString: "fbo/ro/\(image)"))
                == "a device named 'taken' exists (core/user_4/taken); remove it first with 'emud remove taken'")
        #expect(
            refusal(.init(name: "d", configString: "fbo/ro/\(images)/odd.iso", size: 8192))
                == "fbo/ro/\(images)/odd.iso: path: fbo: cannot open image: open \(images)/odd.iso: No such file or directory")
        #expect(
            refusal(.init(name: "d", configString: "file/\(images)/new.img"))
                == "--size: the image does not exist yet; give the device size (e.g. --size 1G)")
        #expect(
            refusal(.init(name: "d", configString: "qcow/rw,thin@\(images)/x.qcow2", size: 1 << 20))
                == "config string: ',' cannot pass through configfs (the kernel splits control at ',' and newlines; rtslib refuses ':'); separate options with '/'")
        #expect(refusal(.init(name: "a/b", configString: "fbo/ro/\(image)")) == "NAME 'a/b': expected a configfs name (no '/', white space or leading '.')")
        #expect(tree.journal == [])
        #expect(!FileManager.default.fileExists(atPath: "\(images)/new.img"))
    }

    /// No --size and an rbd cluster that does not answer: the image's size cannot be read, and the
    /// refusal is check-config's reason (the cluster), not the hint for a file that does not exist yet.
    @Test func noSizeFromALostClusterSaysWhy() throws {
        let conf = "\(images)/lost-ceph.conf"
        // Port 9 (discard): nothing listens on the loopback, every connection is refused.
        try "[global]\nmon host = v2:127.0.0.1:9\nauth client required = none\nlog file = /dev/null\n"
            .write(toFile: conf, atomically: true, encoding: .utf8)
        let config = "rbd/emud/disk;osd_op_timeout=2;conf=\(conf)"
        do {
            _ = try setup().create(.init(name: "rbd0", configString: config))
            Issue.record("created a device on a cluster that does not answer")
        } catch {
            #expect(error.description.hasPrefix("\(config): cluster: emud/disk: "), "\(error)")
            #expect(error.description.contains("rados_connect"), "\(error)")
        }
        #expect(tree.journal == [])
    }

    @Test func missingModuleIsNamed() throws {
        try FileManager.default.removeItem(atPath: tree.sysRoot + "/sys/module/tcm_loop")
        let asked = Mutex<[String]>([])
        let s = setup { module in
            asked.withLock { $0.append(module) }
            return "modprobe \(module) failed (exit 1): modprobe: FATAL: Module \(module) not found"
        }
        #expect(throws: TargetSetupError("the kernel lacks module tcm_loop: modprobe tcm_loop failed (exit 1): modprobe: FATAL: Module tcm_loop not found")) {
            try s.create(.init(name: "dvd0", configString: "fbo/ro/\(try iso())"))
        }
        #expect(asked.withLock { $0 } == ["tcm_loop"])
        #expect(tree.journal == [])
    }

    @Test func refusedEnableRemovesTheObject() throws {
        tree.failEnable(with: .invalidArgument)
        #expect(throws: TargetSetupError.self) { try setup().create(.init(name: "dvd0", configString: "fbo/ro/\(try iso())")) }
        #expect(Array(tree.journal.suffix(2)) == ["rmdir core/user_0/dvd0", "rmdir core/user_0"])
        #expect(tree.list("core") == [])
    }

    @Test func noNodesInTimeIsReportedAndTheLUNStays() throws {
        let image = try iso()
        #expect(throws: TargetSetupError("dvd0 is exported as loopback/naa.5001405000000004/tpgt_1/lun_0, but no SCSI device appeared within 0.3 s ('emud remove dvd0' undoes it)")) {
            try setup().create(.init(name: "dvd0", configString: "fbo/ro/\(image)"))
        }
        #expect(TargetInventory(tree: tree, sysRoot: tree.sysRoot).devices.map(\.luns.count) == [1])
    }
}

/// The `emud create` command itself refuses before touching configfs when no daemon serves.
@Suite(.enabled(if: emudBinary != nil, "emud binary not built next to the tests"))
struct CreateCommandTests {
    @Test func createRefusesWhenEmudIsNotServing() throws {
        let tree = FakeTargetTree()
        let socket = tree.sysRoot + "/control.sock"
        let r = try runEmud([
            "create", "dvd0", "fbo/ro//nonexistent.iso", "--socket", socket, "--configfs", tree.directory.root,
        ])
        #expect(r.status == 2)
        #expect(r.out.isEmpty)
        #expect(
            r.err
                == "emud create: emud is not serving: no emud daemon answers on \(socket): start it with 'emud serve', or pass --socket with the path given to 'emud serve --control-socket'\n")
        #expect(tree.list("core") == [])
    }

    @Test func checkConfigTakesTheDeviceSize() throws {
        let r = try runEmud(["check-config", "zbc/zsize-64@/tmp/emud-never-made.raw", "--size", "1M"])
        #expect(r.status == 1)
        #expect(
            r.err
                == "zbc/zsize-64@/tmp/emud-never-made.raw: conv: 1 conventional zones leave no sequential zone (the device has 1 zones)\n")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/emud-never-made.raw"))
    }
}
