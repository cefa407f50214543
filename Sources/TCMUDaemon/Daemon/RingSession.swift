import Logging
import RingIO
import SCSIEmu
import SystemCalls

/// Why a device could not be set up: the errno the ADDED_DEVICE_DONE reply carries (negated) and the
/// reason for the log.
public struct DeviceSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    public var errno: Errno
    public var message: String

    public init(_ errno: Errno, message: String) {
        self.errno = errno
        self.message = message
    }

    /// `message: errno` (the call that failed and why).
    public init(_ errno: Errno, _ message: String) {
        self.init(errno, message: "\(message): \(errno)")
    }

    /// The positive errno number.
    public var code: Int32 { errno.rawValue }

    public var description: String { message }
}

/// One device's ring from open to close, as the lifecycle holds it: `/dev/uioN` opened and its map
/// validated, then a `RingServiceLoop` serving it, then closed.
///
/// The lifecycle opens the ring before the handler opens its backing store (so a ring another process
/// holds costs nothing), starts it once the device exists, and closes it before closing the device.
public protocol RingSession: AnyObject {
    /// Starts serving the ring's commands with `device`.
    func start(device: any EmulatedDevice, ioWorkers: Int, logger: Logger)
    /// Starts serving with an observer that sees every executed command (corpus capture).
    func start(device: any EmulatedDevice, ioWorkers: Int, observer: (any CommandObserver)?, logger: Logger)
    /// Whether the kernel has nothing outstanding (`cmd_head == cmd_tail`).
    var isIdle: Bool { get }
    /// Stops the runner (commands in progress finish first), unmaps and closes. Idempotent.
    func close()
    /// Before `start`, on a ring left by a daemon that died: the CDBs queued between `cmd_tail` and
    /// `cmd_head` (`MappedRing.queuedCommands`).
    func queuedCommands() -> [CDB]
    /// Before `start`, after `action/reset_ring`: continue from the kernel's new indices.
    func restartAtKernelIndices()
}

extension RingSession {
    /// Rings with nothing left by an earlier daemon (tests) have nothing queued.
    public func queuedCommands() -> [CDB] { [] }
    public func restartAtKernelIndices() {}

    /// Rings that cannot be observed serve without the observer.
    public func start(device: any EmulatedDevice, ioWorkers: Int, observer: (any CommandObserver)?, logger: Logger) {
        start(device: device, ioWorkers: ioWorkers, logger: logger)
    }
}

/// Opens ring sessions (the real one maps `/dev/uioN`; tests substitute their own).
public protocol RingSessionOpener: Sendable {
    /// Opens and maps a UIO device and checks its mailbox.
    /// - Throws: `DeviceSetupError` (EBUSY when another process holds it, EPROTO for a wrong version).
    func open(_ uio: UIODevice, files: ControlFiles, logger: Logger) throws(DeviceSetupError) -> any RingSession
}
