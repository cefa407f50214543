import SCSIEmu

// Queueing, as target_core_user.c's queue_cmd_ring / queue_tmr_ring do it.

extension SimulatedKernel {
    /// Queues one SCSI command.
    /// - Parameters:
    ///   - cdb: the CDB; the kernel copies `scsi_command_size` bytes (zero-padded or cut to that length).
    ///   - dataOut: Data-Out bytes (copied into the data area), or nil.
    ///   - dataInLength: the Data-In buffer length (with `dataOut`: a bidirectional command).
    ///   - corruption: a defect to write into this entry.
    ///   - notify: signal userspace (the UIO event).
    /// - Returns: the `cmd_id`.
    @discardableResult
    public func submit(
        cdb: [UInt8], dataOut: [UInt8]? = nil, dataInLength: Int = 0, corruption: Corruption? = nil,
        notify: Bool = true
    ) throws(Failure) -> UInt16 {
        let id = try state.withLock { (s) throws(Failure) -> UInt16 in
            if let b = s.broken { throw .broken(b) }
            let outLength = dataOut?.count ?? 0
            let outCount = (outLength + blockSize - 1) / blockSize
            let inCount = (dataInLength + blockSize - 1) / blockSize
            guard (outCount + inCount) * blockSize <= dataAreaSize else { throw .tooLarge }
            guard outCount + inCount <= s.freeBlocks else { throw .dataAreaFull }
            var id = s.nextID
            while s.inFlight[Int(id)] != nil { id = id == UInt16.max ? 1 : id + 1 }
            let outBlocks = allocate(outCount, &s), inBlocks = allocate(inCount, &s)
            let outIOVs = forEachIOVec(outBlocks, length: outLength, &s) { _, _ in }
            let inIOVs = forEachIOVec(inBlocks, length: dataInLength, &s) { _, _ in }
            let opcode = cdb.first ?? 0
            let cdbLength =
                CDB.kernelLength(opcode: opcode, additionalLength: cdb.count > 7 ? cdb[7] : nil) ?? cdb.count
            let iovCount = outIOVs + inIOVs
            let base = TCMUABI.baseCommandLength(iovecs: iovCount)
            let size = TCMUABI.commandEntryLength(iovecs: iovCount, cdbLength: cdbLength)
            guard size <= ringSize / 2 else {
                free(outBlocks, &s)
                free(inBlocks, &s)
                throw .tooLarge
            }
            guard let at = reserve(size, &s) else {
                free(outBlocks, &s)
                free(inBlocks, &s)
                throw .ringFull
            }
            typealias F = TCMUABI.EntryField
            let e = TCMUABI.commandRingOffset + Int(at)
            region.fill(at: e, count: size)
            region.store(TCMUABI.lengthAndOpcode(.command, length: size), at: e + F.lengthAndOpcode)
            region.store(id, at: e + F.commandID)
            let bidi = dataOut != nil && dataInLength > 0
            region.store(UInt32(dataOut != nil ? outIOVs : inIOVs), at: e + F.iovCount)
            region.store(UInt32(bidi ? inIOVs : 0), at: e + F.iovBidiCount)
            // Data-Out's iovecs, then Data-In's (indices go on from the last Data-Out one).
            var index = 0
            for side in 0..<2 {
                let (chain, length) = side == 0 ? (outBlocks, outLength) : (inBlocks, dataInLength)
                forEachIOVec(chain, length: length, &s) { base, n in
                    storeIOVec((base, n), index: index, entry: e)
                    index += 1
                }
            }
            let cdbOffset = e + base
            region.store(UInt64(cdbOffset), at: e + F.cdbOffset)
            // The entry was zeroed above: a CDB shorter than `cdbLength` is zero-padded by that.
            region.write(cdb.prefix(cdbLength), at: cdbOffset)
            if let dataOut { scatter(dataOut, into: outBlocks, &s) }
            if let corruption { corrupt(entry: e, size: size, with: corruption) }
            s.inFlight[Int(id)] = InFlight(
                slot: at, outBlocks: outBlocks, inBlocks: inBlocks, dataInLength: dataInLength, bidi: bidi, kept: false)
            s.inFlightCount += 1
            s.nextID = id == UInt16.max ? 1 : id + 1
            publish(at: at, size: size, &s)
            return id
        }
        if notify { doorbell.notifyUser() }
        return id
    }

