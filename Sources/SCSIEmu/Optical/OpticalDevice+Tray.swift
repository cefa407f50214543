import Sense

/// The tray and lock: START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL (MMC-6 §6.39, §6.14), and the runtime
/// control the daemon exposes (eject, load, insert, remove) as a user changing discs.
extension OpticalDevice {
    // MARK: - SCSI

    /// START STOP UNIT (1Bh).
    ///
    /// CDB:  | 1Bh | IMMED (0) | rsvd | POWER CONDITION MODIFIER (3-0) | POWER CONDITIONS (7-4) LOEJ (1) START (0) | CONTROL |
    ///
    /// LoEj=1 Start=0 opens the tray. While removal is prevented it is refused with MEDIUM REMOVAL PREVENTED
    /// 53/02: sense key NOT READY when a disc is in the drive, ILLEGAL REQUEST when none is (what real ATAPI
    /// drives report, e.g. sense 2/53/02 in a 2004 LKML eject trace, and QEMU's ATAPI model copies);
    /// LoEj=1 Start=1 closes it (a disc becomes present: UNIT ATTENTION 28/00 and a NewMedia event).
    /// LoEj=0 spins up or down, which a virtual disc does not need; a power condition ignores LoEj/Start.
    func startStopUnit(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let b = c.cdb[4]
        guard b >> 4 == 0, b & 0x02 != 0 else { return .good }
        let start = b & 0x01 != 0
        try drive.withLock { s throws(Sense) in
            if start {
                let newMedium = s.model.closeTray()
                publish(s, newMedium: newMedium)
            } else {
                do throws(TrayRefusal) { try s.model.openTray() } catch {
                    switch error {
                    case .removalPrevented:
                        throw Sense(s.model.mediumPresent ? .notReady : .illegalRequest, .mediumRemovalPrevented)
                    case .formatInProgress:
                        throw DeviceCondition.formatting(progress: s.format?.progress ?? 0).notReadySense
                    }
                }
                publish(s)
            }
        }
        return .good
    }

    /// PREVENT ALLOW MEDIUM REMOVAL (1Eh): | 1Eh | rsvd ×3 | PERSISTENT (1) PREVENT (0) | CONTROL |
    func preventAllowMediumRemoval(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let field = c.cdb[4] & 0x03
        drive.withLock { s in
            s.model.setPrevent(field: field)
            publish(s)
        }
        return .good
    }

    // MARK: - Runtime control

    /// Opens the tray as the eject button does. While the host prevents removal the drive stays shut and
    /// reports an EjectRequest event (the host may then unlock and eject); `force` overrides the lock.
    public func eject(force: Bool = false) throws(OpticalControlError) {
        try drive.withLock { s throws(OpticalControlError) in
            do throws(TrayRefusal) { try s.model.operatorEject(force: force) } catch {
                throw OpticalControlError(error)
            }
            publish(s)
        }
    }

    /// Closes the tray; a disc on it becomes present (UNIT ATTENTION 28/00, NewMedia).
    public func load() {
        drive.withLock { s in
            let newMedium = s.model.closeTray()
            publish(s, newMedium: newMedium)
        }
    }

    /// Changes the disc: opens the tray (subject to the lock unless `force`), puts the image on it, closes it.
    /// - Parameters:
    ///   - imagePath: the image; nil for the config's.
    ///   - profile: the medium kind; nil for the config's (or the `ro`-based default).
    ///   - readOnly: write-protect the disc; nil for the config's `ro`.
    ///   - blank: a recordable profile: start a new blank disc (of `blankBlocks`, else the config's
    ///     `capacity-N`, else the profile's nominal capacity), discarding the image's data and record.
    public func insert(
        imagePath: String? = nil, profile: MediumProfile? = nil, readOnly: Bool? = nil, force: Bool = false,
        blank: Bool = false, blankBlocks: UInt32? = nil
    ) throws(OpticalControlError) {
        guard let path = imagePath ?? config.imagePath else { throw .noImage }
        let ro = readOnly ?? config.readOnly
        let chosen = profile ?? config.profile ?? (ro ? .dvdROM : .dvdRAM)
        let medium = try OpticalMedium.open(
            path: path, profile: chosen, readOnly: ro, minimumBytes: minimumBytes, blank: blank,
            blankBlocks: blankBlocks ?? config.capacityBlocks)
        try drive.withLock { s throws(OpticalControlError) in
            do throws(TrayRefusal) { try s.model.operatorEject(force: force) } catch {
                throw OpticalControlError(error)
            }
            s.model.setDisc(true)
            s.medium = medium
            let newMedium = s.model.closeTray()
            publish(s, newMedium: newMedium)
        }
    }

    /// Takes the disc out, leaving the tray open (subject to the lock unless `force`).
    public func removeDisc(force: Bool = false) throws(OpticalControlError) {
        try eject(force: force)
        drive.withLock { s in
            s.model.setDisc(false)
            s.medium = nil
            publish(s)
        }
    }

    /// What a status report shows: tray, disc, lock, image.
    public var status: (trayOpen: Bool, mediumPresent: Bool, locked: Bool, imagePath: String?, profile: MediumProfile?) {
        drive.withLock { s in
            (s.model.trayOpen, s.model.mediumPresent, s.model.locked, s.medium?.path, s.medium?.profile)
        }
    }
}
