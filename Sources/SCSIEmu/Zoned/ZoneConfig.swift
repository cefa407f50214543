/// A zoned device's configuration string, as tcmu-runner's file_zbc reads it (the same options, the same
/// defaults), plus our own options:
///
///     zbc/[opt[/opt…]@]path
///
/// | option | meaning | default |
/// |---|---|---|
/// | `model-HM` / `model-HA` | host-managed (PDT 14h) or host-aware (PDT 0, VPD B1 ZONED 01b) | HM |
/// | `lba-512` / `lba-4096` | logical block size | 512 |
/// | `zsize-<MiB>` | zone size, a power of two | 256 |
/// | `conv-<n>` | conventional zones at the start | 1 % of the zones, at least 1 |
/// | `open-<n>` | maximum open zones (HM) / optimal open zones (HA), clamped to half the sequential zones | 128 |
/// | `urswrz-0` / `urswrz-1` | unrestricted reads in SWR zones (VPD B6 URSWRZ) | 1 |
/// | `ro-<zone>`, `offline-<zone>`, `rwp-<zone>` | put zone number `<zone>` in READ ONLY / OFFLINE / RWP recommended at open (repeatable) | – |
/// | `format` | reformat an existing image whose metadata disagrees (its data is lost) | – |
///
/// Unlike tcmu-runner, options never reformat an existing image silently: the options given must agree with
/// the image's metadata, or the device is refused with a message (see `ZonedStore`).
public struct ZoneConfig: Sendable, Hashable {
    public enum Model: String, Sendable, Hashable {
        case hostManaged = "HM"
        case hostAware = "HA"
    }

    public var path: String
    /// Explicitly given values (nil: the image's value, or the default for a new image).
    public var model: Model?
    public var logicalBlockSize: UInt32?
    public var zoneSizeMiB: UInt64?
    public var conventionalZones: Int?
    public var openZones: Int?
    public var unrestrictedReads: Bool?
    public var readOnlyZones: [Int] = []
    public var offlineZones: [Int] = []
    public var resetRecommendedZones: [Int] = []
    /// `format`: reformat the image even if it holds other metadata.
    public var format = false

    public static let defaultModel = Model.hostManaged
    public static let defaultLogicalBlockSize: UInt32 = 512
    public static let defaultZoneSizeMiB: UInt64 = 256
    public static let defaultOpenZones = 128

    public init(path: String) { self.path = path }

    /// Parses `zbc/[opt[/opt…]@]path`. Every error names the option at fault.
    public init(parsing string: String) throws(ZoneConfigError) {
        guard string.hasPrefix("zbc/") else {
            throw ZoneConfigError(option: "handler", "the configuration string must start with \"zbc/\"")
        }
        let rest = String(string.dropFirst(4))
        var options: [Substring] = []
        let path: String
        if rest.hasPrefix("/") {
            path = rest
        } else {
            guard let at = rest.firstIndex(of: "@") else {
                throw ZoneConfigError(option: "path", "expected zbc/<options>@<path> or zbc/<absolute path>")
            }
            options = rest[..<at].split(separator: "/", omittingEmptySubsequences: false)
            path = String(rest[rest.index(after: at)...])
        }
        guard !path.isEmpty else { throw ZoneConfigError(option: "path", "no backing file path given") }
        self.init(path: path)
        for option in options { try apply(option) }
    }

    private mutating func apply(_ option: Substring) throws(ZoneConfigError) {
        if option == "format" {
            format = true
            return
        }
        guard let dash = option.firstIndex(of: "-") else {
            throw ZoneConfigError(option: String(option), "unknown option")
        }
        let name = String(option[..<dash])
        let value = String(option[option.index(after: dash)...])
        func number() throws(ZoneConfigError) -> Int {
            guard let n = Int(value), n >= 0, value.allSatisfy(\.isASCII) else {
                throw ZoneConfigError(option: name, "\"\(value)\" is not a non-negative decimal number")
            }
            return n
        }
        func once<T>(_ current: T?) throws(ZoneConfigError) {
            if current != nil { throw ZoneConfigError(option: name, "given more than once") }
        }
        switch name {
        case "model":
            try once(model)
            guard let m = Model(rawValue: value) else {
                throw ZoneConfigError(option: name, "\"\(value)\" is not HM or HA")
            }
            model = m
        case "lba":
            try once(logicalBlockSize)
            let n = try number()
            guard n == 512 || n == 4096 else { throw ZoneConfigError(option: name, "\(value) is not 512 or 4096") }
            logicalBlockSize = UInt32(n)
        case "zsize":
            try once(zoneSizeMiB)
            let n = try number()
            guard n > 0, n & (n - 1) == 0, n <= 1 << 20 else {
                throw ZoneConfigError(option: name, "\(value) MiB is not a power of two (1…1048576)")
            }
            zoneSizeMiB = UInt64(n)
        case "conv":
            try once(conventionalZones)
            conventionalZones = try number()
        case "open":
            try once(openZones)
            let n = try number()
            guard n > 0 else { throw ZoneConfigError(option: name, "the number of open zones must be at least 1") }
            openZones = n
        case "urswrz":
            try once(unrestrictedReads)
            guard value == "0" || value == "1" else { throw ZoneConfigError(option: name, "\(value) is not 0 or 1") }
            unrestrictedReads = value == "1"
        case "ro": readOnlyZones.append(try number())
        case "offline": offlineZones.append(try number())
        case "rwp": resetRecommendedZones.append(try number())
        default:
            throw ZoneConfigError(option: name, "unknown option (known: model, lba, zsize, conv, open, urswrz, ro, offline, rwp, format)")
        }
    }

