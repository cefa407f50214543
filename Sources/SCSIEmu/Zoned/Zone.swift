/// The zone types of ZBC-2 §4.4.2 (REPORT ZONES zone descriptor ZONE TYPE, table 39) that we emulate.
public enum ZoneType: UInt8, Sendable, Hashable {
    case conventional = 0x1
    case sequentialWriteRequired = 0x2
    case sequentialWritePreferred = 0x3

    /// Whether the zone has a write pointer.
    public var hasWritePointer: Bool { self != .conventional }
}

/// The zone conditions of ZBC-2 §4.4.3.2 (zone descriptor ZONE CONDITION, table 40).
public enum ZoneCondition: UInt8, Sendable, Hashable, CaseIterable {
    case notWritePointer = 0x0
    case empty = 0x1
    case implicitlyOpen = 0x2
    case explicitlyOpen = 0x3
    case closed = 0x4
    case readOnly = 0xD
    case full = 0xE
    case offline = 0xF

    public var isOpen: Bool { self == .implicitlyOpen || self == .explicitlyOpen }
}

/// One zone's mutable state. Where the zone is and how long it is come from `ZoneLayout`.
public struct Zone: Sendable, Hashable {
    public var type: ZoneType
    public var condition: ZoneCondition
    /// The write pointer LBA. Kept (not reported) while READ ONLY or OFFLINE so `clear` can restore the
    /// condition; meaningless for conventional zones.
    public var writePointer: UInt64
    /// NON_SEQ (ZBC-2 §4.4.3.3): a sequential write preferred zone was written out of order.
    public var nonSequential: Bool
    /// RESET (ZBC-2 §4.4.3.4): RWP RECOMMENDED.
    public var resetRecommended: Bool

    public init(
        type: ZoneType, condition: ZoneCondition, writePointer: UInt64,
        nonSequential: Bool = false, resetRecommended: Bool = false
    ) {
        self.type = type
        self.condition = condition
        self.writePointer = writePointer
        self.nonSequential = nonSequential
        self.resetRecommended = resetRecommended
    }
}

/// Where the zones are: equal power-of-two zones from LBA 0, the last one possibly shorter.
public struct ZoneLayout: Sendable, Hashable {
    /// The most zones a device may have: 16 Mi zones (a 256 MiB zone table per slot, 256 MiB of zone
    /// state in memory; 4 PiB at the default 256 MiB zones). Bounds every allocation sized by the zone
    /// count (dev_size, a superblock) before it is made.
    public static let maximumZoneCount = 1 << 24

    /// Logical blocks in the logical unit.
    public let capacity: UInt64
    /// Logical blocks per zone (a power of two).
    public let zoneLength: UInt64
    public let zoneCount: Int
    private let shift: Int

    public init(capacity: UInt64, zoneLength: UInt64) {
        precondition(zoneLength > 0 && zoneLength & (zoneLength - 1) == 0, "zone length must be a power of two")
        precondition(capacity > 0)
        self.capacity = capacity
        self.zoneLength = zoneLength
        self.shift = zoneLength.trailingZeroBitCount
        // Rounded up without `capacity + zoneLength - 1`, which overflows for a capacity near 2^64.
        self.zoneCount = Int(capacity >> UInt64(shift)) + (capacity & (zoneLength - 1) == 0 ? 0 : 1)
    }

    /// The zone holding `lba` (the caller checks `lba < capacity`).
    @inlinable public func zoneIndex(of lba: UInt64) -> Int { Int(lba >> UInt64(zoneLength.trailingZeroBitCount)) }
    public func start(of zone: Int) -> UInt64 { UInt64(zone) << UInt64(shift) }
    public func length(of zone: Int) -> UInt64 { min(zoneLength, capacity - start(of: zone)) }
    /// One past the zone's last LBA.
    public func end(of zone: Int) -> UInt64 { start(of: zone) + length(of: zone) }
    public func isZoneStart(_ lba: UInt64) -> Bool { lba & (zoneLength - 1) == 0 }
}
