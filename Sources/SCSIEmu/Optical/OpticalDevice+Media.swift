import Sense

/// Data commands: READ CAPACITY, READ(10/12), WRITE(10/12), WRITE AND VERIFY(10), VERIFY(10), SYNCHRONIZE
/// CACHE(10), READ CD (MMC-6 §6.17, §6.18, §6.43, §6.45, §6.42, §6.38, §6.19).
extension OpticalDevice {
    /// READ CAPACITY (25h): | 25h | rsvd ×8 | CONTROL | → LAST LBA (4) | BLOCK LENGTH (4) = 2048.
    func readCapacity(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        let last = m.blockCount == 0 ? 0 : m.blockCount - 1
        return c.respond(be32(last) + be32(UInt32(OpticalMedium.blockSize)), allocationLength: 8)
    }

    /// READ(10) | 28h | DPO FUA RARC | LBA (4) | rsvd | LENGTH (2) | CONTROL |
    /// READ(12) | A8h | DPO FUA RARC | LBA (4) | LENGTH (4) | STREAMING (7) | CONTROL |
    func read(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let (lba, blocks) = c.cdb.lbaAndLength
        let m = try presentMedium()
        try m.checkRange(lba: lba, blocks: UInt64(blocks))
        guard blocks > 0 else { return .good }
        return .good(dataInLength: try m.read(lba: lba, blocks: UInt64(blocks), into: c.dataIn))
    }

    /// WRITE(10) | 2Ah | DPO FUA | LBA (4) | rsvd | LENGTH (2) | CONTROL |; WRITE(12) as READ(12).
    /// Write-protected and ROM media: DATA PROTECT 27/00. FUA flushes before GOOD.
    func write(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        guard let m = try writeDataOut(c) else { return .good }
        if c.cdb[1] & 0x08 != 0 { try m.synchronize() }
        return .good
    }

    /// WRITE AND VERIFY(10) | 2Eh | DPO (4) BYTCHK (1) | LBA (4) | rsvd | LENGTH (2) | CONTROL |: writes,
    /// then reads the blocks back and compares them with the Data-Out (MISCOMPARE 1D/00 on a difference).
    func writeAndVerify(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        guard let m = try writeDataOut(c) else { return .good }
        try m.synchronize()
        let (lba, blocks) = c.cdb.lbaAndLength
        try compare(m, lba: lba, blocks: UInt64(blocks), against: c.dataOut)
        return .good
    }

    /// The data phase of WRITE and WRITE AND VERIFY: a writable disc, the range on it, the Data-Out
    /// written. Returns the disc, or nil when the command moves no blocks.
    private func writeDataOut(_ c: SCSICommand) throws(Sense) -> OpticalMedium? {
        let (lba, blocks) = c.cdb.lbaAndLength
        let m = try writableMedium()
        try m.checkRange(lba: lba, blocks: UInt64(blocks))
        guard blocks > 0 else { return nil }
        try m.write(lba: lba, blocks: UInt64(blocks), from: c.dataOut)
        return m
    }

    /// VERIFY(10) | 2Fh | DPO (4) BYTCHK (1) | LBA (4) | rsvd | LENGTH (2) | CONTROL |: BYTCHK=0 reads the
    /// blocks (MEDIUM ERROR 11/00 if unreadable); BYTCHK=1 also compares them with the Data-Out. Works on
    /// read-only media.
    func verify(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let lba = UInt64(c.cdb.u32(2))
        let blocks = UInt64(c.cdb.u16(7))
        let m = try presentMedium()
        try m.checkRange(lba: lba, blocks: blocks)
        if c.cdb[1] & 0x02 != 0 {
            guard c.dataOut.count >= Int(blocks) * OpticalMedium.blockSize else {
                throw Sense(.illegalRequest, .parameterListLengthError)
            }
            try compare(m, lba: lba, blocks: blocks, against: c.dataOut)
        } else {
            for i in 0..<blocks { _ = try m.readBlock(lba + i) }
        }
        return .good
    }

    /// Reads blocks back and compares them with `data`. - Throws: MISCOMPARE 1D/00, INFORMATION = the
    /// byte offset of the first difference in the Data-Out buffer.
    func compare(_ m: OpticalMedium, lba: UInt64, blocks: UInt64, against data: DataBuffer) throws(Sense) {
        for i in 0..<blocks {
            let onDisc = try m.readBlock(lba + i)
            let base = Int(i) * OpticalMedium.blockSize
            if let at = data.firstMismatch(from: base, against: onDisc) {
                throw Sense(.miscompare, .miscompareDuringVerifyOperation, information: UInt64(base + at))
            }
        }
    }

    /// SYNCHRONIZE CACHE(10) | 35h | IMMED (1) | LBA (4) | rsvd | BLOCKS (2) | CONTROL |: flushes the image
    /// (IMMED is honoured by finishing first, which the standard allows).
    func synchronizeCache(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        try m.checkRange(lba: UInt64(c.cdb.u32(2)), blocks: UInt64(c.cdb.u16(7)))
        try m.synchronize()
        return .good
    }

    /// READ CD (BEh) on the CD-ROM profile; see `ReadCD`.
    func readCD(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        let (lba, blocks, fields) = try ReadCD.parse(c.cdb, profile: m.profile)
        try m.checkRange(lba: UInt64(lba), blocks: UInt64(blocks))
        let size = fields.sectorBytes
        guard blocks > 0, size > 0 else { return .good }
        if fields.isUserDataOnly {
            return .good(dataInLength: try m.read(lba: UInt64(lba), blocks: UInt64(blocks), into: c.dataIn))
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

    /// The present disc, if it may be written. - Throws: NOT READY, or DATA PROTECT 27/00.
    func writableMedium() throws(Sense) -> OpticalMedium {
        let m = try presentMedium()
        guard !m.writeProtected else { throw Sense(.dataProtect, .writeProtected) }
        return m
    }
}
