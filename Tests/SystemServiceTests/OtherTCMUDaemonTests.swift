import Foundation
import SystemService
import Testing

/// The /proc scan `emud create` runs before it enables a device.
@Suite struct OtherTCMUDaemonTests {
    /// A fake /proc: pid directories with a comm file, plus entries that are not processes.
    private func fakeProc(_ processes: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "emud-proc-" + UUID().uuidString
        for (pid, comm) in processes {
            try FileManager.default.createDirectory(atPath: "\(root)/\(pid)", withIntermediateDirectories: true)
            try "\(comm)\n".write(toFile: "\(root)/\(pid)/comm", atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: "\(root)/sys", withIntermediateDirectories: true)
        try "0\n".write(toFile: "\(root)/uptime", atomically: true, encoding: .utf8)
        return root
    }

    @Test func findsTcmuRunnerByItsProcessName() throws {
        let root = try fakeProc(["1": "init", "812": "tcmu-runner", "90": "emud", "77": "tcmu-runner-x"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let found = OtherTCMUDaemon.running(procRoot: root)
        #expect(found == [OtherTCMUDaemon(name: "tcmu-runner", pid: 812)])
        #expect(found.first?.description == "tcmu-runner (pid 812)")
    }

    @Test func nothingWhenOnlyEmudRuns() throws {
        let root = try fakeProc(["1": "init", "90": "emud"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(OtherTCMUDaemon.running(procRoot: root).isEmpty)
    }

    @Test func aMissingProcRootFindsNothing() {
        #expect(OtherTCMUDaemon.running(procRoot: "/nonexistent-proc-\(UUID().uuidString)").isEmpty)
    }
}
