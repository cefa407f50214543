/// The drive's runtime control (`emud ctl dvd0 …`): the operator at the front panel changing discs, and
/// netlink RECONFIG DEV_CFG (a new `dev_config` naming another image) doing the same.
///
/// Every command goes through the tray model under the drive lock (`OpticalDevice+Tray.swift`), so a
/// change made here raises exactly what the same change made by a person would: UNIT ATTENTION 28/00
/// and a GESN NewMedia event on a new disc, an EjectRequest event when the host has locked the tray.
extension OpticalDevice: ControllableDevice, ReconfigurableDevice {
    static let profileWords = MediumProfile.allCases.map(\.optionWord)

    public var controlCommands: [ControlCommand<OpticalDevice>] { Self.controlTable }

    static let controlTable: [ControlCommand<OpticalDevice>] =
        [
            ControlCommand("status", "tray, disc, lock, profile, image") { d, args throws(ControlError) in
                try args.finish()
                return d.statusReport
            },
            ControlCommand("eject", usage: "eject [--force]", "open the tray (--force overrides the host's lock)") {
                d, args throws(ControlError) in
                let force = args.flag("--force")
                try args.finish()
                try controlling { () throws(OpticalControlError) in try d.eject(force: force) }
                return "tray open"
            },
            ControlCommand("load", "close the tray; a disc on it becomes ready (UNIT ATTENTION 28/00)") {
                d, args throws(ControlError) in
                try args.finish()
                d.load()
                return d.model.mediumPresent ? "tray closed, medium present" : "tray closed, no disc"
            },
            ControlCommand(
                "insert",
                usage: "insert PATH [\(profileWords.joined(separator: "|"))] [ro|rw] [--force] "
                    + "| insert --blank PROFILE [--capacity BLOCKS] PATH",
                "change the disc to the image at PATH (an existing file; --force overrides the lock); --blank: "
                    + "a new blank recordable disc (cdr, cdrw, dvd-r, dvd-rw, dvd-rw-ro, dvd+r, dvd+rw, bd-r, bd-re) "
                    + "written to PATH"
            ) { d, args throws(ControlError) in
                let force = args.flag("--force")
                if let blank = try args.option("--blank") { return try d.insertBlank(blank, force: force, &args) }
                let profileWord = try args.keyword(oneOf: profileWords)
                let access = try args.keyword(oneOf: ["ro", "rw"])
                let path = try args.positional("PATH")
                try args.finish()
                guard path.hasPrefix("/") else {
                    throw args.usageError("PATH '\(path)' is not absolute (the daemon does not share your directory)")
                }
                do throws(SystemCallError) { try checkStoreFileExists(path) } catch {
                    throw ControlError(.failed, "no file '\(path)': create the image first", errno: error.errno)
                }
                let profile = profileWord.flatMap { w in MediumProfile.allCases.first { $0.optionWord == w } }
                try controlling { () throws(OpticalControlError) in
                    try d.insert(imagePath: path, profile: profile, readOnly: access.map { $0 == "ro" }, force: force)
                }
                return "inserted " + d.discSummary
            },
            ControlCommand("export", usage: "export PATH", "write the recorded data track(s) to PATH as an ISO image") {
                d, args throws(ControlError) in
                let path = try args.positional("PATH")
                try args.finish()
                return try d.exportRecorded(to: path)
            },
            ControlCommand("remove", usage: "remove [--force]", "take the disc out, leaving the tray open") {
                d, args throws(ControlError) in
                let force = args.flag("--force")
                try args.finish()
                try controlling { () throws(OpticalControlError) in try d.removeDisc(force: force) }
                return "disc removed, tray open"
            },
        ]

    /// `tray=open|closed disc=yes|no locked=yes|no [format=N%]`, then for a disc `profile=… write-protected=…
    /// blocks=N image=PATH` (the path last: it may hold spaces).
    public var statusReport: String {
        let (model, medium, format) = drive.withLock { s in (s.model, s.medium, s.format?.progress) }
        var words = [
            "tray=\(model.trayOpen ? "open" : "closed")", "disc=\(model.discInTray ? "yes" : "no")",
            "locked=\(model.locked ? "yes" : "no")",
        ]
        if let format { words.append("format=\(Int(format) * 100 / 65536)%") }
        if model.discInTray, let m = medium {
            words += ["profile=\(m.profile.optionWord)", "write-protected=\(m.writeProtected ? "yes" : "no")",
                      "blocks=\(m.blockCount)"]
            if let r = m.recording { words += Self.recordingWords(r.recordedLayout) }
            words.append("image=\(m.path)")
        }
        return words.joined(separator: " ")
    }

    /// `PATH (profile-dvdrom, read-only, N blocks)` for the disc on the tray.
    var discSummary: String {
        guard let m = drive.withLock({ s in s.model.discInTray ? s.medium : nil }) else { return "no disc" }
        return "\(m.path) (\(m.profile.optionWord), \(m.writeProtected ? "read-only" : "writable"), \(m.blockCount) blocks)"
    }

    // MARK: - RECONFIG DEV_CFG

    /// A new `fbo/…` config string: its image goes in as if the user changed the disc (subject to the
    /// host's lock: EBUSY); `empty` takes the disc out and closes the tray.
    public func applyConfig(_ configString: String) throws(ControlError) -> String {
        let config: OpticalConfig
        do { config = try OpticalConfig(parsing: configString) } catch {
            throw ControlError(.usage, error.message)
        }
        if config.startEmpty {
            try Self.controlling { () throws(OpticalControlError) in try removeDisc(force: false) }
            load()
            return "disc removed"
        }
        try Self.controlling { () throws(OpticalControlError) in
            try insert(imagePath: config.imagePath, profile: config.effectiveProfile, readOnly: config.readOnly)
        }
        return "inserted " + discSummary
    }

    /// Runs a tray operation, turning its refusal into a control error that says what to do.
    static func controlling(_ body: () throws(OpticalControlError) -> Void) throws(ControlError) {
        do { try body() } catch {
            switch error {
            case .removalPrevented:
                throw ControlError(
                    .refused,
                    "the initiator has locked the tray (PREVENT ALLOW MEDIUM REMOVAL); an eject request was "
                        + "reported to it: retry once it unlocks, or add --force")
            case .formatInProgress:
                throw ControlError(.refused, "FORMAT UNIT is in progress: retry when it has finished")
            case .image(let e):
                throw ControlError(.failed, "cannot open the image: \(e)", errno: e.errno)
            case .unusableImage:
                throw ControlError(.failed, error.description, errno: .invalidArgument)
            case .noImage, .config:
                throw ControlError(.usage, error.description)
            }
        }
    }
}
