import Sense

/// The commands that describe the drive and disc: GET CONFIGURATION, GET EVENT STATUS NOTIFICATION, READ
/// TOC, READ DISC/TRACK INFORMATION, READ DVD STRUCTURE, MECHANISM STATUS, READ FORMAT CAPACITIES,
/// GET PERFORMANCE, SET CD SPEED. Each honours its allocation length (the Data-In length is what was built,
/// cut to it).
extension OpticalDevice {
    func getConfiguration(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let bytes = try GetConfiguration.response(
            rt: c.cdb[1] & 0x03, startingFeature: c.cdb.u16(2), medium: mediumIfPresent?.state)
        return c.respond(bytes, allocationLength: Int(c.cdb.u16(7)))
    }

    func getEventStatusNotification(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        guard c.cdb[1] & 0x01 != 0 else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 1, bit: 0))
        }
        let allocation = Int(c.cdb.u16(7))
        let requested = c.cdb[4]
        let changed = mediumIfPresent?.recording?.takeChange() ?? false
        let bytes = drive.withLock { s in
            if changed { s.model.mediaStateChanged() }
            return EventStatusNotification.poll(requested: requested, drive: &s.model, consume: allocation >= 8)
        }
        return c.respond(bytes, allocationLength: allocation)
    }

    func readTOC(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        if let image = m.cd {
            let bytes = try CDTableOfContents.response(
                format: try ReadTOC.format(of: c.cdb), msf: c.cdb[1] & 0x02 != 0, trackOrSession: c.cdb[6],
                layout: image.layout)
            return c.respond(bytes, allocationLength: Int(c.cdb.u16(7)))
        }
        if let r = m.recording {
            let bytes = try RecordableTOC.response(
                format: try ReadTOC.format(of: c.cdb), msf: c.cdb[1] & 0x02 != 0, trackOrSession: c.cdb[6],
                layout: r.layout)
            return c.respond(bytes, allocationLength: Int(c.cdb.u16(7)))
        }
        let bytes = try ReadTOC.response(
            format: try ReadTOC.format(of: c.cdb), msf: c.cdb[1] & 0x02 != 0, trackOrSession: c.cdb[6],
            profile: m.profile, blockCount: m.blockCount)
        return c.respond(bytes, allocationLength: Int(c.cdb.u16(7)))
    }

    func readDiscInformation(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        try ReadDiscInformation.checkDataType(c.cdb)
        let m = try presentMedium()
        if let r = m.recording {
            return c.respond(RecordableInformation.disc(r.layout), allocationLength: Int(c.cdb.u16(7)))
        }
        return c.respond(ReadDiscInformation.response(profile: m.profile), allocationLength: Int(c.cdb.u16(7)))
    }

    func readTrackInformation(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        if let r = m.recording {
            let l = r.layout
            let t = try RecordableInformation.select(l, addressType: c.cdb[1] & 0x03, number: c.cdb.u32(2))
            return c.respond(RecordableInformation.track(l, t), allocationLength: Int(c.cdb.u16(7)))
        }
        let bytes = try ReadTrackInformation.response(
            addressType: c.cdb[1] & 0x03, number: c.cdb.u32(2), profile: m.profile, blockCount: m.blockCount)
        return c.respond(bytes, allocationLength: Int(c.cdb.u16(7)))
    }

    /// Format FFh answers without a disc (an empty list); every other format needs one.
    func readDVDStructure(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let format = c.cdb[7]
        let disc: ReadDVDStructure.Disc
        if format == 0xFF, mediumIfPresent == nil {
            disc = ReadDVDStructure.Disc(profile: .cdROM, writeProtected: true, blockCount: 0)
        } else {
            disc = try presentMedium().disc
        }
        let bytes = try ReadDVDStructure.response(
            mediaType: c.cdb[1] & 0x0F, layer: c.cdb[6], format: format, disc: disc)
        return c.respond(bytes, allocationLength: Int(c.cdb.u16(8)))
    }

    func mechanismStatus(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let open = drive.withLock { $0.model.trayOpen }
        return c.respond(MechanismStatus.response(trayOpen: open), allocationLength: Int(c.cdb.u16(8)))
    }

    func readFormatCapacities(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = mediumIfPresent
        let bytes = m?.recording.map { RecordableFormatCapacities.response($0.layout) }
            ?? ReadFormatCapacities.response(medium: m?.state)
        return c.respond(bytes, allocationLength: Int(c.cdb.u16(7)))
    }

    func getPerformance(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        let bytes = try Performance.response(
            cdb: c.cdb, profile: m.profile, writable: !m.writeProtected, blockCount: m.blockCount)
        // Allocation: header plus the descriptors asked for; the builder already honoured the count.
        return c.respond(bytes, allocationLength: bytes.count)
    }

    func setCDSpeed(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let speeds = try Performance.selectSpeeds(cdb: c.cdb)
        drive.withLock { s in
            s.readSpeed = speeds.read
            s.writeSpeed = speeds.write
            publish(s)
        }
        return .good
    }
}
