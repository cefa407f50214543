#if canImport(Glibc)
import Glibc
#endif
import Logging
import SystemCalls

/// Answers control requests: the daemon's `DeviceLifecycle`, or a fake in tests.
public protocol ControlResponder: AnyObject {
    /// The reply to one request, already split into words (never empty).
    func respond(to words: [String]) -> ControlReply
}

/// How long and how many: the limits that keep an untrusted client from holding the daemon's loop.
public struct ControlServerLimits: Sendable, Hashable {
    /// From accept to the last reply byte sent; a slower client gets `error timed out` and is closed.
    public var requestTimeoutMilliseconds: Int64
    /// Connections in progress at once; one more is answered `error busy` and closed.
    public var maximumConnections: Int

    public init(requestTimeoutMilliseconds: Int64 = 2000, maximumConnections: Int = 8) {
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        self.maximumConnections = maximumConnections
    }
}

/// Why the control socket could not be set up; the message says what to do.
public struct ControlServerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The control socket (`/run/emud/control.sock`, mode 0600): a non-blocking listener and its connections,
/// served from the daemon's own poll loop; one request line and one reply per connection.
///
/// Nothing here blocks: reads and writes are non-blocking, every connection has a deadline, and the
/// loop's poll timeout is the nearest one. Requests run on the loop thread, which is also the only thread
/// that touches the lifecycle's device table; device control calls take the device's own locks.
public final class ControlServer {
    public static let defaultPath = "/run/emud/control.sock"

    public let path: String
    public let limits: ControlServerLimits
    public var logger: Logger
    let responder: any ControlResponder
    private var listener: Int32
    private let identity: FileIdentity
    private var connections: [Connection] = []

    struct Connection {
        let fd: Int32
        let deadline: Int64
        var input: [UInt8] = []
        /// The reply being sent, once the request is answered.
        var output: [UInt8]?
        var sent = 0
    }

