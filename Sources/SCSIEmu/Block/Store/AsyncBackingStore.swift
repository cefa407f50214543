/// A store that takes requests without waiting for them (librbd's `rbd_aio_*`): the caller submits and
/// returns at once; the store calls the completion when the request is done, once, from a thread of
/// its own (or from the submitting thread, for a request refused at submission). The ring thread
/// submits through it (`BlockEngine+Submit`), so it never waits for the store.
///
/// Buffers passed in a request stay valid until the completion is called (they are the command's own
/// memory, released when the command completes).
public protocol AsyncBackingStore: BackingStore {
    /// Starts `request`; `completion` gets what it found, or the failure.
    func submit(_ request: StoreRequest, completion: @escaping StoreCompletion)
}

/// What a `StoreRequest` found (a write, a flush, a discard: `done`).
public enum StoreAnswer: Sendable, Hashable {
    case done
    /// A compare-and-write found other bytes: the offset, from the request's, of the first that differs.
    case miscompare(at: Int)
}

public typealias StoreCompletion = @Sendable (Result<StoreAnswer, StoreError>) -> Void

/// One request to an `AsyncBackingStore`; byte offsets and lengths are the store's.
public enum StoreRequest: Sendable {
    /// Reads `range` of the buffer from `at`.
    case read(DataBuffer, Range<Int>, at: UInt64)
    /// Writes `range` of the buffer at `at` (volatile until a flush).
    case write(DataBuffer, Range<Int>, at: UInt64)
    /// Makes every completed write durable.
    case flush
    /// Releases whole discard-granularity units of the range (they read as zeros).
    case discard(at: UInt64, length: UInt64)
    /// Zeroes the range; with `deallocate` it may release the space.
    case writeZeroes(at: UInt64, length: UInt64, deallocate: Bool)
    /// Writes `pattern` again and again over the range (`length` a multiple of its count).
    case writeSame(pattern: [UInt8], at: UInt64, length: UInt64)
    /// Writes the `write` bytes of the buffer at `at` if the store holds its `compare` bytes there, as one
    /// operation of the store (`AtomicCompareAndWriteStore.canCompareAndWrite` says where it can).
    case compareAndWrite(DataBuffer, compare: Range<Int>, write: Range<Int>, at: UInt64)
}
