#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// Why a request got no reply: nobody answers on the socket, or the exchange broke off.
public enum ControlClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No daemon answered (no socket file, a stale one, or no permission to connect).
    case noDaemon(String)
    /// A daemon answered but the exchange failed (timeout, malformed reply).
    case failed(String)

    public var description: String {
        switch self {
        case .noDaemon(let m), .failed(let m): m
        }
    }
}

/// The client side of the control socket (`emud ctl`): connect, send one line, read the reply to the end.
public enum ControlClient {
    /// Sends `words` as one request and waits for the reply.
    /// - Parameter timeoutMilliseconds: for the whole exchange after connecting.
    /// - Throws: `ControlClientError.noDaemon` with what to do, or `.failed`.
    public static func request(
        _ words: [String], socketPath: String, timeoutMilliseconds: Int64 = 10_000
    ) throws(ControlClientError) -> ControlReply {
        let socket: FileDescriptor
        do { socket = try .unixStreamSocket(nonBlocking: true) } catch { throw .failed("socket: \(error)") }
        let fd = socket.rawValue  // `socket` closes it at the end of this function
        do { try Syscalls.connect(fd, path: socketPath) } catch {
            switch error {
            case .noSuchFileOrDirectory, .connectionRefused:
                throw .noDaemon(
                    "no emud daemon answers on \(socketPath): start it with 'emud serve', or pass --socket "
                        + "with the path given to 'emud serve --control-socket'")
            case .permissionDenied, .notPermitted:
                throw .noDaemon("no permission to connect to \(socketPath): run as root (e.g. with sudo)")
            case .nameTooLong:
                throw .noDaemon("socket path \(socketPath) is longer than 107 bytes")
            case .wouldBlock:
                throw .failed("the daemon on \(socketPath) is not accepting connections (backlog full); retry")
            default:
                throw .noDaemon("cannot connect to \(socketPath): \(error)")
            }
        }
        let deadline = Syscalls.monotonicMilliseconds + timeoutMilliseconds
        func wait(_ events: Int32) throws(ControlClientError) {
            let left = deadline - Syscalls.monotonicMilliseconds
            let r = try? Syscalls.poll([(fd, Int16(events))], timeoutMilliseconds: Int32(clamping: max(0, left)))
            guard let r, r[0] != 0 else {
                throw .failed("no reply from the daemon on \(socketPath) within \(timeoutMilliseconds) ms")
            }
        }
        let line = Array(ControlWire.requestLine(words).utf8)
        var sent = 0
        while sent < line.count {
            let n: Int?
            do { n = try Syscalls.send(fd, line[sent...]) } catch { throw .failed("sending the request: \(error)") }
            if let n { sent += n } else { try wait(POLLOUT) }
        }
        try? Syscalls.shutdownWrite(fd)
        var reply: [UInt8] = []
        while true {
            let got: [UInt8]?
            do { got = try Syscalls.receive(fd, maximum: 64 * 1024) } catch { throw .failed("reading the reply: \(error)") }
            guard let got else {
                try wait(POLLIN)
                continue
            }
            if got.isEmpty { break }
            reply += got
            if reply.count > 16 << 20 { throw .failed("the reply is larger than 16 MiB") }
        }
        do { return try ControlReply(parsing: reply) } catch { throw .failed("the daemon sent a malformed reply: \(error)") }
    }
}
