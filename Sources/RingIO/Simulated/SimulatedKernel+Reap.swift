// Reaping, as target_core_user.c's tcmu_handle_completions / tcmu_handle_completion do it.

extension SimulatedKernel {
    /// Reaps every slot up to the acquire-loaded `cmd_tail`: PAD and TMR slots are skipped, every other
    /// slot completes the command its `cmd_id` names (OOOC). Throws `Failure.broken` (and stays broken)
    /// on a misaligned tail, a tail past the head, a slot length that does not add up, or an unknown id.
    public func reap() throws(Failure) -> [Completion] {
        try state.withLock { (s) throws(Failure) -> [Completion] in
            var out: [Completion] = []
            try reapSlots(&s) { id, e, flags, cmd, s in out.append(completion(id: id, entry: e, flags: flags, cmd, &s)) }
            return out
        }
    }

    /// Reaps as `reap()` does for a driver that checks only statuses (the ring benchmark): each command's
    /// id and SCSI status are appended to `statuses`, and its Data-In is copied into `dataIn` (the
    /// initiator's buffer, reused for every command, as the kernel copies into each command's scatterlist;
    /// cut to its size). No sense, no arrays built: the driver's cost stays out of the figures.
    public func reap(statuses: inout [(id: UInt16, status: UInt8)], dataIn: UnsafeMutableRawBufferPointer) throws(Failure) {
        try state.withLock { (s) throws(Failure) in
            try reapSlots(&s) { id, e, flags, cmd, s in
                let t = transfer(entry: e, flags: flags, cmd)
                if t.copied > 0 { _ = copy(cmd.inBlocks, length: t.copied, into: dataIn, &s) }
                statuses.append((id, t.status))
            }
        }
    }

    /// The walk both `reap`s share: checks the tail, then calls `completed` with each command slot's id,
    /// entry offset, user flags and command, and frees or keeps (KEEP_BUF) its buffer.
    private func reapSlots(
        _ s: inout State,
        _ completed: (UInt16, Int, TCMUABI.UserFlags, InFlight, inout State) -> Void
    ) throws(Failure) {
        if let b = s.broken { throw .broken(b) }
        let tail = mailbox.loadTail()
        func broken(_ why: String, _ s: inout State) -> Failure {
            s.broken = why
            return .broken(why)
        }
        guard tail % UInt32(TCMUABI.entryAlignment) == 0, Int(tail) < ringSize else {
            throw broken("cmd_tail \(tail) is not an aligned offset inside the ring", &s)
        }
        guard used(tail, s.lastCleaned) <= used(s.head, s.lastCleaned) else {
            throw broken("cmd_tail \(tail) moved past cmd_head \(s.head) (last cleaned \(s.lastCleaned))", &s)
        }
        while s.lastCleaned != tail {
            typealias F = TCMUABI.EntryField
            let e = TCMUABI.commandRingOffset + Int(s.lastCleaned)
            let lenOp = region.load(UInt32.self, at: e) ?? 0
            let length = Int(lenOp & ~TCMUABI.Opcode.mask)
            guard length > 0, length <= used(tail, s.lastCleaned) else {
                throw broken("slot at \(s.lastCleaned) has length \(length), tail at \(tail)", &s)
            }
            let op = lenOp & TCMUABI.Opcode.mask
            if op == TCMUABI.Opcode.pad.rawValue || op == TCMUABI.Opcode.taskManagement.rawValue {
                s.lastCleaned = UInt32((Int(s.lastCleaned) + length) % ringSize)
                continue
            }
            let id = region.load(UInt16.self, at: e + F.commandID) ?? 0
            let flags = TCMUABI.UserFlags(rawValue: region.load(UInt8.self, at: e + F.userFlags) ?? 0)
            guard var cmd = s.inFlight[Int(id)], !cmd.kept else {
                throw broken("cmd_id \(id) not found, ring is broken", &s)
            }
            completed(id, e, flags, cmd, &s)
            if flags.contains(.keepBuffer) {
                cmd.kept = true
                s.inFlight[Int(id)] = cmd
            } else {
                release(id, &s)
            }
            s.lastCleaned = UInt32((Int(s.lastCleaned) + length) % ringSize)
        }
    }

    /// Drops a buffer kept by a KEEP_BUF completion (`action/free_kept_buf`).
    public func freeKeptBuffer(_ id: UInt16) {
        state.withLock { s in
            if let cmd = s.inFlight[Int(id)], cmd.kept { release(id, &s) }
        }
    }

    private func release(_ id: UInt16, _ s: inout State) {
        guard let cmd = s.inFlight[Int(id)] else { return }
        free(cmd.outBlocks, &s)
        free(cmd.inBlocks, &s)
        s.inFlight[Int(id)] = nil
        s.inFlightCount -= 1
    }

    /// What the kernel makes of a completed slot: the SCSI status (CHECK CONDITION for UNKNOWN_OP), how
    /// many Data-In bytes it copies back, and whether READ_LEN counted (then the rest is residual).
    //
    //  7 uflags | 8 scsi_status | 12 read_len
    private func transfer(
        entry e: Int, flags: TCMUABI.UserFlags, _ cmd: InFlight
    ) -> (status: UInt8, copied: Int, readLenValid: Bool) {
        typealias F = TCMUABI.EntryField
        if flags.contains(.unknownOperation) { return (0x02, 0, false) }
        let status = region.load(UInt8.self, at: e + F.scsiStatus) ?? 0
        let readLen = Int(region.load(UInt32.self, at: e + F.readLength) ?? 0)
        // READ_LEN counts only for a Data-In (not bidirectional) command and a non-zero read_len.
        let readLenValid = !cmd.bidi && cmd.dataInLength > 0 && flags.contains(.readLength) && readLen != 0
        let transferred = readLenValid ? min(readLen, cmd.dataInLength) : cmd.dataInLength
        // CHECK CONDITION without a valid read_len: sense only.
        let copied = status == 0x02 && !readLenValid ? 0 : transferred
        return (status, copied, readLenValid)
    }

    //  4 cmd_id | 16 sense_buffer[96]
    private func completion(
        id: UInt16, entry e: Int, flags: TCMUABI.UserFlags, _ cmd: InFlight, _ s: inout State
    ) -> Completion {
        typealias F = TCMUABI.EntryField
        let t = transfer(entry: e, flags: flags, cmd)
        var c = Completion(
            id: id, status: t.status, sense: [], dataIn: [], residual: 0,
            unknownOperation: flags.contains(.unknownOperation), keptBuffer: flags.contains(.keepBuffer))
        if c.unknownOperation { return c }
        if t.status == 0x02 { c.sense = region.bytes(at: e + F.senseBuffer, count: TCMUABI.senseBufferSize) ?? [] }
        if t.copied > 0 { c.dataIn = gather(cmd.inBlocks, length: t.copied, &s) }
        if t.readLenValid { c.residual = cmd.dataInLength - t.copied }
        return c
    }
}
