/// The handler part of a `file/…` or `qcow/…` config string: options, then the image path.
///
/// ```
/// file//var/lib/disk.img            tcmu-runner's file_example form: the path, no options
/// file/ro@/var/lib/disk.img         options before '@', as tcmu-runner's zbc handler writes them
/// qcow/ro/thick@/images/vm.qcow2    several options, separated by '/' or ','
/// ```
/// Options: `ro` (read-only: writes fail with DATA PROTECT), `rw` (the default), `thin` (the default:
/// UNMAP, WRITE SAME with UNMAP and GET LBA STATUS, deallocating the store's space), `thick` (fully
/// provisioned: none of those). A path starting with '/' never has options, so a path may contain '@'.
public struct BlockConfigString: Sendable, Hashable {
    public var path: String
    public var readOnly = false
    public var thinProvisioning = true

    public static let optionNames = ["ro", "rw", "thin", "thick"]

    /// Parses the part after `file/` or `qcow/`.
    /// - Throws: `ConfigError` naming the path or the option at fault.
    public init(parsing config: String) throws(ConfigError) {
        var options: [Substring] = []
        var path = Substring(config)
        if !config.hasPrefix("/"), let at = config.firstIndex(of: "@") {
            options = config[..<at].split(whereSeparator: { $0 == "/" || $0 == "," })
            path = config[config.index(after: at)...]
        }
        guard !path.isEmpty else {
            throw ConfigError(field: "path", reason: "missing: expected [options@]/absolute/path, e.g. ro@/var/disk.img")
        }
        guard path.hasPrefix("/") else {
            throw ConfigError(
                field: "path", reason: "'\(path)' is not absolute (options go before '@'; known: \(Self.optionNames.joined(separator: ", ")))")
        }
        self.path = String(path)
        var seen: [String: Substring] = [:]
        for option in options {
            let group: String
            switch option {
            case "ro": readOnly = true; group = "access"
            case "rw": readOnly = false; group = "access"
            case "thin": thinProvisioning = true; group = "provisioning"
            case "thick": thinProvisioning = false; group = "provisioning"
            default:
                throw ConfigError(
                    field: String(option), reason: "unknown option (known: \(Self.optionNames.joined(separator: ", ")))")
            }
            if let earlier = seen[group], earlier != option {
                throw ConfigError(field: String(option), reason: "contradicts option '\(earlier)'")
            }
            seen[group] = option
        }
    }
}
