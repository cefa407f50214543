#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// A failed system call on a backing store's file: the `Errno` and what was being done ("preadv /img").
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    public let errno: Errno
    public let operation: String

    public init(errno: Errno, operation: String) {
        self.errno = errno
        self.operation = operation
    }

    /// The same, operation first (how the zoned medium spells it).
    public init(_ operation: String, errno: Errno) {
        self.init(errno: errno, operation: operation)
    }

    public var description: String { "\(operation): \(errno.message)" }

    /// The file system or device is full (ENOSPC, EDQUOT).
    public var isOutOfSpace: Bool { errno.isOutOfSpace }
}

/// How the owner of a `StoreFile` reports a failed system call: Block's `StoreError` (a full file system
/// becomes "no space"), or the `SystemCallError` as it is (Zoned, Optical).
public protocol SystemCallFailure: Error {
    init(_ failure: SystemCallError)
}

extension SystemCallError: SystemCallFailure {
    public init(_ failure: SystemCallError) { self = failure }
}
