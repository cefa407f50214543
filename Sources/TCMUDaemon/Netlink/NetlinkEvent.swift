/// The TCMU generic netlink protocol as Swift values (kernel `target_core_user.h`, family "TCM-USER",
/// multicast group "config", genl version 2). The libnl calls that move these over a socket live in
/// `NetlinkSocket.swift`; everything here is plain data so the lifecycle can be tested without a kernel.

/// `enum tcmu_genl_cmd`.
public enum NetlinkCommand: UInt8, Sendable, Hashable {
    case addedDevice = 1
    case removedDevice = 2
    case reconfigDevice = 3
    case addedDeviceDone = 4
    case removedDeviceDone = 5
    case reconfigDeviceDone = 6
    case setFeatures = 7

    /// The *_DONE command that answers an event.
    public var doneCommand: NetlinkCommand? {
        switch self {
        case .addedDevice: .addedDeviceDone
        case .removedDevice: .removedDeviceDone
        case .reconfigDevice: .reconfigDeviceDone
        default: nil
        }
    }
}

/// `enum tcmu_genl_attr`.
public enum NetlinkAttribute: Int32, Sendable, CaseIterable {
    case device = 1  // string: the uio name "tcm-user/<hba>/<dev>/<cfg>"
    case minor = 2  // u32: /dev/uio<minor>
    case pad = 3
    case deviceConfig = 4  // string
    case deviceSize = 5  // u64
    case writeCache = 6  // u8
    case commandStatus = 7  // s32: 0 or -errno
    case deviceID = 8  // u32: se_dev index
    case supportsKernelCommandReply = 9  // u8

    /// TCMU_ATTR_MAX.
    public static let max: Int32 = 9
}

/// The TCMU genl family version we speak (TCMU_NL_VERSION).
public let tcmuNetlinkVersion: UInt8 = 2

/// What a RECONFIG_DEVICE event asks to change (exactly one attribute is sent).
public enum Reconfiguration: Sendable, Hashable {
    case config(String)
    case size(UInt64)
    case writeCache(Bool)
    /// None of the three attributes: answered -EOPNOTSUPP.
    case unknown
}

/// One ADDED/REMOVED/RECONFIG_DEVICE event from the kernel.
public struct NetlinkEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case added
        case removed
        case reconfig(Reconfiguration)

        public var command: NetlinkCommand {
            switch self {
            case .added: .addedDevice
            case .removed: .removedDevice
            case .reconfig: .reconfigDevice
            }
        }
    }

    public var kind: Kind
    /// TCMU_ATTR_DEVICE: `tcm-user/<hba>/<dev>/<cfg>`.
    public var uioName: String
    /// TCMU_ATTR_MINOR.
    public var minor: UInt32
    /// TCMU_ATTR_DEVICE_ID; nil from version-1 kernels, which expect no reply.
    public var deviceID: UInt32?
    /// The genl header version.
    public var version: UInt8

    public init(kind: Kind, uioName: String, minor: UInt32, deviceID: UInt32?, version: UInt8 = tcmuNetlinkVersion) {
        self.kind = kind
        self.uioName = uioName
        self.minor = minor
        self.deviceID = deviceID
        self.version = version
    }

    /// The reply this event needs with `status` (0 or -errno), or nil when the kernel expects none
    /// (version 1 messages carry no DEVICE_ID).
    public func reply(status: Int32) -> NetlinkReply? {
        guard let id = deviceID, let done = kind.command.doneCommand else { return nil }
        return NetlinkReply(command: done, deviceID: id, status: status)
    }
}

/// An *_DONE message: which device, and 0 or -errno. The kernel's configfs write waits for it with no
/// timeout, so every event that carries a DEVICE_ID gets exactly one.
public struct NetlinkReply: Sendable, Hashable {
    public var command: NetlinkCommand
    public var deviceID: UInt32
    public var status: Int32

    public init(command: NetlinkCommand, deviceID: UInt32, status: Int32) {
        self.command = command
        self.deviceID = deviceID
        self.status = status
    }
}

/// Why a netlink message could not be turned into an event.
public struct NetlinkDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    /// The -EINVAL reply still owed when the malformed event named a device (DEVICE_ID present).
    public var reply: NetlinkReply?
    public init(_ reason: String, reply: NetlinkReply? = nil) {
        self.reason = reason
        self.reply = reply
    }
    public var description: String { reason }
}