    /// The geometry of a new image for a device of `deviceSize` bytes, with the defaults for what was not
    /// given (tcmu-runner's rules: conventional zones 1 % of the zones, at least 1, fewer than all zones;
    /// open zones clamped to half the sequential zones, at least 1).
    public func geometry(deviceSize: UInt64) throws(ZoneConfigError) -> ZonedGeometry {
        let lba = logicalBlockSize ?? Self.defaultLogicalBlockSize
        let capacity = deviceSize / UInt64(lba)
        let zoneLength = (zoneSizeMiB ?? Self.defaultZoneSizeMiB) << 20 / UInt64(lba)
        guard capacity > 0 else {
            throw ZoneConfigError(option: "size", "the device size \(deviceSize) holds no \(lba)-byte block")
        }
        guard deviceSize <= DeviceSizeLimit.maximumBytes else {
            throw ZoneConfigError(
                option: "size", "the device size \(deviceSize) is larger than \(DeviceSizeLimit.maximumBytes) bytes (2^62)")
        }
        let layout = ZoneLayout(capacity: capacity, zoneLength: zoneLength)
        let zones = layout.zoneCount
        // Bounds the zone table (memory and image) before anything is allocated for it.
        guard zones <= ZoneLayout.maximumZoneCount else {
            throw ZoneConfigError(
                option: "zsize",
                "the device size \(deviceSize) in zones of \(zoneLength * UInt64(lba) >> 20) MiB makes \(zones) zones, more than \(ZoneLayout.maximumZoneCount); use larger zones")
        }
        let conv = conventionalZones ?? max(1, zones / 100)
        guard conv < zones else {
            throw ZoneConfigError(
                option: "conv", "\(conv) conventional zones leave no sequential zone (the device has \(zones) zones)")
        }
        let seq = zones - conv
        var open = openZones ?? Self.defaultOpenZones
        if open >= seq / 2 { open = max(1, seq / 2) }
        for (name, list) in [("ro", readOnlyZones), ("offline", offlineZones), ("rwp", resetRecommendedZones)] {
            if let bad = list.first(where: { $0 >= zones }) {
                throw ZoneConfigError(option: name, "zone \(bad) does not exist (the device has \(zones) zones)")
            }
        }
        return ZonedGeometry(
            model: model ?? Self.defaultModel, logicalBlockSize: lba, layout: layout,
            conventionalZones: conv, maxOpenZones: open, unrestrictedReads: unrestrictedReads ?? true)
    }
}

/// A configuration error: the option at fault and what is wrong with it.
public struct ZoneConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public let option: String
    public let message: String
    public init(option: String, _ message: String) {
        self.option = option
        self.message = message
    }
    public var description: String { "zbc option '\(option)': \(message)" }
}

/// Everything fixed when an image is formatted.
public struct ZonedGeometry: Sendable, Hashable {
    public var model: ZoneConfig.Model
    public var logicalBlockSize: UInt32
    public var layout: ZoneLayout
    public var conventionalZones: Int
    /// HM: MAXIMUM NUMBER OF OPEN SEQUENTIAL WRITE REQUIRED ZONES; HA: the optimal counts of VPD B6.
    public var maxOpenZones: Int
    /// URSWRZ (VPD B6): reads in SWR zones are not restricted by the write pointer or zone boundaries.
    public var unrestrictedReads: Bool

    public init(
        model: ZoneConfig.Model, logicalBlockSize: UInt32, layout: ZoneLayout, conventionalZones: Int,
        maxOpenZones: Int, unrestrictedReads: Bool
    ) {
        self.model = model
        self.logicalBlockSize = logicalBlockSize
        self.layout = layout
        self.conventionalZones = conventionalZones
        self.maxOpenZones = maxOpenZones
        self.unrestrictedReads = unrestrictedReads
    }

    /// The type of the sequential zones.
    public var sequentialType: ZoneType {
        model == .hostManaged ? .sequentialWriteRequired : .sequentialWritePreferred
    }

    /// The zones of a freshly formatted image: conventional ones first, then EMPTY sequential zones.
    public func initialZones() -> [Zone] {
        (0..<layout.zoneCount).map { i in
            i < conventionalZones
                ? Zone(type: .conventional, condition: .notWritePointer, writePointer: .max)
                : Zone(type: sequentialType, condition: .empty, writePointer: layout.start(of: i))
        }
    }
}
