#if canImport(Glibc)
import Glibc
#endif

// The rbd store's asynchronous side (`AsyncBackingStore`): each request is one `rbd_aio_*` call
// (`RBDImage.submit`) whose callback, on librbd's thread, maps the result and hands it on; the
// synchronous methods run the same requests and wait (`RBDStore.perform`). Both count and log outages
// the same way (`observed`).

extension RBDStore: AsyncBackingStore {
    public func submit(_ request: StoreRequest, completion: @escaping StoreCompletion) {
        if let refused = check(request) { return completion(.failure(refused)) }
        if request.isEmpty { return completion(.success(.done)) }
        counters.submitted.add(1, ordering: .relaxed)
        counters.sending(request)
        image.submit(request) { [self] result, mismatch in
            completion(observed(answer(request, result: result, mismatch: mismatch)))
        }
    }

    /// The range checks of the request (writes: the store takes writes): the failure, or nil.
    func check(_ request: StoreRequest) -> StoreError? {
        do throws(StoreError) {
            switch request {
            case let .read(_, range, offset): try checkRange(offset, UInt64(range.count))
            case let .write(_, range, offset): try checkWritable(offset, UInt64(range.count))
            case .flush: break
            case let .discard(offset, length), let .writeZeroes(offset, length, _), let .writeSame(_, offset, length):
                try checkWritable(offset, length)
            case let .compareAndWrite(_, _, write, offset): try checkWritable(offset, UInt64(write.count))
            }
            return nil
        } catch {
            return error
        }
    }

    /// librbd's result of `request` as the store's answer: -EILSEQ from a compare-and-write is a
    /// miscompare at `mismatch` (clamped into the compared range, whatever librbd says); other negative
    /// results are the call's errno.
    func answer(_ request: StoreRequest, result: Int, mismatch: UInt64) -> Result<StoreAnswer, StoreError> {
        if case let .compareAndWrite(_, _, write, _) = request, result == -Int(EILSEQ) {
            return .success(.miscompare(at: Int(min(mismatch, UInt64(max(0, write.count - 1))))))
        }
        guard result < 0 else { return .success(.done) }
        return .failure(RBDImage.failure(request.librbdCall, Int32(truncatingIfNeeded: result)))
    }
}

extension StoreRequest {
    /// A discard or zeroing of no bytes: nothing to send.
    var isEmpty: Bool {
        switch self {
        case let .discard(_, length), let .writeZeroes(_, length, _), let .writeSame(_, _, length): length == 0
        default: false
        }
    }

    /// The librbd call that runs the request, for messages.
    var librbdCall: String {
        switch self {
        case .read: "rbd_aio_readv"
        case .write: "rbd_aio_writev"
        case .flush: "rbd_aio_flush"
        case .discard: "rbd_aio_discard"
        case .writeZeroes: "rbd_aio_write_zeroes"
        case .writeSame: "rbd_aio_writesame"
        case .compareAndWrite: "rbd_aio_compare_and_write"
        }
    }
}