    /// Queues a TMR entry listing `ids` (the in-ring commands the kernel wants aborted).
    public func submitTMR(type: TCMUABI.TMRType, ids: [UInt16], notify: Bool = true) throws(Failure) {
        try state.withLock { (s) throws(Failure) in
            if let b = s.broken { throw .broken(b) }
            let size = TCMUABI.taskManagementEntryLength(commands: ids.count)
            guard size <= ringSize / 2 else { throw .tooLarge }
            guard let at = reserve(size, &s) else { throw .ringFull }
            typealias F = TCMUABI.TMREntryField
            let e = TCMUABI.commandRingOffset + Int(at)
            region.fill(at: e, count: size)
            region.store(TCMUABI.lengthAndOpcode(.taskManagement, length: size), at: e)
            region.store(type.rawValue, at: e + F.type)
            region.store(UInt32(ids.count), at: e + F.commandCount)
            for (i, id) in ids.enumerated() { region.store(id, at: e + F.commandIDs + 2 * i) }
            publish(at: at, size: size, &s)
        }
        if notify { doorbell.notifyUser() }
    }

    /// Signals userspace (after several `submit(notify: false)`).
    public func notifyUser() { doorbell.notifyUser() }

    // MARK: - Ring space (is_ring_space_avail, ring_insert_padding)

    /// Where an entry of `size` bytes goes, after writing a PAD to the ring end if it would not fit
    /// before it; nil when there is not enough free space (one byte always stays free).
    private func reserve(_ size: Int, _ s: inout State) -> UInt32? {
        let head = s.head
        let toEnd = ringSize - Int(head)
        let needed = toEnd >= size ? size : size + toEnd
        let free = (ringSize - 1) - used(head, s.lastCleaned)
        guard free >= needed else { return nil }
        if toEnd < size {
            let e = TCMUABI.commandRingOffset + Int(head)
            region.store(TCMUABI.lengthAndOpcode(.pad, length: toEnd), at: e)
            region.store(UInt16(0), at: e + TCMUABI.EntryField.commandID)
            region.store(UInt16(0), at: e + TCMUABI.EntryField.kernelFlags)
            s.head = 0
            s.pads += 1
            mailbox.storeHead(0)
        }
        return s.head
    }

    private func publish(at: UInt32, size: Int, _ s: inout State) {
        s.head = UInt32((Int(at) + size) % ringSize)
        mailbox.storeHead(s.head)
    }

    // MARK: - Data area (tcmu_get_empty_blocks, new_block_to_iov)

    /// The `n` lowest free blocks (first fit), marked used and chained in order. The search starts at
    /// `firstFree`: every block below it is in use.
    @inline(__always)
    private func allocate(_ n: Int, _ s: inout State) -> BlockChain {
        guard n > 0 else { return BlockChain() }
        var chain = BlockChain(first: BlockChain.end, count: Int32(n))
        var last = BlockChain.end
        var i = s.firstFree
        var found = 0
        while found < n {
            if !s.blockUsed[i] {
                s.blockUsed[i] = true
                s.nextBlock[i] = BlockChain.end
                if last == BlockChain.end { chain.first = Int32(i) } else { s.nextBlock[Int(last)] = Int32(i) }
                last = Int32(i)
                found += 1
            }
            i += 1
        }
        s.firstFree = i
        s.freeBlocks -= n
        return chain
    }

    func free(_ chain: BlockChain, _ s: inout State) {
        forEachBlock(chain, &s) { b, s in
            s.blockUsed[b] = false
            s.firstFree = min(s.firstFree, b)
        }
        s.freeBlocks += Int(chain.count)
    }

    /// Calls `body` with each block of `chain`, in order.
    func forEachBlock(_ chain: BlockChain, _ s: inout State, _ body: (_ block: Int, inout State) -> Void) {
        var b = chain.first
        while b != BlockChain.end {
            body(Int(b), &s)
            b = s.nextBlock[Int(b)]
        }
    }

