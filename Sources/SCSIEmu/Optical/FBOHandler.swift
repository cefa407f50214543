import SystemCalls

/// The `fbo` handler (tcmu-runner's file_optical): an MMC optical drive over an image file.
public struct FBOHandler: DeviceHandler {
    public init() {}

    public var subtype: String { "fbo" }

    public var configDescription: String {
        "MMC optical drive on an image file: fbo/[option/]…/absolute/path; options ro, profile-cdrom, "
            + "profile-dvdrom, profile-dvdram, empty (default: DVD-RAM, or DVD-ROM with ro); a path ending "
            + "in .cue is a CUE/BIN CD (audio and data tracks, read-only)"
    }

    /// One worker, as tcmu-runner's fbo (media commands share the drive state).
    public var ioWorkerThreads: Int { 1 }

    public func checkConfig(_ config: String) throws(ConfigError) {
        do { _ = try OpticalConfig(parsing: config) } catch { throw ConfigError(field: "fbo config", reason: error.message) }
    }

    public func checkOpen(_ config: String, deviceSize: UInt64?) throws(ConfigError) {
        let c: OpticalConfig
        do { c = try OpticalConfig(parsing: config) } catch { throw ConfigError(field: "fbo config", reason: error.message) }
        guard !c.startEmpty, let path = c.imagePath else { return }
        do throws(OpticalControlError) {
            if OpticalMedium.isCueSheet(path) {
                try OpticalMedium(cueSheetAt: path).engine.store.close()
                return
            }
            try OpticalMedium.check(
                path: path, profile: c.effectiveProfile, readOnly: c.readOnly, minimumBytes: deviceSize)
        } catch {
            throw ConfigError(field: "path", reason: error.description)
        }
    }

    /// 2048, as tcmu-runner's fbo devices are made (`hw_block_size=2048`).
    public func blockSize(_ config: String) -> UInt32? { UInt32(OpticalMedium.blockSize) }

    public func impliedSize(_ config: String) -> UInt64? {
        guard let c = try? OpticalConfig(parsing: config), let path = c.imagePath else { return nil }
        if OpticalMedium.isCueSheet(path) {
            guard let m = try? OpticalMedium(cueSheetAt: path) else { return nil }
            defer { m.engine.store.close() }
            return UInt64(m.blockCount) * UInt64(OpticalMedium.blockSize)
        }
        return try? OpticalMedium.existingSize(path: path)
    }

    public func open(_ p: DeviceOpenParameters) throws(HandlerError) -> any EmulatedDevice {
        try p.validate()
        let config: OpticalConfig
        do { config = try OpticalConfig(parsing: p.config) } catch {
            throw HandlerError(ConfigError(field: "fbo config", reason: error.message))
        }
        do {
            return try OpticalDevice(
                config: config,
                identity: OpticalDevice.identity(serial: p.unitSerial, configString: p.fullConfigString),
                minimumBytes: p.sizeInBytes)
        } catch {
            switch error {
            case .image(let e): throw HandlerError(e.errno, message: error.description)
            default: throw HandlerError(.invalidArgument, message: error.description)
            }
        }
    }
}
