#if canImport(Glibc)
import Glibc
#endif

/// A POSIX error number, as a value (the model is swift-system's `Errno`).
///
/// Thrown by every `Syscalls` function (`throws(Errno)`). The C names stay findable in the doc comments.
@frozen
public struct Errno: Error, RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `EPERM`
    public static let notPermitted = Errno(rawValue: EPERM)
    /// `ENOENT`
    public static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    /// `EINTR`
    public static let interrupted = Errno(rawValue: EINTR)
    /// `EIO`
    public static let ioError = Errno(rawValue: EIO)
    /// `EBADF`
    public static let badFileDescriptor = Errno(rawValue: EBADF)
    /// `EAGAIN` / `EWOULDBLOCK`
    public static let wouldBlock = Errno(rawValue: EAGAIN)
    /// `ENOMEM`
    public static let noMemory = Errno(rawValue: ENOMEM)
    /// `EACCES`
    public static let permissionDenied = Errno(rawValue: EACCES)
    /// `EFAULT`
    public static let badAddress = Errno(rawValue: EFAULT)
    /// `EBUSY`
    public static let resourceBusy = Errno(rawValue: EBUSY)
    /// `EEXIST`
    public static let fileExists = Errno(rawValue: EEXIST)
    /// `ENODEV`
    public static let noSuchDevice = Errno(rawValue: ENODEV)
    /// `ENOTDIR`
    public static let notDirectory = Errno(rawValue: ENOTDIR)
    /// `EISDIR`
    public static let isDirectory = Errno(rawValue: EISDIR)
    /// `EINVAL`
    public static let invalidArgument = Errno(rawValue: EINVAL)
    /// `ENOSPC`
    public static let noSpace = Errno(rawValue: ENOSPC)
    /// `EFBIG`
    public static let fileTooLarge = Errno(rawValue: EFBIG)
    /// `EROFS`
    public static let readOnlyFileSystem = Errno(rawValue: EROFS)
    /// `ERANGE`
    public static let outOfRange = Errno(rawValue: ERANGE)
    /// `ENOSYS`
    public static let notImplemented = Errno(rawValue: ENOSYS)
    /// `ENOTSUP` / `EOPNOTSUPP`
    public static let notSupported = Errno(rawValue: EOPNOTSUPP)
    /// `ETIMEDOUT`
    public static let timedOut = Errno(rawValue: ETIMEDOUT)
    /// `ENXIO`
    public static let noSuchDeviceOrAddress = Errno(rawValue: ENXIO)
    /// `E2BIG`
    public static let argumentListTooLong = Errno(rawValue: E2BIG)
    /// `EPROTO`
    public static let protocolError = Errno(rawValue: EPROTO)
    /// `ECONNREFUSED`: nobody listens on a Unix socket path (a stale socket file).
    public static let connectionRefused = Errno(rawValue: ECONNREFUSED)
    /// `ENAMETOOLONG`
    public static let nameTooLong = Errno(rawValue: ENAMETOOLONG)
    /// `EADDRINUSE`
    public static let addressInUse = Errno(rawValue: EADDRINUSE)
    /// `EDQUOT`
    public static let diskQuotaExceeded = Errno(rawValue: EDQUOT)
    /// `ENOTTY`: an ioctl the file does not know.
    public static let inappropriateIOControl = Errno(rawValue: ENOTTY)
    /// `ECONNABORTED`
    public static let connectionAborted = Errno(rawValue: ECONNABORTED)

    /// The current thread's `errno`. Read it straight after the failing call (the callers are `@inline(never)`).
    @inline(never)
    public static var current: Errno { Errno(rawValue: errno) }

    public var description: String { "\(message) (errno \(rawValue))" }

    /// The C library's text for the number (`strerror`), without the number.
    public var message: String {
        guard let s = strerror(rawValue) else { return "errno \(rawValue)" }
        return String(cString: s)
    }

    /// The file system or device is full (ENOSPC, EDQUOT).
    public var isOutOfSpace: Bool { self == .noSpace || self == .diskQuotaExceeded }
}
