/// The mode pages of the optical drive (MMC-6 §7; SPC-5 §7.5). None is saveable; MODE SENSE and MODE
/// SELECT (the SPC core) work on these values in `LogicalUnit.State.modePages`, and the device rewrites
/// page 2Ah's lock and speed fields whenever they change.
extension ModePage {
    /// 01h Read/Write Error Recovery (MMC-6 §7.3), 12 bytes:
    /// 2 AWRE/ARRE/TB/RC/PER/DTE/DCR | 3 READ RETRY COUNT | 4-7 rsvd | 8 WRITE RETRY COUNT | 9 rsvd |
    /// 10-11 RECOVERY TIME LIMIT. Retry counts 5 (as tcmu-runner) and changeable.
    public static let mmcReadWriteErrorRecovery = ModePage(
        code: 0x01,
        defaults: [0x01, 0x0A, 0x00, 0x05, 0, 0, 0, 0, 0x05, 0, 0, 0],
        changeable: [0x00, 0x00, 0x00, 0xFF, 0, 0, 0, 0, 0xFF, 0, 0, 0])

    /// 1Ah Power Condition (SPC-5 §7.5.13), 40 bytes: 2 PM_BG_PRECEDENCE/STANDBY_Y | 3 IDLE_C IDLE_B
    /// IDLE STANDBY_Z | 4-7 IDLE_A TIMER | 8-11 STANDBY_Z TIMER | 12-15 IDLE_B | 16-19 IDLE_C |
    /// 20-23 STANDBY_Y | 39 CCF IDLE (7-6) CCF STANDBY (5-4) CCF STOPPED (3-2). All timers off; the
    /// IDLE and STANDBY_Z bits and timers may be set (a virtual drive has no power states to enter).
    public static let mmcPowerCondition: ModePage = {
        var d = [UInt8](repeating: 0, count: 40)
        d[0] = 0x1A
        d[1] = 0x26
        d[39] = 0x54  // CCF IDLE/STANDBY/STOPPED 01b: disabled
        var c = [UInt8](repeating: 0, count: 40)
        c[3] = 0x03
        for i in 4..<12 { c[i] = 0xFF }
        return ModePage(code: 0x1A, defaults: d, changeable: c)
    }()

    /// 1Dh Timeout and Protect (MMC-6 §7.9), 10 bytes: 4 G3ENABLE (3) TMOE (2) DISP (1) SWPP (0) |
    /// 6-7 GROUP 1 MINIMUM TIMEOUT | 8-9 GROUP 2 MINIMUM TIMEOUT (seconds; FFFFh as tcmu-runner).
    public static let mmcTimeoutAndProtect = ModePage(
        code: 0x1D,
        defaults: [0x1D, 0x08, 0, 0, 0x00, 0, 0xFF, 0xFF, 0xFF, 0xFF],
        changeable: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0])

    /// Speeds in kB/s: CD 48× (176 kB/s per ×, as Linux sr divides), DVD 16× read, DVD-RAM 5× write.
    public static let cdMaximumReadSpeed: UInt16 = 8448
    public static let dvdMaximumReadSpeed: UInt16 = 22160
    public static let dvdRAMWriteSpeed: UInt16 = 6925

    /// 2Ah CD/DVD Capabilities and Mechanical Status (MMC-3 §5.5.10, kept by MMC-6 for legacy hosts:
    /// Linux sr reads it to decide "scsi3-mmc drive" vs "scsi-1 drive"), 36 bytes:
    ///
    ///     2  DVD-RAM READ (5) DVD-R READ (4) DVD-ROM READ (3) METHOD 2 (2) CD-RW READ (1) CD-R READ (0)
    ///     3  DVD-RAM WRITE (5) DVD-R WRITE (4) TEST WRITE (2) CD-RW WRITE (1) CD-R WRITE (0)
    ///     4  BUF (7) MULTI SESSION (6) MODE 2 FORM 2 (5) MODE 2 FORM 1 (4) … AUDIO PLAY (0)
    ///     5  UPC (6) ISRC (5) C2 POINTERS (4) … CD-DA STREAM ACCURATE (1) CD-DA COMMANDS SUPPORTED (0)
    ///     6  LOADING MECHANISM TYPE (7-5) | EJECT (3) | PREVENT JUMPER (2) | LOCK STATE (1) | LOCK (0)
    ///     7  separate volume/mute, changer bits
    ///     8-9 MAXIMUM READ SPEED   10-11 VOLUME LEVELS   12-13 BUFFER SIZE (KiB)   14-15 CURRENT READ SPEED
    ///     17 digital output format   18-19 MAXIMUM WRITE SPEED   20-21 CURRENT WRITE SPEED
    ///     22-23 COPY MANAGEMENT REVISION   27 ROTATION CONTROL SELECTED   28-29 CURRENT WRITE SPEED SELECTED
    ///     30-31 NUMBER OF WRITE SPEED DESCRIPTORS   32-35 descriptor: rsvd | ROTATION CONTROL | WRITE SPEED
    public static func mmcCapabilities(locked: Bool, readSpeed: UInt16, writeSpeed: UInt16) -> ModePage {
        var d = [UInt8](repeating: 0, count: 36)
        d[0] = 0x2A
        d[1] = 0x22
        d[2] = 0x3B  // DVD-RAM, DVD-R, DVD-ROM, CD-RW, CD-R read
        d[3] = 0x37  // DVD-RAM, DVD-R, CD-RW, CD-R write, TEST WRITE (wodim and libburn pick a CD writer by these)
        d[4] = 0x70  // multi-session, mode 2 form 2, mode 2 form 1 (READ CD); AUDIO PLAY 0 (no analog output)
        d[5] = 0x73  // UPC (6), ISRC (5), C2 POINTERS (4), CD-DA STREAM ACCURATE (1), CD-DA COMMANDS (0)
        d[6] = capabilitiesByte6(locked: locked)
        d.replaceSubrange(8..<10, with: be16(cdMaximumReadSpeed))
        d.replaceSubrange(12..<14, with: be16(2048))
        d.replaceSubrange(14..<16, with: be16(readSpeed))
        d.replaceSubrange(18..<20, with: be16(dvdRAMWriteSpeed))
        d.replaceSubrange(20..<22, with: be16(writeSpeed))
        d.replaceSubrange(28..<30, with: be16(writeSpeed))
        d.replaceSubrange(30..<32, with: be16(1))
        d.replaceSubrange(34..<36, with: be16(dvdRAMWriteSpeed))
        return ModePage(code: 0x2A, defaults: d, changeable: [UInt8](repeating: 0, count: 36))
    }

    /// Byte 6 of page 2Ah: tray (001b), EJECT, LOCK, and LOCK STATE when removal is prevented.
    public static func capabilitiesByte6(locked: Bool) -> UInt8 {
        0x20 | 0x08 | 0x01 | (locked ? 0x02 : 0x00)
    }

    /// The optical drive's pages in page-code order.
    public static func opticalPages(locked: Bool = false) -> [ModePage] {
        [
            .mmcReadWriteErrorRecovery, .mmcWriteParameters, .mmcPowerCondition, .mmcTimeoutAndProtect,
            .mmcCapabilities(locked: locked, readSpeed: cdMaximumReadSpeed, writeSpeed: dvdRAMWriteSpeed),
        ]
    }
}
