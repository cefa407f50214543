import Foundation
import Logging
import RingIO
import SCSIEmu
import TestSupport

/// The one-node cluster `make ceph-test` starts (scripts/ceph-cluster.sh) and names in EMUD_CEPH_CONF.
/// Without it the cluster tests are not run (they are reported skipped; `make ceph-test` runs them).
enum CephTestCluster {
    static let confPath = ProcessInfo.processInfo.environment["EMUD_CEPH_CONF"]
    static var available: Bool { confPath.map { FileManager.default.fileExists(atPath: $0) } ?? false }
    static let pool = "emud"
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/ceph-cluster.sh").standardized.path

    /// The cluster's directory (the script's DIR).
    static var directory: String { (confPath! as NSString).deletingLastPathComponent }

    /// `rbd/emud/NAME;conf=…;osd_op_timeout=N`.
    static func configString(image: String, osdOpTimeout: Int = 30) -> String {
        "rbd/\(pool)/\(image);osd_op_timeout=\(osdOpTimeout);conf=\(confPath!)"
    }

    /// A fresh image (removed first if it exists).
    static func createImage(_ name: String, bytes: UInt64) throws {
        _ = try? run("/usr/bin/rbd", ["-c", confPath!, "rm", "\(pool)/\(name)"])
        try run("/usr/bin/rbd", ["-c", confPath!, "create", "\(pool)/\(name)", "--size", "\(bytes)B"])
    }

    static func removeImage(_ name: String) {
        _ = try? run("/usr/bin/rbd", ["-c", confPath!, "rm", "--no-progress", "\(pool)/\(name)"])
    }

    /// scripts/ceph-cluster.sh COMMAND DIR (osd-stop, osd-start, osd-pause, osd-resume).
    static func control(_ command: String) throws {
        try run("/bin/bash", [script, command, directory])
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let r = try runTool(tool, arguments, combined: true)
        guard r.status == 0 else { throw ToolFailure(command: "\(tool) \(arguments.joined(separator: " "))", output: r.out) }
        return r.out
    }

    struct ToolFailure: Error, CustomStringConvertible {
        let command: String
        let output: String
        var description: String { "\(command) failed: \(output)" }
    }

    /// The open parameters of a device over `config`; its log goes to `logger` (default: the test's output,
    /// notices and worse).
    static func parameters(_ config: String, size: UInt64, blockSize: UInt32 = 512, logger: Logger? = nil) -> DeviceOpenParameters {
        var log = logger ?? Logger(label: "rbd-test")
        if logger == nil { log.logLevel = .notice }
        return DeviceOpenParameters(
            config: String(config.dropFirst("rbd/".count)), fullConfigString: config, deviceName: "rbd-test", hba: "0",
            sizeInBytes: size, blockSize: blockSize, maxSectors: 16384, unitSerial: "rbd-test", commandTimeout: nil,
            logger: log)
    }
}
