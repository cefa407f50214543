#if canImport(Glibc)
import Glibc
#endif

// The optical handler's only syscall file: open, size, preadv/pwritev straight into the command's
// iovecs, pread/pwrite for bounce buffers, fdatasync, ftruncate. Errors come back as values.

/// A failed system call: the errno and what was being done.
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    public let errno: Int32
    public let operation: String
    public init(errno: Int32, operation: String) {
        self.errno = errno
        self.operation = operation
    }
    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}

/// An open image file or block device. The descriptor closes when the last reference goes, so a read
/// that started before an eject finishes on the old disc.
final class ImageFile: Sendable {
    let fd: Int32
    let path: String
    let writable: Bool

    /// The largest iovec count one preadv/pwritev takes (IOV_MAX on Linux).
    static let maxIOVecs = 1024

    private init(fd: Int32, path: String, writable: Bool) {
        self.fd = fd
        self.path = path
        self.writable = writable
    }

    deinit { _ = Glibc.close(fd) }

    /// Opens `path` read-only, or read-write (created with mode 0600 when `create` and missing).
    static func open(path: String, writable: Bool, create: Bool) throws(SystemCallError) -> ImageFile {
        var flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC
        if create { flags |= O_CREAT }
        var fd: Int32
        repeat { fd = Glibc.open(path, flags, 0o600) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw SystemCallError(errno: errno, operation: "open \(path)") }
        return ImageFile(fd: fd, path: path, writable: writable)
    }

    /// The size in bytes (lseek to the end works for files and block devices alike).
    func size() throws(SystemCallError) -> UInt64 {
        let end = lseek(fd, 0, SEEK_END)
        guard end >= 0 else { throw SystemCallError(errno: errno, operation: "lseek \(path)") }
        return UInt64(end)
    }

    func truncate(to size: UInt64) throws(SystemCallError) {
        var rc: Int32
        repeat { rc = ftruncate(fd, off_t(size)) } while rc < 0 && errno == EINTR
        guard rc == 0 else { throw SystemCallError(errno: errno, operation: "ftruncate \(path)") }
    }

    func sync() throws(SystemCallError) {
        var rc: Int32
        repeat { rc = fdatasync(fd) } while rc < 0 && errno == EINTR
        guard rc == 0 else { throw SystemCallError(errno: errno, operation: "fdatasync \(path)") }
    }

    /// Reads `range` of `buffer` from `offset`. Returns the bytes read: fewer than asked only at end of file.
    @inline(never)
    func read(into buffer: DataBuffer, range: Range<Int>, at offset: UInt64) throws(SystemCallError) -> Int {
        var done = 0
        while done < range.count {
            let n: Int = buffer.withIOVecs(covering: (range.lowerBound + done)..<range.upperBound) { vecs in
                let count = min(vecs.count, Self.maxIOVecs)
                var r: Int
                repeat {
                    r = preadv(fd, vecs.baseAddress, Int32(count), off_t(offset + UInt64(done)))
                } while r < 0 && errno == EINTR
                return r
            }
            guard n >= 0 else { throw SystemCallError(errno: errno, operation: "preadv \(path)") }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes `range` of `buffer` at `offset`, all of it or an error.
    @inline(never)
    func write(from buffer: DataBuffer, range: Range<Int>, at offset: UInt64) throws(SystemCallError) {
        var done = 0
        while done < range.count {
            let n: Int = buffer.withIOVecs(covering: (range.lowerBound + done)..<range.upperBound) { vecs in
                let count = min(vecs.count, Self.maxIOVecs)
                var r: Int
                repeat {
                    r = pwritev(fd, vecs.baseAddress, Int32(count), off_t(offset + UInt64(done)))
                } while r < 0 && errno == EINTR
                return r
            }
            guard n > 0 else { throw SystemCallError(errno: n < 0 ? errno : ENOSPC, operation: "pwritev \(path)") }
            done += n
        }
    }

    /// Reads into `bytes` from `offset`; returns the count read (short only at end of file).
    @inline(never)
    func read(into bytes: inout [UInt8], at offset: UInt64) throws(SystemCallError) -> Int {
        let total = bytes.count
        var done = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { raw in
            while done < total {
                let r = pread(fd, raw.baseAddress! + done, total - done, off_t(offset + UInt64(done)))
                if r < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if r == 0 { return }
                done += r
            }
        }
        if failure != 0 { throw SystemCallError(errno: failure, operation: "pread \(path)") }
        return done
    }

    /// Writes all of `bytes` at `offset`.
    @inline(never)
    func write(_ bytes: [UInt8], at offset: UInt64) throws(SystemCallError) {
        var done = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let r = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset + UInt64(done)))
                if r < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if r == 0 {
                    failure = ENOSPC
                    return
                }
                done += r
            }
        }
        if failure != 0 { throw SystemCallError(errno: failure, operation: "pwrite \(path)") }
    }
}
