import SystemCalls

/// The `zbc/…` handler: tcmu-runner's file_zbc config strings, served by `ZonedDevice`.
public struct ZBCHandler: DeviceHandler {
    public init() {}

    public var subtype: String { "zbc" }

    public var configDescription: String {
        "ZBC zoned disk on a raw file or qcow2 image: zbc/[opt[/opt…]@]path, options model-HM|HA, lba-512|4096, zsize-<MiB>, "
            + "conv-<n>, open-<n>, urswrz-0|1, ro-<zone>, offline-<zone>, rwp-<zone>, format"
    }

    public func checkConfig(_ config: String) throws(ConfigError) {
        do throws(ZoneConfigError) {
            _ = try ZoneConfig(parsing: "zbc/" + config)
        } catch {
            throw ConfigError(field: error.option, reason: error.message)
        }
    }

    public func checkOpen(_ config: String, deviceSize: UInt64?) throws(ConfigError) {
        do throws(ZonedStoreError) {
            let c = try configError { () throws(ZoneConfigError) in try ZoneConfig(parsing: "zbc/" + config) }
            let medium = try ioError { () throws(StoreError) in try Self.openExisting(c.path) }
            defer { medium?.close() }
            try ZonedStore.check(config: c, deviceSize: deviceSize, medium: medium)
        } catch {
            throw Self.fieldError(error)
        }
    }

    public func blockSize(_ config: String) -> UInt32? {
        (try? ZoneConfig(parsing: "zbc/" + config))?.logicalBlockSize.flatMap { $0 == 512 ? nil : $0 }
    }

    public func impliedSize(_ config: String) -> UInt64? {
        guard let c = try? ZoneConfig(parsing: "zbc/" + config), !c.format,
            let medium = try? Self.openExisting(c.path)
        else { return nil }
        defer { medium.close() }
        guard case .load(let store)? = try? ZonedStore.plan(config: c, deviceSize: nil, medium: medium) else { return nil }
        return store.geometry.layout.capacity * UInt64(store.geometry.logicalBlockSize)
    }

    /// The image at `path` opened read-only for a check, after checking it could be opened read-write
    /// (or created in its directory) as `open` would; nil when it does not exist yet. Creates nothing.
    static func openExisting(_ path: String) throws(StoreError) -> (any BackingStore)? {
        try FileStore.check(path: path, readOnly: false, size: nil)  // nothing there: creatable, checked
        guard (try? FileStore.existingSize(path: path)) != nil else { return nil }
        return try ZonedDevice.openImage(path, readOnly: true)
    }

    /// The field at fault: the option for a config error, else the image `path`.
    static func fieldError(_ error: ZonedStoreError) -> ConfigError {
        switch error {
        case .config(let e): ConfigError(field: e.option, reason: e.message)
        case .refused, .io: ConfigError(field: "path", reason: error.description)
        }
    }

    public func open(_ p: DeviceOpenParameters) throws(HandlerError) -> any EmulatedDevice {
        try p.validate()
        do throws(ZonedStoreError) {
            let device = try ZonedDevice(
                config: try configError { () throws(ZoneConfigError) in try ZoneConfig(parsing: "zbc/" + p.config) },
                deviceSize: p.sizeInBytes, serial: p.unitSerial, configString: p.fullConfigString,
                logger: p.logger)
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
