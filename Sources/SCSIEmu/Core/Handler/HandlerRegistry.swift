/// The handlers the daemon knows, found by a config string's subtype prefix.
///
/// Matching follows tcmu-runner's `find_handler` loosely: the text before the first '/' matches a
/// subtype it is a prefix of (`fb/…` finds `fbo`). We add two rules it lacked: an exact subtype wins
/// over prefixes, and a prefix that fits two subtypes (`f/…`: `fbo` and `file`) is refused rather than
/// resolved by load order.
public struct HandlerRegistry: Sendable {
    /// In registration order; subtypes are unique.
    public let handlers: [any DeviceHandler]

    public init(_ handlers: [any DeviceHandler]) {
        var seen = Set<String>()
        for h in handlers {
            precondition(!h.subtype.isEmpty && !h.subtype.contains("/"), "bad subtype '\(h.subtype)'")
            precondition(seen.insert(h.subtype).inserted, "duplicate handler subtype \(h.subtype)")
        }
        self.handlers = handlers
    }

    /// The handler for a subtype as written in a config string.
    /// - Throws: `ConfigError` (field `subtype`) when none or several match.
    public func handler(forSubtype written: String) throws(ConfigError) -> any DeviceHandler {
        if let exact = handlers.first(where: { $0.subtype == written }) { return exact }
        let candidates = written.isEmpty ? [] : handlers.filter { $0.subtype.hasPrefix(written) }
        switch candidates.count {
        case 1:
            return candidates[0]
        case 0:
            let known = handlers.map(\.subtype).joined(separator: ", ")
            throw ConfigError(
                field: "subtype",
                reason: "no handler '\(written)' (known: \(known.isEmpty ? "none" : known))")
        default:
            let names = candidates.map(\.subtype).joined(separator: ", ")
            throw ConfigError(field: "subtype", reason: "'\(written)' is ambiguous: \(names)")
        }
    }

    /// Splits a config string and finds its handler.
    public func resolve(_ configString: String) throws(ConfigError) -> (any DeviceHandler, HandlerConfigString) {
        let parsed = try HandlerConfigString(parsing: configString)
        return (try handler(forSubtype: parsed.subtype), parsed)
    }

    /// The device size the image of a whole config string implies (see `DeviceHandler.impliedSize`).
    public func impliedSize(_ configString: String) -> UInt64? {
        guard let (handler, parsed) = try? resolve(configString) else { return nil }
        return handler.impliedSize(parsed.config)
    }

    /// The block length a whole config string's device should be made with (see `DeviceHandler.blockSize`).
    public func blockSize(_ configString: String) -> UInt32? {
        guard let (handler, parsed) = try? resolve(configString) else { return nil }
        return handler.blockSize(parsed.config)
    }

    /// Checks a whole config string (`fbo//var/disc.iso`) as opening it would: split, handler found, the
    /// handler's syntax check, then every check its open makes on the files named (`checkOpen`), without
    /// creating or changing any file. The device size is not known: the checks that depend on it are skipped.
    /// - Throws: `ConfigError` naming the offending field.
    public func checkConfig(_ configString: String) throws(ConfigError) {
        try checkConfig(configString, deviceSize: nil)
    }

    /// `checkConfig(_:)` for a device of `deviceSize` bytes (configfs `dev_size`), when known: also the
    /// checks that depend on the size (a block device or qcow2 image large enough, a zoned geometry that
    /// fits, an existing zoned image of that capacity).
    public func checkConfig(_ configString: String, deviceSize: UInt64?) throws(ConfigError) {
        let (handler, parsed) = try resolve(configString)
        try handler.checkConfig(parsed.config)
        try handler.checkOpen(parsed.config, deviceSize: deviceSize)
    }
}
