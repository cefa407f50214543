import Logging
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// `rbd/POOL/IMAGE`: a Ceph RBD image as a backing store, through librbd (`RBDImage`).
///
/// Every request is an `rbd_aio_*` call bounded by `osd_op_timeout`. A request the cluster does not
/// answer in time fails `StoreError.unavailable` (ABORTED COMMAND, retryable); the next request tries
/// the cluster again, so I/O resumes by itself when the OSD is back. Outages are counted (`counters`)
/// and logged once when they start and once when they end.
public final class RBDStore: BackingStore {
    public let config: RBDConfigString
    public let isReadOnly = false
    /// librbd discards whole 4 KiB units (`rbd_discard_granularity_bytes`, set at connect).
    public let discardGranularity: UInt64 = 4096
    let objectSize: UInt64
    let image: RBDImage
    private let sizeBytes: Atomic<UInt64>
    private let logger: Logger
    public let counters = RBDCounters()

    /// Connects, opens the image and checks that it holds `size` bytes.
    /// - Throws: `StoreError.outOfRange` when the image is smaller than the device; the failing librados
    ///   or librbd call otherwise (an unreachable cluster is `.unavailable` after `osd_op_timeout`).
    public init(_ config: RBDConfigString, size: UInt64?, logger: Logger) throws(StoreError) {
        self.config = config
        self.logger = logger
        let image = try RBDImage(config)
        do throws(StoreError) {
            let actual = try image.size()
            if let size, size > actual { throw StoreError.outOfRange }
            self.sizeBytes = Atomic(size ?? actual)
            self.objectSize = try image.objectSize()
        } catch {
            image.close()
            throw error
        }
        self.image = image
        logger.info("rbd \(config.imageSpec) open", metadata: ["osd_op_timeout": "\(config.osdOpTimeout)", "objectSize": "\(objectSize)"])
    }

    /// The checks of `init` for check-config: connects, opens the image, compares its size; closes.
    public static func check(_ config: RBDConfigString, size: UInt64?) throws(StoreError) -> UInt64 {
        let image = try RBDImage(config)
        defer { image.close() }
        let actual = try image.size()
        if let size, size > actual { throw StoreError.outOfRange }
        return actual
    }

    public var size: UInt64 { sizeBytes.load(ordering: .relaxed) }
    public var description: String { "rbd \(config.imageSpec)" }

    public func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        _ = try perform(.read(buffer, range, at: offset))
    }

    public func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        _ = try perform(.write(buffer, range, at: offset))
    }

    public func writeDurable(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try write(from: buffer, range, at: offset)
        try flush()
    }

    public func flush() throws(StoreError) {
        _ = try perform(.flush)
    }

    public func writeZeroes(at offset: UInt64, length: UInt64, deallocate: Bool) throws(StoreError) {
        _ = try perform(.writeZeroes(at: offset, length: length, deallocate: deallocate))
    }

    public func discard(at offset: UInt64, length: UInt64) throws(StoreError) {
        _ = try perform(.discard(at: offset, length: length))
    }

    /// From the image's allocation (`rbd_diff_iterate2`), looked at up to 1 GiB ahead.
    public func allocationStatus(at offset: UInt64) throws(StoreError) -> AllocationRun {
        let end = size
        guard offset < end else { throw .outOfRange }
        let window = min(end - offset, 1 << 30)
        let extents = try observed { () throws(StoreError) in try image.allocatedExtents(at: offset, length: window) }
        guard let first = extents.first, first.lowerBound <= offset else {
            return AllocationRun(mapped: false, length: (extents.first?.lowerBound ?? offset + window) - offset)
        }
        var mappedEnd = first.upperBound
        for e in extents.dropFirst() where e.lowerBound <= mappedEnd { mappedEnd = max(mappedEnd, e.upperBound) }
        return AllocationRun(mapped: true, length: min(mappedEnd, offset + window) - offset)
    }

    public func prefetch(at offset: UInt64, length: UInt64) {}

    /// Grows the image when the device grows past it; a smaller device leaves the image as it is (an
    /// RBD shrink would destroy the data past the new end).
    public func resize(to newSize: UInt64) throws(StoreError) {
        let actual = try observed { () throws(StoreError) in try image.size() }
        if newSize > actual {
            try observed { () throws(StoreError) in try image.resize(to: newSize) }
            logger.info("rbd \(config.imageSpec) grown from \(actual) to \(newSize) bytes")
        }
        sizeBytes.store(newSize, ordering: .relaxed)
    }

    public func close() {
        try? flush()
        image.close()
    }

    /// Runs one request and waits for it (an I/O worker's synchronous path).
    private func perform(_ request: StoreRequest) throws(StoreError) -> StoreAnswer {
        if let refused = check(request) { throw refused }
        if request.isEmpty { return .done }
        counters.sending(request)
        let (result, mismatch) = image.perform(request)
        return try observed(answer(request, result: result, mismatch: mismatch)).get()
    }

    /// Runs a synchronous librbd call, counting it and logging where an outage starts and ends.
    private func observed<R>(_ body: () throws(StoreError) -> R) throws(StoreError) -> R {
        do throws(StoreError) {
            return try observed(.success(try body())).get()
        } catch {
            return try observed(Result<R, StoreError>.failure(error)).get()
        }
    }

    /// Counts a request's result and logs where an outage starts and ends.
    func observed<R>(_ result: Result<R, StoreError>) -> Result<R, StoreError> {
        switch result {
        case .success:
            if let failed = counters.succeeded() {
                logger.notice("rbd \(config.imageSpec) reachable again after \(failed) failed requests")
            }
        case let .failure(error):
            if case .unavailable = error, counters.failed() {
                logger.error("rbd \(config.imageSpec) unavailable: \(error); commands fail ABORTED COMMAND until it answers")
            } else if case .unavailable = error {} else {
                logger.error("rbd \(config.imageSpec): \(error)")
            }
        }
        return result
    }
}

