import Foundation
import TestSupport

/// A dbus-daemon of our own for one test, configured like Debian's system bus (everything denied by
/// default) plus the repository's packaging/dbus policy, so the tests also prove the shipped policy.
final class PrivateBus {
    let directory: String
    let address: String
    private let daemon: Process

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    init() throws {
        directory = NSTemporaryDirectory() + "emud-bus-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>unix:path=\(directory)/bus</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow user="*"/>
                <deny own="*"/>
                <deny send_type="method_call"/>
                <allow send_type="signal"/>
                <allow send_requested_reply="true" send_type="method_return"/>
                <allow send_requested_reply="true" send_type="error"/>
                <allow receive_type="method_call"/>
                <allow receive_type="method_return"/>
                <allow receive_type="error"/>
                <allow receive_type="signal"/>
                <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
                <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
              </policy>
              <include>\(Self.repository)/packaging/dbus/org.kernel.TCMUService1.conf</include>
            </busconfig>
            """
        try config.write(toFile: directory + "/bus.conf", atomically: true, encoding: .utf8)
        // Reachable by the unprivileged user of the permission test.
        chmod(directory, 0o755)
        daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        daemon.arguments = ["--config-file=\(directory)/bus.conf", "--nofork", "--print-address"]
        let out = Pipe()
        daemon.standardOutput = out
        FileManager.default.createFile(atPath: directory + "/bus.log", contents: nil)
        daemon.standardError = FileHandle(forWritingAtPath: directory + "/bus.log")
        try daemon.run()
        // The first line is the address, printed once the socket listens.
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) {
            line.append(byte)
        }
        address = String(decoding: line, as: UTF8.self)
    }

    deinit {
        // SIGKILL: the daemon inherits the test thread's blocked signals, SIGTERM would wait forever.
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `busctl --address=… ARGS` (as `user` when given, through setpriv); exit status, stdout, stderr.
    func busctl(_ arguments: [String], asUser user: UInt32? = nil) throws -> (status: Int32, output: String, error: String) {
        var args = ["/usr/bin/busctl", "--address=\(address)"] + arguments
        if let user { args = ["/usr/bin/setpriv", "--reuid=\(user)", "--regid=\(user)", "--clear-groups"] + args }
        let r = try runTool(args[0], Array(args.dropFirst()))
        return (r.status, r.out, r.err)
    }

    /// `busctl --json=short ARGS` (exit 0 expected), parsed.
    func busctlJSON(_ arguments: [String]) throws -> Any? {
        let r = try busctl(["--json=short"] + arguments)
        guard r.status == 0 else { throw BusctlFailure(message: r.error) }
        return try JSONSerialization.jsonObject(with: Data(r.output.utf8))
    }

    struct BusctlFailure: Error { var message: String }

    /// A string as `busctl call` prints it: in double quotes, with `"`, `'` and `\` escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s {
            if c == "\"" || c == "'" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }

    /// `busctl call` on a handler object's org.kernel.TCMUService1 interface.
    func call(_ subtype: String, _ method: String, _ signature: String, _ arguments: String..., asUser user: UInt32? = nil)
        throws -> (status: Int32, output: String, error: String)
    {
        try busctl(
            ["call", "org.kernel.TCMUService1", "/org/kernel/TCMUService1/\(subtype)", "org.kernel.TCMUService1",
             method, signature] + arguments, asUser: user)
    }
}
