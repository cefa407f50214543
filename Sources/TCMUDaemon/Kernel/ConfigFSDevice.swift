import SystemCalls

/// What configfs says about a TCMU device when it is added (tcmu-runner `dev_added`).
public struct ConfigFSDeviceAttributes: Sendable, Hashable {
    /// `attrib/hw_block_size` (> 0).
    public var blockSize: UInt32
    /// `attrib/hw_max_sectors`.
    public var maxSectors: UInt32
    /// `info` … ` Size: <bytes>` (the `dev_size` given to `control`).
    public var sizeInBytes: UInt64
    /// `wwn/vpd_unit_serial` after "T10 VPD Unit Serial Number: ", empty when absent.
    public var unitSerial: String

    public init(blockSize: UInt32, maxSectors: UInt32, sizeInBytes: UInt64, unitSerial: String) {
        self.blockSize = blockSize
        self.maxSectors = maxSectors
        self.sizeInBytes = sizeInBytes
        self.unitSerial = unitSerial
    }
}

/// Why a configfs attribute was unusable: the file and what was wrong.
public struct ConfigFSError: Error, Sendable, Hashable, CustomStringConvertible {
    public var attribute: String
    public var reason: String
    /// The errno for the netlink reply.
    public var errno: Errno

    public init(attribute: String, reason: String, errno: Errno = .invalidArgument) {
        self.attribute = attribute
        self.reason = reason
        self.errno = errno
    }

    init(_ e: ControlFileError, attribute: String) {
        self.init(attribute: attribute, reason: e.description, errno: e.errno)
    }

    /// The positive errno number.
    public var code: Int32 { errno.rawValue }

    public var description: String { "\(attribute): \(reason)" }
}

/// One device's configfs directory: `sys/kernel/config/target/core/user_<hba>/<device>/`.
public struct ConfigFSDevice: Sendable {
    public let files: ControlFiles
    /// The directory relative to the root.
    public let directory: String

    public init(files: ControlFiles, name: UIODeviceName) {
        self.files = files
        self.directory = "sys/kernel/config/target/core/\(name.hbaDirectory)/\(name.deviceName)"
    }

    /// Reads block size, max sectors, size and unit serial.
    /// - Throws: `ConfigFSError` naming the attribute (a missing unit serial is not an error).
    public func attributes() throws(ConfigFSError) -> ConfigFSDeviceAttributes {
        let blockSize = try readNumber("attrib/hw_block_size")
        guard blockSize > 0, let bs = UInt32(exactly: blockSize) else {
            throw ConfigFSError(attribute: "attrib/hw_block_size", reason: "\(blockSize) is not a block size")
        }
        let maxSectors = try readNumber("attrib/hw_max_sectors")
        guard let ms = UInt32(exactly: maxSectors) else {
            throw ConfigFSError(attribute: "attrib/hw_max_sectors", reason: "\(maxSectors) is out of range")
        }
        let info: String
        do { info = try files.read("\(directory)/info") } catch { throw ConfigFSError(error, attribute: "info") }
        guard let size = Self.size(fromInfo: info) else {
            throw ConfigFSError(attribute: "info", reason: "no ' Size: <bytes>' in '\(info.trimmingWhitespace)'")
        }
        let serial = (try? files.readLine("\(directory)/wwn/vpd_unit_serial")).map(Self.unitSerial(from:)) ?? ""
        return ConfigFSDeviceAttributes(blockSize: bs, maxSectors: ms, sizeInBytes: size, unitSerial: serial)
    }

    /// Writes an `action/` file (`block_dev`, `reset_ring`).
    public func setAction(_ action: String, _ value: Int) throws(ControlFileError) {
        try files.write("\(value)", to: "\(directory)/action/\(action)")
    }

    func readNumber(_ attribute: String) throws(ConfigFSError) -> UInt64 {
        let text: String
        do { text = try files.readLine("\(directory)/\(attribute)") } catch {
            throw ConfigFSError(error, attribute: attribute)
        }
        guard let n = UInt64(text.trimmingWhitespace) else {
            throw ConfigFSError(attribute: attribute, reason: "'\(text)' is not a number")
        }
        return n
    }

    /// The byte count after the last " Size: " of the `info` file. The kernel prints
    /// `… Config: <cfgstring> Size: <bytes> MaxDataAreaMB: <n> …`; taking the last match keeps a config
    /// string that itself contains " Size: " from fooling us (tcmu-runner took the first).
    public static func size(fromInfo info: String) -> UInt64? {
        let marker = " Size: "
        guard let range = info.ranges(of: marker).last else { return nil }
        let digits = info[range.upperBound...].prefix(while: { $0.isASCII && $0.isNumber })
        return UInt64(digits)
    }

    /// The serial from `wwn/vpd_unit_serial` ("T10 VPD Unit Serial Number: <serial>").
    static func unitSerial(from text: String) -> String {
        let prefix = "T10 VPD Unit Serial Number:"
        let t = text.trimmingWhitespace
        return t.hasPrefix(prefix) ? String(t.dropFirst(prefix.count)).trimmingWhitespace : t
    }
}

/// The target_core_user module parameters tcmu-runner toggles around start-up:
/// `sys/module/target_core_user/parameters/{block_netlink,reset_netlink}`.
public struct TCMUModuleParameters: Sendable {
    public let files: ControlFiles
    static let directory = "sys/module/target_core_user/parameters"

    public init(files: ControlFiles) { self.files = files }

    /// Blocks netlink events (new ones fail EAGAIN) and aborts waits left by a previous daemon.
    /// Returns false when the kernel has no `block_netlink` (nothing to undo later).
    public func blockNetlink() -> Bool {
        do { try files.write("1", to: "\(Self.directory)/block_netlink") } catch { return error.errno != .noSuchFileOrDirectory }
        _ = try? files.write("1", to: "\(Self.directory)/reset_netlink")
        return true
    }

    /// Lets netlink events through again.
    public func unblockNetlink() {
        _ = try? files.write("0", to: "\(Self.directory)/block_netlink")
    }
}
