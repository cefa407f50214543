import Sense

/// The zone state machine of ZBC-2 §4.4.3, pure: conditions, write pointers, and open-zone resource
/// accounting (ZBC-2 §4.4.3.2.x "managing open zone resources"). No I/O: callers apply `ZoneEffects`.
///
/// Open-zone accounting applies to sequential write required zones only (host-managed). Host-aware
/// (sequential write preferred) zones change condition the same way but are never refused or closed for
/// lack of resources: the device's counts are only "optimal" there (ZBC-2 §6.5.2).
///
/// | action | EMPTY | IMPLICIT OPEN | EXPLICIT OPEN | CLOSED | FULL | READ ONLY / OFFLINE |
/// |---|---|---|---|---|---|---|
/// | OPEN | EXPLICIT OPEN (needs a resource) | EXPLICIT OPEN | – | EXPLICIT OPEN (needs a resource) | – | DATA PROTECT |
/// | CLOSE | – | CLOSED (EMPTY if WP = start) | CLOSED (EMPTY if WP = start) | – | – | DATA PROTECT |
/// | FINISH | FULL (needs a resource) | FULL | FULL | FULL (needs a resource) | – | DATA PROTECT |
/// | RESET | EMPTY | EMPTY | EMPTY | EMPTY | EMPTY | DATA PROTECT |
/// | OPEN ALL | – | – | – | EXPLICIT OPEN | – | skipped |
/// | CLOSE ALL / FINISH ALL / RESET ALL | as single, but FINISH ALL leaves EMPTY zones alone | | | | | skipped |
///
/// "Needs a resource": when the open zones already number the maximum, the oldest implicitly open zone is
/// closed to make room; with none, INSUFFICIENT ZONE RESOURCES (DATA PROTECT 55h/0Eh).
public struct ZoneStateMachine: Sendable {
    public let geometry: ZonedGeometry
    public internal(set) var zones: [Zone]
    /// Implicitly open SWR zones, oldest first.
    public private(set) var implicitlyOpen: [Int] = []
    /// Explicitly open SWR zones.
    public private(set) var explicitlyOpenCount = 0
    /// Zones changed since `takeDirtyZones()` (no duplicates).
    public private(set) var dirtyZones: [Int] = []
    private var isDirty: [Bool]

    public var layout: ZoneLayout { geometry.layout }

    /// Loads zones as found on the medium. Open zones become CLOSED (EMPTY when nothing was written), as
    /// after a power cycle (ZBC-2 §4.4.3.2.1).
    public init(geometry: ZonedGeometry, zones: [Zone]) {
        precondition(zones.count == geometry.layout.zoneCount)
        self.geometry = geometry
        self.zones = zones
        self.isDirty = Array(repeating: false, count: zones.count)
        for i in zones.indices where zones[i].condition.isOpen {
            self.zones[i].condition = zones[i].writePointer == geometry.layout.start(of: i) ? .empty : .closed
            markDirty(i)
        }
    }

    /// The zone holding `lba` (the caller checks `lba < capacity`).
    public func zoneIndex(of lba: UInt64) -> Int { layout.zoneIndex(of: lba) }

    public mutating func takeDirtyZones() -> [Int] {
        let taken = dirtyZones
        for i in taken { isDirty[i] = false }
        dirtyZones.removeAll(keepingCapacity: true)
        return taken
    }

    mutating func markDirty(_ i: Int) {
        if !isDirty[i] {
            isDirty[i] = true
            dirtyZones.append(i)
        }
    }

    // MARK: - Open-zone resources

    /// Whether the zone counts against the maximum number of open zones.
    func isAccounted(_ i: Int) -> Bool { zones[i].type == .sequentialWriteRequired }

    public var openCount: Int { explicitlyOpenCount + implicitlyOpen.count }

    /// Makes room for one more open SWR zone: closes the oldest implicitly open zone when at the limit,
    /// or throws INSUFFICIENT ZONE RESOURCES when every open zone is explicitly open.
    mutating func reserveOpenResource(for i: Int) throws(Sense) {
        guard isAccounted(i), openCount >= geometry.maxOpenZones else { return }
        guard let oldest = implicitlyOpen.first else {
            throw Sense(.dataProtect, .insufficientZoneResources)
        }
        setCondition(oldest, closedOrEmpty(oldest))
    }

    func closedOrEmpty(_ i: Int) -> ZoneCondition {
        zones[i].writePointer == layout.start(of: i) ? .empty : .closed
    }

