// Reaping, as target_core_user.c's tcmu_handle_completions / tcmu_handle_completion do it.

extension SimulatedKernel {
    /// Reaps every slot up to the acquire-loaded `cmd_tail`: PAD and TMR slots are skipped, every other
    /// slot completes the command its `cmd_id` names (OOOC). Throws `Failure.broken` (and stays broken)
    /// on a misaligned tail, a tail past the head, a slot length that does not add up, or an unknown id.
    public func reap() throws(Failure) -> [Completion] {
        try state.withLock { (s) throws(Failure) -> [Completion] in
            if let b = s.broken { throw .broken(b) }
            let tail = mailbox.loadTail()
            func broken(_ why: String) -> Failure {
                s.broken = why
                return .broken(why)
            }
            guard tail % UInt32(TCMUABI.entryAlignment) == 0, Int(tail) < ringSize else {
                throw broken("cmd_tail \(tail) is not an aligned offset inside the ring")
            }
            guard used(tail, s.lastCleaned) <= used(s.head, s.lastCleaned) else {
                throw broken("cmd_tail \(tail) moved past cmd_head \(s.head) (last cleaned \(s.lastCleaned))")
            }
            var out: [Completion] = []
            while s.lastCleaned != tail {
                typealias F = TCMUABI.EntryField
                let e = TCMUABI.commandRingOffset + Int(s.lastCleaned)
                let lenOp = region.load(UInt32.self, at: e) ?? 0
                let length = Int(lenOp & ~TCMUABI.Opcode.mask)
                guard length > 0, length <= used(tail, s.lastCleaned) else {
                    throw broken("slot at \(s.lastCleaned) has length \(length), tail at \(tail)")
                }
                let op = lenOp & TCMUABI.Opcode.mask
                if op == TCMUABI.Opcode.pad.rawValue || op == TCMUABI.Opcode.taskManagement.rawValue {
                    s.lastCleaned = UInt32((Int(s.lastCleaned) + length) % ringSize)
                    continue
                }
                let id = region.load(UInt16.self, at: e + F.commandID) ?? 0
                let flags = TCMUABI.UserFlags(rawValue: region.load(UInt8.self, at: e + F.userFlags) ?? 0)
                guard var cmd = s.inFlight[Int(id)], !cmd.kept else {
                    throw broken("cmd_id \(id) not found, ring is broken")
                }
                out.append(completion(id: id, entry: e, flags: flags, cmd))
                if flags.contains(.keepBuffer) {
                    cmd.kept = true
                    s.inFlight[Int(id)] = cmd
                } else {
                    release(id, &s)
                }
                s.lastCleaned = UInt32((Int(s.lastCleaned) + length) % ringSize)
            }
            return out
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

    //  4 cmd_id | 7 uflags | 8 scsi_status | 12 read_len | 16 sense_buffer[96]
    private func completion(id: UInt16, entry e: Int, flags: TCMUABI.UserFlags, _ cmd: InFlight) -> Completion {
        typealias F = TCMUABI.EntryField
        var c = Completion(
            id: id, status: 0x02, sense: [], dataIn: [], residual: 0, unknownOperation: false,
            keptBuffer: flags.contains(.keepBuffer))
        if flags.contains(.unknownOperation) {
            c.unknownOperation = true
            return c
        }
        c.status = region.load(UInt8.self, at: e + F.scsiStatus) ?? 0
        let readLen = Int(region.load(UInt32.self, at: e + F.readLength) ?? 0)
        // READ_LEN counts only for a Data-In (not bidirectional) command and a non-zero read_len.
        let readLenValid = !cmd.bidi && cmd.dataInLength > 0 && flags.contains(.readLength) && readLen != 0
        let transferred = readLenValid ? min(readLen, cmd.dataInLength) : cmd.dataInLength
        if c.status == 0x02 {
            c.sense = region.bytes(at: e + F.senseBuffer, count: TCMUABI.senseBufferSize) ?? []
            if !readLenValid { return c }
        }
        if cmd.dataInLength > 0 { c.dataIn = gather(cmd.inBlocks, length: transferred) }
        if readLenValid { c.residual = cmd.dataInLength - transferred }
        return c
    }
}
