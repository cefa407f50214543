import CRbd
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

// The rbd store's one FFI file: every call into librados and librbd, and the only unsafe code of the
// store. Data moves between the image and a command's own memory through `rbd_aio_readv` /
// `rbd_aio_writev` on the command's iovecs (no bounce copy). Each call submits an `rbd_aio_*` request
// and waits for its completion on the calling thread — an I/O worker of the device runner, never the
// ring thread (`RBDHandler.ioWorkerThreads`), so completions go back to the ring out of order, as many
// in flight as there are workers. librados bounds every wait: `rados_osd_op_timeout` makes an OSD
// that stops answering fail the request with ETIMEDOUT.

/// An open RBD image: the cluster connection, the pool's I/O context and the image handle.
final class RBDImage: @unchecked Sendable {
    // Set once in init, released once in close(); librbd handles are thread-safe for I/O.
    private let cluster: rados_t
    private let ioContext: rados_ioctx_t
    private let image: rbd_image_t
    private let closed = Atomic(false)

    /// Connects to the cluster `config` names and opens its image.
    /// - Throws: `StoreError.system` naming the librados/librbd call and its errno.
    init(_ config: RBDConfigString) throws(StoreError) {
        var cluster: rados_t?
        var r = rados_create(&cluster, config.clientID)
        guard r == 0, let cluster else { throw Self.failure("rados_create", r) }
        var done = false
        defer { if !done { rados_shutdown(cluster) } }
        r = rados_conf_read_file(cluster, config.confPath)
        guard r == 0 else { throw Self.failure("rados_conf_read_file \(config.confPath ?? "(default search path)")", r) }
        let timeout = String(config.osdOpTimeout)
        // An OSD that stops answering fails the request after the timeout (instead of waiting forever);
        // a monitor that does not answer at connect fails the open after as long.
        for key in ["rados_osd_op_timeout", "rados_mon_op_timeout", "client_mount_timeout"] {
            r = rados_conf_set(cluster, key, timeout)
            guard r == 0 else { throw Self.failure("rados_conf_set \(key)", r) }
        }
        // Discards of 4 KiB units are done (librbd's default skips those under 64 KiB).
        _ = rados_conf_set(cluster, "rbd_discard_granularity_bytes", "4096")
        r = rados_connect(cluster)
        guard r == 0 else { throw Self.failure("rados_connect", r) }
        var ioContext: rados_ioctx_t?
        r = rados_ioctx_create(cluster, config.pool, &ioContext)
        guard r == 0, let ioContext else { throw Self.failure("rados_ioctx_create \(config.pool)", r) }
        var image: rbd_image_t?
        r = rbd_open(ioContext, config.image, &image, nil)
        guard r == 0, let image else {
            rados_ioctx_destroy(ioContext)
            throw Self.failure("rbd_open \(config.pool)/\(config.image)", r)
        }
        self.cluster = cluster
        self.ioContext = ioContext
        self.image = image
        done = true
    }

    /// The image's size in bytes.
    func size() throws(StoreError) -> UInt64 {
        var size: UInt64 = 0
        let r = rbd_get_size(image, &size)
        guard r == 0 else { throw Self.failure("rbd_get_size", r) }
        return size
    }

    /// The image's object size in bytes (a request inside one object is one OSD operation).
    func objectSize() throws(StoreError) -> UInt64 {
        var info = rbd_image_info_t()
        let r = rbd_stat(image, &info, MemoryLayout<rbd_image_info_t>.size)
        guard r == 0 else { throw Self.failure("rbd_stat", r) }
        return info.obj_size
    }

    func resize(to size: UInt64) throws(StoreError) {
        let r = rbd_resize(image, size)
        guard r == 0 else { throw Self.failure("rbd_resize", r) }
    }

