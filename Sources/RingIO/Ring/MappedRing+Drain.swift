import SCSIEmu

// Walking the ring (target_core_user.h; the kernel side is queue_cmd_ring in target_core_user.c).
// Every field read from an entry is untrusted: lengths are checked against cmd_head and the ring end,
// cdb_off against the entry, iovecs against the data area. A bad entry costs only its own command.

extension MappedRing {
    /// Reads every entry between the private tail and the acquire-loaded `cmd_head`, appending one item
    /// per CMD, TMR or bad entry (PAD is skipped). Ring thread only.
    /// - Returns: the number of entries read (PAD included).
    @discardableResult
    public func drain(into items: inout [RingItem]) -> Int { drain(intoSink: &items) }

    /// `drain(into:)` for any sink: the runner's batch keeps well-formed commands in an array of their
    /// own, so it runs each where it lies instead of moving it out of a `RingItem` (a struct this size is
    /// moved with a `memcpy` call: five per command cost TEST UNIT READY ≈ 40 ns, docs/performance.md).
    @discardableResult
    func drain<Sink: RingEntrySink>(intoSink items: inout Sink) -> Int {
        let head = mailbox.loadHead()
        return consumer.withLock { c in
            guard c.stopped == nil else { return 0 }
            let size = UInt32(ringSize)
            guard head % UInt32(TCMUABI.entryAlignment) == 0, head < size else {
                c.stopped = "cmd_head \(head) is not an aligned offset inside the \(size)-byte ring"
                return 0
            }
            return completion.withLock { s in
                var pos = c.position
                var entries = 0
                while pos != head {
                    // Both below `size`: the wraps are one conditional subtraction (`size` is not a power
                    // of two: cmd_ring_size_mb·1 MiB − 128), not a division.
                    let published = Int(head >= pos ? head - pos : head &+ size &- pos)
                    let length = walkOne(at: pos, limit: min(published, Int(size - pos)), into: &items, slots: &s.slots)
                    pos = Self.wrap(pos &+ UInt32(length), size)  // length ≤ size − pos
                    entries += 1
                }
                c.position = pos
                Self.skipDoneSlots(&s)
                return entries
            }
        }
    }

    /// Handles the entry at ring offset `pos`, of which `limit` bytes are published and before the ring
    /// end; returns how far to advance (the entry's length, or `limit` after a bad length).
    private func walkOne<Sink: RingEntrySink>(
        at pos: UInt32, limit: Int, into items: inout Sink, slots: inout SlotQueue
    ) -> Int {
        typealias F = TCMUABI.EntryField
        let e = mailbox.commandRingOffset + Int(pos)
        let lenOp = region.load(UInt32.self, at: e + F.lengthAndOpcode) ?? 0
        let op = lenOp & TCMUABI.Opcode.mask
        let length = Int(lenOp & ~TCMUABI.Opcode.mask)
        let id = region.load(UInt16.self, at: e + F.commandID) ?? 0
        let minimum: Int
        switch TCMUABI.Opcode(rawValue: op) {
        case .pad: minimum = F.headerSize
        case .taskManagement: minimum = TCMUABI.TMREntryField.size
        case .command, nil: minimum = F.size
        }
        guard length >= minimum, length <= limit else {
            // Resynchronise: the entry is taken to span everything published up to cmd_head (or the ring
            // end), and len_op is rewritten so the kernel reclaims exactly what we skipped.
            region.store(UInt32(limit) | op, at: e + F.lengthAndOpcode)
            let fault = RingFault.badEntryLength(length: UInt32(length), spanning: limit)
            if op != TCMUABI.Opcode.pad.rawValue {
                region.store(TCMUABI.UserFlags.unknownOperation.rawValue, at: e + F.userFlags)
                items.append(.rejected(id: id, fault: fault))
            }
            slots.append(.init(offset: pos, length: UInt32(limit), done: true))
            return limit
        }
        switch TCMUABI.Opcode(rawValue: op) {
        case .pad:
            slots.append(.init(offset: pos, length: UInt32(length), done: true))
        case .taskManagement:
            items.append(parseTaskManagement(at: e, length: length))
            slots.append(.init(offset: pos, length: UInt32(length), done: true))
        case .command:
            // A command is appended where it is built (moving a value this size costs a `memcpy` call).
            let answered = parseCommand(at: e, slot: pos, id: id, length: length, into: &items)
            if answered {
                region.store(TCMUABI.UserFlags.unknownOperation.rawValue, at: e + F.userFlags)
            }
            slots.append(pendingCommandSlot(at: pos, entry: e, id: id, length: length, done: answered))
        case nil:
            region.store(TCMUABI.UserFlags.unknownOperation.rawValue, at: e + F.userFlags)
            slots.append(.init(offset: pos, length: UInt32(length), done: true))
            items.append(.rejected(id: id, fault: .unknownEntryOpcode(op)))
        }
        return length
    }

    //  8 tmr_type u8 | 12 cmd_cnt u32 | 32 cmd_ids[cmd_cnt] u16   (ids past the entry end are ignored)
    private func parseTaskManagement(at e: Int, length: Int) -> RingItem {
        typealias F = TCMUABI.TMREntryField
        let raw = region.load(UInt8.self, at: e + F.type) ?? 0
        let count = Int(region.load(UInt32.self, at: e + F.commandCount) ?? 0)
        let fits = (length - F.commandIDs) / 2
        let ids = (0..<min(count, fits)).map { region.load(UInt16.self, at: e + F.commandIDs + 2 * $0) ?? 0 }
        return .taskManagement(type: TCMUABI.TMRType(rawValue: raw) ?? .unknown, ids: ids)
    }

