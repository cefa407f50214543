import Sense

/// The commands a CUE/BIN disc answers beyond a data CD's: READ CD / READ CD MSF with audio, raw sectors
/// and sub-channel (MMC-6 §6.19, §6.20), READ TOC of its tracks (§6.26), READ SUB-CHANNEL (§6.28).
///
/// The audio play commands (PLAY AUDIO (10)/(12)/MSF, PAUSE/RESUME, SCAN, STOP PLAY/SCAN) belong to the CD
/// External Audio Play feature (0103h), which a drive without analog audio output does not report; MMC-6
/// leaves them out of every other feature, so this drive has no rows for them and answers ILLEGAL
/// REQUEST / INVALID COMMAND OPERATION CODE (20/00), as QEMU's emulated CD-ROM does. Digital audio
/// extraction (READ CD of CD-DA sectors) is how rippers and players read audio.
extension OpticalDevice {
    /// READ CD MSF (B9h): only CUE/BIN and CD-ROM discs; see `CDReadRequest`.
    func readCDMSF(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        guard let image = m.cd else {
            guard m.profile.isCD else { throw Sense(.illegalRequest, .cannotReadMediumIncompatibleFormat) }
            // A plain ISO CD-ROM: the same request, addressed by LBA.
            var cdb = c.cdb.bytes
            let request = try CDReadRequest(c.cdb)
            cdb.replaceSubrange(2..<9, with: be32(request.lba) + [UInt8(request.count >> 16 & 0xFF)] + be16(UInt16(request.count & 0xFFFF)))
            cdb[0] = 0xBE
            var plain = SCSICommand(cdb: CDB(cdb)!, data: c.dataIn)
            return try readCD(&plain)
        }
        return try readCD(image, &c)
    }

    /// READ CD on a CUE/BIN disc: each sector checked against the expected type (05/64/00 ILLEGAL MODE FOR
    /// THIS TRACK at the first that differs), its selected fields written in turn.
    func readCD(_ image: CDImage, _ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let r = try CDReadRequest(c.cdb)
        guard r.lba <= image.blockCount, r.count <= image.blockCount - r.lba else {
            throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
        }
        let out = c.dataIn
        var produced = 0
        var i: UInt32 = 0
        while i < r.count, produced < out.count {
            let lba = r.lba + i
            let (raw, kind) = try image.sector(lba)
            if r.expectedType != 0, kind.rawValue != r.expectedType {
                throw Sense(.illegalRequest, .illegalModeForThisTrack, information: UInt64(lba))
            }
            produced += out.write(r.fields(of: raw, kind: kind, lba: lba, layout: image.layout), at: produced)
            image.headPosition.store(lba, ordering: .relaxed)
            i += 1
        }
        return .good(dataInLength: produced)
    }

    /// READ SUB-CHANNEL (`ReadSubChannel`) on a CUE/BIN disc, or a burned CD with recorded tracks (its
    /// catalog number and ISRCs from the cue sheet it was burned with); other CDs: INVALID FIELD IN CDB.
    func readSubChannel(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        let layout: CDLayout
        let position: UInt32
        if let image = m.cd {
            (layout, position) = (image.layout, image.headPosition.load(ordering: .relaxed))
        } else if m.profile.isCD, let r = m.recording, case let burned = CDLayout(burned: r.recordedLayout), !burned.tracks.isEmpty {
            (layout, position) = (burned, max(r.headPosition.load(ordering: .relaxed), burned.tracks[0].start))
        } else {
            throw Sense(.illegalRequest, m.profile.isCD ? .invalidFieldInCDB : .cannotReadMediumIncompatibleFormat)
        }
        let bytes = try ReadSubChannel.response(cdb: c.cdb, layout: layout, position: position)
        return c.respond(bytes, allocationLength: Int(c.cdb.u16(7)))
    }
}
