#if canImport(Glibc)
import Glibc
#endif
import CSystemCalls

// The control socket's calls into libc (Unix stream sockets, the socket file, multi-event poll), in the
// layering of Syscalls.swift: `@inline(never)` so errno is read first, EINTR retried, `Errno` thrown.
// The only unsafe code is building a `sockaddr_un` and handing byte buffers to send/recv.

/// What `lstat` says about a path: enough to tell a socket file from anything else, and ours from another.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var isSocket: Bool
    /// The permission bits (`st_mode & 0o7777`).
    public var permissions: UInt32
}

extension Syscalls {
    /// A Unix stream socket, close-on-exec, optionally non-blocking. The corresponding C function is `socket`.
    @inline(never)
    package static func unixStreamSocket(nonBlocking: Bool) throws(Errno) -> Int32 {
        var type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
        return try retrying { Glibc.socket(AF_UNIX, type, 0) }
    }

    /// Calls `body` with a `sockaddr_un` for `path`.
    /// - Throws: ENAMETOOLONG when the path does not fit `sun_path` with its NUL (107 bytes on Linux).
    static func withUnixAddress<R>(
        _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R
    ) throws(Errno) -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity, !bytes.contains(0) else { throw .nameTooLong }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// Binds `fd` to the path. The corresponding C function is `bind`.
    @inline(never)
    package static func bind(_ fd: Int32, path: String) throws(Errno) {
        let rc = try withUnixAddress(path) { a, n in Glibc.bind(fd, a, n) }
        if rc == -1 { throw Errno.current }
    }

    /// Connects `fd` to the socket at `path` (EINTR is not retried: the connect goes on in the kernel).
    /// The corresponding C function is `connect`.
    @inline(never)
    package static func connect(_ fd: Int32, path: String) throws(Errno) {
        let rc = try withUnixAddress(path) { a, n in Glibc.connect(fd, a, n) }
        if rc == -1 { throw Errno.current }
    }

    /// Marks `fd` as listening. The corresponding C function is `listen`.
    @inline(never)
    package static func listen(_ fd: Int32, backlog: Int32) throws(Errno) {
        _ = try retrying { Glibc.listen(fd, backlog) }
    }

    /// The next waiting connection as a non-blocking, close-on-exec descriptor, or nil when none is
    /// waiting. The corresponding C function is `accept4`.
    @inline(never)
    package static func acceptNonBlocking(_ fd: Int32) throws(Errno) -> Int32? {
        while true {
            let c = csys_accept_nonblocking(fd)
            if c >= 0 { return c }
            let e = Errno.current
            switch e {
            case .interrupted: continue
            case .wouldBlock: return nil
            // The peer gave up before we accepted: not our failure, there may be more.
            case Errno(rawValue: ECONNABORTED), Errno(rawValue: EPROTO): continue
            default: throw e
            }
        }
    }

    /// Sends bytes without raising SIGPIPE; returns how many went, or nil when the socket buffer is full.
    /// The corresponding C function is `send` with `MSG_NOSIGNAL`.
    @inline(never)
    package static func send(_ fd: Int32, _ bytes: ArraySlice<UInt8>) throws(Errno) -> Int? {
        while true {
            let n = bytes.withUnsafeBytes { b in Glibc.send(fd, b.baseAddress, b.count, Int32(MSG_NOSIGNAL)) }
            if n >= 0 { return n }
            let e = Errno.current
            if e == .interrupted { continue }
            if e == .wouldBlock { return nil }
            throw e
        }
    }

    /// Receives up to `maximum` bytes: empty at end of stream, nil when nothing is waiting (non-blocking).
    /// The corresponding C function is `recv`.
    @inline(never)
    package static func receive(_ fd: Int32, maximum: Int) throws(Errno) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: max(1, maximum))
        while true {
            let n = buffer.withUnsafeMutableBytes { b in Glibc.recv(fd, b.baseAddress, b.count, 0) }
            if n >= 0 { return Array(buffer.prefix(n)) }
            let e = Errno.current
            if e == .interrupted { continue }
            if e == .wouldBlock { return nil }
            throw e
        }
    }

    /// Ends the sending direction (the peer reads end of stream). The corresponding C function is `shutdown`.
    @inline(never)
    package static func shutdownWrite(_ fd: Int32) throws(Errno) {
        if Glibc.shutdown(fd, Int32(SHUT_WR)) == -1 { throw Errno.current }
    }

    /// Removes a name from the file system. The corresponding C function is `unlink`.
    @inline(never)
    public static func unlink(_ path: String) throws(Errno) {
        if Glibc.unlink(path) == -1 { throw Errno.current }
    }

    /// What is at `path` without following a symbolic link, or nil when nothing is. `lstat`.
    @inline(never)
    public static func fileIdentity(_ path: String) throws(Errno) -> FileIdentity? {
        var st = stat()
        if Glibc.lstat(path, &st) == -1 {
            let e = Errno.current
            if e == .noSuchFileOrDirectory { return nil }
            throw e
        }
        return FileIdentity(
            device: UInt64(st.st_dev), inode: UInt64(st.st_ino), isSocket: st.st_mode & S_IFMT == S_IFSOCK,
            permissions: UInt32(st.st_mode & 0o7777))
    }

    /// Sets a descriptor's permission bits; on a socket before `bind`, Linux gives the socket file these
    /// bits (less the umask), so the file never exists with wider ones. `fchmod`.
    @inline(never)
    package static func changeMode(_ fd: Int32, _ mode: mode_t) throws(Errno) {
        _ = try retrying { Glibc.fchmod(fd, mode) }
    }

    /// Creates a directory; one that exists already is fine. The corresponding C function is `mkdir`.
    @inline(never)
    public static func makeDirectory(_ path: String, mode: mode_t) throws(Errno) {
        if Glibc.mkdir(path, mode) == -1 {
            let e = Errno.current
            if e != .fileExists { throw e }
        }
    }

    /// Waits on descriptors, each with its own events; returns each one's `revents` (all 0 on timeout).
    /// The corresponding C function is `poll`.
    @inline(never)
    package static func poll(
        _ requests: [(fd: Int32, events: Int16)], timeoutMilliseconds: Int32
    ) throws(Errno) -> [Int16] {
        var p = requests.map { pollfd(fd: $0.fd, events: $0.events, revents: 0) }
        _ = try retrying { Glibc.poll(&p, nfds_t(p.count), timeoutMilliseconds) }
        return p.map(\.revents)
    }

    /// The user id of a Unix socket's peer. The corresponding C function is `getsockopt(SO_PEERCRED)`.
    @inline(never)
    package static func peerUserID(_ fd: Int32) throws(Errno) -> UInt32 {
        let uid = csys_peer_uid(fd)
        if uid < 0 { throw Errno.current }
        return UInt32(truncatingIfNeeded: uid)
    }

    /// This process's effective user id. The corresponding C function is `geteuid`.
    public static var effectiveUserID: UInt32 { UInt32(Glibc.geteuid()) }

    /// Milliseconds on the monotonic clock (deadlines). The corresponding C function is `clock_gettime`.
    public static var monotonicMilliseconds: Int64 { Int64(monotonicNanoseconds / 1_000_000) }

    /// Nanoseconds on the monotonic clock (a vDSO call, no system call). The corresponding C function is
    /// `clock_gettime`.
    @inline(__always) public static var monotonicNanoseconds: UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }
}
