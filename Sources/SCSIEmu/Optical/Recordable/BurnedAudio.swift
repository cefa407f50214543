import Sense

/// Audio burned on a CD-R/RW (issue 17): CD-DA tracks written track at once (page 05h WRITE TYPE 1, DATA
/// BLOCK TYPE 0: raw 2352-byte sectors, an audio TRACK MODE, MMC-6 §7.5.4.2 table 653) or in a session at
/// once (cue sheet data forms 00h/01h, `MMCCueSheet`), and read back as a pressed audio CD reads: READ CD
/// (§6.19) returns the 2352 bytes of each CD-DA sector and the Q sub-channel of the burned track
/// (`CDSubchannel`, over the disc's `cdLayout`); a 2048-byte READ of an audio track is ILLEGAL MODE FOR
/// THIS TRACK (`DiscLayout.audioOverlap`). The sectors live in the disc's audio store (`<image>.cdda`, LBA ×
/// 2352); the image keeps the data tracks' user blocks.
extension OpticalDevice {
    /// Whether WRITE(10)/(12) carries CD-DA sectors: a CD, track at once, DATA BLOCK TYPE 0.
    func writesAudio(_ m: OpticalMedium) -> Bool {
        let p = writeParameters
        return m.profile.isCD && p.writeType == WriteType.trackAtOnce && p.blockType == WriteParametersCheck.cdDA
    }

    /// WRITE(10)/(12) of `count` CD-DA sectors (2352 bytes each) at the NWA of the open track, which becomes
    /// (or must already be) an audio track: the checks of any write, then the sectors land in the audio
    /// store. Under TEST WRITE the simulated disc takes them and nothing lands.
    func writeAudioTrackAtOnce(_ c: inout SCSICommand, _ m: OpticalMedium, _ r: DiscRecording) throws(Sense) -> CommandOutcome {
        let e = m.engine
        guard let (lba, count) = try Self.checkedWrite(c, e, blockBytes: CDSector.rawSize) else { return .good }
        let bytes = Int(count) * CDSector.rawSize
        guard let audio = r.audio else { throw Sense(.illegalRequest, .cannotWriteMediumIncompatibleFormat) }
        if simulatesWrites(m) {
            try r.simulateWrite(lba: lba, blocks: UInt64(count), audio: true)
            return .good
        }
        let buffer = c.dataOut
        try r.write(lba: lba, blocks: UInt64(count), durable: false, audio: true) { () throws(Sense) in
            try e.storeIO(at: lba, writing: true) { () throws(StoreError) in
                try audio.write(from: buffer, 0..<bytes, at: lba * UInt64(CDSector.rawSize))
            }
        }
        return .good
    }

    /// READ CD / READ CD MSF on a burned CD holding an audio track: each sector's kind from its track (CD-DA
    /// from the audio store, mode 1 from the image), checked against the EXPECTED SECTOR TYPE (05/64/00 at
    /// the first that differs), its selected fields and sub-channel (`CDReadRequest`). Sectors not recorded:
    /// LOGICAL BLOCK ADDRESS OUT OF RANGE.
    func readBurnedCD(_ m: OpticalMedium, _ r: DiscRecording, _ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let request = try CDReadRequest(c.cdb)
        let l = r.recordedLayout
        guard l.isRecorded(lba: UInt64(request.lba), blocks: UInt64(request.count)) else {
            throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
        }
        let cd = CDLayout(burned: l)
        let out = c.dataIn
        var produced = 0
        var i: UInt32 = 0
        while i < request.count, produced < out.count {
            let lba = request.lba + i
            let audio = cd.extent(at: lba)?.mode == .audio
            let raw: [UInt8]
            if audio, let store = r.audio {
                raw = try m.engine.storeIO(at: UInt64(lba), writing: false) { () throws(StoreError) in
                    try store.readBytes(count: CDSector.rawSize, at: UInt64(lba) * UInt64(CDSector.rawSize))
                }
            } else {
                raw = CDSector.mode1(lba: lba, userData: try m.readBlock(UInt64(lba)))
            }
            let kind: CDSectorKind = audio ? .cdda : .mode1
            if request.expectedType != 0, kind.rawValue != request.expectedType {
                throw Sense(.illegalRequest, .illegalModeForThisTrack, information: UInt64(lba))
            }
            produced += out.write(request.fields(of: raw, kind: kind, lba: lba, layout: cd), at: produced)
            r.headPosition.store(lba, ordering: .relaxed)
            i += 1
        }
        return .good(dataInLength: produced)
    }
}

extension DiscRecording {
    /// A write of CD-DA or data blocks at a track's NWA (`DiscLayout.write`), `land` storing them first.
    func write(lba: UInt64, blocks: UInt64, durable: Bool, audio: Bool, land: () throws(Sense) -> Void) throws(Sense) {
        try state.withLock { s throws(Sense) in
            s.simulated = nil
            var l = s.layout
            let before = l.status
            try l.write(lba: lba, blocks: blocks, audio: audio)
            try land()
            s.layout = l
            if l.status != before { s.changed = true }
            try commitChange(&s, durable: durable, firstBlock: lba)
        }
    }

    /// Notes the write type of a WRITE about to run (`State.trackAtOnce`).
    func noteWrite(trackAtOnce: Bool) { state.withLock { $0.trackAtOnce = trackAtOnce } }

    /// Whether the disc holds a CD-DA track (READ CD then reads through `readBurnedCD`).
    var hasAudio: Bool { state.withLock { $0.layout.tracks.contains(where: \.audio) } }
}

extension CDLayout {
    /// The CD layout of a burned disc's recorded tracks, for the Q sub-channel and each sector's form: each
    /// track from its pre-gap (index 0: a cue sheet's pre-gap between tracks, `DiscLayout.Track.pregap`; TAO
    /// tracks have none) to the next track's, its index 1 at its start, CONTROL 0h for audio and 4h for data
    /// (+1: recorded incrementally), its ISRC; the disc's catalog number; the lead-out after the last
    /// recorded block.
    init(burned l: DiscLayout) {
        let recorded = l.tracks.indices.filter { l.tracks[$0].recorded > 0 }
        let spans = recorded.map { i in
            let span = l.formSpan(of: i)
            let end = UInt64(l.tracks[i].start) + UInt64(l.tracks[i].recorded)
            return (UInt32(span.lowerBound), UInt32(min(span.upperBound, end)))
        }
        tracks = zip(recorded, spans).map { i, span in
            let t = l.tracks[i]
            return Track(
                number: UInt8(clamping: t.number), mode: t.audio ? .audio : .mode1Cooked, pregapStart: span.0,
                start: t.start, end: span.1, control: t.audio ? 0x00 : 0x05, isrc: t.isrc, laterIndexes: [])
        }
        extents = zip(recorded, spans).map { i, span in
            Extent(start: span.0, count: span.1 - span.0, file: nil, fileOffset: 0, mode: l.tracks[i].audio ? .audio : .mode1Cooked)
        }
        leadOut = recorded.last.map { l.tracks[$0].start + l.tracks[$0].recorded } ?? 0
        catalog = l.catalog
    }
}
