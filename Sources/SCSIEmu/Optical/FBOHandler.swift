import SystemCalls

/// The `fbo` handler (tcmu-runner's file_optical): an MMC optical drive over an image file.
public struct FBOHandler: DeviceHandler {
    public init() {}

    public var subtype: String { "fbo" }

    public var configDescription: String {
        "MMC optical drive on an image file: fbo/[option/]…/absolute/path; options ro, profile-cdrom, "
            + "profile-dvdrom, profile-dvdram, empty (default: DVD-RAM, or DVD-ROM with ro)"
    }

    /// One worker, as tcmu-runner's fbo (media commands share the drive state).
    public var ioWorkerThreads: Int { 1 }

    public func checkConfig(_ config: String) throws(ConfigError) {
        do { _ = try OpticalConfig(parsing: config) } catch { throw ConfigError(field: "fbo config", reason: error.message) }
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
