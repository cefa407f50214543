#if canImport(Glibc)
import Glibc
#endif

/// An open file descriptor this value owns: it cannot be copied, and it is closed exactly once — by
/// `close()`, or when the value goes out of scope. Error paths need no `close`, and a descriptor number
/// cannot be closed twice (after which the kernel may have handed it to someone else).
///
/// The system-call wrappers take the descriptor borrowed (`fd.read(into:)`, `Syscalls.poll(fd.rawValue…)`
/// inside this package); `rawValue` is for the few places that hand the number to another owner's
/// lifetime — a mapping, a doorbell — and never closes.
public struct FileDescriptor: ~Copyable, Sendable {
    /// The descriptor number, valid while this value lives.
    public let rawValue: Int32

    /// Takes ownership of `rawValue` (which must be open and owned by nobody else).
    public init(taking rawValue: Int32) {
        self.rawValue = rawValue
    }

    deinit { _ = Glibc.close(rawValue) }

    /// Closes now and reports the error (EINTR is not retried: Linux has already released the descriptor).
    public consuming func close() throws(Errno) {
        let fd = rawValue
        discard self
        try Syscalls.close(fd)
    }

    // MARK: - Opening

    /// Opens `path` (close-on-exec). The corresponding C function is `open`.
    public static func open(_ path: String, flags: Int32, mode: mode_t = 0o600) throws(Errno) -> FileDescriptor {
        FileDescriptor(taking: try Syscalls.open(path, flags: flags, mode: mode))
    }

    /// An anonymous memory file (close-on-exec). The corresponding C function is `memfd_create`.
    public static func memoryFile(named name: String) throws(Errno) -> FileDescriptor {
        FileDescriptor(taking: try Syscalls.memfdCreate(name))
    }

    /// An eventfd (close-on-exec, optionally non-blocking). The corresponding C function is `eventfd`.
    public static func eventCounter(initialValue: UInt32 = 0, nonBlocking: Bool) throws(Errno) -> FileDescriptor {
        FileDescriptor(taking: try Syscalls.eventfd(initialValue: initialValue, nonBlocking: nonBlocking))
    }

    /// A Unix stream socket (close-on-exec, optionally non-blocking). The C function is `socket`.
    public static func unixStreamSocket(nonBlocking: Bool) throws(Errno) -> FileDescriptor {
        FileDescriptor(taking: try Syscalls.unixStreamSocket(nonBlocking: nonBlocking))
    }

    /// Blocks `signals` for the calling thread (and threads it starts later) and returns a non-blocking
    /// descriptor that reads them. The C functions are `pthread_sigmask` and `signalfd`.
    public static func signals(_ signals: [Int32]) throws(Errno) -> FileDescriptor {
        FileDescriptor(taking: try Syscalls.signalDescriptor(for: signals))
    }

    // MARK: - I/O

    /// Reads up to `buffer.count` bytes. The corresponding C function is `read`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try Syscalls.read(rawValue, into: buffer)
    }

    /// Writes up to `buffer.count` bytes. The corresponding C function is `write`.
    public func write(from buffer: UnsafeRawBufferPointer) throws(Errno) -> Int {
        try Syscalls.write(rawValue, from: buffer)
    }

    /// Reads up to `buffer.count` bytes at `offset`. The corresponding C function is `pread`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(Errno) -> Int {
        try Syscalls.pread(rawValue, into: buffer, offset: offset)
    }

    /// Writes up to `buffer.count` bytes at `offset`. The corresponding C function is `pwrite`.
    public func write(from buffer: UnsafeRawBufferPointer, at offset: Int64) throws(Errno) -> Int {
        try Syscalls.pwrite(rawValue, from: buffer, offset: offset)
    }

    /// Reads one host-order integer (a UIO event count, an eventfd counter). `read`.
    public func readInteger<T: FixedWidthInteger>(as type: T.Type) throws(Errno) -> T {
        try Syscalls.readInteger(rawValue, as: type)
    }

    /// Writes one host-order integer (the UIO kick, an eventfd increment). `write`.
    public func writeInteger<T: FixedWidthInteger>(_ value: T) throws(Errno) {
        try Syscalls.writeInteger(rawValue, value)
    }

    /// Waits until the descriptor has any of `events` or the timeout passes (-1: forever); the `revents`,
    /// 0 on timeout. The corresponding C function is `poll`.
    public func poll(events: Int16, timeoutMilliseconds: Int32) throws(Errno) -> Int16 {
        try Syscalls.poll(rawValue, events: events, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Sets the file's size. The corresponding C function is `ftruncate`.
    public func truncate(to length: Int64) throws(Errno) {
        try Syscalls.ftruncate(rawValue, length: length)
    }

    /// The size of the file. The corresponding C function is `fstat`.
    public func size() throws(Errno) -> Int64 { try Syscalls.fileSize(rawValue) }
}
