import Sense

/// TEST WRITE (Write Parameters page 05h byte 2 bit 4, MMC-6 §7.5.4.2): the drive goes through a burn
/// with the laser off. Features 002Dh (CD Track at Once), 002Eh (CD Mastering) and 002Fh (DVD-R/-RW Write)
/// report TEST WRITE, so CD-R/RW, DVD-R and sequential DVD-RW simulate; DVD+R, BD and overwrite media
/// have no test write (libburn and growisofs refuse a dummy burn there) and write for real.
///
/// A simulated burn is checked as a real one — each WRITE at the NWA of the simulated disc (else 21/02
/// INVALID ADDRESS FOR WRITE), SEND CUE SHEET, CLOSE TRACK/SESSION, RESERVE TRACK with their own
/// refusals — and READ DISC/TRACK INFORMATION follow it (the NWA moves, as `cdrecord -dummy` expects
/// between tracks), but no data lands and the disc record is never written: once the simulated session
/// closes, the disc is exactly as before (`DiscRecording.simulated`; libburn: "the media content and
/// burn_disc_get_status() stay unchanged").
extension OpticalDevice {
    static let testWriteProfiles: Set<MediumProfile> = [.cdR, .cdRW, .dvdMinusR, .dvdMinusRWSequential]

    /// Whether writes to `m` are simulated: TEST WRITE set and the disc of a kind with test write.
    func simulatesWrites(_ m: OpticalMedium) -> Bool {
        m.recording != nil && Self.testWriteProfiles.contains(m.profile) && writeParameters.testWrite
    }

    /// WRITE(10)/(12) under TEST WRITE outside a session at once: the checks of a real write (write
    /// protection, range, transfer length, Data-Out size), then the simulated disc takes the blocks.
    func testWrite(_ c: inout SCSICommand, _ m: OpticalMedium) throws(Sense) -> CommandOutcome {
        guard let r = m.recording else { return try m.engine.write(&c) }
        guard let (lba, count) = try Self.checkedWrite(c, m.engine, blockBytes: Int(m.engine.blockSize)) else { return .good }
        try r.simulateWrite(lba: lba, blocks: UInt64(count))
        return .good
    }

    /// The checks of a WRITE the drive handles itself, in the block engine's order: write protection (27/00),
    /// range (21/00), transfer length, then a Data-Out of `blockBytes` a block (0E/03). Nil for a transfer
    /// length of 0 (GOOD, nothing written).
    static func checkedWrite(_ c: SCSICommand, _ e: BlockEngine, blockBytes: Int) throws(Sense) -> (lba: UInt64, count: UInt32)? {
        let (lba, count) = c.cdb.lbaAndLength
        try e.checkWritable()
        try e.checkRange(lba, UInt64(count))
        try e.checkTransferLength(c.cdb, count)
        guard count > 0 else { return nil }
        try e.checkDataOut(c, bytes: Int(count) * blockBytes)
        return (lba, count)
    }
}