    //  48 + 16·i: iov[i] { iov_base u64 (data-area offset) | iov_len u64 }
    private func storeIOVec(_ v: (base: Int, length: Int), index i: Int, entry e: Int) {
        typealias F = TCMUABI.EntryField
        region.store(UInt64(v.base), at: e + F.iovecs + F.iovecSize * i)
        region.store(UInt64(v.length), at: e + F.iovecs + F.iovecSize * i + 8)
    }

    /// Calls `body` with each iovec over `chain` for `length` bytes (contiguous blocks share one iovec);
    /// returns how many there are.
    @discardableResult
    private func forEachIOVec(
        _ chain: BlockChain, length: Int, _ s: inout State, _ body: (_ base: Int, _ length: Int) -> Void
    ) -> Int {
        var count = 0, left = length, previous = -2
        var start = 0, run = 0
        forEachBlock(chain, &s) { b, _ in
            let n = min(left, blockSize)
            if b == previous + 1, count > 0 {
                run += n
            } else {
                if count > 0 { body(start, run) }
                (start, run) = (dataAreaOffset + b * blockSize, n)
                count += 1
            }
            previous = b
            left -= n
        }
        if count > 0 { body(start, run) }
        return count
    }

    private func scatter(_ bytes: [UInt8], into chain: BlockChain, _ s: inout State) {
        var lo = 0
        forEachBlock(chain, &s) { b, _ in
            let hi = min(bytes.count, lo + blockSize)
            region.write(bytes[lo..<hi], at: dataAreaOffset + b * blockSize)
            lo = hi
        }
    }

    /// Copies the first `length` bytes of `chain`'s blocks into `destination` (at most its size); returns
    /// how many were copied.
    func copy(_ chain: BlockChain, length: Int, into destination: UnsafeMutableRawBufferPointer, _ s: inout State) -> Int {
        var count = 0
        let total = min(length, destination.count)
        forEachBlock(chain, &s) { b, _ in
            let n = min(blockSize, total - count)
            guard n > 0 else { return }
            let copied: Void? = region.withBytes(at: dataAreaOffset + b * blockSize, count: n) { block in
                UnsafeMutableRawBufferPointer(rebasing: destination[count..<count + n]).copyMemory(from: block)
            }
            if copied != nil { count += n }
        }
        return count
    }

    /// Copies `length` bytes out of `chain` (straight into the result: one copy, one allocation).
    func gather(_ chain: BlockChain, length: Int, _ s: inout State) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: length) { out, count in
            count = copy(chain, length: length, into: UnsafeMutableRawBufferPointer(out), &s)
        }
    }

    // MARK: - Defects

    private func corrupt(entry e: Int, size: Int, with c: Corruption) {
        typealias F = TCMUABI.EntryField
        switch c {
        case .cdbOffsetOutsideMap:
            region.store(UInt64(mapLength + 4096), at: e + F.cdbOffset)
        case .iovecOutsideDataArea:
            region.store(UInt64(0), at: e + F.iovecs)
        case .zeroLength:
            region.store(TCMUABI.lengthAndOpcode(.command, length: 0), at: e + F.lengthAndOpcode)
        case .oversizeLength:
            region.store(TCMUABI.lengthAndOpcode(.command, length: ringSize), at: e + F.lengthAndOpcode)
        case .cdbPastEntry:
            let cdb = region.bytes(at: Int(region.load(UInt64.self, at: e + F.cdbOffset) ?? 0), count: 4) ?? []
            region.store(UInt64(e + size - 4), at: e + F.cdbOffset)
            region.write(cdb, at: e + size - 4)
        case .opcode(let op):
            region.store(UInt32(size) | UInt32(op & 7), at: e + F.lengthAndOpcode)
        case .overwrite(let offset, let bytes):
            guard offset >= 0, offset < size else { return }
            _ = region.write(bytes.prefix(size - offset), at: e + offset)
        }
    }
}

extension SimulatedKernel {
    /// Fills every free data-area block with `byte`: what earlier commands leave behind, to be found if
    /// it ever comes back to an initiator (the kernel never clears blocks it hands a Data-In command).
    public func fillFreeDataArea(with byte: UInt8) {
        state.withLock { s in
            for b in s.blockUsed.indices where !s.blockUsed[b] {
                region.fill(at: dataAreaOffset + b * blockSize, count: blockSize, with: byte)
            }
        }
    }
}