extension RBDStore: AtomicCompareAndWriteStore {
    public func compareAndWrite(
        _ buffer: DataBuffer, compare: Range<Int>, write: Range<Int>, at offset: UInt64
    ) throws(StoreError) -> Int? {
        switch try perform(.compareAndWrite(buffer, compare: compare, write: write, at: offset)) {
        case .done: return nil
        case let .miscompare(at): return at
        }
    }

    /// librbd compares and writes inside one object only.
    public func canCompareAndWrite(at offset: UInt64, length: UInt64) -> Bool {
        length > 0 && offset / objectSize == (offset + length - 1) / objectSize
    }
}

/// What the rbd store has seen: requests, those the cluster did not answer, outages.
public final class RBDCounters: Sendable {
    public let requests = Atomic<UInt64>(0)
    public let unavailable = Atomic<UInt64>(0)
    public let outages = Atomic<UInt64>(0)
    /// Requests submitted without waiting (`AsyncBackingStore.submit`, from the ring thread).
    public let submitted = Atomic<UInt64>(0)
    /// COMPARE AND WRITEs sent to librbd's own (`rbd_aio_compare_and_write`: the OSD compares), either way.
    public let compareAndWrites = Atomic<UInt64>(0)
    /// Failed requests of the outage in progress (0: none).
    private let failing = Atomic<UInt64>(0)

    /// Counts what is about to be sent to librbd.
    func sending(_ request: StoreRequest) {
        if case .compareAndWrite = request { compareAndWrites.add(1, ordering: .relaxed) }
    }

    /// Counts a success; returns the number of failed requests when it ends an outage.
    func succeeded() -> UInt64? {
        requests.add(1, ordering: .relaxed)
        guard failing.load(ordering: .relaxed) > 0 else { return nil }
        let n = failing.exchange(0, ordering: .relaxed)
        return n > 0 ? n : nil
    }

    /// Counts a request the cluster did not answer; true when it starts an outage.
    func failed() -> Bool {
        requests.add(1, ordering: .relaxed)
        unavailable.add(1, ordering: .relaxed)
        let starts = failing.add(1, ordering: .relaxed).oldValue == 0
        if starts { outages.add(1, ordering: .relaxed) }
        return starts
    }
}

/// librados/librbd errnos as store errors: the ones a retry can get past are `unavailable`.
enum RBDErrors {
    static func storeError(_ call: String, _ errno: Errno) -> StoreError {
        switch errno.rawValue {
        case ETIMEDOUT, ESHUTDOWN, ENOTCONN, ECONNREFUSED, ECONNRESET, EAGAIN:
            .unavailable(operation: call, errno: errno)
        case ENOSPC, EDQUOT: .noSpace
        case EROFS: .readOnly
        default: .system(operation: call, errno: errno)
        }
    }
}
