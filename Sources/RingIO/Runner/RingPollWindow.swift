/// How long an event loop keeps looking at the rings it just served (`cmd_head`) before it sleeps in
/// `epoll_wait`: a busy device's next command is then picked up without the kernel waking the loop
/// (a wake-up per command at queue depth 1). The window adapts, the way KVM's halt polling does:
///
/// | after a pass the loop | the window |
/// |---|---|
/// | found a command while polling | stays |
/// | polled in vain, then slept at most `maximum` | doubles (from `initial`), up to `maximum`: polling that long would have caught the command |
/// | polled in vain, then slept longer than `maximum` | halves, to 0 below `initial`: the device is idle, polling only burns CPU |
///
/// An idle device so costs one window of polling at most before the loop sleeps, and a device served
/// at a steady rate keeps the loop awake between its commands. `maximum` 0 turns polling off.
public struct RingPollWindow: Sendable, Hashable {
    /// The longest window (and the sleep below which the window grows).
    public let maximum: Duration
    /// The first window when it grows from 0.
    public let initial: Duration
    /// The current window.
    public private(set) var current: Duration = .zero

    /// 200 µs at most (KVM's default `halt_poll_ns`), growing from 10 µs.
    public static let defaultMaximumMicroseconds = 200

    public init(maximum: Duration, initial: Duration = .microseconds(10)) {
        self.maximum = max(.zero, maximum)
        self.initial = min(max(.zero, initial), self.maximum)
    }

    /// The daemon's window: `EMUD_RING_POLL_US` microseconds at most when set (0: no polling), else
    /// `defaultMaximumMicroseconds`.
    public static func fromEnvironment(_ environment: [String: String]) -> RingPollWindow {
        let us = environment["EMUD_RING_POLL_US"].flatMap { Int($0) }.map { max(0, min($0, 100_000)) }
        return RingPollWindow(maximum: .microseconds(us ?? defaultMaximumMicroseconds))
    }

    /// Whether the loop polls at all.
    public var isEnabled: Bool { maximum > .zero }

    /// A poll found nothing within `current` and the loop then slept `slept` before the next command
    /// (or another event) woke it.
    public mutating func pollMissed(thenSlept slept: Duration) {
        guard isEnabled else { return }
        if slept <= maximum {
            current = current == .zero ? initial : min(maximum, current * 2)
        } else {
            let half = current / 2
            current = half < initial ? .zero : half
        }
    }
}