    /// Binds the socket, replacing a stale socket file.
    /// - Throws: `ControlServerError` when another daemon answers on `path`, something other than a socket
    ///   is there, or the socket cannot be made.
    public init(
        path: String, responder: any ControlResponder, logger: Logger, limits: ControlServerLimits = .init()
    ) throws(ControlServerError) {
        self.path = path
        self.responder = responder
        self.logger = logger
        self.limits = limits
        func fail(_ what: String, _ e: Errno) -> ControlServerError {
            ControlServerError("control socket \(path): \(what): \(e)")
        }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            do { try Syscalls.makeDirectory(String(path[..<slash]), mode: 0o755) } catch {
                throw fail("cannot create its directory", error)
            }
        }
        try Self.removeStale(path, logger: logger)
        let fd: Int32
        do { fd = try Syscalls.unixStreamSocket(nonBlocking: true) } catch { throw fail("socket", error) }
        do {
            try Syscalls.changeMode(fd, 0o600)
            try Syscalls.bind(fd, path: path)
        } catch {
            try? Syscalls.close(fd)
            throw error == .nameTooLong
                ? ControlServerError("control socket \(path): longer than 107 bytes; choose a shorter path")
                : fail("bind", error)
        }
        do throws(Errno) {
            try Syscalls.listen(fd, backlog: 16)
            guard let id = try Syscalls.fileIdentity(path) else { throw Errno.noSuchFileOrDirectory }
            identity = id
        } catch {
            try? Syscalls.close(fd)
            try? Syscalls.unlink(path)
            throw fail("listen", error)
        }
        listener = fd
    }

    deinit { close() }

    /// Refuses a live socket (another daemon), removes a dead one.
    static func removeStale(_ path: String, logger: Logger) throws(ControlServerError) {
        let existing: FileIdentity?
        do { existing = try Syscalls.fileIdentity(path) } catch {
            throw ControlServerError("control socket \(path): \(error)")
        }
        guard let existing else { return }
        guard existing.isSocket else {
            throw ControlServerError(
                "control socket \(path): the path exists and is not a socket; remove it or pass --control-socket")
        }
        do {
            let probe = try Syscalls.unixStreamSocket(nonBlocking: true)
            defer { try? Syscalls.close(probe) }
            do {
                try Syscalls.connect(probe, path: path)
            } catch where error == .connectionRefused {
                try Syscalls.unlink(path)
                logger.notice("control socket \(path): replaced a stale socket file (no daemon answered)")
                return
            } catch where error == .wouldBlock {
                // Its backlog is full: someone is listening.
            }
        } catch {
            throw ControlServerError("control socket \(path): checking the existing socket: \(error)")
        }
        throw ControlServerError(
            "control socket \(path): another emud is serving it; stop that daemon first, or pass "
                + "--control-socket with another path")
    }

    /// Closes every connection and the listener, and removes the socket file if it is still ours.
    public func close() {
        for c in connections { try? Syscalls.close(c.fd) }
        connections.removeAll()
        guard listener >= 0 else { return }
        try? Syscalls.close(listener)
        listener = -1
        if let now = try? Syscalls.fileIdentity(path), now.device == identity.device, now.inode == identity.inode {
            try? Syscalls.unlink(path)
        }
    }

    // MARK: - Poll loop

    /// The descriptors to poll: the listener, then each connection (reading or writing).
    package var pollRequests: [(fd: Int32, events: Int16)] {
        [(listener, Int16(POLLIN))] + connections.map { ($0.fd, Int16($0.output == nil ? POLLIN : POLLOUT)) }
    }

    /// Milliseconds until the nearest deadline, or -1 with no connection in progress.
    public var pollTimeoutMilliseconds: Int32 {
        guard let nearest = connections.map(\.deadline).min() else { return -1 }
        return Int32(clamping: max(0, nearest - Syscalls.monotonicMilliseconds))
    }

    /// Handles what poll reported for `pollRequests` (same order), then the deadlines that passed.
    public func serve(_ revents: ArraySlice<Int16>) {
        let events = Array(revents)
        let polled = min(connections.count, max(0, events.count - 1))
        for i in (0..<polled).reversed() where events[i + 1] != 0 {
            if !advance(&connections[i], events: events[i + 1]) { finish(at: i) }
        }
        expireDeadlines()
        if events.first.map({ $0 != 0 }) ?? false { acceptWaiting() }
    }

    /// Polls and serves once (tests and tools without their own loop).
    public func serveOnce(timeoutMilliseconds: Int32) {
        let requests = pollRequests
        let timeout = connections.isEmpty ? timeoutMilliseconds : min(timeoutMilliseconds, pollTimeoutMilliseconds)
        guard let revents = try? Syscalls.poll(requests, timeoutMilliseconds: timeout) else { return }
        serve(revents[...])
    }

    /// Connections in progress (tests).
    public var connectionCount: Int { connections.count }

    // MARK: - Connections

    private func acceptWaiting() {
        for _ in 0..<16 {
            let fd: Int32?
            do { fd = try Syscalls.acceptNonBlocking(listener) } catch {
                logger.error("control socket: accept: \(error)")
                return
            }
            guard let fd else { return }
            var c = Connection(fd: fd, deadline: Syscalls.monotonicMilliseconds + limits.requestTimeoutMilliseconds)
            let uid = try? Syscalls.peerUserID(fd)
            if uid != 0 && uid != Syscalls.effectiveUserID {
                logger.warning("control socket: refused a request from uid \(uid.map(String.init) ?? "unknown")")
                c.output = ControlReply.error("permission denied: only root or the daemon's user may control devices").encoded
            } else if connections.count >= limits.maximumConnections {
                c.output = ControlReply.error("busy: \(connections.count) control requests in progress; retry").encoded
            }
            if c.output != nil {
                // Best effort, never waited for.
                _ = send(&c)
                try? Syscalls.close(fd)
                continue
            }
            connections.append(c)
        }
    }

    /// Moves one connection on; false when it is finished (closed by `finish`).
    private func advance(_ c: inout Connection, events: Int16) -> Bool {
        if c.output == nil {
            guard events & Int16(POLLIN | POLLHUP | POLLERR) != 0 else { return true }
            let room = ControlWire.maximumRequestBytes + 1 - c.input.count
            let got: [UInt8]?
            do { got = try Syscalls.receive(c.fd, maximum: max(1, room)) } catch { return false }
            guard let got else { return true }
            let line: ArraySlice<UInt8>
            if got.isEmpty {
                line = c.input[...]  // half-closed without LF: the line ends here
            } else {
                c.input += got
                if let lf = c.input.firstIndex(of: 0x0A) {
                    line = c.input[..<lf]
                } else if c.input.count > ControlWire.maximumRequestBytes {
                    c.output = ControlReply.error(
                        "request longer than \(ControlWire.maximumRequestBytes) bytes").encoded
                    return send(&c)
                } else {
                    return true
                }
            }
            c.output = answer(line).encoded
        }
        return send(&c)
    }

    /// Sends what it can of the reply; false when all is sent or the peer is gone.
    private func send(_ c: inout Connection) -> Bool {
        guard let out = c.output else { return true }
        while c.sent < out.count {
            let n: Int?
            do { n = try Syscalls.send(c.fd, out[c.sent...]) } catch { return false }
            guard let n, n > 0 else { return true }
            c.sent += n
        }
        return false
    }

    private func finish(at i: Int) {
        try? Syscalls.close(connections[i].fd)
        connections.remove(at: i)
    }

    private func expireDeadlines() {
        let now = Syscalls.monotonicMilliseconds
        for i in connections.indices.reversed() where connections[i].deadline <= now {
            if connections[i].output == nil {
                connections[i].output = ControlReply.error(
                    "timed out waiting for the request line (send DEVICE COMMAND and a newline)").encoded
                _ = send(&connections[i])
            }
            logger.warning("control socket: closed a connection that timed out")
            finish(at: i)
        }
    }

    /// The reply to one request line.
    func answer(_ line: ArraySlice<UInt8>) -> ControlReply {
        let words: [String]
        do { words = try ControlWire.words(in: line) } catch { return .error(error.reason) }
        guard !words.isEmpty else {
            return .error("empty request: send DEVICE COMMAND [ARGS…], list, or help")
        }
        let reply = responder.respond(to: words)
        let summary = reply.text.prefix { $0 != "\n" }
        logger.info("control: \(words.joined(separator: " ")) -> \(reply.isOK ? "ok" : "error") \(summary)")
        return reply
    }
}
