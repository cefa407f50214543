import Sense

/// CD session-at-once writing (issue 17): SEND CUE SHEET, and WRITE(10)/(12) while a cue sheet's session
/// is being written (at LBAs from −150 on, which the block engine's range check would refuse).
extension OpticalDevice {
    /// SEND CUE SHEET (5Dh, MMC-6 §6.33).
    ///
    /// CDB:  | 5Dh | rsvd ×5 | CUE SHEET SIZE (3) @6 | CONTROL |
    ///
    /// Takes the cue sheet (`MMCCueSheet`) for the session the next writes make. A CUE SHEET SIZE of 0 sends
    /// nothing: GOOD. - Throws: 30/05 CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT on a DVD or BD (cue
    /// sheets are a CD's); 2C/00 COMMAND SEQUENCE ERROR unless the Write Parameters page's WRITE TYPE is
    /// 2 (session at once) (MMC-6 §6.33.2), or the disc has no blank open track; INVALID FIELD IN CDB
    /// (byte 6) for a size past feature 002Eh's maximum; the cue sheet's own refusals (`MMCCueSheet.parse`,
    /// `DiscLayout.beginSessionAtOnce`).
    func sendCueSheet(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let (m, r) = try recordingMedium()
        guard m.profile.isCD else { throw Sense(.illegalRequest, .cannotWriteMediumIncompatibleFormat) }
        let size = Int(c.cdb.u24(6))
        guard size > 0 else { return .good }
        guard size <= MMCCueSheet.maximumBytes else { throw SPC.invalidFieldInCDB(byte: 6) }
        let parameters = writeParameters
        guard parameters.writeType == WriteType.sessionAtOnce else { throw Sense(.illegalRequest, .commandSequenceError) }
        let bytes = c.dataOut.bytes(from: 0, length: size)
        guard bytes.count == size else { throw Sense(.illegalRequest, .parameterListLengthError) }
        let cue = try MMCCueSheet.parse(bytes)
        try r.beginSessionAtOnce(cue, finalize: parameters.multiSession == 0, simulate: simulatesWrites(m))
        return .good
    }

    /// WRITE(10)/(12) on the drive: a CD session at once in progress takes it (`DiscRecording
    /// .writeSessionAtOnce`); on a CD with an open track whose Write Parameters say session at once and no
    /// cue sheet came, 2C/00 COMMAND SEQUENCE ERROR (MMC-6 §6.33.2: the cue sheet comes first); anything
    /// else is the block engine's write (a complete disc: 21/02).
    func writeData(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        let simulate = simulatesWrites(m)
        guard let r = m.recording, m.profile.isCD else {
            return simulate ? try testWrite(&c, m) : try m.engine.write(&c)
        }
        let (lba, count) = c.cdb.lbaAndLength
        let e = m.engine
        let audio = r.audio
        let data = c.dataOut
        let written = try r.writeSessionAtOnce(
            lba: Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: lba))), blocks: Int64(count), simulate: simulate
        ) { (bytes: Int) throws(Sense) in
            try e.checkWritable()
            try e.checkTransferLength(c.cdb, count)
            try e.checkDataOut(c, bytes: bytes)
        } land: { (p: SessionAtOnce.Piece) throws(Sense) in
            let size = p.form.isAudio ? CDSector.rawSize : Int(e.blockSize)
            guard let store = p.form.isAudio ? audio : e.store else { throw Sense(.illegalRequest, .cannotWriteMediumIncompatibleFormat) }
            let at = UInt64(p.lbas.lowerBound) * UInt64(size)
            let length = p.lbas.count * size
            try e.storeIO(at: UInt64(p.lbas.lowerBound), writing: true) { () throws(StoreError) in
                if p.form.hostBytes == 0 {
                    try store.writeZeroes(at: at, length: UInt64(length), deallocate: false)
                } else {
                    try store.write(from: data, p.byteOffset..<(p.byteOffset + length), at: at)
                }
            }
        }
        if written { return .good }
        if r.layout.openTrack != nil, writeParameters.writeType == WriteType.sessionAtOnce {
            throw Sense(.illegalRequest, .commandSequenceError)
        }
        r.noteWrite(trackAtOnce: writeParameters.writeType == WriteType.trackAtOnce)
        if writesAudio(m) { return try writeAudioTrackAtOnce(&c, m, r) }
        return simulate ? try testWrite(&c, m) : try e.write(&c)
    }
}

/// The WRITE TYPE values of the Write Parameters page (MMC-6 §7.5.4.2, table 650).
enum WriteType {
    static let packet: UInt8 = 0
    static let trackAtOnce: UInt8 = 1
    static let sessionAtOnce: UInt8 = 2
    static let raw: UInt8 = 3
}

extension DiscRecording {
    /// SEND CUE SHEET accepted: the layout takes the cue sheet's tracks (committed durably) and writes
    /// follow the cue sheet until the session closes.
    /// With `simulate` (a test write) the cue sheet's tracks are the simulated disc's; nothing is committed.
    func beginSessionAtOnce(_ cue: MMCCueSheet, finalize: Bool, simulate: Bool) throws(Sense) {
        try state.withLock { s throws(Sense) in
            var l = simulate ? s.simulated ?? s.layout : s.layout
            try l.beginSessionAtOnce(cue)
            s.sessionAtOnce = SessionAtOnce(cue: cue, finalize: finalize)
            if simulate {
                s.simulated = l
                return
            }
            s.simulated = nil
            s.layout = l
            try commitChange(&s, durable: true)
        }
    }

    /// A write while a session at once is in progress: `check` (write protection, transfer length, the
    /// Data-Out size the cue sheet's forms make), then the cue sheet's pieces, each recorded one landed by
    /// `land` and counted in the layout. Returns false (nothing done) when no session at once is in
    /// progress. A simulated session (test write) moves the simulated disc on and lands nothing; a real
    /// write ends a simulation.
    func writeSessionAtOnce(
        lba: Int64, blocks: Int64, simulate: Bool, check: (Int) throws(Sense) -> Void,
        land: (SessionAtOnce.Piece) throws(Sense) -> Void
    ) throws(Sense) -> Bool {
        try state.withLock { s throws(Sense) in
            guard var sao = s.sessionAtOnce, simulate == (s.simulated != nil) else { return false }
            let (pieces, bytes) = try sao.take(lba: lba, blocks: blocks)
            try check(bytes)
            var l = s.simulated ?? s.layout
            for p in pieces where p.recorded {
                try l.recordSessionAtOnce(lba: UInt64(p.lbas.lowerBound), blocks: UInt64(p.lbas.count))
                if !simulate { try land(p) }
            }
            s.sessionAtOnce = sao
            if simulate {
                s.simulated = l
                return true
            }
            s.layout = l
            try commitChange(&s, durable: false, firstBlock: UInt64(max(0, lba)))
            return true
        }
    }
}
