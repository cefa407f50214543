import Sense

/// What a WRITE does to the zones, decided before the data moves and applied after it landed.
public struct ZoneWritePlan: Sendable, Hashable {
    public let lba: UInt64
    public let blocks: UInt64
    /// LBAs the caller must make read as zeros before writing: a write preferred zone written past its
    /// write pointer leaves a gap (ZBC-2 §4.4.3.3).
    public let gaps: [Range<UInt64>]
}

extension ZoneStateMachine {
    // MARK: - Writes (ZBC-2 §4.5.2, §5.x WRITE)

    /// Checks a write of `blocks` blocks at `lba` (already range-checked, `blocks > 0`) against the zone
    /// rules and returns its plan. Changes nothing.
    ///
    /// Order of checks: READ ONLY / OFFLINE (DATA PROTECT) → host-managed: from a conventional zone into
    /// a zone of another type, or across the end of a sequential write required zone, WRITE BOUNDARY
    /// VIOLATION 21h/05h → FULL SWR zone INVALID FIELD IN CDB → LBA ≠ write pointer UNALIGNED WRITE
    /// COMMAND 21h/04h → EMPTY/CLOSED zone at the open limit with no implicitly open zone to close
    /// INSUFFICIENT ZONE RESOURCES.
    public func planWrite(lba: UInt64, blocks: UInt64) throws(Sense) -> ZoneWritePlan {
        let end = lba + blocks
        let first = zoneIndex(of: lba), last = zoneIndex(of: end - 1)
        for i in first...last { try Self.checkAvailable(zones[i]) }
        let z = zones[first]
        var gaps: [Range<UInt64>] = []
        switch z.type {
        case .conventional:
            if geometry.model == .hostManaged, first != last,
                (first...last).contains(where: { zones[$0].type != .conventional })
            {
                throw Sense(.illegalRequest, .writeBoundaryViolation)
            }
        case .sequentialWriteRequired:
            if last != first { throw Sense(.illegalRequest, .writeBoundaryViolation) }
            if z.condition == .full {
                throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 7))
            }
            if lba != z.writePointer { throw Sense(.illegalRequest, .unalignedWriteCommand) }
            if z.condition == .empty || z.condition == .closed, openCount >= geometry.maxOpenZones,
                implicitlyOpen.isEmpty
            {
                throw Sense(.dataProtect, .insufficientZoneResources)
            }
        case .sequentialWritePreferred:
            break
        }
        for i in first...last where zones[i].type == .sequentialWritePreferred && zones[i].condition != .full {
            let from = max(lba, layout.start(of: i))
            if from > zones[i].writePointer { gaps.append(zones[i].writePointer..<from) }
        }
        return ZoneWritePlan(lba: lba, blocks: blocks, gaps: gaps)
    }

    /// Applies a planned write whose data has landed: write pointers advance, zones open implicitly
    /// (closing the oldest implicitly open zone at the limit) or become FULL.
    public mutating func applyWrite(_ plan: ZoneWritePlan) {
        let end = plan.lba + plan.blocks
        for i in zoneIndex(of: plan.lba)...zoneIndex(of: end - 1) where zones[i].type.hasWritePointer {
            guard zones[i].condition != .full else { continue }
            let zoneEnd = layout.end(of: i)
            let from = max(plan.lba, layout.start(of: i)), to = min(end, zoneEnd)
            if from != zones[i].writePointer { zones[i].nonSequential = true }
            zones[i].writePointer = max(zones[i].writePointer, to)
            markDirty(i)
            if zones[i].writePointer == zoneEnd {
                setCondition(i, .full)
            } else if zones[i].condition == .empty || zones[i].condition == .closed {
                try? reserveOpenResource(for: i)
                setCondition(i, .implicitlyOpen)
            }
        }
    }

    /// Whether `blocks` blocks at `lba` lie wholly inside one sequential write required zone, below its
    /// write pointer (the whole zone when FULL), and the zone is neither READ ONLY nor OFFLINE: the zone
    /// holds a write of that extent (see `ZoneWritePointers.write`).
    public func holdsWritten(lba: UInt64, blocks: UInt64) -> Bool {
        guard blocks > 0, lba < layout.capacity, blocks <= layout.capacity - lba else { return false }
        let i = zoneIndex(of: lba)
        guard i == zoneIndex(of: lba + blocks - 1), zones[i].type == .sequentialWriteRequired else { return false }
        let z = zones[i]
        switch z.condition {
        case .readOnly, .offline: return false
        case .full: return true
        default: return lba + blocks <= z.writePointer
        }
    }

    /// Whether `blocks` blocks at `lba` lie wholly inside one sequential write required zone that is
    /// open, closed or empty, beyond its write pointer: a write there waits for the writes before it.
    public func liesAheadOfWritePointer(lba: UInt64, blocks: UInt64, orAt: Bool = false) -> Bool {
        guard blocks > 0, lba < layout.capacity, blocks <= layout.capacity - lba else { return false }
        let i = zoneIndex(of: lba)
        guard i == zoneIndex(of: lba + blocks - 1), zones[i].type == .sequentialWriteRequired else { return false }
        switch zones[i].condition {
        case .full, .readOnly, .offline: return false
        default: return lba > zones[i].writePointer || (orAt && lba == zones[i].writePointer)
        }
    }

    // MARK: - Reads (ZBC-2 §4.5.3)

    /// Checks a read (already range-checked, `blocks > 0`): OFFLINE zones are DATA PROTECT; on a
    /// host-managed device a read that spans a conventional and a sequential write required zone is
    /// ATTEMPT TO READ INVALID DATA (21h/06h) whatever URSWRZ says (ZBC-2 §4.4.3.4.2, the zone type
    /// boundary rule; libzbc 01.064, tcmu-runner file_zbc); with URSWRZ 0, a read that crosses a boundary
    /// of a sequential write required zone is READ BOUNDARY VIOLATION (21h/07h) and one that reaches the
    /// write pointer of such a zone ATTEMPT TO READ INVALID DATA (21h/06h).
    public func checkRead(lba: UInt64, blocks: UInt64) throws(Sense) {
        let end = lba + blocks
        let first = zoneIndex(of: lba), last = zoneIndex(of: end - 1)
        for i in first...last where zones[i].condition == .offline {
            throw Sense(.dataProtect, .zoneIsOffline)
        }
        if geometry.model == .hostManaged, first != last,
            zones[first...last].contains(where: { $0.type == .conventional }),
            zones[first...last].contains(where: { $0.type == .sequentialWriteRequired })
        {
            throw Sense(.illegalRequest, .attemptToReadInvalidData)
        }
        guard !geometry.unrestrictedReads else { return }
        if first != last, (first...last).contains(where: { zones[$0].type == .sequentialWriteRequired }) {
            throw Sense(.illegalRequest, .readBoundaryViolation)
        }
        let z = zones[first]
        if z.type == .sequentialWriteRequired, z.condition != .full, end > z.writePointer {
            throw Sense(.illegalRequest, .attemptToReadInvalidData)
        }
    }

    /// The LBAs of a read that lie at or above a write pointer: they read as zeros (never-written data).
    public func unwrittenRanges(lba: UInt64, blocks: UInt64) -> [Range<UInt64>] {
        let end = lba + blocks
        var out: [Range<UInt64>] = []
        for i in zoneIndex(of: lba)...zoneIndex(of: end - 1) where zones[i].type.hasWritePointer {
            let wp = max(zones[i].writePointer, layout.start(of: i))
            let from = max(lba, wp), to = min(end, layout.end(of: i))
            if from < to { out.append(from..<to) }
        }
        return out
    }

    // MARK: - Test control of conditions (not a SCSI command)

    /// The conditions a tester may force on a zone, and `clear` to undo them.
    public enum ForcedCondition: Sendable, Hashable {
        case readOnly, offline, resetRecommended, clear
    }

    /// Puts a zone into READ ONLY or OFFLINE, flags it RWP recommended, or clears all of these (the
    /// condition then follows the write pointer: EMPTY, CLOSED or FULL; NOT WP for conventional zones).
    public mutating func force(_ forced: ForcedCondition, zone i: Int) {
        switch forced {
        case .readOnly: setCondition(i, .readOnly)
        case .offline: setCondition(i, .offline)
        case .resetRecommended:
            zones[i].resetRecommended = zones[i].type.hasWritePointer
            markDirty(i)
        case .clear:
            zones[i].resetRecommended = false
            markDirty(i)
            guard zones[i].condition == .readOnly || zones[i].condition == .offline else { return }
            if !zones[i].type.hasWritePointer {
                setCondition(i, .notWritePointer)
            } else if zones[i].writePointer >= layout.end(of: i) {
                setCondition(i, .full)
            } else {
                setCondition(i, closedOrEmpty(i))
            }
        }
    }
}
