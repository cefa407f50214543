/// A `ContinuousClock` instant in a form of fixed size and layout: its offset from one origin taken per
/// process.
///
/// `ContinuousClock.Instant` is not `@frozen` (the `_Concurrency` module is built for library evolution),
/// so every type that stores one has no layout known at compile time: a `CompletionDeferral` holding it
/// made `SCSICommand`, `RingCommand` and `RingItem` resilient in every module, and each copy, destroy and
/// field access of a command on the ring's hot path went through value witnesses and metadata look-ups
/// (≈ 900 instructions per TEST UNIT READY, docs/performance.md "Figures by commit"). A `Duration` is
/// `@frozen` (two words).
public struct ContinuousInstant: Sendable, Hashable, Comparable {
    /// Time from `origin` to the instant (negative before it).
    let sinceOrigin: Duration

    /// The process's reference instant (taken the first time an instant is converted).
    private static let origin = ContinuousClock.now

    public init(_ instant: ContinuousClock.Instant) {
        sinceOrigin = Self.origin.duration(to: instant)
    }

    /// The instant as the clock's own type.
    public var instant: ContinuousClock.Instant { Self.origin.advanced(by: sinceOrigin) }

    public static var now: ContinuousInstant { ContinuousInstant(.now) }

    public static func < (a: ContinuousInstant, b: ContinuousInstant) -> Bool { a.sinceOrigin < b.sinceOrigin }
}
