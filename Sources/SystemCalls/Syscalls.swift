#if canImport(Glibc)
import Glibc
#endif
import CSystemCalls

// emud's calls into libc for files, memory maps and polling (the layering of swift-system's
// Internals/Syscalls.swift and NIO's System.swift): each wrapper is `@inline(never)` so `errno` is read
// before anything else can overwrite it, retries EINTR (`retrying`, the one retry loop), and throws
// `Errno`. The functions on raw descriptor numbers are `package`: outside this package a descriptor is a
// `FileDescriptor`, owned and closed once.

/// Thin, typed-throwing wrappers of the POSIX calls RingIO needs.
public enum Syscalls {
    /// Runs `call` until it does not fail with EINTR; a result of -1 throws the errno. Every EINTR retry in
    /// emud goes through here (the stores' `StoreFile` too). Inlinable, so the hot path (the stores'
    /// preadv/pwritev) is specialised; errno is read by `Errno.current` straight after the call.
    @inlinable
    @discardableResult
    public static func retrying<T: FixedWidthInteger>(_ call: () -> T) throws(Errno) -> T {
        while true {
            let r = call()
            if r != -1 { return r }
            let e = Errno.current
            if e != .interrupted { throw e }
        }
    }

    /// Opens `path`. The corresponding C function is `open`.
    @inline(never)
    package static func open(_ path: String, flags: Int32, mode: mode_t = 0o600) throws(Errno) -> Int32 {
        try retrying { Glibc.open(path, flags | O_CLOEXEC, mode) }
    }

    /// Closes `fd` (EINTR is not retried: Linux has already released the descriptor). `close`.
    @inline(never)
    package static func close(_ fd: Int32) throws(Errno) {
        if Glibc.close(fd) == -1 {
            let e = Errno.current
            if e != .interrupted { throw e }
        }
    }

    /// Reads up to `buffer.count` bytes. The corresponding C function is `read`.
    @inline(never)
    package static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try retrying { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Writes up to `buffer.count` bytes. The corresponding C function is `write`.
    @inline(never)
    package static func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) throws(Errno) -> Int {
        try retrying { Glibc.write(fd, buffer.baseAddress, buffer.count) }
    }

