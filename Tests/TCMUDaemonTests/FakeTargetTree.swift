import Foundation
import SystemCalls
import Synchronization
import TestSupport

#if canImport(Glibc)
import Glibc
import TCMUDaemon
#endif

/// A directory behaving like the LIO target tree for `TargetSetup`: `mkdir` of a storage object, a TPG
/// or an iSCSI TPG adds the attribute files the kernel adds; `enable` fills `info` from what `control`
/// got; `rmdir` removes kernel-made content but fails (ENOTEMPTY) over directories or links made by
/// the caller; links are relative, as configfs makes them. Every operation is journaled, in order.
final class FakeTargetTree: TargetTree, @unchecked Sendable {
    let sys: TemporaryDirectory
    var sysRoot: String { sys.path }
    let directory: TargetDirectory
    private let state = Mutex<State>(State())

    struct State {
        var journal: [String] = []
        var made: Set<String> = []
        var control: [String: [String]] = [:]
        var failEnable: Errno?
    }

    init() {
        let sys = try! TemporaryDirectory("target")
        self.sys = sys
        directory = TargetDirectory(root: sys.path + "/sys/kernel/config/target")
        try! FileManager.default.createDirectory(atPath: directory.root + "/core", withIntermediateDirectories: true)
        for module in ["target_core_user", "tcm_loop", "iscsi_target_mod"] { addSys("sys/module/\(module)") }
    }

    deinit { sys.remove() }

    var journal: [String] { state.withLock { $0.journal } }
    func clearJournal() { state.withLock { $0.journal = [] } }
    func failEnable(with errno: Errno) { state.withLock { $0.failEnable = errno } }

    /// A file or directory (trailing '/') under the fake sysfs root.
    func addSys(_ relative: String, _ text: String? = nil) {
        if let text {
            sys.write(relative, text)
        } else {
            try! FileManager.default.createDirectory(atPath: sys.file(relative), withIntermediateDirectories: true)
        }
    }

    func kernelFile(_ relative: String, _ text: String = "") {
        try! FileManager.default.createDirectory(
            atPath: (directory.absolute(relative) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: directory.absolute(relative), atomically: false, encoding: .utf8)
    }

    private func record(_ entry: String) { state.withLock { $0.journal.append(entry) } }

    // MARK: - TargetTree

    func absolute(_ relative: String) -> String { directory.absolute(relative) }
    func exists(_ relative: String) -> Bool { directory.exists(relative) }
    func isLink(_ relative: String) -> Bool { directory.isLink(relative) }
    func list(_ relative: String) -> [String] { directory.list(relative) }
    func read(_ relative: String) throws(TargetTreeError) -> String { try directory.read(relative) }
    func linkTarget(_ relative: String) -> String? { directory.linkTarget(relative) }

    func write(_ value: String, to relative: String) throws(TargetTreeError) {
        record("write \(relative) \(value.debugDescription)")
        if relative.hasSuffix("/enable"), relative.hasPrefix("core/"), let e = state.withLock({ $0.failEnable }) {
            throw TargetTreeError("write '1' to", absolute(relative), errno: e)
        }
        try directory.write(value, to: relative)
        let object = (relative as NSString).deletingLastPathComponent
        if relative.hasSuffix("/control") {
            state.withLock { $0.control[object, default: []].append(value) }
        } else if relative.hasPrefix("core/"), relative.hasSuffix("/enable") {
            let words = state.withLock { $0.control[object] ?? [] }
            let config = words.first { $0.hasPrefix("dev_config=") }.map { String($0.dropFirst(11)) } ?? ""
            let size = words.first { $0.hasPrefix("dev_size=") }.map { String($0.dropFirst(9)) } ?? "0"
            kernelFile("\(object)/info", "Status: ACTIVATED  Max Queue Depth: 0  SectorSize: 512  HwMaxSectors: 128\n"
                + "        Config: \(config) Size: \(size) MaxDataAreaMB: 1024 DataPagesPerBlk: 1 CmdRingSizeMB: 8\n")
        }
    }

    func makeDirectory(_ relative: String) throws(TargetTreeError) {
        record("mkdir \(relative)")
        try directory.makeDirectory(relative)
        state.withLock { _ = $0.made.insert(relative) }
        let parts = relative.split(separator: "/").map(String.init)
        if parts.count == 2, parts[0] == "core" {
            kernelFile("\(relative)/hba_info", "HBA Index: 0 plugin: user version: v5.0\n")
            kernelFile("\(relative)/hba_mode", "0\n")
        } else if parts.count == 3, parts[0] == "core" {
            for f in ["control", "enable", "info", "wwn/vpd_unit_serial", "attrib/hw_block_size"] { kernelFile("\(relative)/\(f)") }
        } else if parts.count == 3, parts[2].hasPrefix("tpgt_") {
            kernelFile("\(relative)/lun/.keep")
            try? FileManager.default.removeItem(atPath: absolute("\(relative)/lun/.keep"))
            if parts[0] == "loopback" {
                kernelFile("\(relative)/nexus")
                kernelFile("\(relative)/address", "7:0:1\n")
            } else {
                for d in ["np", "acls"] { kernelFile("\(relative)/\(d)/.keep") }
                for d in ["np", "acls"] { try? FileManager.default.removeItem(atPath: absolute("\(relative)/\(d)/.keep")) }
                for a in ["authentication", "demo_mode_write_protect", "generate_node_acls", "cache_dynamic_acls"] {
                    kernelFile("\(relative)/attrib/\(a)")
                }
                kernelFile("\(relative)/enable", "0\n")
            }
        } else if parts.count == 2, parts[0] != "core" {
            kernelFile("\(relative)/fabric_statistics/.keep")
        }
    }

    func removeDirectory(_ relative: String) throws(TargetTreeError) {
        record("rmdir \(relative)")
        let busy = state.withLock { s in s.made.contains { $0.hasPrefix(relative + "/") } }
        guard !busy else { throw TargetTreeError("rmdir", absolute(relative), errno: Errno(rawValue: ENOTEMPTY)) }
        guard exists(relative) else { throw TargetTreeError("rmdir", absolute(relative), errno: .noSuchFileOrDirectory) }
        try? FileManager.default.removeItem(atPath: absolute(relative))
        state.withLock { _ = $0.made.remove(relative) }
    }

    func link(_ link: String, to target: String) throws(TargetTreeError) {
        record("link \(link) -> \(target)")
        let depth = link.split(separator: "/").count - 1
        let relativeTarget = String(repeating: "../", count: depth) + target
        guard symlink(relativeTarget, absolute(link)) == 0 else { throw TargetTreeError("symlink", absolute(link), errno: .current) }
        state.withLock { _ = $0.made.insert(link) }
    }

    func unlink(_ relative: String) throws(TargetTreeError) {
        record("unlink \(relative)")
        try directory.unlink(relative)
        state.withLock { _ = $0.made.remove(relative) }
    }
}
