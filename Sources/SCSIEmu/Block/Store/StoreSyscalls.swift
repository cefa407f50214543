#if canImport(Glibc)
import Glibc
#endif

// The backing stores' only system-call and raw-memory code. Every call retries EINTR and reads errno
// before returning; callers get `StoreError` values. Functions Glibc hides behind _GNU_SOURCE
// (fallocate, pwritev2) are looked up once with dlsym.

/// Linux constants Glibc does not import (<linux/fs.h>, <linux/falloc.h>, <unistd.h> with _GNU_SOURCE).
enum LinuxConstant {
    static let seekData: Int32 = 3
    static let seekHole: Int32 = 4
    static let fallocKeepSize: Int32 = 0x01
    static let fallocPunchHole: Int32 = 0x02
    static let fallocZeroRange: Int32 = 0x10
    static let rwfDSync: Int32 = 0x02
    /// _IOR(0x12, 114, size_t)
    static let blkGetSize64: UInt = 0x8008_1272
    /// _IO(0x12, 119)
    static let blkDiscard: UInt = 0x1277
    /// _IO(0x12, 127)
    static let blkZeroOut: UInt = 0x127F
    /// UIO_MAXIOV: the most iovecs one preadv/pwritev takes.
    static let iovMax = 1024
}

private typealias FallocateFunction = @convention(c) (Int32, Int32, Int, Int) -> Int32
private typealias PWriteV2Function = @convention(c) (Int32, UnsafePointer<iovec>?, Int32, Int, Int32) -> Int

private struct GNUFunctions: @unchecked Sendable {
    let fallocate: FallocateFunction?
    let pwritev2: PWriteV2Function?

    static let shared: GNUFunctions = {
        let handle = dlopen(nil, RTLD_NOW)
        func find<F>(_ name: String, as: F.Type) -> F? {
            guard let p = dlsym(handle, name) else { return nil }
            return unsafeBitCast(p, to: F.self)
        }
        return GNUFunctions(
            fallocate: find("fallocate", as: FallocateFunction.self),
            pwritev2: find("pwritev2", as: PWriteV2Function.self))
    }()
}

/// What an open descriptor refers to.
enum StoreFileKind: Sendable, Hashable {
    case regular
    case blockDevice
}

/// An open file descriptor of a backing store, with the few operations the stores need.
struct StoreFile: Sendable {
    let fd: Int32

