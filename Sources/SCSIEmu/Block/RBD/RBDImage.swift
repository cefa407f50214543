import CRbd
import Dispatch
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

// The rbd store's one FFI file: every call into librados and librbd, and the only unsafe code of the
// store. Data moves between the image and a command's own memory through `rbd_aio_readv` /
// `rbd_aio_writev` on the command's iovecs (no bounce copy). Two ways to run a request:
// - `submit` (the ring thread, through `AsyncBackingStore`): an `rbd_aio_*` call whose completion
//   callback (librbd's own thread) hands the result on; nothing waits;
// - `perform` (an I/O worker: commands without an asynchronous path, and the ones a
//   `CommandCompletionSink` declined): the same call, waited for on the calling thread.
// librados bounds every request: `rados_osd_op_timeout` makes an OSD that stops answering fail it with
// ETIMEDOUT.

/// An open RBD image: the cluster connection, the pool's I/O context and the image handle.
final class RBDImage: @unchecked Sendable {
    // Set once in init, released once in close(); librbd handles are thread-safe for I/O.
    private let cluster: rados_t
    private let ioContext: rados_ioctx_t
    private let image: rbd_image_t
    private let rbd: emud_rbd_api
    private let closed = Atomic(false)

    /// Connects to the cluster `config` names and opens its image.
    /// - Throws: `StoreError.system` naming the librados/librbd call and its errno.
    init(_ config: RBDConfigString) throws(StoreError) {
        let rbd = try RBDLibrary.load()
        var cluster: rados_t?
        var r = rbd.rados_create(&cluster, config.clientID)
        guard r == 0, let cluster else { throw Self.failure("rados_create", r) }
        var done = false
        defer { if !done { rbd.rados_shutdown(cluster) } }
        r = rbd.rados_conf_read_file(cluster, config.confPath)
        guard r == 0 else { throw Self.failure("rados_conf_read_file \(config.confPath ?? "(default search path)")", r) }
        let timeout = String(config.osdOpTimeout)
        // An OSD that stops answering fails the request after the timeout (instead of waiting forever);
        // a monitor that does not answer at connect fails the open after as long.
        for key in ["rados_osd_op_timeout", "rados_mon_op_timeout", "client_mount_timeout"] {
            r = rbd.rados_conf_set(cluster, key, timeout)
            guard r == 0 else { throw Self.failure("rados_conf_set \(key)", r) }
        }
        // Discards of 4 KiB units are done (librbd's default skips those under 64 KiB).
        _ = rbd.rados_conf_set(cluster, "rbd_discard_granularity_bytes", "4096")
        // No librbd cache: with it, after the first flush a write is acknowledged before the OSD has it
        // (write-around), a write the OSD then fails is reported once, by the next flush, and the flush
        // the initiator retries after that succeeds: the write is lost without an error. Without it a
        // write completes when the OSD has it, and fails itself (53-rbd-cluster found this in the VM).
        r = rbd.rados_conf_set(cluster, "rbd_cache", "false")
        guard r == 0 else { throw Self.failure("rados_conf_set rbd_cache", r) }
        r = rbd.rados_connect(cluster)
        guard r == 0 else { throw Self.failure("rados_connect", r) }
        var ioContext: rados_ioctx_t?
        r = rbd.rados_ioctx_create(cluster, config.pool, &ioContext)
        guard r == 0, let ioContext else { throw Self.failure("rados_ioctx_create \(config.pool)", r) }
        var image: rbd_image_t?
        r = rbd.rbd_open(ioContext, config.image, &image, nil)
        guard r == 0, let image else {
            rbd.rados_ioctx_destroy(ioContext)
            throw Self.failure("rbd_open \(config.pool)/\(config.image)", r)
        }
        self.cluster = cluster
        self.ioContext = ioContext
        self.image = image
        self.rbd = rbd
        done = true
    }

    /// The image's size in bytes.
    func size() throws(StoreError) -> UInt64 {
        var size: UInt64 = 0
        let r = rbd.rbd_get_size(image, &size)
        guard r == 0 else { throw Self.failure("rbd_get_size", r) }
        return size
    }

