import ArgumentParser
import TCMUDaemon

/// `emud ctl [--socket PATH] DEVICE COMMAND [ARG…]` and `emud ctl list`: one request to the running
/// daemon's control socket. Prints the reply text; exit 0 on ok, 1 on error, 2 when no daemon answers.
struct Ctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Control a live device: change discs, fail zones, show status.",
        discussion: """
            Examples:
              emud ctl list
              emud ctl dvd0 status
              emud ctl dvd0 insert /srv/images/disc2.iso profile-dvdrom ro
              emud ctl dvd0 eject --force
              emud ctl zbc0 zone 12 offline
              emud ctl dvd0 help
              emud ctl disk0 fault add sense 3/11/00 on=read lba=2048+8   (docs/faults.md)
              emud ctl disk0 fault list
            Exit status: 0 ok, 1 the daemon or device refused (reason on stderr), 2 no daemon answered.
            """)

    @Option(name: .long, help: "The daemon's control socket (emud serve --control-socket).")
    var socket: String = ControlServer.defaultPath

    @Option(name: .long, help: "Seconds to wait for the reply.")
    var timeout: Int = 10

    @Argument(
        parsing: .allUnrecognized,
        help: "list | help | DEVICE COMMAND [ARG…] (DEVICE: the configfs name, or HBA/NAME).")
    var request: [String] = []

    func validate() throws {
        guard !request.isEmpty else {
            throw ValidationError("missing request: try 'emud ctl list' or 'emud ctl DEVICE help'")
        }
        guard timeout > 0 else { throw ValidationError("--timeout \(timeout): expected 1 second or more") }
    }

    func run() throws {
        let reply: ControlReply
        do {
            reply = try ControlClient.request(request, socketPath: socket, timeoutMilliseconds: Int64(timeout) * 1000)
        } catch {
            printError("emud ctl: \(error)")
            throw ExitCode(2)
        }
        switch reply {
        case .ok(let text):
            if !text.isEmpty { print(text) }
        case .error(let reason):
            printError("emud ctl: \(reason)")
            throw ExitCode(1)
        }
    }
}
