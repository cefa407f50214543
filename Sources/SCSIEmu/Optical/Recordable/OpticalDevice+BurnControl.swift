/// The operator's side of recordable discs (issue 17): `emud ctl DEV insert --blank PROFILE [--capacity N]
/// PATH`, the disc state in `status`, and `export PATH`.
extension OpticalDevice {
    /// `insert --blank PROFILE [--capacity BLOCKS] PATH [--force]`: a new blank disc at PATH.
    func insertBlank(_ name: String, force: Bool, _ args: inout ControlArguments) throws(ControlError) -> String {
        guard let profile = MediumProfile.named(name), profile.isRecordable else {
            let names = MediumProfile.allCases.filter(\.isRecordable).map(\.name).joined(separator: ", ")
            throw args.usageError("--blank '\(name)' is not a recordable profile (one of: \(names))")
        }
        var blocks: UInt32?
        if let word = try args.option("--capacity") {
            guard let n = UInt32(word), n > 0 else { throw args.usageError("--capacity '\(word)': expected blocks above 0") }
            blocks = n
        }
        let path = try args.positional("PATH")
        try args.finish()
        guard path.hasPrefix("/") else {
            throw args.usageError("PATH '\(path)' is not absolute (the daemon does not share your directory)")
        }
        try Self.controlling { () throws(OpticalControlError) in
            try insert(imagePath: path, profile: profile, readOnly: false, force: force, blank: true, blankBlocks: blocks)
        }
        return "inserted " + discSummary
    }

    /// `state=blank|appendable|complete sessions=N last-session=empty|incomplete|complete tracks=T
    /// [nwa=LBA free=BLOCKS] track1=sS:START+RECORDED[/SIZE][,closed][,reserved][,cue] …` for `status`
    /// (`cue`: a track of the session at once being written).
    static func recordingWords(_ l: DiscLayout) -> [String] {
        let states = ["blank", "appendable", "complete", "others"]
        let sessionStates = ["empty", "incomplete", "damaged", "complete"]
        var w = [
            "state=\(states[Int(l.status.rawValue)])", "sessions=\(l.sessionCount)",
            "last-session=\(sessionStates[Int(l.lastSessionState.rawValue)])", "tracks=\(l.tracks.count)",
        ]
        if l.profile.recording == .sequential, let open = l.openTrack, !l.finalized {
            w += ["nwa=\(open.nextWritable)", "free=\(l.freeBlocks(of: open))"]
        }
        if l.profile.recording == .overwrite { w.append("formatted=\(l.formatted ? "yes" : "no")") }
        for t in l.tracks {
            var s = "track\(t.number)=s\(t.session):\(t.start)+\(t.recorded)"
            if let size = t.size { s += "/\(size)" }
            if t.closed { s += ",closed" }
            if t.reserved { s += ",reserved" }
            if t.fromCueSheet { s += ",cue" }
            w.append(s)
        }
        return w
    }

    /// Writes blocks 0 through the last recorded one to `path` (a new file, replaced if there): the data
    /// tracks of every session as one ISO image (each later ISO 9660 session addresses the earlier ones'
    /// blocks by LBA, so the image mounts as the last session sees it).
    func exportRecorded(to path: String) throws(ControlError) -> String {
        guard path.hasPrefix("/") else { throw ControlError(.usage, "export: PATH '\(path)' is not absolute") }
        guard let m = mediumIfPresent else { throw ControlError(.refused, "no disc in the drive") }
        let blocks = m.recording.map { r in r.layout.lastRecorded.map { UInt64($0) + 1 } ?? 0 } ?? UInt64(m.blockCount)
        let bytes = blocks * UInt64(OpticalMedium.blockSize)
        do throws(StoreError) {
            let out = try FileStore(path: path, readOnly: false)
            defer { out.close() }
            try out.resize(to: 0)
            try out.resize(to: bytes)
            let chunk: UInt64 = 1 << 20
            var offset: UInt64 = 0
            while offset < bytes {
                let n = Int(min(chunk, bytes - offset))
                try out.writeBytes(try m.engine.store.readBytes(count: n, at: offset), at: offset)
                offset += UInt64(n)
            }
            try out.flush()
        } catch {
            throw ControlError(.failed, "export to \(path): \(error)", errno: error.errno)
        }
        return "exported \(blocks) blocks (\(bytes) bytes) to \(path)"
    }
}