    /// Opens `path`. The corresponding C function is `open`.
    static func open(path: String, readOnly: Bool, create: Bool) throws(StoreError) -> StoreFile {
        var flags = (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC
        if create && !readOnly { flags |= O_CREAT }
        while true {
            let fd = Glibc.open(path, flags, 0o600)
            if fd >= 0 { return StoreFile(fd: fd) }
            let e = errno
            if e != EINTR { throw .system(operation: "open \(path)", errno: e) }
        }
    }

    func close() { _ = Glibc.close(fd) }

    /// Regular file or block device, and its size in bytes (BLKGETSIZE64 for a block device).
    func kindAndSize() throws(StoreError) -> (StoreFileKind, UInt64) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .system(operation: "fstat", errno: errno) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return (.regular, UInt64(st.st_size))
        case S_IFBLK:
            var size: UInt64 = 0
            guard ioctl(fd, LinuxConstant.blkGetSize64, &size) == 0 else {
                throw .system(operation: "ioctl BLKGETSIZE64", errno: errno)
            }
            return (.blockDevice, size)
        default: throw .unsupported("not a regular file or block device")
        }
    }

    func truncate(to size: UInt64) throws(StoreError) {
        try retrying("ftruncate") { ftruncate(fd, off_t(size)) }
    }

    func dataSync() throws(StoreError) {
        try retrying("fdatasync") { fdatasync(fd) }
    }

    // MARK: - Vectored I/O straight into command memory

    /// Reads `range` of `buffer` from `offset`; bytes past the end of the file read as zeros.
    func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        var done = 0
        while done < range.count {
            let piece = (range.lowerBound + done)..<range.upperBound
            let n = buffer.withIOVecs(covering: piece) { vecs in
                preadv(fd, vecs.baseAddress, Int32(min(vecs.count, LinuxConstant.iovMax)), off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(operation: "preadv", errno: errno)
            }
            if n == 0 {
                buffer.zero(piece)
                return
            }
            done += n
        }
    }

    /// Writes `range` of `buffer` at `offset`; with `durable`, the data is on stable storage on return
    /// (pwritev2 RWF_DSYNC, or pwritev then fdatasync where the kernel lacks it).
    func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64, durable: Bool) throws(StoreError) {
        let pwritev2 = durable ? GNUFunctions.shared.pwritev2 : nil
        var syncAfter = durable && pwritev2 == nil
        var done = 0
        while done < range.count {
            let piece = (range.lowerBound + done)..<range.upperBound
            let at = off_t(offset) + off_t(done)
            let n = buffer.withIOVecs(covering: piece) { vecs in
                let count = Int32(min(vecs.count, LinuxConstant.iovMax))
                if let pwritev2, !syncAfter {
                    return pwritev2(fd, vecs.baseAddress, count, at, LinuxConstant.rwfDSync)
                }
                return pwritev(fd, vecs.baseAddress, count, at)
            }
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                if e == EOPNOTSUPP || e == ENOSYS, !syncAfter {
                    syncAfter = true
                    continue
                }
                throw Self.writeError("pwritev", e)
            }
            done += n
        }
        if syncAfter { try dataSync() }
    }

    // MARK: - Plain byte arrays (image metadata)

    func readBytes(count: Int, at offset: UInt64) throws(StoreError) -> [UInt8] {
        let owned = OwnedDataBuffer(count: count)
        try read(into: owned.view, 0..<count, at: offset)
        return owned.bytes
    }

    func writeBytes(_ bytes: [UInt8], at offset: UInt64) throws(StoreError) {
        let owned = OwnedDataBuffer(bytes)
        try write(from: owned.view, 0..<bytes.count, at: offset, durable: false)
    }

    // MARK: - Space management

    /// `fallocate(2)`; returns false when the file system or device does not support `mode`.
    func fallocate(mode: Int32, offset: UInt64, length: UInt64) throws(StoreError) -> Bool {
        guard let fallocate = GNUFunctions.shared.fallocate else { return false }
        while true {
            if fallocate(fd, mode, Int(offset), Int(length)) == 0 { return true }
            let e = errno
            switch e {
            case EINTR: continue
            case EOPNOTSUPP, ENOSYS, EINVAL, ENODEV: return false
            default: throw Self.writeError("fallocate", e)
            }
        }
    }

    /// BLKZEROOUT or BLKDISCARD on a block device range.
    func blockDeviceRange(_ request: UInt, offset: UInt64, length: UInt64) throws(StoreError) -> Bool {
        var range: (UInt64, UInt64) = (offset, length)
        while true {
            if ioctl(fd, request, &range) == 0 { return true }
            let e = errno
            switch e {
            case EINTR: continue
            case EOPNOTSUPP, ENOTTY, EINVAL: return false
            default: throw Self.writeError("ioctl", e)
            }
        }
    }

    /// `lseek` with SEEK_DATA or SEEK_HOLE: the next offset of that kind at or after `offset`, nil for
    /// none (ENXIO), or throws `unsupported` where the file system cannot tell.
    func seek(_ whence: Int32, from offset: UInt64) throws(StoreError) -> UInt64? {
        let r = lseek(fd, off_t(offset), whence)
        if r >= 0 { return UInt64(r) }
        let e = errno
        if e == ENXIO { return nil }
        if e == EINVAL || e == EOPNOTSUPP { throw .unsupported("SEEK_DATA/SEEK_HOLE") }
        throw .system(operation: "lseek", errno: e)
    }

    func adviseWillNeed(offset: UInt64, length: UInt64) {
        _ = posix_fadvise(fd, off_t(offset), off_t(length), POSIX_FADV_WILLNEED)
    }

    private func retrying(_ op: String, _ call: () -> Int32) throws(StoreError) {
        while call() != 0 {
            let e = errno
            if e != EINTR { throw Self.writeError(op, e) }
        }
    }

    private static func writeError(_ op: String, _ e: Int32) -> StoreError {
        e == ENOSPC || e == EDQUOT ? .noSpace : .system(operation: op, errno: e)
    }
}

/// A shared/exclusive lock (pthread_rwlock): writes share it, COMPARE AND WRITE and FORMAT UNIT hold it
/// alone. Allocated once per device; never copied.
final class SharedExclusiveLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func shared<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    func exclusive<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}

/// Zero-filled anonymous memory (mmap MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE): pages are
/// committed on first write and given back (reading zeros again) with `release`.
final class AnonymousMemory: @unchecked Sendable {
    let count: Int
    private let base: UnsafeMutableRawPointer

    init(count: Int) throws(StoreError) {
        guard count > 0 else { throw .unsupported("zero-sized memory store") }
        let p = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { throw .system(operation: "mmap", errno: errno) }
        self.base = p
        self.count = count
    }

    deinit { munmap(base, count) }

    private func region(_ offset: Int, _ length: Int) -> UnsafeMutableRawBufferPointer {
        precondition(offset >= 0 && length >= 0 && offset <= count && length <= count - offset)
        return UnsafeMutableRawBufferPointer(start: base + offset, count: length)
    }

    /// Copies `length` bytes at `offset` into `buffer` from `bufferOffset`.
    func copy(at offset: Int, length: Int, into buffer: DataBuffer, at bufferOffset: Int) {
        buffer.write(raw: UnsafeRawBufferPointer(region(offset, length)), at: bufferOffset)
    }

    /// Copies `length` bytes of `buffer` from `bufferOffset` to `offset`.
    func copy(from buffer: DataBuffer, at bufferOffset: Int, length: Int, to offset: Int) {
        _ = buffer.copy(from: bufferOffset, into: region(offset, length))
    }

    func zero(at offset: Int, length: Int) {
        region(offset, length).initializeMemory(as: UInt8.self, repeating: 0)
    }

    /// Gives whole pages back to the kernel; they read as zeros afterwards.
    func release(at offset: Int, length: Int) {
        let r = region(offset, length)
        _ = madvise(r.baseAddress, r.count, MADV_DONTNEED)
    }
}
