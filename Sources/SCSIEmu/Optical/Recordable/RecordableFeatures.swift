/// The GET CONFIGURATION features of the recording side (MMC-6 §5.3), each current when the disc in the
/// drive is of a kind it writes (and the disc is writable), never persistent (they follow the medium), as
/// a DVD±RW/BD writer lists them. Descriptor header: `GetConfiguration.Feature`.
enum RecordableFeatures {
    typealias Feature = GetConfiguration.Feature

    /// Profiles FORMAT UNIT formats (feature 0023h current).
    static let formattable: Set<MediumProfile> = [.dvdRAM, .dvdPlusRW, .dvdMinusRWOverwrite, .dvdMinusRWSequential, .bdRE]

    /// 0021h Incremental Streaming Writable, version 1 (§5.3.17):
    ///     4-5 DATA BLOCK TYPES SUPPORTED: bit 8 (mode 1, 2048 bytes) | 6 TRIO (2) ARSV (1) BUF (0): BUF |
    ///     7 NUMBER OF LINK SIZES 1 | 8 LINK SIZE (CD 7, DVD 16, BD 0) | 9-11 pad
    /// Current on CD-R/RW, DVD-R and DVD-RW sequential, BD-R.
    static func incrementalStreamingWritable(_ p: MediumProfile?, writable: Bool) -> Feature {
        let current = writable && [.cdR, .cdRW, .dvdMinusR, .dvdMinusRWSequential, .bdR].contains(p)
        let link: UInt8 = p?.isCD == true ? 7 : p?.isBD == true ? 0 : 16
        return Feature(code: 0x0021, version: 1, persistent: false, current: current,
                       data: be16(0x0100) + [0x01, 1, link, 0, 0, 0])
    }

    /// The write features after 0024h, in code order:
    ///     0026h Restricted Overwrite v0 (no data): DVD-RW restricted overwrite
    ///     002Ah DVD+RW v1: 4 WRITE (0) | 5 QUICK START (1) CLOSE ONLY (0) 0
    ///     002Bh DVD+R v1: 4 WRITE (0)
    ///     002Ch Rigid Restricted Overwrite v1: 4 DSDG (3) DSDR (2) INTERMEDIATE (1) BLANK (0): BLANK
    ///     002Dh CD Track at Once v2: 4 BUF (6) RW RAW (4) RW PACK (3) TEST WRITE (2) CD-RW (1) RW SUBCODE (0):
    ///           BUF, TEST WRITE, CD-RW | 6-7 DATA TYPE SUPPORTED: bit 8 (mode 1)
    ///     002Eh CD Mastering v0: 4 BUF (6) SAO (5) RAW MS (4) RAW (3) TEST WRITE (2) CD-RW (1) R-W (0): BUF, SAO,
    ///           TEST WRITE, CD-RW | 5-7 MAXIMUM CUE SHEET LENGTH (`MMCCueSheet.maximumBytes`)
    ///     002Fh DVD-R/-RW Write v1: 4 BUF (6) RDL (3) TEST WRITE (2) DVD-RW SL (1): BUF, TEST WRITE, DVD-RW SL
    ///     0040h BD Read v1: 4-7 rsvd, then CLASS 0-3 bitmaps of BD-RE, BD-R, BD-ROM (2 bytes each): class 0
    ///           version 1 (bit 1) for each
    ///     0041h BD Write v1: 4 SVNR (0) 0 | 5-7 rsvd | CLASS 0-3 bitmaps of BD-RE, BD-R: class 0 version 1
    static func writeFeatures(_ p: MediumProfile?, writable: Bool) -> [Feature] {
        func on(_ profiles: Set<MediumProfile>) -> Bool { writable && p.map(profiles.contains) == true }
        let bdClasses = be16(0x0002) + [0, 0, 0, 0, 0, 0]
        return [
            Feature(code: 0x0026, version: 0, persistent: false, current: on([.dvdMinusRWOverwrite]), data: []),
            Feature(code: 0x002A, version: 1, persistent: false, current: on([.dvdPlusRW]), data: [0x01, 0, 0, 0]),
            Feature(code: 0x002B, version: 1, persistent: false, current: on([.dvdPlusR]), data: [0x01, 0, 0, 0]),
            Feature(code: 0x002C, version: 1, persistent: false, current: on([.dvdMinusRWOverwrite]), data: [0x01, 0, 0, 0]),
            Feature(code: 0x002D, version: 2, persistent: false, current: on([.cdR, .cdRW]), data: [0x46, 0] + be16(0x0100)),
            Feature(code: 0x002E, version: 0, persistent: false, current: on([.cdR, .cdRW]),
                    data: [0x66] + be24(UInt32(MMCCueSheet.maximumBytes))),
            Feature(code: 0x002F, version: 1, persistent: false, current: on([.dvdMinusR, .dvdMinusRWSequential]),
                    data: [0x46, 0, 0, 0]),
            Feature(code: 0x0040, version: 1, persistent: false, current: p?.isBD == true,
                    data: [0, 0, 0, 0] + bdClasses + bdClasses + bdClasses),
            Feature(code: 0x0041, version: 1, persistent: false, current: on([.bdR, .bdRE]),
                    data: [0, 0, 0, 0] + bdClasses + bdClasses),
        ]
    }
}
