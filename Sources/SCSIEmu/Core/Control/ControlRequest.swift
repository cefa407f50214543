import SystemCalls

/// One runtime control request to a device, as words: `eject --force`, `insert /srv/b.iso ro`,
/// `zone 12 offline`. The daemon splits the request line (quoting included) before the device sees it;
/// the device never parses raw bytes.
public struct ControlRequest: Sendable, Hashable, CustomStringConvertible {
    /// The command word (`status`, `eject`, `help`…).
    public var command: String
    /// The words after the command, in order, flags included (`--force`).
    public var arguments: [String]

    public init(_ command: String, _ arguments: [String] = []) {
        self.command = command
        self.arguments = arguments
    }

    /// The request from its words; nil when there are none.
    public init?(words: [String]) {
        guard let first = words.first else { return nil }
        self.init(first, Array(words.dropFirst()))
    }

    public var description: String { ([command] + arguments).joined(separator: " ") }
}

/// Why a device did not carry out a control request: what kind of failure (which the daemon maps to an
/// errno for netlink replies) and a sentence that says what to do.
public struct ControlError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The device kind has no such command.
        case unknownCommand
        /// The words do not fit the command's usage.
        case usage
        /// The device refused in its current state (the tray is locked, a format is running).
        case refused
        /// The request was understood but failed (an image cannot be opened, a write failed).
        case failed
        /// This device kind does not support the operation at all.
        case notSupported
    }

    public var kind: Kind
    public var message: String
    /// The errno for replies that need one (netlink RECONFIG_DEVICE_DONE).
    public var errno: Errno

    public init(_ kind: Kind, _ message: String, errno: Errno? = nil) {
        self.kind = kind
        self.message = message
        self.errno = errno ?? Self.defaultErrno(kind)
    }

    /// The positive errno number.
    public var code: Int32 { errno.rawValue }

    /// EOPNOTSUPP for unknown or unsupported, EINVAL for usage, EBUSY for refusals, EIO for failures.
    static func defaultErrno(_ kind: Kind) -> Errno {
        switch kind {
        case .unknownCommand, .notSupported: .notSupported
        case .usage: .invalidArgument
        case .refused: .resourceBusy
        case .failed: .ioError
        }
    }

    public var description: String { message }
}
