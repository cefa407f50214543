import Logging

/// One kind of emulated device reachable through a config string prefix (`file/…`, `qcow/…`, `fbo/…`,
/// `zbc/…`), in the spirit of tcmu-runner's `struct tcmur_handler`.
///
/// A handler either builds a device that handles every command itself (`EmulatedDevice` with its own
/// opcode table, as fbo and zbc do) or builds the shared SBC device over generic storage operations
/// (read/write/flush/unmap of a backing store, as file and qcow do); either way `open` returns the
/// finished `EmulatedDevice` and the ring never knows which.
public protocol DeviceHandler: Sendable {
    /// The config string prefix before the first '/' (`file`, `qcow`, `fbo`, `zbc`).
    var subtype: String { get }
    /// A human description of the config string (tcmu-runner's `cfg_desc`, shown by `emud handlers`).
    var configDescription: String { get }
    /// I/O worker threads the ring should run storage commands on (0: run inline on the ring thread).
    var ioWorkerThreads: Int { get }

    /// Checks a config string (the part after `subtype/`) without touching any device.
    /// - Throws: `ConfigError` naming the offending field.
    func checkConfig(_ config: String) throws(ConfigError)

    /// Runs every check `open` would make on the files the config string names — the path opens as the
    /// options ask (or can be created), the image's format and metadata are supported and agree with the
    /// options and `deviceSize` (nil: unknown, size checks skipped) — without creating or changing any file.
    /// Called after `checkConfig` succeeded.
    /// - Throws: `ConfigError` naming the field (usually `path`) and what is wrong.
    func checkOpen(_ config: String, deviceSize: UInt64?) throws(ConfigError)

    /// The device size an existing image implies (a raw file's length, a qcow2 image's virtual size, a
    /// disc's, a zoned image's capacity), for `emud create` without `--size`; nil for a missing image.
    func impliedSize(_ config: String) -> UInt64?

    /// The logical block length the device should be made with (configfs `hw_block_size`), when it is
    /// not the kernel's default of 512: 2048 for an optical drive, 4096 for `zbc/lba-4096@…`.
    func blockSize(_ config: String) -> UInt32?

    /// Opens the backing store and builds the device. Called after `checkConfig` succeeded.
    /// - Throws: `HandlerError` with the errno for the netlink reply; nothing is left open on failure.
    func open(_ parameters: DeviceOpenParameters) throws(HandlerError) -> any EmulatedDevice
}

extension DeviceHandler {
    public var ioWorkerThreads: Int { 1 }

    /// A handler with no files to look at: the config string's syntax is all there is to check.
    public func checkOpen(_ config: String, deviceSize: UInt64?) throws(ConfigError) {}

    public func impliedSize(_ config: String) -> UInt64? { nil }

    public func blockSize(_ config: String) -> UInt32? { nil }
}

/// Everything the kernel and configfs say about a device when it is added.
public struct DeviceOpenParameters: Sendable {
    /// The handler's config string after `subtype/`, with `;tcmur_cmd_time_out=N` removed.
    public var config: String
    /// The whole config string as configfs holds it (`file//var/disk.img`), for VPD 83h as tcmu-runner.
    public var fullConfigString: String
    /// The configfs device name (`<dev>` in `user_<hba>/<dev>`).
    public var deviceName: String
    /// The HBA id (`<hba>` in `user_<hba>`).
    public var hba: String
    /// The device size in bytes (configfs `info` Size, from `dev_size`).
    public var sizeInBytes: UInt64
    /// The logical block length (configfs `attrib/hw_block_size`).
    public var blockSize: UInt32
    /// The largest transfer in blocks (configfs `attrib/hw_max_sectors`).
    public var maxSectors: UInt32
    /// The unit serial number (configfs `wwn/vpd_unit_serial`), empty when the kernel has none.
    public var unitSerial: String
    /// tcmu-runner's `tcmur_cmd_time_out=N` option in seconds, when given (0 or nil: none).
    public var commandTimeout: Int?
    /// The device's logger (metadata `device` set to the device name).
    public var logger: Logger

    public init(
        config: String, fullConfigString: String, deviceName: String, hba: String, sizeInBytes: UInt64,
        blockSize: UInt32, maxSectors: UInt32, unitSerial: String, commandTimeout: Int? = nil, logger: Logger
    ) {
        self.config = config
        self.fullConfigString = fullConfigString
        self.deviceName = deviceName
        self.hba = hba
        self.sizeInBytes = sizeInBytes
        self.blockSize = blockSize
        self.maxSectors = maxSectors
        self.unitSerial = unitSerial
        self.commandTimeout = commandTimeout
        self.logger = logger
    }

    /// The number of logical blocks (size / block length, rounded down as tcmu-runner does).
    public var blockCount: UInt64 { blockSize == 0 ? 0 : sizeInBytes / UInt64(blockSize) }
}
