import Foundation

/// Another TCMU daemon running on this machine (tcmu-runner): while it runs, the kernel hands new
/// TCMU devices to it, not to emud, so `emud create` refuses and names it.
/// Found by process name in /proc/<pid>/comm (what `ps -o comm` prints; the kernel keeps the first
/// 15 bytes of the executable's name, and "tcmu-runner" fits).
public struct OtherTCMUDaemon: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let pid: Int32

    public init(name: String, pid: Int32) {
        self.name = name
        self.pid = pid
    }

    /// The daemons that serve the same netlink family and D-Bus name as emud.
    public static let knownNames: Set<String> = ["tcmu-runner"]

    public var description: String { "\(name) (pid \(pid))" }

    /// Every running process whose name is one of `knownNames`, by pid; `procRoot` is for tests.
    public static func running(procRoot: String = "/proc") -> [OtherTCMUDaemon] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: procRoot)) ?? []
        return entries.compactMap { entry -> OtherTCMUDaemon? in
            guard let pid = Int32(entry), pid > 0,
                  let comm = try? String(contentsOfFile: "\(procRoot)/\(entry)/comm", encoding: .utf8)
            else { return nil }
            let name = comm.trimmingCharacters(in: .newlines)
            return knownNames.contains(name) ? OtherTCMUDaemon(name: name, pid: pid) : nil
        }.sorted { $0.pid < $1.pid }
    }
}
