#if canImport(Glibc)
import Glibc
#endif
import CSystemCalls
import Synchronization
import SystemCalls

// The backing stores' file layer: with its facets (`StoreFile+Vectored.swift`, `StoreFile+Space.swift`)
// the only code in SCSIEmu that calls libc on a store's file. Every call retries EINTR and reads errno
// right after the call; failures come back as the owner's `Failure` type. Functions glibc hides behind
// _GNU_SOURCE and the block-device ioctls come from the C target `CSystemCalls`.

/// What an open store file refers to.
enum StoreFileKind: Sendable, Hashable {
    case regular
    case blockDevice
    /// A character device, FIFO, directory…: stores refuse it or treat it as a plain stream of bytes.
    case other
}

/// What `StoreFile.seek(toNext:from:)` looks for.
enum SeekTarget: Sendable { case data, hole }

/// What `StoreFile.seek(toNext:from:)` found.
enum SeekResult: Sendable, Hashable {
    case offset(UInt64)
    /// No data (or hole) between the offset and the end of the file (ENXIO).
    case none
    /// The file system cannot tell data from holes.
    case unsupported
}

/// An open file or block device holding a store's bytes (a raw disk image, a qcow2 image, a zoned image,
/// a disc image).
///
/// The descriptor closes on `close` or, at the latest, when the last reference goes: a read that started
/// before an optical eject still finishes on the old disc. `Failure` is how the owner wants failed calls
/// reported (see `SystemCallFailure`).
final class StoreFile<Failure: SystemCallFailure>: Sendable {
    enum Access: Sendable {
        case readOnly
        /// Read-write; the file must exist.
        case readWrite
        /// Read-write, created (mode 0600) when missing.
        case readWriteCreating
    }

    let path: String
    let kind: StoreFileKind
    /// The descriptor, for the facets of this type only (a store never calls libc itself).
    let fd: Int32
    private let isOpen = Atomic<Bool>(true)

    /// Opens `path` and finds out what it is. The corresponding C functions are `open` and `fstat`.
    init(path: String, access: Access) throws(Failure) {
        var flags = O_CLOEXEC
        switch access {
        case .readOnly: flags |= O_RDONLY
        case .readWrite: flags |= O_RDWR
        case .readWriteCreating: flags |= O_RDWR | O_CREAT
        }
        let fd: Int32
        do { fd = try Syscalls.retrying { Glibc.open(path, flags, 0o600) } } catch {
            throw Failure(SystemCallError(errno: error, operation: "open \(path)"))
        }
        var st = stat()
        do { try Syscalls.retrying { fstat(fd, &st) } } catch {
            _ = Glibc.close(fd)
            throw Failure(SystemCallError(errno: error, operation: "fstat \(path)"))
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFBLK: kind = .blockDevice
        default: kind = .other
        }
        self.path = path
        self.fd = fd
    }

    deinit {
        if isOpen.load(ordering: .acquiring) { _ = Glibc.close(fd) }
    }

    /// Closes the descriptor now, once (a second call does nothing: the number may have been reused),
    /// after an `fdatasync` when `syncing`.
    func close(syncing: Bool) {
        guard isOpen.exchange(false, ordering: .acquiringAndReleasing) else { return }
        if syncing { try? dataSync() }
        _ = Glibc.close(fd)
    }

    /// The failure of `call` on this file with `errno`.
    func failure(_ call: String, _ errno: Errno) -> Failure {
        Failure(SystemCallError(errno: errno, operation: "\(call) \(path)"))
    }

    /// `Syscalls.retrying` (EINTR retried), a failure named after `name` and this file.
    @discardableResult
    func retrying<R: FixedWidthInteger>(_ name: String, _ call: () -> R) throws(Failure) -> R {
        do { return try Syscalls.retrying(call) } catch { throw failure(name, error) }
    }

    // MARK: - Size and durability

    /// The size in bytes: a regular file's length, a block device's capacity (BLKGETSIZE64), anything
    /// else's end offset (lseek).
    func size() throws(Failure) -> UInt64 {
        switch kind {
        case .regular:
            var st = stat()
            try retrying("fstat") { fstat(fd, &st) }
            return UInt64(st.st_size)
        case .blockDevice:
            var bytes: UInt64 = 0
            try retrying("ioctl BLKGETSIZE64") { cstore_block_device_size(fd, &bytes) }
            return bytes
        case .other:
            return UInt64(try retrying("lseek") { lseek(fd, 0, SEEK_END) })
        }
    }

    /// Sets a regular file's length; bytes past the old end read as zeros. The C function is `ftruncate`.
    func truncate(to length: UInt64) throws(Failure) {
        let end = try fileOffset(length, "ftruncate")
        try retrying("ftruncate") { ftruncate(fd, end) }
    }

    /// `offset + length` as an `off_t`, or EFBIG (never a trap) when the range ends past 2^63−1: every
    /// offset reaching the file layer passes here, whatever a caller checked before.
    func fileOffset(_ offset: UInt64, _ call: String, length: UInt64 = 0) throws(Failure) -> off_t {
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= UInt64(off_t.max) else { throw failure(call, .fileTooLarge) }
        return off_t(offset)
    }

    /// Makes every completed write durable. The C function is `fdatasync`.
    func dataSync() throws(Failure) {
        try retrying("fdatasync") { fdatasync(fd) }
    }

    // MARK: - Holes and hints

    /// Where the next data (or hole) starts at or after `offset`. The C function is `lseek` with
    /// SEEK_DATA or SEEK_HOLE.
    func seek(toNext target: SeekTarget, from offset: UInt64) throws(Failure) -> SeekResult {
        let start = try fileOffset(offset, "lseek")
        do { return .offset(UInt64(try Syscalls.retrying { cstore_seek(fd, Int64(start), target == .hole ? 1 : 0) })) } catch {
            switch error {
            case .noSuchDeviceOrAddress: return .none
            case .invalidArgument, .notSupported: return .unsupported
            default: throw failure("lseek", error)
            }
        }
    }

    /// Hints that a range will be read soon. The C function is `posix_fadvise` with POSIX_FADV_WILLNEED.
    func adviseWillNeed(offset: UInt64, length: UInt64) {
        guard let start = try? fileOffset(offset, "posix_fadvise", length: length) else { return }
        _ = posix_fadvise(fd, start, off_t(length), POSIX_FADV_WILLNEED)
    }
}

/// Checks that a store's file exists, before anything opens (or creates) it. The C function is `access`
/// with F_OK.
func checkStoreFileExists(_ path: String) throws(SystemCallError) {
    do { try Syscalls.retrying { access(path, F_OK) } } catch { throw SystemCallError(errno: error, operation: "access \(path)") }
}
