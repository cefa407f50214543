#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

// The memory store's only system calls and raw memory: an anonymous mapping, bounds-checked on every
// access.

/// Zero-filled anonymous memory (mmap MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE): pages are
/// committed on first write and given back (reading zeros again) with `release`.
final class AnonymousMemory: @unchecked Sendable {
    let count: Int
    private let base: UnsafeMutableRawPointer

    init(count: Int) throws(StoreError) {
        guard count > 0 else { throw .unsupported("zero-sized memory store") }
        let p = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { throw .system(operation: "mmap", errno: .current) }
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
