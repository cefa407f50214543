/// How a ring thread learns that the kernel queued commands, and tells it that completions are ready.
public protocol RingDoorbell: Sendable {
    /// Waits until the kernel signalled new entries or `timeoutMilliseconds` passed; true when signalled.
    func wait(timeoutMilliseconds: Int32) -> Bool
    /// Clears the signal (call before draining the ring, so no event is lost).
    func acknowledge()
    /// Tells the kernel that `cmd_tail` moved (one call per drained batch).
    func notifyKernel()
    /// The descriptor that becomes readable when the kernel signals (what `wait` polls): an event loop
    /// watches it with `epoll` instead of calling `wait`.
    var descriptor: Int32 { get }
}
