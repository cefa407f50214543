import Sense
import Synchronization

/// Where the result of a command goes when its handler hands the work to an asynchronous store
/// (`AsyncBackingStore`) instead of finishing it on the calling thread.
///
/// The ring thread attaches one to a command whose row may complete asynchronously
/// (`CommandFlags.completesAsynchronously`) before it dispatches it. The handler then does exactly one
/// of three things:
/// - returns or throws as usual (a check failed, nothing to do): the caller completes the command now;
/// - calls `submitted()` and submits: the store's callback calls `finish` once, from any thread, maybe
///   before the handler has returned; the caller ignores what the handler returns;
/// - calls `declined()` before it changed anything (the store cannot take it now): the caller runs the
///   command again, synchronously, on an I/O worker, where every check is made afresh.
public final class CommandCompletionSink: Sendable {
    public enum Disposition: UInt8, Sendable {
        case running, submitted, declined
    }

    private let state = Atomic<UInt8>(Disposition.running.rawValue)
    private let deliver: @Sendable (CommandResult) -> Void

    /// - Parameter deliver: completes the command with its result (called once, from any thread).
    public init(_ deliver: @escaping @Sendable (CommandResult) -> Void) {
        self.deliver = deliver
    }

    /// What the handler did with the command.
    public var disposition: Disposition {
        Disposition(rawValue: state.load(ordering: .acquiring)) ?? .running
    }

    /// The handler is about to submit: the result comes through `finish`.
    public func submitted() { state.store(Disposition.submitted.rawValue, ordering: .releasing) }

    /// The handler gives the command back untouched, to be run synchronously.
    public func declined() { state.store(Disposition.declined.rawValue, ordering: .releasing) }

    /// The submitted command's result.
    public func finish(_ result: CommandResult) { deliver(result) }
}
