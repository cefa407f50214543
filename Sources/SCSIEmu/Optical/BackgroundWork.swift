import Foundation

/// Where long device work (FORMAT UNIT with IMMED) runs. Injected so tests can drive it step by step.
public protocol BackgroundWork: Sendable {
    func run(_ work: @escaping @Sendable () -> Void)
}

/// Runs each piece of work on its own detached thread (a format zero-fill blocks in pwrite, so it must not
/// sit on a concurrency pool thread).
public struct ThreadBackground: BackgroundWork {
    public init() {}
    public func run(_ work: @escaping @Sendable () -> Void) {
        Thread.detachNewThread(work)
    }
}
