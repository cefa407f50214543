import Sense

// The asynchronous side of the data path: a command whose row `completesAsynchronously` and that came
// with a `CommandCompletionSink` is checked on the calling thread (the ring thread) exactly as the
// synchronous path checks it, then its store requests are submitted to the `AsyncBackingStore` and the
// command completes from the store's callback. Nothing here waits for the store.
//
// Ordering (SBC-4 §5.3, as the synchronous path): the requests hold `ordering` shared from submission to
// callback (`SharedExclusiveLock.countIn`); while a COMPARE AND WRITE, ORWRITE or FORMAT UNIT holds it
// exclusively, the command is declined and runs synchronously on an I/O worker instead.

extension BlockEngine {
    /// Submits `first`, then each of `then` after the previous one succeeded, with `ordering` held
    /// shared, and completes the command through `sink`: with `outcome`, or the sense of the first
    /// failure (a MEDIUM ERROR names `lba`; a store that did not answer is ABORTED COMMAND 0B/08/00), or
    /// MISCOMPARE with the offset a compare-and-write found. Declines when the engine's store does not
    /// submit or an exclusive command holds the device.
    /// - Returns: what the handler returns (ignored by the caller once submitted or declined).
    func submit(
        _ first: StoreRequest, then: [StoreRequest] = [], via sink: CommandCompletionSink,
        lba: UInt64?, writing: Bool, outcome: CommandOutcome
    ) -> CommandOutcome {
        guard let store = asyncStore, ordering.countIn() else {
            sink.declined()
            return .good
        }
        sink.submitted()
        Self.run(store, first, then[...]) { [self] result in
            ordering.countOut()
            switch result {
            case .success(.done):
                sink.finish(CommandResult(outcome))
            case let .success(.miscompare(at)):
                sink.finish(.checkCondition(Self.miscompare(at: at)))
            case let .failure(error):
                sink.finish(.checkCondition(error.sense(writing: writing, firstBlock: firstFailedBlock(error, lba))))
            }
        }
        return .good
    }

    /// Whether a command may go asynchronous here: it came with a sink and the store submits.
    @inline(__always) func completionSink(_ cmd: SCSICommand) -> CommandCompletionSink? {
        asyncStore == nil ? nil : cmd.completionSink
    }

    private static func run(
        _ store: any AsyncBackingStore, _ request: StoreRequest, _ rest: ArraySlice<StoreRequest>,
        _ completion: @escaping StoreCompletion
    ) {
        store.submit(request) { result in
            guard case .success(.done) = result, let next = rest.first else { return completion(result) }
            run(store, next, rest.dropFirst(), completion)
        }
    }
}
