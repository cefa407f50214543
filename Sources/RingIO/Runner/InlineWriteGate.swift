import Glibc
import Synchronization
import SystemCalls

/// Which writes a ring thread runs itself, into a file's page cache, instead of handing each to an I/O
/// worker (`RingServiceLoop+Inline`). A buffered write usually returns in microseconds, and under load
/// the hand-off costs more than the write (256 disks under QEMU TCG: 102 µs of daemon CPU per write
/// through the workers, 43 µs on the loop; docs/performance.md, "Many devices in one daemon"). But the
/// kernel may make a writer wait (dirty-page throttling pauses it for up to 200 ms; a write to part of an
/// uncached page reads the page first), and a waiting loop serves none of its rings. So every such write
/// is timed, and one that took longer than `bound` and slept closes its loop's `InlineWriteGate` for a
/// pause. One that took as long without sleeping was preempted (the loop would have been on a worker too:
/// under QEMU TCG, with every vCPU busy, a few writes in a hundred are) and changes nothing.
public struct InlineWritePolicy: Sendable, Hashable {
    /// A write that took longer than this waited for something.
    public var bound: Duration
    /// Larger writes always go to the workers (copying them holds the loop up even when nothing waits).
    public var largestWrite: Int
    /// The first pause after a write waited; each write that waits again within a pause of the reopening
    /// doubles it, up to `longestPause`; one that waits later starts again from `firstPause`.
    public var firstPause: Duration
    public var longestPause: Duration

    public init(
        bound: Duration = .milliseconds(1), largestWrite: Int = 64 << 10, firstPause: Duration = .milliseconds(10),
        longestPause: Duration = .seconds(4)
    ) {
        self.bound = bound
        self.largestWrite = largestWrite
        self.firstPause = firstPause
        self.longestPause = max(firstPause, longestPause)
    }

    /// The daemon's policy: the defaults, with `EMUD_INLINE_WRITE_US` as `bound` in microseconds when set;
    /// `EMUD_INLINE_WRITE_US=0` (nil) keeps every write on the workers, as before session 19.
    public static func fromEnvironment(_ environment: [String: String]) -> InlineWritePolicy? {
        guard let text = environment["EMUD_INLINE_WRITE_US"], let us = Int(text) else { return InlineWritePolicy() }
        return us <= 0 ? nil : InlineWritePolicy(bound: .microseconds(min(us, 1_000_000)))
    }
}

/// One event loop's (or a lone ring thread's) view of whether its writes into the page cache may run on
/// it (`InlineWritePolicy`): open until a write takes longer than the bound and sleeps, then closed for a
/// pause that doubles while writes keep waiting. Shared by the loop's rings, because what makes a write
/// wait (the dirty-page limits) is the system's, not one file's: a ring of its own would each pay one wait
/// per pause.
///
/// Whether a slow write slept is the thread's count of voluntary context switches (`getrusage`), read when
/// the gate first admits a write after the thread slept elsewhere (`forgetSleeps`, an event loop's wait),
/// on another thread, and after every slow write: rarely, not per write.
///
/// Only the thread serving the rings touches it (and, once, the thread registering a ring); relaxed
/// atomics keep it `Sendable` at the cost of a plain load and store.
final class InlineWriteGate: Sendable {
    let policy: InlineWritePolicy
    private let bound: UInt64, firstPause: UInt64, longestPause: UInt64
    /// Monotonic nanoseconds before which writes go to the workers (0: open).
    private let reopensAt = Atomic<UInt64>(0)
    /// When the gate last closed, and for how long.
    private let closedAt = Atomic<UInt64>(0)
    private let pause = Atomic<UInt64>(0)
    /// The serving thread's voluntary context switches when the gate last looked, and the thread (0: look
    /// again before the next write).
    private let sleepsSeen = Atomic<Int>(0), sleepsThread = Atomic<UInt>(0)
    /// Times a write took longer than the bound and slept (closing the gate), and without sleeping
    /// (preempted: the gate stays open). The figures; tests.
    let closings = Atomic<Int>(0)
    let slowWithoutSleep = Atomic<Int>(0)

    init(policy: InlineWritePolicy) {
        self.policy = policy
        bound = Self.nanoseconds(policy.bound)
        firstPause = Self.nanoseconds(policy.firstPause)
        longestPause = Self.nanoseconds(policy.longestPause)
    }

    private static func nanoseconds(_ d: Duration) -> UInt64 {
        let (s, atto) = d.components
        return UInt64(max(0, s)) * 1_000_000_000 + UInt64(max(0, atto)) / 1_000_000_000
    }

    /// The start of a write the gate lets run here (monotonic nanoseconds), or nil while it is closed.
    @inline(__always) func admit(bytes: Int) -> UInt64? {
        guard bytes <= policy.largestWrite else { return nil }
        let now = Syscalls.monotonicNanoseconds
        guard now >= reopensAt.load(ordering: .relaxed) else { return nil }
        let thread = UInt(pthread_self())
        if sleepsThread.load(ordering: .relaxed) != thread { noteSleeps(of: thread) }
        return now
    }

    /// The thread's sleeps so far, as the baseline of the next slow write's.
    private func noteSleeps(of thread: UInt) {
        sleepsSeen.store(Syscalls.threadVoluntarySwitches, ordering: .relaxed)
        sleepsThread.store(thread, ordering: .relaxed)
    }

    /// The serving thread is about to sleep, or slept, outside a write (an event loop's wait, a ring
    /// thread's): the next write's baseline is read afresh.
    @inline(__always) func forgetSleeps() { sleepsThread.store(0, ordering: .relaxed) }

    /// The write admitted at `start` has returned: when it took longer than the bound and the thread
    /// slept meanwhile, closes the gate and returns how long the write took (nanoseconds).
    @inline(__always) func finished(startedAt start: UInt64) -> UInt64? {
        let end = Syscalls.monotonicNanoseconds
        guard end &- start > bound else { return nil }
        let before = sleepsSeen.load(ordering: .relaxed), sleeps = Syscalls.threadVoluntarySwitches
        sleepsSeen.store(sleeps, ordering: .relaxed)
        guard sleeps > before else {
            slowWithoutSleep.add(1, ordering: .relaxed)
            return nil
        }
        close(at: end)
        return end &- start
    }

    /// Closes the gate at `now` for a pause: twice the last one when this write waited within one pause of
    /// the last reopening (the waits go on), else the first pause.
    func close(at now: UInt64) {
        let last = closedAt.load(ordering: .relaxed), previous = pause.load(ordering: .relaxed)
        let next = last != 0 && now &- last < 2 * previous ? min(2 * previous, longestPause) : firstPause
        pause.store(next, ordering: .relaxed)
        closedAt.store(now, ordering: .relaxed)
        reopensAt.store(now + next, ordering: .relaxed)
        closings.add(1, ordering: .relaxed)
    }

    /// The pause the last closing set (tests).
    var currentPause: Duration { .nanoseconds(pause.load(ordering: .relaxed)) }
    /// Whether a write would be admitted at `now` (tests).
    func isOpen(at now: UInt64) -> Bool { now >= reopensAt.load(ordering: .relaxed) }
}