    /// The image's object size in bytes (a request inside one object is one OSD operation).
    func objectSize() throws(StoreError) -> UInt64 {
        var info = rbd_image_info_t()
        let r = rbd.rbd_stat(image, &info, MemoryLayout<rbd_image_info_t>.size)
        guard r == 0 else { throw Self.failure("rbd_stat", r) }
        return info.obj_size
    }

    func resize(to size: UInt64) throws(StoreError) {
        let r = rbd.rbd_resize(image, size)
        guard r == 0 else { throw Self.failure("rbd_resize", r) }
    }

    /// The allocated extents of the image in `offset..<offset+length` (object-map/fast-diff when the
    /// image has them), in order.
    func allocatedExtents(at offset: UInt64, length: UInt64) throws(StoreError) -> [Range<UInt64>] {
        var extents: [Range<UInt64>] = []
        let r = withUnsafeMutablePointer(to: &extents) { list in
            rbd.rbd_diff_iterate2(image, nil, offset, length, 1, 0, { off, len, exists, arg in
                let list = arg!.assumingMemoryBound(to: [Range<UInt64>].self)
                if exists != 0 { list.pointee.append(off..<(off + UInt64(len))) }
                return 0
            }, list)
        }
        guard r == 0 else { throw Self.failure("rbd_diff_iterate2", r) }
        return extents
    }

    /// Starts one request; `done` gets librbd's result (>= 0, or -errno) and, for a compare-and-write,
    /// the image offset of the first differing byte. Called once, from librbd's callback thread, or
    /// from here when librbd refuses the request at submission. The request's iovecs and flat buffers are
    /// kept (librbd reads the iovec array when the read completes) until then.
    func submit(_ request: StoreRequest, _ done: @escaping @Sendable (_ result: Int, _ mismatch: UInt64) -> Void) {
        let box = RBDRequest(done)
        let arg = Unmanaged.passRetained(box).toOpaque()
        var made: rbd_completion_t?
        let created = rbd.rbd_aio_create_completion(arg, { completion, arg in
            let box = Unmanaged<RBDRequest>.fromOpaque(arg!).takeRetainedValue()
            let rbd = RBDLibrary.loaded
            let result = rbd.rbd_aio_get_return_value(completion)
            rbd.rbd_aio_release(completion)
            box.finish(result)
        }, &made)
        guard created == 0, let completion = made else {
            Unmanaged<RBDRequest>.fromOpaque(arg).release()
            return done(Int(created < 0 ? created : -ENOMEM), 0)
        }
        let submitted: Int32
        switch request {
        case let .read(buffer, range, offset):
            let vecs = box.keep(buffer, range)
            submitted = rbd.rbd_aio_readv(image, vecs.baseAddress, Int32(vecs.count), offset, completion)
        case let .write(buffer, range, offset):
            let vecs = box.keep(buffer, range)
            submitted = rbd.rbd_aio_writev(image, vecs.baseAddress, Int32(vecs.count), offset, completion)
        case .flush:
            submitted = rbd.rbd_aio_flush(image, completion)
        case let .discard(offset, length):
            submitted = rbd.rbd_aio_discard(image, offset, length, completion)
        case let .writeZeroes(offset, length, deallocate):
            let flags = deallocate ? 0 : Int32(RBD_WRITE_ZEROES_FLAG_THICK_PROVISION)
            submitted = rbd.rbd_aio_write_zeroes(image, offset, Int(length), completion, flags, 0)
        case let .writeSame(pattern, offset, length):
            let flat = box.keep(pattern)
            submitted = rbd.rbd_aio_writesame(image, offset, Int(length), flat, pattern.count, completion, 0)
        case let .compareAndWrite(buffer, compare, write, offset):
            let flat = box.keepHalves(buffer, compare: compare, write: write)
            box.requestOffset = offset
            submitted = Int32(truncatingIfNeeded: rbd.rbd_aio_compare_and_write(
                image, offset, write.count, flat, flat + write.count, completion, box.mismatch, 0))
        }
        guard submitted < 0 else { return }
        // Refused at submission: librbd will not call back.
        rbd.rbd_aio_release(completion)
        Unmanaged<RBDRequest>.fromOpaque(arg).release()
        done(Int(submitted), 0)
    }

