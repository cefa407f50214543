/// A handler config string split the way tcmu-runner splits it: `<subtype>/<handler config>`, with the
/// runner's own `;tcmur_cmd_time_out=N` options taken out of the handler part, and emud's own
/// `;emud_faults=PATH` (a fault rules file, docs/faults.md) and `;emud_badblocks=PATH` (the bad-block
/// sidecar), which every handler accepts the same way.
///
/// ```
/// zbc/model-HM/zsize-128@/var/z.raw;tcmur_cmd_time_out=30;emud_faults=/etc/emud/z.faults
/// └┬┘ └──────────── config ─────────┘└──── runner option ───┘└──────── emud option ───────┘
/// subtype
/// ```
/// Only the first '/' separates the subtype; the handler part may hold any number of '/' and '@'.
public struct HandlerConfigString: Sendable, Hashable {
    /// The prefix before the first '/' as written (`fb` is a loose match for `fbo`).
    public var subtype: String
    /// What the handler parses: everything after the first '/', runner options removed.
    public var config: String
    /// The config string as given, for VPD 83h and logs.
    public var original: String
    /// `tcmur_cmd_time_out=N` in seconds, when present.
    public var commandTimeout: Int?
    /// `emud_faults=PATH`: fault rules installed before the first command.
    public var faultsFile: String?
    /// `emud_badblocks=PATH`: the bad-block map's sidecar file.
    public var badBlocksFile: String?

    static let timeoutOption = "tcmur_cmd_time_out="
    static let faultsOption = "emud_faults="
    static let badBlocksOption = "emud_badblocks="

    /// Splits a config string.
    /// - Throws: `ConfigError` for a missing '/', an empty subtype, or a non-numeric timeout.
    public init(parsing string: String) throws(ConfigError) {
        guard let slash = string.firstIndex(of: "/") else {
            throw ConfigError(
                field: "config string",
                reason: "'\(string)' has no '/': expected <subtype>/<handler config>, e.g. file//var/disk.img")
        }
        let subtype = String(string[..<slash])
        guard !subtype.isEmpty else {
            throw ConfigError(field: "subtype", reason: "empty handler name before the first '/'")
        }
        self.subtype = subtype
        self.original = string
        let options = try Self.removingRunnerOptions(String(string[string.index(after: slash)...]))
        self.config = options.config
        self.commandTimeout = options.timeout
        self.faultsFile = options.faults
        self.badBlocksFile = options.badBlocks
    }

    /// Removes every `;tcmur_cmd_time_out=N`, `;emud_faults=PATH` and `;emud_badblocks=PATH` segment and
    /// keeps the other `;` segments in place (tcmu-runner also removed the following ';', gluing its
    /// neighbours together; we do not).
    static func removingRunnerOptions(_ config: String) throws(ConfigError)
        -> (config: String, timeout: Int?, faults: String?, badBlocks: String?)
    {
        var segments = config.split(separator: ";", omittingEmptySubsequences: false)
        guard segments.count > 1 else { return (config, nil, nil, nil) }
        var timeout: Int?
        var faults: String?, badBlocks: String?
        var kept = [segments.removeFirst()]
        for segment in segments {
            for (option, name) in [(faultsOption, "emud_faults"), (badBlocksOption, "emud_badblocks")]
            where segment.hasPrefix(option) {
                let path = String(segment.dropFirst(option.count))
                guard path.hasPrefix("/") else {
                    throw ConfigError(field: name, reason: "'\(path)' is not an absolute path")
                }
                if option == faultsOption { faults = path } else { badBlocks = path }
            }
            if segment.hasPrefix(faultsOption) || segment.hasPrefix(badBlocksOption) { continue }
            guard segment.hasPrefix(timeoutOption) else {
                kept.append(segment)
                continue
            }
            let value = segment.dropFirst(timeoutOption.count)
            guard let seconds = Int(value), seconds >= 0 else {
                throw ConfigError(
                    field: "tcmur_cmd_time_out",
                    reason: "'\(value)' is not a number of seconds (0 or more)")
            }
            timeout = seconds
        }
        return (kept.joined(separator: ";"), timeout, faults, badBlocks)
    }
}
