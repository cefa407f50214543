import SystemCalls

/// The `zbc/…` handler: tcmu-runner's file_zbc config strings, served by `ZonedDevice`.
public struct ZBCHandler: DeviceHandler {
    public init() {}

    public var subtype: String { "zbc" }

    public var configDescription: String {
        "ZBC zoned disk on a file: zbc/[opt[/opt…]@]path, options model-HM|HA, lba-512|4096, zsize-<MiB>, "
            + "conv-<n>, open-<n>, urswrz-0|1, ro-<zone>, offline-<zone>, rwp-<zone>, format"
    }

    public func checkConfig(_ config: String) throws(ConfigError) {
        do throws(ZoneConfigError) {
            _ = try ZoneConfig(parsing: "zbc/" + config)
        } catch {
            throw ConfigError(field: error.option, reason: error.message)
        }
    }

    public func open(_ p: DeviceOpenParameters) throws(HandlerError) -> any EmulatedDevice {
        try p.validate()
        do throws(ZonedStoreError) {
            let device = try ZonedDevice(
                config: try configError { () throws(ZoneConfigError) in try ZoneConfig(parsing: "zbc/" + p.config) },
                deviceSize: p.sizeInBytes, serial: p.unitSerial, configString: p.fullConfigString)
            for w in device.openWarnings { p.logger.warning("\(w)") }
            return device
        } catch {
            switch error {
            case .config(let e): throw HandlerError(ConfigError(field: e.option, reason: e.message))
            case .refused(let m): throw HandlerError(.invalidArgument, message: "zbc image refused: \(m)")
            case .io(let e): throw HandlerError(e.errno, message: e.description)
            }
        }
    }
}