    //  8 iov_cnt u32 | 12 iov_bidi_cnt u32 | 24 cdb_off u64 | 48 iov[] {base u64, len u64} | CDB
    /// Appends the command (or, for a bad entry, a malformed or rejected item) to `items`.
    /// - Returns: whether the entry was rejected: answered in place with UNKNOWN_OP, its slot done.
    private func parseCommand<Sink: RingEntrySink>(
        at e: Int, slot: UInt32, id: UInt16, length: Int, into items: inout Sink
    ) -> Bool {
        typealias F = TCMUABI.EntryField
        let end = e + length
        let cdbOffset = region.load(UInt64.self, at: e + F.cdbOffset) ?? 0
        guard cdbOffset >= UInt64(e + F.iovecs), cdbOffset < UInt64(end) else {
            items.append(.rejected(id: id, fault: .cdbOffsetOutsideEntry(cdbOffset: cdbOffset)))
            return true
        }
        let cdbStart = Int(cdbOffset)
        let opcode = region.load(UInt8.self, at: cdbStart) ?? 0
        let additional = cdbStart + 7 < end ? region.load(UInt8.self, at: cdbStart + 7) : nil
        let cdbLength = CDB.kernelLength(opcode: opcode, additionalLength: additional) ?? (end - cdbStart + 1)
        guard cdbLength <= end - cdbStart else {
            let partial = region.withBytes(at: cdbStart, count: end - cdbStart) { CDB($0) } ?? nil
            items.append(.malformed(
                id: id, slot: slot, cdb: partial,
                fault: .cdbPastEntry(cdbOffset: cdbOffset, cdbLength: cdbLength, entryEnd: end)))
            return false
        }
        let cdb = region.cdb(at: cdbStart, count: cdbLength)
        guard let cdb else {
            items.append(.rejected(id: id, fault: .cdbOffsetOutsideEntry(cdbOffset: cdbOffset)))
            return true
        }
        let count = region.load(UInt32.self, at: e + F.iovCount) ?? 0
        let bidi = region.load(UInt32.self, at: e + F.iovBidiCount) ?? 0
        let total = Int(count) + Int(bidi)
        guard total <= (cdbStart - e - F.iovecs) / F.iovecSize else {
            items.append(.malformed(id: id, slot: slot, cdb: cdb, fault: .tooManyIOVecs(count: count, bidi: bidi)))
            return false
        }
        do throws(RingFault) {
            let data = try dataBuffer(entry: e, iovecs: 0..<Int(count))
            let bidiIn = try dataBuffer(entry: e, iovecs: Int(count)..<total)
            items.append(command: RingCommand(id: id, slot: slot, cdb: cdb, data: data, bidiIn: bidiIn))
            return false
        } catch {
            items.append(.malformed(id: id, slot: slot, cdb: cdb, fault: error))
            return false
        }
    }

    /// A view of the iovecs `range` of the entry at `e`, each checked to lie inside the data area.
    /// One iovec (the usual case) needs no allocation. Inlined into the drain with `segment`, for none or
    /// one iovec (as calls they cost ≈ 180 instructions per READ, docs/performance.md, session 14).
    @inline(__always)
    private func dataBuffer(entry e: Int, iovecs range: Range<Int>) throws(RingFault) -> DataBuffer {
        if range.isEmpty { return DataBuffer() }
        if range.count == 1 { return DataBuffer(unsafeSegment: try segment(entry: e, index: range.lowerBound)) }
        return try scatteredBuffer(entry: e, iovecs: range)
    }

    /// `dataBuffer` of two or more iovecs.
    private func scatteredBuffer(entry e: Int, iovecs range: Range<Int>) throws(RingFault) -> DataBuffer {
        var segments: [UnsafeMutableRawBufferPointer] = []
        segments.reserveCapacity(range.count)
        for i in range { segments.append(try segment(entry: e, index: i)) }
        return DataBuffer(unsafeSegments: segments)
    }

    //  iov[i] at 48 + 16·i: | 0 iov_base u64 (offset in the map) | 8 iov_len u64 |
    @inline(__always)
    private func segment(entry e: Int, index i: Int) throws(RingFault) -> UnsafeMutableRawBufferPointer {
        typealias F = TCMUABI.EntryField
        let at = e + F.iovecs + F.iovecSize * i
        let base = region.load(UInt64.self, at: at) ?? 0
        let length = region.load(UInt64.self, at: at + 8) ?? 0
        guard base >= UInt64(dataAreaOffset), let seg = region.unsafeSegment(at: base, count: length)
        else { throw .iovecOutsideDataArea(index: i, base: base, length: length) }
        return seg
    }
}

/// Where `drain` puts what it reads: an array of items (tests, a restart's scan), or the runner's batch.
protocol RingEntrySink {
    mutating func append(_ item: RingItem)
    mutating func append(command: RingCommand)
}

extension Array: RingEntrySink where Element == RingItem {
    mutating func append(command: RingCommand) { append(.command(command)) }
}
