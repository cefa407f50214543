import SystemCalls

/// A TCMU UIO device as sysfs describes it: `/sys/class/uio/uio<minor>/{name,maps/map0/size}`.
public struct UIODevice: Sendable, Hashable {
    public var minor: UInt32
    public var name: UIODeviceName
    /// The length of map0 (mailbox + command ring + data area); the mmap must be exactly this long.
    public var mapSize: Int

    public init(minor: UInt32, name: UIODeviceName, mapSize: Int) {
        self.minor = minor
        self.name = name
        self.mapSize = mapSize
    }

    /// `/dev/uio<minor>` relative to the root.
    public var devicePath: String { "dev/uio\(minor)" }
}

/// Why a UIO device could not be described.
public enum UIODiscoveryError: Error, Sendable, Hashable, CustomStringConvertible {
    case file(ControlFileError)
    case notTCMU(minor: UInt32, name: String)
    case badMapSize(minor: UInt32, text: String)

    /// The errno to answer the kernel with.
    public var errno: Errno {
        switch self {
        case .file(let e): e.errno
        case .notTCMU, .badMapSize: .invalidArgument
        }
    }

    /// The positive errno number.
    public var code: Int32 { errno.rawValue }

    public var description: String {
        switch self {
        case .file(let e): "\(e)"
        case .notTCMU(let m, let n): "uio\(m): '\(n)' is not a tcm-user/<hba>/<device>/<config> name"
        case .badMapSize(let m, let t): "uio\(m): maps/map0/size '\(t)' is not a size"
        }
    }
}

/// Finds TCMU devices in `/sys/class/uio` (tcmu-runner `open_devices` / `read_uio_name`).
public struct UIODiscovery: Sendable {
    public let files: ControlFiles

    public init(files: ControlFiles) { self.files = files }

    static let classDirectory = "sys/class/uio"

    /// Every `uio<N>` whose name starts with `tcm-user`, ascending by minor. Devices whose files cannot be
    /// read are returned as failures so the caller can log them; a missing /sys/class/uio is no devices.
    public func scan() -> [Result<UIODevice, UIODiscoveryError>] {
        guard let names = try? files.list(Self.classDirectory) else { return [] }
        let minors = names.compactMap { n -> UInt32? in
            n.hasPrefix("uio") ? UInt32(n.dropFirst(3)) : nil
        }.sorted()
        return minors.compactMap { minor in
            guard let name = try? files.readLine("\(Self.classDirectory)/uio\(minor)/name"),
                name.hasPrefix(UIODeviceName.prefix)
            else { return nil }
            return Result { () throws(UIODiscoveryError) in try device(minor: minor, name: name) }
        }
    }

    /// Describes `uio<minor>`, whose name is already known (from netlink, or read here when nil).
    public func device(minor: UInt32, name knownName: String? = nil) throws(UIODiscoveryError) -> UIODevice {
        let dir = "\(Self.classDirectory)/uio\(minor)"
        let name: String
        if let knownName { name = knownName } else {
            do { name = try files.readLine("\(dir)/name") } catch { throw .file(error) }
        }
        guard let parsed = try? UIODeviceName(parsing: name) else { throw .notTCMU(minor: minor, name: name) }
        let sizeText: String
        do { sizeText = try files.readLine("\(dir)/maps/map0/size") } catch { throw .file(error) }
        guard let size = Self.parseSize(sizeText), size > 0 else {
            throw .badMapSize(minor: minor, text: sizeText)
        }
        return UIODevice(minor: minor, name: parsed, mapSize: size)
    }

    /// Parses a sysfs size: `0x…` hex as the UIO core prints it, or decimal (strtoull base 0, no octal).
    static func parseSize(_ text: String) -> Int? {
        let t = text.trimmingWhitespace
        if t.hasPrefix("0x") || t.hasPrefix("0X") { return Int(t.dropFirst(2), radix: 16) }
        return Int(t)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    public var trimmingWhitespace: String {
        let ws: Set<Character> = [" ", "\t", "\n", "\r"]
        guard let first = firstIndex(where: { !ws.contains($0) }), let last = lastIndex(where: { !ws.contains($0) })
        else { return "" }
        return String(self[first...last])
    }
}