    func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        let r = buffer.withIOVecs(covering: range) { vecs in
            wait("rbd_aio_readv") { c in rbd_aio_readv(image, vecs.baseAddress, Int32(vecs.count), offset, c) }
        }
        try Self.check("rbd_aio_readv", r)
    }

    func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        let r = buffer.withIOVecs(covering: range) { vecs in
            wait("rbd_aio_writev") { c in rbd_aio_writev(image, vecs.baseAddress, Int32(vecs.count), offset, c) }
        }
        try Self.check("rbd_aio_writev", r)
    }

    func flush() throws(StoreError) {
        try Self.check("rbd_aio_flush", wait("rbd_aio_flush") { c in rbd_aio_flush(image, c) })
    }

    func discard(at offset: UInt64, length: UInt64) throws(StoreError) {
        try Self.check("rbd_aio_discard", wait("rbd_aio_discard") { c in rbd_aio_discard(image, offset, length, c) })
    }

    /// Zeroes; without `deallocate` the objects stay allocated (thick).
    func writeZeroes(at offset: UInt64, length: UInt64, deallocate: Bool) throws(StoreError) {
        let flags = deallocate ? 0 : Int32(RBD_WRITE_ZEROES_FLAG_THICK_PROVISION)
        let r = wait("rbd_aio_write_zeroes") { c in
            rbd_aio_write_zeroes(image, offset, Int(length), c, flags, 0)
        }
        try Self.check("rbd_aio_write_zeroes", r)
    }

    /// Writes the `write` bytes of `buffer` at `offset` if the image holds its `compare` bytes there, as
    /// one operation of the OSD. Returns nil when it wrote, else the offset of the first differing byte.
    func compareAndWrite(
        _ buffer: DataBuffer, compare: Range<Int>, write: Range<Int>, at offset: UInt64
    ) throws(StoreError) -> Int? {
        // librbd takes flat buffers: both halves are copied into one scratch buffer.
        let n = write.count
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * n, alignment: 16)
        defer { scratch.deallocate() }
        scratch.initializeMemory(as: UInt8.self, repeating: 0)
        _ = buffer.copy(from: compare.lowerBound, into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<min(n, compare.count)]))
        _ = buffer.copy(from: write.lowerBound, into: UnsafeMutableRawBufferPointer(rebasing: scratch[n..<(2 * n)]))
        var mismatch: UInt64 = 0
        let base = scratch.baseAddress!.assumingMemoryBound(to: CChar.self)
        let r = wait("rbd_aio_compare_and_write") { c in
            Int32(truncatingIfNeeded: rbd_aio_compare_and_write(image, offset, n, base, base + n, c, &mismatch, 0))
        }
        // librbd reports a miscompare as -EILSEQ and the first differing byte, as an image offset
        // (clamped into the compared range, whatever librbd says).
        if r == -EILSEQ { return Int(min(mismatch >= offset ? mismatch - offset : mismatch, UInt64(n - 1))) }
        try Self.check("rbd_aio_compare_and_write", r)
        return nil
    }

    /// The allocated extents of the image in `offset..<offset+length` (object-map/fast-diff when the
    /// image has them), in order.
    func allocatedExtents(at offset: UInt64, length: UInt64) throws(StoreError) -> [Range<UInt64>] {
        var extents: [Range<UInt64>] = []
        let r = withUnsafeMutablePointer(to: &extents) { list in
            rbd_diff_iterate2(image, nil, offset, length, 1, 0, { off, len, exists, arg in
                let list = arg!.assumingMemoryBound(to: [Range<UInt64>].self)
                if exists != 0 { list.pointee.append(off..<(off + UInt64(len))) }
                return 0
            }, list)
        }
        guard r == 0 else { throw Self.failure("rbd_diff_iterate2", r) }
        return extents
    }

    /// Closes the image and the connection (once).
    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = rbd_close(image)
        rados_ioctx_destroy(ioContext)
        rados_shutdown(cluster)
    }

    /// Submits one asynchronous request and waits for its completion; returns librbd's result (>= 0, or
    /// -errno). A request refused at submission returns that refusal.
    private func wait(_ call: String, _ submit: (rbd_completion_t) -> Int32) -> Int {
        var completion: rbd_completion_t?
        let created = rbd_aio_create_completion(nil, nil, &completion)
        guard created == 0, let completion else { return Int(created < 0 ? created : -ENOMEM) }
        defer { rbd_aio_release(completion) }
        let submitted = submit(completion)
        guard submitted >= 0 else { return Int(submitted) }
        _ = rbd_aio_wait_for_complete(completion)
        return rbd_aio_get_return_value(completion)
    }

    private static func check(_ call: String, _ result: Int) throws(StoreError) {
        guard result < 0 else { return }
        throw failure(call, Int32(truncatingIfNeeded: result))
    }

    static func failure(_ call: String, _ result: Int32) -> StoreError {
        let errno = Errno(rawValue: result < 0 ? -result : (result == 0 ? EIO : result))
        return RBDErrors.storeError(call, errno)
    }
}
