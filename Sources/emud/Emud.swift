import ArgumentParser

/// `emud`: the TCMU userspace daemon. Without a subcommand it serves (`emud serve`).
@main
struct Emud: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "emud",
        abstract: "SCSI device emulation for Linux TCMU (target_core_user): disks, optical drives, zoned disks.",
        version: "emud \(version)",
        subcommands: [Serve.self, CheckConfig.self, Handlers.self, Replay.self, Ctl.self, Create.self, Remove.self, List.self],
        defaultSubcommand: Serve.self
    )
}
