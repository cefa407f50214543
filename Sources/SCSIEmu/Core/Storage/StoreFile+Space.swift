#if canImport(Glibc)
import Glibc
#endif
import CSystemCalls
import SystemCalls

// Space management: deallocating and zeroing ranges. Each call answers false where the file system or
// device cannot do it (EOPNOTSUPP, ENOSYS, EINVAL, ENODEV, ENOTTY), so the store picks the fallback its
// semantics need; any other failure throws.

extension StoreFile {
    /// Deallocates a range: it reads as zeros and (on a file system) gives its whole blocks back, the
    /// partial ones at the edges zeroed. On a block device, zeroes it, unmapping where the device can. The
    /// C function is `fallocate` with FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE.
    func punchHole(at offset: UInt64, length: UInt64) throws(Failure) -> Bool {
        let start = try fileOffset(offset, "fallocate PUNCH_HOLE", length: length)
        return try answering("fallocate PUNCH_HOLE") { cstore_punch_hole(fd, Int64(start), Int64(length)) }
    }

    /// Zeroes a range, keeping its space allocated. The C function is `fallocate` with
    /// FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE.
    func zeroRange(at offset: UInt64, length: UInt64) throws(Failure) -> Bool {
        let start = try fileOffset(offset, "fallocate ZERO_RANGE", length: length)
        return try answering("fallocate ZERO_RANGE") { cstore_zero_range(fd, Int64(start), Int64(length)) }
    }

    /// Writes zeros over a block device's range (the device may unmap it). The C call is `ioctl` BLKZEROOUT.
    func blockDeviceZeroOut(at offset: UInt64, length: UInt64) throws(Failure) -> Bool {
        try answering("ioctl BLKZEROOUT") { cstore_block_zero_out(fd, offset, length) }
    }

    /// Writes zeros with plain writes (where none of the calls above can).
    func writeZeros(at offset: UInt64, length: UInt64) throws(Failure) {
        try writeZeroChunks(at: offset, length: length) { zeros, range, at throws(Failure) in
            try write(from: zeros, range, at: at)
        }
    }

    /// Runs `call` (0 or -1 with errno), retrying EINTR: true when it worked, false when unsupported.
    private func answering(_ name: String, _ call: () -> Int32) throws(Failure) -> Bool {
        do {
            try Syscalls.retrying(call)
            return true
        } catch {
            if [.notSupported, .notImplemented, .invalidArgument, .noSuchDevice, .inappropriateIOControl].contains(error) {
                return false
            }
            throw failure(name, error)
        }
    }
}

/// Calls `write` with zeros for `length` bytes from `offset`, 1 MiB at a time: how a store zeroes a range
/// it cannot deallocate or zero otherwise.
func writeZeroChunks<E: Error>(
    at offset: UInt64, length: UInt64, _ write: (DataBuffer, Range<Int>, UInt64) throws(E) -> Void
) throws(E) {
    guard length > 0 else { return }
    let zeros = OwnedDataBuffer(count: Int(min(length, 1 << 20)))
    var done: UInt64 = 0
    while done < length {
        let n = Int(min(UInt64(zeros.view.count), length - done))
        try write(zeros.view, 0..<n, offset + done)
        done += UInt64(n)
    }
}
