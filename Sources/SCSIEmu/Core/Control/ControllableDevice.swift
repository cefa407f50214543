/// A device that answers runtime control requests (`emud ctl DEVICE COMMAND …`): the operator's hands on
/// a live device, as changing a disc or failing a zone, outside any SCSI command.
///
/// Requests come from the daemon's control thread, never from the ring thread, and may run while the
/// ring executes commands: a conforming device does its changes under the same locks its commands use.
/// Every kind answers `help` (the command list) and `status`.
public protocol ControllableDevice: Sendable {
    /// The commands this device kind supports, in the order `help` lists them (`help` itself is added).
    var controlCommands: [ControlCommand<Self>] { get }
}

extension ControllableDevice {
    /// Carries out a request: `help`, or the row of `controlCommands` named by the command word.
    /// - Returns: the reply text (one or more lines, no trailing newline).
    /// - Throws: `ControlError`: unknown command (naming the known ones), usage, refusal or failure.
    public func control(_ request: ControlRequest) throws(ControlError) -> String {
        let commands = controlCommands
        let word = request.command.lowercased()
        if word == "help" {
            guard request.arguments.isEmpty else {
                throw ControlError(.usage, "unexpected '\(request.arguments[0])' (usage: help)")
            }
            return controlHelp
        }
        guard let row = commands.first(where: { $0.name == word }) else {
            let known = (commands.map(\.name) + ["help"]).joined(separator: ", ")
            throw ControlError(.unknownCommand, "unknown command '\(request.command)' (known: \(known))")
        }
        var arguments = ControlArguments(request.arguments, usage: row.usage)
        return try row.handler(self, &arguments)
    }

    /// One line per command: its usage, then what it does.
    public var controlHelp: String {
        let rows = controlCommands.map { ($0.usage, $0.summary) } + [("help", "list these commands")]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { usage, summary in
            usage + String(repeating: " ", count: width - usage.count + 2) + summary
        }.joined(separator: "\n")
    }
}

/// One control command of a device kind: its word, usage line, one-line summary and handler (the runtime
/// counterpart of a `CommandSpec` row).
public struct ControlCommand<Device>: Sendable {
    public typealias Handler = @Sendable (Device, inout ControlArguments) throws(ControlError) -> String

    /// The command word, lower case.
    public let name: String
    /// `insert PATH [profile-cdrom|profile-dvdrom|profile-dvdram] [ro|rw] [--force]`.
    public let usage: String
    public let summary: String
    public let handler: Handler

    public init(_ name: String, usage: String? = nil, _ summary: String, handler: @escaping Handler) {
        precondition(!name.isEmpty && name == name.lowercased() && !name.contains(" "), "bad command '\(name)'")
        self.name = name
        self.usage = usage ?? name
        self.summary = summary
        self.handler = handler
    }
}

/// A device whose configuration can change while it is live (netlink RECONFIG_DEVICE with DEV_CFG: the
/// administrator wrote a new `dev_config`). Kinds that cannot do so simply do not conform, and the
/// daemon answers -EOPNOTSUPP as tcmu-runner does.
public protocol ReconfigurableDevice: Sendable {
    /// Applies a new handler config string (the part after `subtype/`).
    /// - Returns: what changed, for the log.
    /// - Throws: `ControlError` whose `code` is the errno the kernel gets (the change is then not committed).
    func applyConfig(_ config: String) throws(ControlError) -> String
}
