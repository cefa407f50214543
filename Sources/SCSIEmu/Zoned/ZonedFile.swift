#if canImport(Glibc)
import Glibc
#endif

// This file is the zoned store's syscall layer: the only place in Zoned that calls libc or touches raw
// memory. preadv/pwritev go straight into the command's memory through `DataBuffer.withIOVecs`.

/// A zoned image file: a regular file opened read-write (created when absent).
public final class ZonedFile: ZonedMedium {
    public let path: String
    private let fd: Int32

    /// Opens (or creates, mode 0600) `path`. The caller decides whether an empty file gets formatted.
    public init(path: String) throws(MediumError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MediumError("open \(path)", errno: errno) }
        self.path = path
        self.fd = fd
    }

    deinit { _ = Glibc.close(fd) }

    /// Linux UIO_MAXIOV: a longer list is done in several calls.
    static let iovMax = 1024

    public func length() throws(MediumError) -> UInt64 {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw MediumError("fstat", errno: errno) }
        return UInt64(st.st_size)
    }

    public func setLength(_ length: UInt64) throws(MediumError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw MediumError("ftruncate", errno: errno) }
    }

    public func read(into buffer: DataBuffer, range: Range<Int>, at offset: UInt64) throws(MediumError) {
        var done = 0
        let total = range.count
        while done < total {
            let sub = (range.lowerBound + done)..<range.upperBound
            let n = buffer.withIOVecs(covering: sub) { vecs in
                preadv(fd, vecs.baseAddress, Int32(min(vecs.count, Self.iovMax)), off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw MediumError("preadv", errno: errno)
            }
            if n == 0 {  // past the end of the file: zeros
                buffer.zero(sub)
                return
            }
            done += n
        }
    }

    public func write(from buffer: DataBuffer, range: Range<Int>, at offset: UInt64) throws(MediumError) {
        var done = 0
        let total = range.count
        while done < total {
            let sub = (range.lowerBound + done)..<range.upperBound
            let n = buffer.withIOVecs(covering: sub) { vecs in
                pwritev(fd, vecs.baseAddress, Int32(min(vecs.count, Self.iovMax)), off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw MediumError("pwritev", errno: errno)
            }
            if n == 0 { throw MediumError("pwritev", errno: EIO) }
            done += n
        }
    }

    public func read(count: Int, at offset: UInt64) throws(MediumError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { p in
                pread(fd, p.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw MediumError("pread", errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return out
    }

    public func write(_ bytes: [UInt8], at offset: UInt64) throws(MediumError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { p in
                pwrite(fd, p.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw MediumError("pwrite", errno: errno)
            }
            done += n
        }
    }

    public func zero(length: UInt64, at offset: UInt64) throws(MediumError) {
        guard length > 0 else { return }
        // FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
        if linuxFallocate(fd, 0x02 | 0x01, Int(offset), Int(length)) == 0 { return }
        let err = errno
        guard err == EOPNOTSUPP || err == ENOSYS else { throw MediumError("fallocate", errno: err) }
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        var done: UInt64 = 0
        while done < length {
            let n = Int(min(UInt64(chunk.count), length - done))
            try write(n == chunk.count ? chunk : Array(chunk[0..<n]), at: offset + done)
            done += UInt64(n)
        }
    }

    public func sync() throws(MediumError) {
        while fdatasync(fd) != 0 {
            if errno != EINTR { throw MediumError("fdatasync", errno: errno) }
        }
    }
}

/// glibc's `fallocate(2)` wrapper, which the Glibc module does not export (it is behind _GNU_SOURCE).
/// Only integer arguments, so the Swift and C calling conventions agree.
@_silgen_name("fallocate")
private func linuxFallocate(_ fd: Int32, _ mode: Int32, _ offset: Int, _ length: Int) -> Int32
