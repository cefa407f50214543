/// A TCMU UIO device name, as in `/sys/class/uio/uioN/name` and the netlink DEVICE attribute:
///
/// ```
/// tcm-user/<hba_id>/<dev_name>/<dev_config>
///          └──┬──┘ └───┬───┘  └────┬─────┘
///   configfs user_<hba_id>/<dev_name>   handler config string, may itself hold '/' and '@'
/// ```
/// Only the first three '/' separate fields (tcmu-runner `device_parse_cfg`).
public struct UIODeviceName: Sendable, Hashable, CustomStringConvertible {
    public static let prefix = "tcm-user"

    /// The HBA id (`1` for configfs `core/user_1`).
    public var hba: String
    /// The configfs device name.
    public var deviceName: String
    /// The handler config string (`file//var/disk.img`, `zbc/model-HM@/var/z.raw`).
    public var configString: String

    public init(hba: String, deviceName: String, configString: String) {
        self.hba = hba
        self.deviceName = deviceName
        self.configString = configString
    }

    /// Splits a uio name; a trailing newline (as read from sysfs) is ignored.
    /// - Throws: `NetlinkDecodeError` when the name is not a TCMU one or a field is empty.
    public init(parsing raw: String) throws(NetlinkDecodeError) {
        let name = raw.hasSuffix("\n") ? String(raw.dropLast()) : raw
        let parts = name.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.prefix else {
            throw NetlinkDecodeError(
                "uio name '\(name)' is not tcm-user/<hba>/<device>/<config string>")
        }
        guard !parts[1].isEmpty, !parts[2].isEmpty else {
            throw NetlinkDecodeError("uio name '\(name)' has an empty hba or device field")
        }
        self.hba = String(parts[1])
        self.deviceName = String(parts[2])
        self.configString = String(parts[3])
    }

    /// The configfs directory name of the HBA.
    public var hbaDirectory: String { "user_\(hba)" }

    public var description: String { "\(Self.prefix)/\(hba)/\(deviceName)/\(configString)" }
}
