import Sense

/// The writing side of the drive for recordable discs (issue 17): CLOSE TRACK/SESSION, RESERVE TRACK,
/// SEND OPC INFORMATION, BLANK, SET STREAMING, and FORMAT UNIT / READ CAPACITY on recordable media.
/// Every handler refuses a disc without a `DiscRecording` (ROM, DVD-RAM) as MMC-6 drives refuse a
/// command the medium does not support: ILLEGAL REQUEST 30/05 CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT.
extension OpticalDevice {
    /// The disc's recording, or 30/05 (DATA PROTECT 27/00 when write-protected).
    func recordingMedium() throws(Sense) -> (OpticalMedium, DiscRecording) {
        let m = try presentMedium()
        guard let r = m.recording else { throw Sense(.illegalRequest, .cannotWriteMediumIncompatibleFormat) }
        guard !m.writeProtected else { throw Sense(.dataProtect, .writeProtected) }
        return (m, r)
    }

    /// CLOSE TRACK SESSION (5Bh, MMC-6 §6.3).
    ///
    /// CDB:  | 5Bh | IMMED (0) | CLOSE FUNCTION (2-0) | rsvd | TRACK/SESSION NUMBER (2) @4 | rsvd ×3 | CONTROL |
    ///
    /// 001b close track (sequential media). 010b close session: on CD and DVD-R/-RW the Write Parameters
    /// page's MULTI-SESSION field decides (00b: no next session, the disc is finalized; 11b/01b: the next
    /// session may be written); on DVD+R and BD-R the disc stays appendable. 100b (DVD+R: close session),
    /// 101b/110b (DVD+R: finalize, minimal/compatible radius; 110b also BD-R). 000b and 010b on DVD+RW and
    /// BD-RE stop a background format: nothing runs, GOOD. Anything else: INVALID FIELD IN CDB, byte 2.
    func closeTrackSession(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let (m, r) = try recordingMedium()
        let function = c.cdb[2] & 0x07
        let number = Int(c.cdb.u16(4))
        let p = m.profile
        let simulate = simulatesWrites(m)
        let invalid = Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 2))
        if p.recording == .overwrite {
            guard function == 0b000 || function == 0b010 || (function == 0b001 && p != .dvdPlusRW) else { throw invalid }
            return .good
        }
        switch (function, p) {
        case (0b001, _):
            try r.change(simulate: simulate) { (l: inout DiscLayout) throws(Sense) in try l.closeTrack(number: number) }
        case (0b010, .dvdPlusR), (0b010, .bdR), (0b100, .dvdPlusR):
            try r.change(simulate: simulate) { (l: inout DiscLayout) throws(Sense) in try l.closeSession(finalize: false) }
        case (0b010, _):
            let finalize = writeParameters.multiSession == 0
            try r.change(simulate: simulate) { (l: inout DiscLayout) throws(Sense) in try l.closeSession(finalize: finalize) }
        case (0b101, .dvdPlusR), (0b110, .dvdPlusR), (0b110, .bdR):
            try r.change(simulate: simulate) { (l: inout DiscLayout) throws(Sense) in try l.closeSession(finalize: true) }
        default:
            throw invalid
        }
        return .good
    }

    /// RESERVE TRACK (53h, MMC-6 §6.31).
    ///
    /// CDB:  | 53h | ARSV (0) | rsvd ×3 (ARSV 0) | RESERVATION SIZE (4) @5 | CONTROL |
    ///
    /// ARSV 1 (reserve by address, BD-R/DVD-R DL) is not offered: INVALID FIELD IN CDB byte 1 bit 0.
    func reserveTrack(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let (m, r) = try recordingMedium()
        guard c.cdb[1] & 0x01 == 0 else { throw SPC.invalidFieldInCDB(byte: 1, bit: 0) }
        let size = c.cdb.u32(5)
        try r.change(simulate: simulatesWrites(m)) { (l: inout DiscLayout) throws(Sense) in try l.reserve(blocks: size) }
        return .good
    }

    /// SEND OPC INFORMATION (54h, MMC-6 §6.36): | 54h | DOOPC (0) | EXCLUDE0/1 | rsvd ×4 | PARAMETER LIST
    /// LENGTH (2) @7 | CONTROL |. A virtual disc needs no power calibration: GOOD, the table ignored.
    func sendOPCInformation(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        _ = try recordingMedium()
        return .good
    }

    /// BLANK (A1h, MMC-6 §6.2).
    ///
    /// CDB:  | A1h | IMMED (4) | BLANKING TYPE (2-0) | START ADDRESS/TRACK NUMBER (4) @2 | rsvd ×5 | CONTROL |
    ///
    /// 000b blank the disc (the image's blocks are deallocated: they read as zeros) and 001b minimally
    /// blank (only the layout is reset) on CD-RW and DVD-RW; the other types (track, unreserve, tail,
    /// unclose, session) are not offered: INVALID FIELD IN CDB byte 1 bit 2. Write-once media: 30/05.
    func blank(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let (m, r) = try recordingMedium()
        let type = c.cdb[1] & 0x07
        guard type <= 0b001 else { throw SPC.invalidFieldInCDB(byte: 1, bit: 2) }
        try r.change { (l: inout DiscLayout) throws(Sense) in try l.blank() }
        if type == 0b000 {
            let bytes = UInt64(m.blockCount) * UInt64(OpticalMedium.blockSize)
            try m.engine.storeIO(writing: true) { () throws(StoreError) in
                try m.engine.store.writeZeroes(at: 0, length: bytes, deallocate: true)
                if let audio = r.audio { try audio.writeZeroes(at: 0, length: audio.size, deallocate: true) }
            }
        }
        return .good
    }

    /// SET STREAMING (B6h, MMC-6 §6.40): | B6h | rsvd ×7 | TYPE @8 | PARAMETER LIST LENGTH (2) @9 | CONTROL |.
    /// The performance descriptor (type 00h) or DBI cache zone (05h) is taken and nothing changes: the
    /// virtual disc writes at one speed. Other types: INVALID FIELD IN CDB byte 8.
    func setStreaming(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        guard c.cdb[8] == 0x00 || c.cdb[8] == 0x05 else { throw SPC.invalidFieldInCDB(byte: 8) }
        return .good
    }

    /// READ CAPACITY (25h, MMC-6 §6.23): on sequential media the last recorded LBA (0 on a blank disc),
    /// on others the engine's last block; block length 2048.
    func readRecordedCapacity(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        guard let r = m.recording else { return try m.engine.readCapacity10(&c) }
        let last = r.layout.lastRecorded ?? 0
        return c.respond(be32(last) + be32(UInt32(OpticalMedium.blockSize)), allocationLength: 8)
    }

    /// FORMAT UNIT on DVD+RW (format type 26h), DVD-RW (00h, 10h, 13h grow, 15h), blank BD-R (00h, 32h) and BD-RE (00h, 30h, 31h): the layout
    /// becomes formatted at once (no zero-fill: a formatted DVD+RW reads its old data). The parameter list
    /// is the DVD-RAM one (`OpticalFormatUnit`) with those format types.
    func formatRecordable(_ c: inout SCSICommand, _ m: OpticalMedium, _ r: DiscRecording) throws(Sense) -> CommandOutcome {
        guard c.cdb[1] & 0x07 == 0x01 else { throw SPC.invalidFieldInCDB(byte: 1, bit: 2) }
        if c.cdb[1] & 0x10 != 0 {
            let p = c.dataOut.bytes(from: 0, length: 12)
            guard p.count == 12 else { throw Sense(.illegalRequest, .parameterListLengthError) }
            let allowed: [UInt8] = switch m.profile {
            case .bdRE: [0x00, 0x30, 0x31]
            case .bdR: [0x00, 0x32]
            case .dvdPlusRW: [0x26]
            default: [0x00, 0x10, 0x13, 0x15]
            }
            guard allowed.contains(p[8] >> 2) else { throw OpticalFormatUnit.invalidParameter(byte: 8, bit: 7) }
        }
        try r.change { (l: inout DiscLayout) throws(Sense) in try l.format() }
        return .good
    }
}
