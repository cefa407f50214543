import Sense

/// READ DISC INFORMATION (51h) and READ TRACK INFORMATION (52h) for a recordable disc, from its
/// `DiscLayout` (MMC-6 §6.22, §6.27). Field layouts: `ReadDiscInformation`, `ReadTrackInformation`.
public enum RecordableInformation {
    /// Standard disc information (34 bytes):
    ///
    ///     2  ERASABLE (4) | STATE OF LAST SESSION (3-2) | DISC STATUS (1-0)
    ///     3  FIRST TRACK ON DISC (1)   4 SESSIONS   5 FIRST TRACK IN LAST SESSION   6 LAST TRACK IN LAST SESSION
    ///     7  URU (5) 1 | BG FORMAT STATUS (1-0): 11b complete on formatted DVD+RW/BD-RE, else 00b
    ///     8  DISC TYPE 00h   9-11 MSBs of 4-6
    ///     16-19 LAST SESSION LEAD-IN START   20-23 LAST POSSIBLE LEAD-OUT START: on CD in MSF (00h M S F),
    ///           else LBA; FFFFFFFFh once the disc is complete (no further session).
    public static func disc(_ l: DiscLayout) -> [UInt8] {
        let status = (l.profile.isErasable ? 0x10 : 0) | l.lastSessionState.rawValue << 2 | l.status.rawValue
        let inLast = l.tracks(inSession: l.lastSession).map(\.number)
        let first = UInt16(clamping: inLast.min() ?? l.tracks.last?.number ?? 1)
        let last = UInt16(clamping: inLast.max() ?? l.tracks.last?.number ?? 1)
        let sessions = UInt16(clamping: l.sessionCount)
        let bg: UInt8 = l.profile.recording == .overwrite && l.formatted && l.profile != .dvdMinusRWOverwrite ? 0x03 : 0
        var r = be16(32) + [status, 1, UInt8(sessions & 0xFF), UInt8(first & 0xFF), UInt8(last & 0xFF), 0x20 | bg, 0x00]
        r += [UInt8(sessions >> 8), UInt8(first >> 8), UInt8(last >> 8)]
        r += [0, 0, 0, 0]
        if l.status == .complete || l.profile.recording == .overwrite {
            r += [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        } else {
            let leadIn = l.openTrack?.start ?? 0
            r += address(leadIn, cd: l.profile.isCD) + address(l.capacity, cd: l.profile.isCD)
        }
        return r + [UInt8](repeating: 0, count: 8) + [0, 0]
    }

    static func address(_ lba: UInt32, cd: Bool) -> [UInt8] { cd ? MSF(lba: lba).addressField : be32(lba) }

    /// The track READ TRACK INFORMATION names: type 00b the track holding the LBA, 01b track number (FFh:
    /// the open/invisible track), 10b the first track of a session.
    /// - Throws: INVALID FIELD IN CDB (byte 2) for a track or session not on the disc, LBA OUT OF RANGE
    ///   for an LBA in no track, INVALID FIELD IN CDB (byte 1) for type 11b.
    public static func select(_ l: DiscLayout, addressType: UInt8, number: UInt32) throws(Sense) -> DiscLayout.Track {
        let badNumber = Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 7))
        switch addressType & 0x3 {
        case 0b00:
            guard number <= UInt32.max, let t = l.track(containing: number) else {
                throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
            }
            return t
        case 0b01:
            if number == 0xFF, let open = l.openTrack { return open }
            guard let t = l.tracks.first(where: { UInt32($0.number) == number }) else { throw badNumber }
            return t
        case 0b10:
            guard let t = l.tracks.first(where: { UInt32($0.session) == number }) else { throw badNumber }
            return t
        default:
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 1, bit: 1))
        }
    }

    /// The 48-byte track information of `t`:
    ///
    ///     5  DAMAGE (5) 0 | COPY (4) 0 | TRACK MODE: 7h on DVD+R, 0h on a CD-DA track (two channels, no
    ///        pre-emphasis), else 4h (data, uninterrupted)
    ///     6  RT (7) reserved track, and a closed DVD+R track | BLANK (6) nothing recorded | PACKET/INC (5)
    ///        on DVD-R/-RW | FP (4) on DVD-RW restricted overwrite (fixed packets of 16 blocks, MMC-6 §4.5.4;
    ///        growisofs requires it) | DATA MODE: 1 (mode 1), Fh on a blank CD track
    ///     7  LRA_V (1) something recorded | NWA_V (0) the track takes writes
    ///     8 TRACK START  12 NWA  16 FREE BLOCKS  20 BLOCKING FACTOR (DVD 16, BD 32, CD 0)  24 TRACK SIZE
    ///     28 LAST RECORDED ADDRESS  32-33 track/session MSBs
    ///
    /// DVD+R track states (RT, BLANK), as dvd+rw-mediainfo decodes them: 00b the invisible track holding
    /// data (incomplete: NWA and free blocks), 01b the empty invisible track, 10b a closed ("complete") or
    /// partly written reserved track, 11b an empty reserved track; a closed track has no NWA and 0 free
    /// blocks (MMC-6 §6.27.3). Overwrite media (DVD+RW, DVD-RW restricted overwrite, BD-RE) report every
    /// block free (a real blank DVD+RW: "Free Blocks: 2295104*2KB", the whole disc) and no NWA.
    public static func track(_ l: DiscLayout, _ t: DiscLayout.Track) -> [UInt8] {
        let overwrite = l.profile.recording == .overwrite
        let mode: UInt8 = l.profile == .dvdPlusR ? 0x07 : t.audio ? 0x00 : 0x04
        let blank = overwrite ? !l.formatted : t.isBlank
        let fixedPacket = l.profile == .dvdMinusRWOverwrite
        let packet = fixedPacket || l.profile == .dvdMinusR || l.profile == .dvdMinusRWSequential
        let dataMode: UInt8 = blank && l.profile.isCD ? 0x0F : 0x01
        let rt = t.reserved || (l.profile == .dvdPlusR && t.closed)
        let byte6 = (rt ? 0x80 : 0) | (blank ? 0x40 : 0) | (packet ? 0x20 : 0) | (fixedPacket ? 0x10 : 0) | dataMode
        let free = overwrite ? l.capacity : l.freeBlocks(of: t)
        let nwaValid = !overwrite && free > 0
        let lastRecorded: UInt32? = overwrite ? (l.formatted ? l.capacity - 1 : nil)
            : t.recorded > 0 ? t.start + t.recorded - 1 : nil
        let blocking: UInt32 = l.profile.isCD ? 0 : UInt32(l.profile.blocking)
        let number = UInt16(clamping: t.number)
        let session = UInt16(clamping: t.session)
        var r = be16(46) + [UInt8(number & 0xFF), UInt8(session & 0xFF), 0, mode, byte6]
        r.append((lastRecorded != nil ? 0x02 : 0) | (nwaValid ? 0x01 : 0))
        r += be32(t.start) + be32(nwaValid ? t.nextWritable : 0) + be32(free) + be32(blocking)
        r += be32(overwrite ? l.capacity : l.extent(of: t)) + be32(lastRecorded ?? 0)
        r += [UInt8(number >> 8), UInt8(session >> 8), 0, 0]
        return r + [UInt8](repeating: 0, count: 12)
    }
}
