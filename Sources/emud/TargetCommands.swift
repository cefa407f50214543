import ArgumentParser
import Foundation
import SCSIEmu
import SystemService
import TCMUDaemon

/// `emud create NAME CFGSTRING [--size S] [--wwn W] [--iscsi IQN]`: a TCMU device from one command.
struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a device: the configfs object, enabled, exported as a tcm_loop LUN (or over iSCSI).",
        discussion: """
            Prints the Linux nodes of the new LUN (for example /dev/sr0 /dev/sg1). The objects are made \
            the way targetcli makes them: targetcli ls shows them, saveconfig/restoreconfig keep them. \
            The config string is checked first as opening would check it (see check-config).
            Examples:
              emud create dvd0 fbo/ro//srv/images/debian.iso
              emud create disk0 file//var/lib/emud/disk0.img --size 8G
              emud create smr0 zbc/model-HM/zsize-64@/var/lib/emud/smr0.raw --size 4G
              emud create disk1 qcow//var/lib/images/vm.qcow2 --iscsi iqn.2003-01.org.example:disk1
            Exit status: 0 created, 1 refused or failed (reason on stderr), 2 emud is not serving, or tcmu-runner is.
            """)

    @Argument(help: "The device name (configfs core/user_N/NAME).")
    var name: String

    @Argument(help: "<subtype>/<handler config>: file/…, qcow/…, fbo/…, zbc/… (see 'emud handlers').")
    var configString: String

    @Option(name: .long, help: "The device size: bytes, or with a unit K, M, G, T. Default: the existing image's size.")
    var size: String?

    @Option(name: .long, help: "The unit serial (wwn/vpd_unit_serial). Default: a random UUID, as targetcli.")
    var wwn: String?

    @Option(name: .long, help: "Export over iSCSI as target IQN (TPG 1, portal 0.0.0.0:3260) instead of tcm_loop.")
    var iscsi: String?

    @OptionGroup var target: TargetOptions

    func validate() throws {
        if let size, SizeArgument(size) == nil {
            throw ValidationError("--size \(size): expected a byte count such as 1073741824 or 1G")
        }
        if let iscsi, !(iscsi.hasPrefix("iqn.") || iscsi.hasPrefix("eui.") || iscsi.hasPrefix("naa.")) {
            throw ValidationError("--iscsi \(iscsi): expected an iSCSI name (iqn.YYYY-MM.reverse.domain:name)")
        }
    }

    func run() throws {
        try target.requireDaemon()
        let request = TargetSetup<TargetDirectory>.Request(
            name: name, configString: configString, size: size.flatMap(SizeArgument.init)?.bytes, serial: wwn,
            iscsiIQN: iscsi)
        do {
            let created = try target.setup().create(request)
            print(created.nodes.isEmpty ? "\(created.lun.description) portal \(FabricLUN.iscsiPortal)" : created.nodes.joined(separator: " "))
        } catch {
            printError("emud create: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `emud remove NAME`: its LUNs (every fabric), then the device.
struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove a device: its LUNs (tcm_loop, iSCSI…), emptied TPGs and targets, then the object.")

    @Argument(help: "The device name, as 'emud list' shows it.")
    var name: String

    @OptionGroup var target: TargetOptions

    func run() throws {
        do {
            for path in try target.setup().remove(name: name) { print("removed \(path)") }
        } catch {
            printError("emud remove: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `emud list`: every TCMU device, its config string, LUNs and Linux nodes.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the TCMU devices: name, HBA, size, config string, LUNs and their /dev nodes.")

    @OptionGroup var target: TargetOptions

    func run() {
        let inventory = TargetInventory(tree: TargetDirectory(root: target.configfs))
        if inventory.devices.isEmpty { print("(no TCMU devices)") }
        for line in inventory.lines { print(line) }
    }
}

/// Where the target tree and the daemon are.
struct TargetOptions: ParsableArguments {
    @Option(name: .long, help: "The LIO target tree in configfs.")
    var configfs: String = TargetDirectory.configfsPath

    @Option(name: .long, help: "The daemon's control socket (emud serve --control-socket).")
    var socket: String = ControlServer.defaultPath

    @Option(name: .long, help: "Seconds to wait for the Linux nodes of a new LUN.")
    var timeout: Int = 30

    func setup() -> TargetSetup<TargetDirectory> {
        var s = TargetSetup(tree: TargetDirectory(root: configfs), loadModule: Self.modprobe)
        s.nodeTimeoutMilliseconds = max(1, timeout) * 1000
        return s
    }

    /// A device enabled with nobody serving it hangs its I/O, and one enabled while tcmu-runner runs is
    /// tcmu-runner's: refuse (exit 2) unless emud answers on its control socket and no other TCMU daemon
    /// runs.
    func requireDaemon() throws {
        if let other = OtherTCMUDaemon.running().first {
            printError("""
                emud create: \(other) serves the TCMU devices, not emud: stop it (systemctl stop \(other.name)), \
                then start emud (systemctl start emud, or emud serve)
                """)
            throw ExitCode(2)
        }
        do { _ = try ControlClient.request(["list"], socketPath: socket, timeoutMilliseconds: 5000) } catch {
            printError("emud create: emud is not serving: \(error)")
            throw ExitCode(2)
        }
    }

    /// `modprobe NAME`: nil on success, else its exit status and message.
    static func modprobe(_ module: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["modprobe", module]
        let pipe = Pipe()
        p.standardError = pipe
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { return "cannot run modprobe: \(error)" }
        let message = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus != 0 else { return nil }
        let text = message.split(separator: "\n").first.map(String.init) ?? ""
        return "modprobe \(module) failed (exit \(p.terminationStatus))\(text.isEmpty ? "" : ": \(text)")"
    }
}
