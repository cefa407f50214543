import Foundation
import TCMUDaemon
import TestSupport
import Testing

/// `emud ctl` as a script runs it: the built binary against an in-test control server; exit 0 on ok,
/// 1 on error, 2 when no daemon answers, and the device command's own flags passed through in order.
@Suite(.enabled(if: emudBinary != nil, "emud binary not built next to the tests"))
struct ControlCommandLineTests {
    let dir = SocketDirectory()

    func emud(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runEmud(arguments)
    }

    @Test func exitCodesAndOutput() throws {
        let responder = EchoResponder()
        let background = BackgroundServer(try ControlServer(path: dir.socket, responder: responder, logger: quietLogger))
        let ok = try emud(["ctl", "--socket", dir.socket, "dvd0", "insert", "/srv/a b.iso", "--force"])
        let refused = try emud(["ctl", "--socket", dir.socket, "fail", "now"])
        let flagsAnywhere = try emud(["ctl", "dvd0", "eject", "--socket", dir.socket, "--force"])
        background.stop()
        background.server.close()
        let noDaemon = try emud(["ctl", "--socket", dir.socket, "list"])
        let noRequest = try emud(["ctl", "--socket", dir.socket])

        #expect(ok.status == 0 && ok.out == "dvd0|insert|/srv/a b.iso|--force\n" && ok.err.isEmpty)
        #expect(refused.status == 1 && refused.out.isEmpty && refused.err == "emud ctl: failed as asked\n")
        #expect(flagsAnywhere.status == 0 && flagsAnywhere.out == "dvd0|eject|--force\n")
        #expect(noDaemon.status == 2 && noDaemon.out.isEmpty)
        #expect(noDaemon.err.hasPrefix("emud ctl: no emud daemon answers on \(dir.socket): start it with 'emud serve'"))
        #expect(noRequest.status == 64 && noRequest.err.contains("missing request: try 'emud ctl list'"))
        #expect(responder.requests == [["dvd0", "insert", "/srv/a b.iso", "--force"], ["fail", "now"], ["dvd0", "eject", "--force"]])
    }

    @Test func serveRefusesARelativeControlSocket() throws {
        let r = try emud(["serve", "--control-socket", "control.sock"])
        #expect(r.status == 64)
        #expect(r.err.contains("--control-socket control.sock: expected an absolute path or 'none'"))
    }
}
