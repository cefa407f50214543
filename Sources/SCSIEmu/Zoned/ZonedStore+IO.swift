import Sense

extension ZonedStore {
    // MARK: - Commit

    /// Makes data and zone state durable (see the protocol on `ZonedStore`). Cheap when nothing changed.
    public mutating func commit() throws(MediumError) {
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
            try medium.sync()
            dataDirty = false
        }
        guard metadataDirty else { return }
        let slot = 1 - activeSlot
        let tableBase = ZonedMetadata.tableOffset(slot: slot, pages: tablePages)
        for p in pendingPages[slot].sorted() {
            let page = ZonedMetadata.encodePage(p, zones: machine.zones)
            pageCRCs[slot][p] = ZonedMetadata.pageCRC(page)
            try medium.write(page, at: tableBase + UInt64(p * ZonedMetadata.unit))
        }
        let sb = ZonedMetadata.Superblock(
            generation: generation + 1, geometry: geometry, tableCRC: ZonedMetadata.tableCRC(pageCRCs[slot]))
        try medium.write(sb.encoded(), at: ZonedMetadata.superblockOffset(slot: slot))
        try medium.sync()
        generation += 1
        activeSlot = slot
        pendingPages[slot].removeAll()
        metadataDirty = false
        // Give back the space of zones now durably EMPTY (their blocks read as zeros anyway).
        try punch(dirty.filter { machine.zones[$0].condition == .empty }.map(wholeZone))
    }

    func wholeZone(_ i: Int) -> Range<UInt64> { machine.layout.start(of: i)..<machine.layout.end(of: i) }

    /// Zeroes LBA ranges, merging neighbours into one call.
    func punch(_ ranges: [Range<UInt64>]) throws(MediumError) {
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

    func zeroBlocks(_ r: Range<UInt64>) throws(MediumError) {
        try medium.zero(length: UInt64(r.count) * blockSize, at: dataOffset + r.lowerBound * blockSize)
    }

    /// SYNCHRONIZE CACHE: commit, as sense on failure.
    public mutating func synchronize() throws(Sense) {
        do throws(MediumError) { try commit() } catch { throw Sense(.mediumError, .writeError) }
    }

    // MARK: - Commands

    /// A WRITE of `blocks` blocks (range-checked, > 0) at `lba` from `buffer`: zone checks, the data, the
    /// zone effects, and with FUA a commit before returning.
    public mutating func write(lba: UInt64, blocks: UInt64, from buffer: DataBuffer, fua: Bool) throws(Sense) {
        let plan: ZoneWritePlan
        do throws(Sense) { plan = try machine.planWrite(lba: lba, blocks: blocks) } catch {
            guard isReplayOfLandedWrite(lba: lba, blocks: blocks, from: buffer) else { throw error }
            if fua { try synchronize() }
            return
        }
        zonesWrittenSinceOpen.insert(machine.zoneIndex(of: lba))
        do throws(MediumError) {
            try punch(plan.gaps)
            try medium.write(from: buffer, range: 0..<Int(blocks * blockSize), at: dataOffset + lba * blockSize)
        } catch {
            throw Sense(.mediumError, .writeError)
        }
        machine.applyWrite(plan)
        dataDirty = true
        if fua { try synchronize() }
    }

    /// A zone-control service action of ZBC OUT.
    public mutating func zoneOut(_ action: ZoneOutAction, _ cdb: CDB) throws(Sense) {
        let skipped = try action.perform(cdb, on: &machine)
        do throws(MediumError) { try punch(skipped) } catch { throw Sense(.mediumError, .writeError) }
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
        do throws(MediumError) {
            try punch(erase)
            dataDirty = true
            try commit()
        } catch {
            throw Sense(.mediumError, .writeError)
        }
    }

    /// Forces a zone condition (test control) and commits it.
    public mutating func force(_ forced: ZoneStateMachine.ForcedCondition, zone: Int) throws(MediumError) {
        machine.force(forced, zone: zone)
        try commit()
    }

    /// What a READ needs from the zone state, taken under the device lock: sense for a refused read, or
    /// the LBA ranges that read as zeros.
    public func prepareRead(lba: UInt64, blocks: UInt64) throws(Sense) -> [Range<UInt64>] {
        try machine.checkRead(lba: lba, blocks: blocks)
        return machine.unwrittenRanges(lba: lba, blocks: blocks)
    }

    /// Reads blocks into `buffer` (outside the device lock), then zeroes `unwritten`.
    public static func read(
        lba: UInt64, blocks: UInt64, into buffer: DataBuffer, unwritten: [Range<UInt64>], medium: any ZonedMedium,
        dataOffset: UInt64, blockSize: UInt64
    ) throws(Sense) {
        let covered = unwritten.reduce(UInt64(0)) { $0 + UInt64($1.count) }
        if covered < blocks {
            do throws(MediumError) {
                try medium.read(into: buffer, range: 0..<Int(blocks * blockSize), at: dataOffset + lba * blockSize)
            } catch {
                throw Sense(.mediumError, .unrecoveredReadError)
            }
        }
        for r in unwritten {
            buffer.zero(Int((r.lowerBound - lba) * blockSize)..<Int((r.upperBound - lba) * blockSize))
        }
    }
}
