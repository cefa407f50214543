import Foundation
import Logging
import Synchronization
import SystemCalls
import TCMUDaemon
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Answers `fail …` with an error and anything else with its words joined by '|' (so tests see the split).
final class EchoResponder: ControlResponder {
    var requests: [[String]] = []
    func respond(to words: [String]) -> ControlReply {
        requests.append(words)
        return words[0] == "fail" ? .error("failed as asked") : .ok(words.joined(separator: "|"))
    }
}

/// A temporary directory for sockets (short enough for sun_path), removed with its contents.
final class SocketDirectory {
    let path = "/tmp/emud-ctl-" + UUID().uuidString.prefix(8)
    init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var socket: String { path + "/control.sock" }
}

/// A control server served by its own thread until `stop()`, for clients that block (ControlClient, emud).
final class BackgroundServer: @unchecked Sendable {
    let server: ControlServer
    private let stopping = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)

    init(_ server: ControlServer) {
        self.server = server
        Thread.detachNewThread { [self] in
            while !stopping.load(ordering: .acquiring) { self.server.serveOnce(timeoutMilliseconds: 20) }
            stopped.signal()
        }
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        stopped.wait()
    }
}

let quietLogger = Logger(label: "control-test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Sends raw bytes as a client on this thread, serving the server in between, and returns the reply text.
func exchange(
    _ server: ControlServer, _ bytes: [UInt8], halfClose: Bool = true, rounds: Int = 200
) throws -> String {
    let fd = try Syscalls.unixStreamSocket(nonBlocking: true)
    defer { try? Syscalls.close(fd) }
    try Syscalls.connect(fd, path: server.path)
    var sent = 0
    var reply: [UInt8] = []
    if bytes.isEmpty, halfClose { try Syscalls.shutdownWrite(fd) }
    for _ in 0..<rounds {
        if sent < bytes.count, let n = try Syscalls.send(fd, bytes[sent...]) {
            sent += n
            if sent == bytes.count, halfClose { try Syscalls.shutdownWrite(fd) }
        }
        server.serveOnce(timeoutMilliseconds: 10)
        while let got = try? Syscalls.receive(fd, maximum: 65536) {
            if got.isEmpty { return String(decoding: reply, as: UTF8.self) }
            reply += got
        }
    }
    Issue.record("no end of reply after \(rounds) rounds")
    return String(decoding: reply, as: UTF8.self)
}

/// The control socket: file handling, request limits, and round trips with a fake responder.
@Suite struct ControlServerTests {
    let dir = SocketDirectory()
    let responder = EchoResponder()

    func server(_ limits: ControlServerLimits = .init()) throws(ControlServerError) -> ControlServer {
        try ControlServer(path: dir.socket, responder: responder, logger: quietLogger, limits: limits)
    }

    @Test func socketIsMode0600AndRemovedOnClose() throws {
        let s = try server()
        let id = try #require(try Syscalls.fileIdentity(dir.socket))
        #expect(id.isSocket && id.permissions == 0o600)
        s.close()
        #expect(try Syscalls.fileIdentity(dir.socket) == nil)
        s.close()  // idempotent
    }

    @Test func createsTheMissingDirectory() throws {
        let nested = dir.path + "/run/control.sock"
        let s = try ControlServer(path: dir.path + "/run/control.sock", responder: responder, logger: quietLogger)
        #expect(try Syscalls.fileIdentity(nested)?.isSocket == true)
        s.close()
    }

    @Test func refusesWhenAnotherDaemonAnswers() throws {
        let live = try server()
        #expect(throws: ControlServerError.self) { try self.server() }
        do { _ = try server() } catch { #expect(error.message.contains("another emud is serving it")) }
        // The live one is untouched and still answers.
        #expect(try exchange(live, Array("list\n".utf8)) == "ok list\n")
    }

    @Test func replacesAStaleSocketFile() throws {
        let fd = try Syscalls.unixStreamSocket(nonBlocking: false)
        try Syscalls.bind(fd, path: dir.socket)
        try Syscalls.close(fd)  // bound but never listening: connect gets ECONNREFUSED, as after a crash
        #expect(try Syscalls.fileIdentity(dir.socket)?.isSocket == true)
        let log = CapturedLog()
        let s = try ControlServer(path: dir.socket, responder: responder, logger: log.logger())
        #expect(log.all == ["notice control socket \(dir.socket): replaced a stale socket file (no daemon answered)"])
        #expect(try exchange(s, Array("dvd0 status\n".utf8)) == "ok dvd0|status\n")
    }

    @Test func refusesToReplaceSomethingThatIsNotASocket() throws {
        FileManager.default.createFile(atPath: dir.socket, contents: Data("keep me".utf8))
        do { _ = try server(); Issue.record("started over a regular file") } catch {
            #expect(error.message.contains("exists and is not a socket"))
        }
        #expect(FileManager.default.contents(atPath: dir.socket) == Data("keep me".utf8))
    }

    @Test func refusesAPathTooLongForSunPath() {
        let long = dir.path + "/" + String(repeating: "s", count: 120)
        #expect(throws: ControlServerError.self) {
            try ControlServer(path: long, responder: self.responder, logger: quietLogger)
        }
    }

    @Test func roundTripsWordsAndErrors() throws {
        let s = try server()
        #expect(try exchange(s, Array("dvd0 insert \"/srv/a b.iso\" ro\n".utf8)) == "ok dvd0|insert|/srv/a b.iso|ro\n")
        #expect(try exchange(s, Array("fail now\r\n".utf8)) == "error failed as asked\n")
        // Half-closed without LF: the line ends there. Bytes after the LF are ignored.
        #expect(try exchange(s, Array("list".utf8)) == "ok list\n")
        #expect(try exchange(s, Array("a b\nc d\n".utf8)) == "ok a|b\n")
        #expect(responder.requests == [["dvd0", "insert", "/srv/a b.iso", "ro"], ["fail", "now"], ["list"], ["a", "b"]])
        #expect(s.connectionCount == 0)
    }

    @Test func badRequestsGetAClearErrorAndNeverReachTheResponder() throws {
        let s = try server()
        #expect(try exchange(s, Array("\n".utf8)) == "error empty request: send DEVICE COMMAND [ARGS…], list, or help\n")
        #expect(try exchange(s, []) == "error empty request: send DEVICE COMMAND [ARGS…], list, or help\n")
        #expect(try exchange(s, Array("   \t \n".utf8)).hasPrefix("error empty request"))
        #expect(try exchange(s, [0x64, 0xFF, 0x0A]) == "error the request is not valid UTF-8\n")
        #expect(try exchange(s, Array("dvd0 \"eject\n".utf8)) == "error unclosed double quote in the request\n")
        // 4096 bytes fit; one more without a newline is refused before any newline arrives.
        let longest = [UInt8](repeating: 0x61, count: 4096)
        #expect(try exchange(s, longest + [0x0A]) == "ok " + String(repeating: "a", count: 4096) + "\n")
        let tooLong = [UInt8](repeating: 0x62, count: 10_000)
        #expect(try exchange(s, tooLong, halfClose: false) == "error request longer than 4096 bytes\n")
        #expect(responder.requests.count == 1)
        #expect(s.connectionCount == 0)
    }

    @Test func slowClientTimesOutWithoutHoldingTheLoop() throws {
        let s = try server(ControlServerLimits(requestTimeoutMilliseconds: 100))
        let fd = try Syscalls.unixStreamSocket(nonBlocking: true)
        defer { try? Syscalls.close(fd) }
        try Syscalls.connect(fd, path: dir.socket)
        _ = try Syscalls.send(fd, Array("dvd0 sta".utf8)[...])  // no newline, never closed
        s.serveOnce(timeoutMilliseconds: 10)
        #expect(s.connectionCount == 1)
        #expect(s.pollTimeoutMilliseconds <= 100)
        // Meanwhile another client is served at once.
        #expect(try exchange(s, Array("list\n".utf8)) == "ok list\n")
        var rounds = 0
        while s.connectionCount > 0, rounds < 100 {
            s.serveOnce(timeoutMilliseconds: s.pollTimeoutMilliseconds)
            rounds += 1
        }
        #expect(s.connectionCount == 0)
        let reply = try #require(try Syscalls.receive(fd, maximum: 1024))
        #expect(String(decoding: reply, as: UTF8.self)
            == "error timed out waiting for the request line (send DEVICE COMMAND and a newline)\n")
        #expect(responder.requests == [["list"]])
    }

    @Test func connectionsBeyondTheLimitAreToldToRetry() throws {
        let s = try server(ControlServerLimits(requestTimeoutMilliseconds: 2000, maximumConnections: 1))
        let idle = try Syscalls.unixStreamSocket(nonBlocking: true)
        defer { try? Syscalls.close(idle) }
        try Syscalls.connect(idle, path: dir.socket)
        s.serveOnce(timeoutMilliseconds: 10)
        #expect(s.connectionCount == 1)
        #expect(try exchange(s, Array("list\n".utf8)) == "error busy: 1 control requests in progress; retry\n")
        #expect(responder.requests.isEmpty)
    }

    @Test func clientGetsRepliesAndSaysWhenNoDaemonAnswers() throws {
        let background = BackgroundServer(try server())
        #expect(try ControlClient.request(["dvd0", "insert", "/a b.iso"], socketPath: dir.socket) == .ok("dvd0|insert|/a b.iso"))
        #expect(try ControlClient.request(["fail"], socketPath: dir.socket) == .error("failed as asked"))
        background.stop()
        background.server.close()
        do { _ = try ControlClient.request(["list"], socketPath: dir.socket); Issue.record("answered") } catch {
            guard case .noDaemon(let m) = error else { Issue.record("\(error)"); return }
            #expect(m.contains("no emud daemon answers on \(dir.socket)"))
        }
    }
}
