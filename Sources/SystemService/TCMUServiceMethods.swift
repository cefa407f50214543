import Logging
import SCSIEmu
import SystemCalls
import TCMUDaemon

/// The answers of the org.kernel.TCMUService1 methods, as tcmu-runner gives them, without any bus:
/// `TCMUBusService` decodes a call, asks here, and encodes the reply.
public struct TCMUServiceMethods: Sendable {
    public let registry: HandlerRegistry
    public let mediumChange: MediumChange
    public let logger: Logger

    public init(registry: HandlerRegistry, files: ControlFiles, logger: Logger) {
        self.registry = registry
        self.mediumChange = MediumChange(files: files, registry: registry)
        self.logger = logger
    }

    /// The handlers exported, one object each, and whether the object offers ChangeMedium (`fbo`: the only
    /// handler whose medium is removable).
    public var exportedHandlers: [(subtype: String, description: String, changesMedium: Bool)] {
        registry.handlers.map { ($0.subtype, $0.configDescription, $0.subtype == "fbo") }
    }

    /// CheckConfig(s) → (b, s) on `/org/kernel/TCMUService1/<subtype>`: `configString` is the whole
    /// `subtype/config` (targetcli sends `<handler>/<cfgstring>`); it must name this object's handler and
    /// pass the handler's full check. Valid: `(true, "success")`, as tcmu-runner; else the reason naming
    /// the field, which targetcli prints after "cfgstring invalid: ".
    public func checkConfig(subtype: String, configString: String) -> (valid: Bool, message: String) {
        do throws(ConfigError) {
            try registry.checkConfig(configString, subtype: subtype)
            return (true, "success")
        } catch {
            logger.debug("D-Bus CheckConfig '\(configString)': \(error)")
            return (false, error.description)
        }
    }

    /// ChangeMedium(s name, t size, s config) → (i, s): 0 and "success", or a negative errno and the
    /// reason (targetcli prints "ChangeMedium failed: <reason>"). Only root or the daemon's own user may
    /// change a disc: the bus policy lets everyone call.
    public func changeMedium(
        subtype: String, privileged: Bool, name: String, size: UInt64, configString: String
    ) -> (status: Int32, message: String) {
        guard privileged else {
            logger.warning("D-Bus ChangeMedium \(name): refused an unprivileged caller")
            return (-Errno.notPermitted.rawValue, "permission denied: only root may change a medium")
        }
        do {
            let done = try mediumChange.change(subtype: subtype, name: name, size: size, configString: configString)
            logger.info("D-Bus ChangeMedium: \(done)")
            return (0, "success")
        } catch {
            logger.error("D-Bus ChangeMedium \(name) '\(configString)': \(error.message)")
            return (-error.errno.rawValue, error.message)
        }
    }
}

extension HandlerRegistry {
    /// `checkConfig(_:)` for a call that came to the `subtype` handler: a config string of another
    /// handler is refused, naming the subtype (D-Bus CheckConfig and ChangeMedium).
    func checkConfig(_ configString: String, subtype: String) throws(ConfigError) {
        let (handler, _) = try resolve(configString)
        guard handler.subtype == subtype else {
            throw ConfigError(field: "subtype", reason: "'\(configString)' is a \(handler.subtype) config string, not \(subtype)")
        }
        try checkConfig(configString)
    }
}
