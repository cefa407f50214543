import Sense

extension ZonedStore {
    // MARK: - Commit

    /// Makes data and zone state durable (see the protocol on `ZonedStore`). Cheap when nothing changed.
    public mutating func commit() throws(StoreError) {
        let dirty = machine.takeDirtyZones()
        if !dirty.isEmpty {
            metadataDirty = true
            for z in dirty {
                let page = z / ZonedMetadata.recordsPerPage
                pendingPages[0].insert(page)
                pendingPages[1].insert(page)
            }
        }
        if dataDirty {
            try medium.flush()
            dataDirty = false
        }
        guard metadataDirty else { return }
        let slot = 1 - activeSlot
        let tableBase = ZonedMetadata.tableOffset(slot: slot, pages: tablePages)
        for p in pendingPages[slot].sorted() {
            let page = ZonedMetadata.encodePage(p, zones: machine.zones)
            pageCRCs[slot][p] = ZonedMetadata.pageCRC(page)
            try medium.writeBytes(page, at: tableBase + UInt64(p * ZonedMetadata.unit))
        }
        let sb = ZonedMetadata.Superblock(
            generation: generation + 1, geometry: geometry, tableCRC: ZonedMetadata.tableCRC(pageCRCs[slot]))
        try medium.writeBytes(sb.encoded(), at: ZonedMetadata.superblockOffset(slot: slot))
        try medium.flush()
        generation += 1
        activeSlot = slot
        pendingPages[slot].removeAll()
        metadataDirty = false
        // Give back the space of zones now durably EMPTY (their blocks read as zeros anyway).
        try punch(dirty.filter { machine.zones[$0].condition == .empty }.map(wholeZone))
    }

    func wholeZone(_ i: Int) -> Range<UInt64> { machine.layout.start(of: i)..<machine.layout.end(of: i) }

    /// Zeroes LBA ranges, merging neighbours into one call.
    func punch(_ ranges: [Range<UInt64>]) throws(StoreError) {
        var pending: Range<UInt64>?
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !r.isEmpty {
            if let p = pending, p.upperBound >= r.lowerBound {
                pending = p.lowerBound..<max(p.upperBound, r.upperBound)
            } else {
                if let p = pending { try zeroBlocks(p) }
                pending = r
            }
        }
        if let p = pending { try zeroBlocks(p) }
    }

    func zeroBlocks(_ r: Range<UInt64>) throws(StoreError) {
        try medium.writeZeroes(at: dataOffset + r.lowerBound * blockSize, length: UInt64(r.count) * blockSize, deallocate: true)
    }

    /// SYNCHRONIZE CACHE: commit, as sense on failure.
    public mutating func synchronize() throws(Sense) {
        do throws(StoreError) { try commit() } catch { throw Sense(.mediumError, .writeError) }
    }

    // MARK: - Commands

    /// A WRITE of `blocks` blocks (range-checked, > 0) at `lba`: zone checks, `land` moves the data (the
    /// engine's store write), the zone effects, and when `durable` a commit before returning.
    public mutating func write(
        lba: UInt64, blocks: UInt64, durable: Bool, land: () throws(Sense) -> Void
    ) throws(Sense) {
        let plan = try machine.planWrite(lba: lba, blocks: blocks)
        do throws(StoreError) { try punch(plan.gaps) } catch { throw error.sense(writing: true, firstBlock: lba) }
        try land()
        machine.applyWrite(plan)
        dataDirty = true
        if durable { try synchronize() }
    }

    /// A zone-control service action of ZBC OUT, committed before it completes: a drive's RESET WRITE
    /// POINTER, OPEN, CLOSE and FINISH ZONE are not cached, so a kill right after GOOD must not bring the
    /// old write pointer or condition back (ZBC-2 §4.4.3: the zone condition a command sets is the zone's).
    /// The cost is one commit (data sync when dirty, the changed table page, the superblock, a sync):
    /// docs/performance.md ("Durable zone management").
    public mutating func zoneOut(_ action: ZoneOutAction, _ cdb: CDB) throws(Sense) {
        let skipped = try action.perform(cdb, on: &machine)
        do throws(StoreError) { try punch(skipped) } catch { throw Sense(.mediumError, .writeError) }
        try synchronize()
    }

    /// FORMAT UNIT / SANITIZE: every zone that is not READ ONLY or OFFLINE loses its data; sequential
    /// zones become EMPTY (flags cleared). Committed before returning.
    public mutating func eraseAll() throws(Sense) {
        let layout = machine.layout
        var erase: [Range<UInt64>] = []
        for i in 0..<layout.zoneCount {
            let c = machine.zones[i].condition
            guard c != .readOnly, c != .offline else { continue }
            erase.append(layout.start(of: i)..<layout.end(of: i))
        }
        machine.resetAll()
        do throws(StoreError) {
            try punch(erase)
            dataDirty = true
            try commit()
        } catch {
            throw Sense(.mediumError, .writeError)
        }
    }

    /// Forces a zone condition (test control) and commits it.
    public mutating func force(_ forced: ZoneStateMachine.ForcedCondition, zone: Int) throws(StoreError) {
        machine.force(forced, zone: zone)
        try commit()
    }

    /// What a READ needs from the zone state, taken under the device lock: sense for a refused read, or
    /// the LBA ranges that read as zeros.
    public func prepareRead(lba: UInt64, blocks: UInt64) throws(Sense) -> [Range<UInt64>] {
        try machine.checkRead(lba: lba, blocks: blocks)
        return machine.unwrittenRanges(lba: lba, blocks: blocks)
    }
}
