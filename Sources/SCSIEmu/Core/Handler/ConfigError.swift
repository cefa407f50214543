import SystemCalls

/// Why a handler config string was refused: the field (or option) at fault and what is wrong with it.
///
/// The message always names the field, so `emud check-config`, the netlink ADDED reply log and targetcli
/// users see which part of `zbc/model-HX@/var/z.raw` to fix.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending field or option as the user wrote it (`subtype`, `path`, `model`, `tcmur_cmd_time_out`).
    public var field: String
    /// What is wrong with it, in a short sentence.
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// Why a handler could not open a device: an errno for the netlink reply (`-code`) and a message for the log.
public struct HandlerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// ENOENT, EINVAL, EIO…; the ADDED_DEVICE_DONE reply carries its negation.
    public var errno: Errno
    public var message: String

    public init(_ errno: Errno, message: String) {
        self.errno = errno
        self.message = message
    }

    /// A config string problem found only when opening (EINVAL, the field named in the message).
    public init(_ config: ConfigError) {
        self.init(.invalidArgument, message: config.description)
    }

    /// The positive errno number.
    public var code: Int32 { errno.rawValue }

    public var description: String { message }
}