    /// Runs one request and waits for it: librbd's result and the miscompare offset, as `submit` hands
    /// them on.
    func perform(_ request: StoreRequest) -> (result: Int, mismatch: UInt64) {
        let answered = DispatchSemaphore(value: 0)
        let answer = Mutex<(result: Int, mismatch: UInt64)>((0, 0))
        submit(request) { result, mismatch in
            answer.withLock { $0 = (result, mismatch) }
            answered.signal()
        }
        answered.wait()
        return answer.withLock { $0 }
    }

    /// Closes the image and the connection (once).
    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = rbd.rbd_close(image)
        rbd.rados_ioctx_destroy(ioContext)
        rbd.rados_shutdown(cluster)
    }

    static func failure(_ call: String, _ result: Int32) -> StoreError {
        let errno = Errno(rawValue: result < 0 ? -result : (result == 0 ? EIO : result))
        return RBDErrors.storeError(call, errno)
    }
}

/// What one submitted request keeps alive until librbd calls back: the iovec array (librbd reads it when
/// a read completes), flat copies of a pattern or of compare-and-write's halves, the miscompare offset
/// librbd writes, and the closure that takes the result.
private final class RBDRequest: @unchecked Sendable {
    // Written before submission, read in the callback: librbd's submission and callback order them.
    private let done: @Sendable (Int, UInt64) -> Void
    private var iovecs: UnsafeMutableBufferPointer<iovec>?
    private var flat: UnsafeMutableRawBufferPointer?
    let mismatch = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    var requestOffset: UInt64 = 0

    init(_ done: @escaping @Sendable (Int, UInt64) -> Void) {
        self.done = done
        mismatch.initialize(to: 0)
    }

    deinit {
        iovecs?.deallocate()
        flat?.deallocate()
        mismatch.deallocate()
    }

    /// A copy of the buffer's iovecs covering `range`.
    func keep(_ buffer: DataBuffer, _ range: Range<Int>) -> UnsafeMutableBufferPointer<iovec> {
        let vecs = buffer.withIOVecs(covering: range) { vecs in
            let copy = UnsafeMutableBufferPointer<iovec>.allocate(capacity: max(1, vecs.count))
            _ = copy.initialize(from: vecs)
            return UnsafeMutableBufferPointer(rebasing: copy[0..<vecs.count])
        }
        iovecs = vecs
        return vecs
    }

    /// A flat copy of `bytes`.
    func keep(_ bytes: [UInt8]) -> UnsafePointer<CChar> {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 16)
        copy.copyBytes(from: bytes)
        flat = copy
        return UnsafePointer(copy.baseAddress!.assumingMemoryBound(to: CChar.self))
    }

    /// The compare half then the write half of `buffer`, flat (each `write.count` bytes).
    func keepHalves(_ buffer: DataBuffer, compare: Range<Int>, write: Range<Int>) -> UnsafePointer<CChar> {
        let n = write.count
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, 2 * n), alignment: 16)
        copy.initializeMemory(as: UInt8.self, repeating: 0)
        _ = buffer.copy(from: compare.lowerBound, into: UnsafeMutableRawBufferPointer(rebasing: copy[0..<min(n, compare.count)]))
        _ = buffer.copy(from: write.lowerBound, into: UnsafeMutableRawBufferPointer(rebasing: copy[n..<(2 * n)]))
        flat = copy
        return UnsafePointer(copy.baseAddress!.assumingMemoryBound(to: CChar.self))
    }

    func finish(_ result: Int) {
        let at = mismatch.pointee
        done(result, at >= requestOffset ? at - requestOffset : at)
    }
}
