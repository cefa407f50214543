#if canImport(Glibc)
import Glibc
#endif
import CSystemCalls
import SystemCalls

// Data moves straight between the file and a command's memory: `DataBuffer.withIOVecs` hands preadv and
// pwritev the command's own segments (no bounce copy). errno is read inside the iovec closure, before
// the temporary iovec array is released. The closures capture the descriptor, not the file: capturing
// `self` retained and released it around every call (docs/performance.md, session 14).

extension StoreFile {
    /// Reads `range` of `buffer` from `offset`. Returns the bytes read: fewer than asked only where the
    /// file ends. The C functions are `pread` (one segment) and `preadv`.
    func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(Failure) -> Int {
        let start = try fileOffset(offset, "preadv", length: UInt64(range.count))
        let fd = fd
        var done = 0
        while done < range.count {
            let at = start + off_t(done)
            let result = buffer.withIOVecs(covering: (range.lowerBound + done)..<range.upperBound) { vecs in
                Result { () throws(Errno) in
                    try Syscalls.retrying {
                        // One segment (the ring's usual case): pread, which the kernel serves faster than preadv.
                        vecs.count == 1
                            ? pread(fd, vecs[0].iov_base, vecs[0].iov_len, at)
                            : preadv(fd, vecs.baseAddress, Int32(min(vecs.count, Int(CSTORE_IOV_MAX))), at)
                    }
                }
            }
            let n: Int
            do { n = try result.get() } catch { throw failure("preadv", error) }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads `range` of `buffer` from `offset`; bytes past the end of the file read as zeros.
    /// Inlined for the usual case, one segment read whole by one `pread` (a page-cached READ through the
    /// ring): `FileStore.read` is then one function down to the system call, without `read`'s loop, its
    /// `Result` and its error path. Anything else (several segments, a short read at the file's end, an
    /// error or EINTR) goes through `readZeroFilledInDetail` from the start: a read can be repeated. The
    /// `pread` is issued inline (`cstore_pread_inline`): glibc's wrapper was one more call level open
    /// across the system call.
    @inline(__always)
    func readZeroFilled(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(Failure) {
        let fd = fd, count = range.count
        let whole = offset <= UInt64(off_t.max) - UInt64(count) && buffer.withIOVecs(covering: range) { vecs in
            vecs.count == 1 && vecs[0].iov_len == count && cstore_pread_inline(fd, vecs[0].iov_base, count, Int64(offset)) == count
        }
        if !whole { try readZeroFilledInDetail(into: buffer, range, at: offset) }
    }

    /// `readZeroFilled`'s whole rule: `read`'s loop, then zeros past the end of the file.
    func readZeroFilledInDetail(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(Failure) {
        let got = try read(into: buffer, range, at: offset)
        if got < range.count { buffer.zero((range.lowerBound + got)..<range.upperBound) }
    }

    /// Writes `range` of `buffer` at `offset`, all of it or an error. With `durable`, the data is on stable
    /// storage when this returns: pwritev2 with RWF_DSYNC, or pwritev then fdatasync where the kernel
    /// lacks it. The C functions are `pwritev` and `pwritev2`.
    func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64, durable: Bool = false) throws(Failure) {
        var dsync = durable
        let start = try fileOffset(offset, "pwritev", length: UInt64(range.count))
        let fd = fd
        var done = 0
        while done < range.count {
            let at = start + off_t(done)
            let result = buffer.withIOVecs(covering: (range.lowerBound + done)..<range.upperBound) { vecs in
                let count = Int32(min(vecs.count, Int(CSTORE_IOV_MAX)))
                return Result { () throws(Errno) in
                    try Syscalls.retrying {
                        dsync
                            ? cstore_pwritev_dsync(fd, vecs.baseAddress, count, Int64(at))
                            : count == 1
                                ? pwrite(fd, vecs[0].iov_base, vecs[0].iov_len, at) : pwritev(fd, vecs.baseAddress, count, at)
                    }
                }
            }
            let n: Int
            do { n = try result.get() } catch {
                if dsync, error == .notSupported || error == .notImplemented {
                    dsync = false  // no RWF_DSYNC here: plain writes, then fdatasync
                    continue
                }
                throw failure(dsync ? "pwritev2" : "pwritev", error)
            }
            if n == 0 { throw failure("pwritev", .ioError) }
            done += n
        }
        if durable, !dsync { try dataSync() }
    }

    // MARK: - Byte arrays (image metadata, single blocks)

    /// `count` bytes from `offset`; bytes past the end of the file read as zeros.
    func readBytes(count: Int, at offset: UInt64) throws(Failure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { raw in
            Result { () throws(Failure) in try self.read(into: DataBuffer(unsafeSegment: raw), 0..<count, at: offset) }
        }
        _ = try read.get()
        return bytes
    }

    /// Writes all of `bytes` at `offset`.
    func writeBytes(_ bytes: [UInt8], at offset: UInt64) throws(Failure) {
        var source = bytes  // pwritev only reads it; DataBuffer wants a mutable view
        let written = source.withUnsafeMutableBytes { raw in
            Result { () throws(Failure) in try write(from: DataBuffer(unsafeSegment: raw), 0..<raw.count, at: offset) }
        }
        try written.get()
    }
}
