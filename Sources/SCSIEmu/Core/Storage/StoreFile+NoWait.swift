#if canImport(Glibc)
import Glibc
#endif
import CSystemCalls
import SystemCalls

// Reads that must not wait for the device: preadv2 with RWF_NOWAIT copies what the page cache holds and
// answers EAGAIN (nothing cached) or a short count (only the start cached) instead of starting I/O and
// sleeping. The ring thread serves cached reads this way and hands only the rest to an I/O worker.

/// What a read that must not wait found.
enum NoWaitRead: Sendable, Hashable {
    /// Every byte asked for is in the buffer.
    case complete
    /// Not all of it was cached (EAGAIN, a short count, or a failure the blocking read will report): the
    /// buffer's range holds nothing to rely on.
    case wouldBlock
    /// The file cannot read without waiting (EOPNOTSUPP: a kernel before 4.14, a file system without it).
    case unsupported
}

extension StoreFile {
    /// Reads `range` of `buffer` from `offset` if the page cache holds all of it, in one call (a partial
    /// hit is `wouldBlock`, never a short success). The C function is `preadv2(…, RWF_NOWAIT)`.
    func readWithoutWaiting(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) -> NoWaitRead {
        guard !range.isEmpty, let at = try? fileOffset(offset, "preadv2", length: UInt64(range.count)) else {
            return range.isEmpty ? .complete : .wouldBlock
        }
        let result = buffer.withIOVecs(covering: range) { vecs in
            Result { () throws(Errno) in
                try Syscalls.retrying {
                    cstore_preadv_nowait(fd, vecs.baseAddress, Int32(min(vecs.count, Int(CSTORE_IOV_MAX))), Int64(at))
                }
            }
        }
        switch result {
        case let .success(n): return n == range.count ? .complete : .wouldBlock
        case .failure(.notSupported): return .unsupported
        case .failure: return .wouldBlock
        }
    }
}