    /// Reads up to `buffer.count` bytes at `offset`. The corresponding C function is `pread`.
    @inline(never)
    package static func pread(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int64
    ) throws(Errno) -> Int {
        try retrying { Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// Writes up to `buffer.count` bytes at `offset`. The corresponding C function is `pwrite`.
    @inline(never)
    package static func pwrite(_ fd: Int32, from buffer: UnsafeRawBufferPointer, offset: Int64) throws(Errno) -> Int {
        try retrying { Glibc.pwrite(fd, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// Reads one host-order integer: a UIO event count (`UInt32`) or an eventfd counter (`UInt64`, 0 when
    /// the descriptor is non-blocking and the counter is zero). The corresponding C function is `read`.
    package static func readInteger<T: FixedWidthInteger>(_ fd: Int32, as: T.Type) throws(Errno) -> T {
        var v: T = 0
        _ = try withUnsafeMutableBytes(of: &v) { (b) throws(Errno) -> Int in try read(fd, into: b) }
        return v
    }

    /// Writes one host-order integer: the 4-byte UIO kick or an eventfd increment. `write`.
    package static func writeInteger<T: FixedWidthInteger>(_ fd: Int32, _ value: T) throws(Errno) {
        var v = value
        _ = try withUnsafeBytes(of: &v) { (b) throws(Errno) -> Int in try write(fd, from: b) }
    }

    /// Waits until `fd` has any of `events`, or `timeoutMilliseconds` pass (-1: forever). Returns the
    /// `revents` (0 on timeout). The corresponding C function is `poll`.
    @inline(never)
    package static func poll(_ fd: Int32, events: Int16, timeoutMilliseconds: Int32) throws(Errno) -> Int16 {
        var p = pollfd(fd: fd, events: events, revents: 0)
        let n = try retrying { Glibc.poll(&p, 1, timeoutMilliseconds) }
        return n == 0 ? 0 : p.revents
    }

    /// Maps `length` bytes of `fd` from offset 0, shared, read-write. The corresponding C function is `mmap`.
    @inline(never)
    package static func mapShared(_ fd: Int32, length: Int) throws(Errno) -> UnsafeMutableRawPointer {
        while true {
            let p = Glibc.mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
            if let p, p != MAP_FAILED { return p }
            let e = Errno.current
            if e != .interrupted { throw e }
        }
    }

    /// Unmaps a mapping made by `mapShared`. The corresponding C function is `munmap`.
    @inline(never)
    public static func unmap(_ address: UnsafeMutableRawPointer, length: Int) throws(Errno) {
        if Glibc.munmap(address, length) == -1 { throw Errno.current }
    }

    /// Names the calling thread as `ps`, `top` and `/proc/PID/task/*/comm` show it (15 bytes at most;
    /// Foundation's `Thread.name` does not reach the kernel here). The C function is `pthread_setname_np`.
    public static func nameThisThread(_ name: String) { csys_set_thread_name(name) }

    /// How often the calling thread has gone to sleep so far (waited for a lock, I/O, a throttled write),
    /// not counting the times it was preempted; 0 if the kernel does not say. A system call. The
    /// corresponding C function is `getrusage` (`RUSAGE_THREAD`, `ru_nvcsw`).
    public static var threadVoluntarySwitches: Int { max(0, csys_thread_voluntary_switches()) }

    /// An anonymous memory file (close-on-exec). The corresponding C function is `memfd_create`.
    @inline(never)
    package static func memfdCreate(_ name: String) throws(Errno) -> Int32 {
        try retrying { csys_memfd_create(name) }
    }

    /// Sets the size of `fd`. The corresponding C function is `ftruncate`.
    @inline(never)
    package static func ftruncate(_ fd: Int32, length: Int64) throws(Errno) {
        _ = try retrying { Glibc.ftruncate(fd, off_t(length)) }
    }

    /// An eventfd (close-on-exec, optionally non-blocking). The corresponding C function is `eventfd`.
    @inline(never)
    package static func eventfd(initialValue: UInt32 = 0, nonBlocking: Bool) throws(Errno) -> Int32 {
        try retrying { csys_eventfd(initialValue, nonBlocking ? 1 : 0) }
    }

    /// The size of the file `fd` refers to. The corresponding C function is `fstat`.
    @inline(never)
    package static func fileSize(_ fd: Int32) throws(Errno) -> Int64 {
        var st = stat()
        _ = try retrying { Glibc.fstat(fd, &st) }
        return Int64(st.st_size)
    }

    /// The entry names of a directory, without "." and "..", unsorted. The corresponding C functions are
    /// `opendir`, `readdir` and `closedir`.
    @inline(never)
    public static func listDirectory(_ path: String) throws(Errno) -> [String] {
        guard let dir = Glibc.opendir(path) else { throw Errno.current }
        defer { Glibc.closedir(dir) }
        var names: [String] = []
        while let entry = Glibc.readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Waits on several descriptors at once; returns each one's `revents` (all 0 on timeout). The
    /// corresponding C function is `poll`.
    @inline(never)
    package static func poll(_ fds: [Int32], events: Int16, timeoutMilliseconds: Int32) throws(Errno) -> [Int16] {
        var p = fds.map { pollfd(fd: $0, events: events, revents: 0) }
        _ = try retrying { Glibc.poll(&p, nfds_t(p.count), timeoutMilliseconds) }
        return p.map(\.revents)
    }

    /// Blocks `signals` for the calling thread (and threads it starts later) and returns a non-blocking
    /// descriptor that reads them. The corresponding C functions are `pthread_sigmask` and `signalfd`.
    @inline(never)
    package static func signalDescriptor(for signals: [Int32]) throws(Errno) -> Int32 {
        try retrying { signals.withUnsafeBufferPointer { csys_signalfd($0.baseAddress, Int32($0.count)) } }
    }

    /// The next pending signal number from a `signalDescriptor`, or nil when none is pending.
    @inline(never)
    package static func readSignal(_ fd: Int32) throws(Errno) -> Int32? {
        let signo = try retrying { csys_read_signal(fd) }
        return signo == 0 ? nil : signo
    }

    /// Sleeps the calling thread. The corresponding C function is `usleep`.
    public static func sleep(milliseconds: Int) {
        _ = Glibc.usleep(useconds_t(max(0, milliseconds)) * 1000)
    }

    /// The system page size. The corresponding C function is `sysconf(_SC_PAGESIZE)`.
    public static var pageSize: Int { Int(sysconf(Int32(_SC_PAGESIZE))) }
}