    /// Changes a zone's condition, keeping the open-zone accounting in step.
    mutating func setCondition(_ i: Int, _ new: ZoneCondition) {
        let old = zones[i].condition
        guard old != new else { return }
        if isAccounted(i) {
            if old == .explicitlyOpen { explicitlyOpenCount -= 1 }
            if old == .implicitlyOpen, let k = implicitlyOpen.firstIndex(of: i) { implicitlyOpen.remove(at: k) }
            if new == .explicitlyOpen { explicitlyOpenCount += 1 }
            if new == .implicitlyOpen { implicitlyOpen.append(i) }
        }
        zones[i].condition = new
        markDirty(i)
    }

    // MARK: - Zone control

    /// Throws the DATA PROTECT sense for a zone that cannot be operated on (ZBC-2 §4.4.3.5.6/7).
    static func checkAvailable(_ zone: Zone) throws(Sense) {
        switch zone.condition {
        case .readOnly: throw Sense(.dataProtect, .zoneIsReadOnly)
        case .offline: throw Sense(.dataProtect, .zoneIsOffline)
        default: return
        }
    }

    /// OPEN ZONE on one zone (ZBC-2 §5.6).
    public mutating func open(_ i: Int) throws(Sense) {
        try Self.checkAvailable(zones[i])
        switch zones[i].condition {
        case .empty, .closed:
            try reserveOpenResource(for: i)
            setCondition(i, .explicitlyOpen)
        case .implicitlyOpen: setCondition(i, .explicitlyOpen)
        default: return
        }
    }

    /// CLOSE ZONE on one zone (ZBC-2 §5.4).
    public mutating func close(_ i: Int) throws(Sense) {
        try Self.checkAvailable(zones[i])
        if zones[i].condition.isOpen { setCondition(i, closedOrEmpty(i)) }
    }

    /// FINISH ZONE on one zone (ZBC-2 §5.5): the write pointer moves to the zone end. Returns the LBAs the
    /// caller must make read as zeros (from the old write pointer to the end), or nil.
    public mutating func finish(_ i: Int) throws(Sense) -> Range<UInt64>? {
        try Self.checkAvailable(zones[i])
        switch zones[i].condition {
        case .empty, .closed: try reserveOpenResource(for: i)
        case .implicitlyOpen, .explicitlyOpen: break
        default: return nil
        }
        let end = layout.end(of: i)
        let skipped = zones[i].writePointer..<end
        zones[i].writePointer = end
        setCondition(i, .full)
        markDirty(i)
        return skipped.isEmpty ? nil : skipped
    }

    /// RESET WRITE POINTER on one zone (ZBC-2 §5.7).
    public mutating func reset(_ i: Int) throws(Sense) {
        try Self.checkAvailable(zones[i])
        guard zones[i].type.hasWritePointer else { return }
        zones[i].writePointer = layout.start(of: i)
        zones[i].nonSequential = false
        zones[i].resetRecommended = false
        setCondition(i, .empty)
        markDirty(i)
    }

    /// OPEN ALL: every CLOSED zone becomes EXPLICIT OPEN, or nothing changes when that would exceed the
    /// maximum even after closing every implicitly open zone.
    public mutating func openAll() throws(Sense) {
        let closed = zones.indices.filter { zones[$0].condition == .closed }
        let accountedClosed = closed.filter(isAccounted).count
        if explicitlyOpenCount + accountedClosed > geometry.maxOpenZones, accountedClosed > 0 {
            throw Sense(.dataProtect, .insufficientZoneResources)
        }
        for i in closed { try open(i) }
    }

    public mutating func closeAll() {
        for i in zones.indices where zones[i].condition.isOpen { setCondition(i, closedOrEmpty(i)) }
    }

    /// FINISH ALL: every open or CLOSED zone becomes FULL (never short of resources: nothing stays open).
    public mutating func finishAll() -> [Range<UInt64>] {
        var skipped: [Range<UInt64>] = []
        for i in zones.indices {
            switch zones[i].condition {
            case .implicitlyOpen, .explicitlyOpen, .closed:
                let end = layout.end(of: i)
                if zones[i].writePointer < end { skipped.append(zones[i].writePointer..<end) }
                zones[i].writePointer = end
                setCondition(i, .full)
                markDirty(i)
            default: continue
            }
        }
        return skipped
    }

    /// RESET ALL: every zone with a write pointer that is not READ ONLY or OFFLINE becomes EMPTY.
    /// Returns the zones that were not already empty.
    @discardableResult
    public mutating func resetAll() -> [Int] {
        var changed: [Int] = []
        for i in zones.indices where zones[i].type.hasWritePointer {
            let z = zones[i]
            guard z.condition != .readOnly, z.condition != .offline else { continue }
            if z.condition == .empty, !z.nonSequential, !z.resetRecommended { continue }
            try? reset(i)
            changed.append(i)
        }
        return changed
    }
}
