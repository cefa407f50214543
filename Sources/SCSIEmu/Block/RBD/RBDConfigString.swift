/// The handler part of an `rbd/…` config string — tcmu-runner's form, unchanged:
///
/// ```
/// rbd/POOL/IMAGE[;osd_op_timeout=N][;conf=PATH][;id=NAME]
/// rbd/emud/disk                                  the default cluster (/etc/ceph/ceph.conf), client.admin
/// rbd/emud/disk;osd_op_timeout=10;conf=/tmp/c/ceph.conf;id=gateway
/// ```
/// `osd_op_timeout` (seconds, 0…3600; default 30, as ceph-iscsi sets it): how long an OSD or monitor
/// may take before the command fails with a retryable status (0: wait for ever, tcmu-runner's default,
/// which a gateway should not use). `conf`: the ceph.conf to read (absolute path; default: librados's
/// search path). `id`: the cephx client name without `client.` (default `admin`).
public struct RBDConfigString: Sendable, Hashable {
    public var pool: String
    public var image: String
    public var osdOpTimeout = 30
    public var confPath: String?
    public var clientID: String?

    public static let optionNames = ["osd_op_timeout", "conf", "id"]

    /// Parses the part after `rbd/`.
    /// - Throws: `ConfigError` naming the field at fault (`pool`, `image`, or the option).
    public init(parsing config: String) throws(ConfigError) {
        let parts = config.split(separator: ";", omittingEmptySubsequences: false)
        let names = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        guard names.count == 2 else {
            throw ConfigError(field: "image", reason: "'\(parts[0])' is not POOL/IMAGE (e.g. rbd/emud/disk)")
        }
        guard !names[0].isEmpty else { throw ConfigError(field: "pool", reason: "missing (expected POOL/IMAGE)") }
        guard !names[1].isEmpty else { throw ConfigError(field: "image", reason: "missing (expected POOL/IMAGE)") }
        pool = String(names[0])
        image = String(names[1])
        var seen = Set<Substring>()
        for option in parts.dropFirst() where !option.isEmpty {
            guard let eq = option.firstIndex(of: "=") else {
                throw ConfigError(field: String(option), reason: "expected NAME=VALUE (known: \(Self.optionNames.joined(separator: ", ")))")
            }
            let name = option[..<eq]
            let value = String(option[option.index(after: eq)...])
            guard seen.insert(name).inserted else { throw ConfigError(field: String(name), reason: "given twice") }
            switch name {
            case "osd_op_timeout":
                guard let seconds = Int(value), (0...3600).contains(seconds) else {
                    throw ConfigError(field: "osd_op_timeout", reason: "'\(value)' is not a number of seconds 0…3600")
                }
                osdOpTimeout = seconds
            case "conf":
                guard value.hasPrefix("/") else {
                    throw ConfigError(field: "conf", reason: "'\(value)' is not an absolute path to a ceph.conf")
                }
                confPath = value
            case "id":
                guard !value.isEmpty, !value.contains("/") else {
                    throw ConfigError(field: "id", reason: "'\(value)' is not a client name (e.g. admin)")
                }
                clientID = value
            default:
                throw ConfigError(field: String(name), reason: "unknown option (known: \(Self.optionNames.joined(separator: ", ")))")
            }
        }
    }

    /// `POOL/IMAGE`, for messages.
    public var imageSpec: String { "\(pool)/\(image)" }
}
