import Sense

/// The drive's medium policy: media commands (READ, WRITE, WRITE AND VERIFY, VERIFY, SYNCHRONIZE CACHE,
/// READ CAPACITY; MMC-6 §6.17–6.18, §6.45–6.48, §6.38, §6.23) are the shared SBC rows run on the engine
/// of the disc in the tray. Without one, or while FORMAT UNIT runs, they answer NOT READY; a ROM or `ro`
/// disc's engine is read-only (DATA PROTECT 27/00). READ CD is the drive's own.
extension OpticalDevice: SBCDevice {
    public func mediaEngine() throws(Sense) -> BlockEngine { try presentMedium().engine }

    /// READ CD (BEh) on the CD-ROM profile; see `ReadCD`.
    func readCD(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        if let image = m.cd { return try readCD(image, &c) }
        if let r = m.recording, m.profile.isCD, r.hasAudio { return try readBurnedCD(m, r, &c) }
        let (lba, blocks, fields) = try ReadCD.parse(c.cdb, profile: m.profile)
        try m.engine.checkRange(UInt64(lba), UInt64(blocks))
        let size = fields.sectorBytes
        guard blocks > 0, size > 0 else { return .good }
        if fields.isUserDataOnly {
            return .good(dataInLength: try m.engine.readBlocks(lba: UInt64(lba), count: blocks, into: c.dataIn))
        }
        let out = c.dataIn
        let sectors = min(Int(blocks), (out.count + size - 1) / size)
        var produced = 0
        for i in 0..<sectors {
            let sectorLBA = lba + UInt32(i)
            let userData = try m.readBlock(UInt64(sectorLBA))
            produced += out.write(ReadCD.sector(lba: sectorLBA, userData: userData, fields: fields), at: i * size)
        }
        return .good(dataInLength: produced)
    }
}
