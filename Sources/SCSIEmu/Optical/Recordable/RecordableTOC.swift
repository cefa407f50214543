import Sense

/// READ TOC/PMA/ATIP (43h) for a recordable disc (MMC-6 §6.26): formats 0 (TOC), 1 (session info),
/// 2 (full TOC, CD-R/RW only: libburn reads it and takes a disc without one for unsuitable), 3 (PMA,
/// CD-R/RW only) and 4 (ATIP, CD-R/RW only). Field layouts: `ReadTOC`, `CDTableOfContents`.
public enum RecordableTOC {
    /// The tracks holding data, by number; a blank disc has none.
    static func recordedTracks(_ l: DiscLayout) -> [DiscLayout.Track] {
        l.profile.recording == .overwrite
            ? (l.formatted ? [DiscLayout.Track(number: 1, session: 1, start: 0, size: l.capacity, recorded: l.capacity)] : [])
            : l.tracks.filter { $0.recorded > 0 }
    }

    /// - Throws: INVALID FIELD IN CDB (FORMAT, byte 2) on a blank disc or for other formats; ATIP on DVD/BD;
    ///   a track number past the last (byte 6).
    public static func response(format: UInt8, msf: Bool, trackOrSession: UInt8, layout l: DiscLayout) throws(Sense) -> [UInt8] {
        let badFormat = Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 3))
        if format == 4 || format == 3 {
            guard l.profile.isCD else { throw badFormat }
            return format == 4 ? atip(l) : pma(l)
        }
        let tracks = recordedTracks(l)
        guard let firstTrack = tracks.first, let lastTrack = tracks.last else { throw badFormat }
        let control = { (t: DiscLayout.Track) in adrControl(l, t) }
        let leadOut = (l.lastRecorded ?? 0) + 1
        switch format {
        case 0:
            let wanted = tracks.filter { UInt8(clamping: $0.number) >= trackOrSession || trackOrSession == 0 }
            guard trackOrSession <= UInt8(clamping: lastTrack.number) || trackOrSession == ReadTOC.leadOutTrack else {
                throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 6, bit: 7))
            }
            var body: [UInt8] = []
            for t in trackOrSession == ReadTOC.leadOutTrack ? [] : wanted {
                body += [0, control(t), UInt8(clamping: t.number), 0] + ReadTOC.address(t.start, msf: msf)
            }
            body += [0, control(lastTrack), ReadTOC.leadOutTrack, 0] + ReadTOC.address(leadOut, msf: msf)
            return be16(UInt16(2 + body.count)) + [UInt8(clamping: firstTrack.number), UInt8(clamping: lastTrack.number)] + body
        case 2 where l.profile.isCD:
            return fullTOC(l, tracks)
        case 1:
            // MMC-6 §6.26.3.3: the first track of the last *complete* session (Linux sr's multisession offset
            // for isofs, growisofs -M's previous session). An incomplete session (an interrupted burn) is not
            // in it; a disc with no complete session yet answers with its first session.
            let complete = tracks.filter { $0.session <= l.closedSessions }
            let lastSession = complete.last?.session ?? firstTrack.session
            let first = tracks.first { $0.session == lastSession } ?? firstTrack
            return be16(10) + [1, UInt8(clamping: lastSession)] + [0, control(first), UInt8(clamping: first.number), 0]
                + ReadTOC.address(first.start, msf: msf)
        default:
            throw badFormat
        }
    }

    /// Full TOC (format 0010b, §6.26.3.4), per session with a lead-in: A0h (first track, disc type 00h),
    /// A1h (last track), A2h (the session's lead-out: the end of its last track), then each track's start;
    /// and while the disc is appendable, in the last of them, B0h (ADR 5, §6.26.3.4.3): the start of the next
    /// possible program area, ZERO = 1 (one mode 5 pointer), and the last possible lead-out start. Times in
    /// MSF, binary. An incomplete session has no lead-in yet: once a session is complete, the incomplete one
    /// after it is not listed, and B0h points at its program area (its first track's start), where the
    /// drive will write it. With no complete session the drive answers from the PMA and the open track:
    /// session 1's tracks, B0h at the open track.
    static func fullTOC(_ l: DiscLayout, _ recorded: [DiscLayout.Track]) -> [UInt8] {
        let tracks = l.closedSessions > 0 ? recorded.filter { $0.session <= l.closedSessions } : recorded
        let sessions = Array(Set(tracks.map(\.session))).sorted()
        var body: [UInt8] = []
        for s in sessions {
            let inSession = tracks.filter { $0.session == s }
            guard let first = inSession.first, let last = inSession.last else { continue }
            let session = UInt8(clamping: s)
            let leadOut = MSF(lba: last.start + last.recorded)
            body += [session, adrControl(l, first), 0, 0xA0, 0, 0, 0, 0, UInt8(clamping: first.number), 0x00, 0]
            body += [session, adrControl(l, last), 0, 0xA1, 0, 0, 0, 0, UInt8(clamping: last.number), 0, 0]
            body += [session, adrControl(l, last), 0, 0xA2, 0, 0, 0, 0, leadOut.minute, leadOut.second, leadOut.frame]
            for t in inSession {
                let start = MSF(lba: t.start)
                body += [session, adrControl(l, t), 0, UInt8(clamping: t.number), 0, 0, 0, 0, start.minute, start.second, start.frame]
            }
        }
        let incomplete = l.closedSessions > 0 ? l.tracks.first { $0.session == l.closedSessions + 1 } : l.openTrack
        if let open = incomplete, l.status == .appendable, let s = sessions.last {
            let next = MSF(lba: open.start)
            let end = MSF(lba: l.capacity)
            let data = ReadTOC.adrControl(l.profile) | 0x01
            body += [UInt8(clamping: s), 0x50 | (data & 0x0F), 0, 0xB0, next.minute, next.second, next.frame, 1]
            body += [end.minute, end.second, end.frame]
        }
        let firstSession = UInt8(clamping: sessions.first ?? 1)
        let lastSession = UInt8(clamping: sessions.last ?? 1)
        return be16(UInt16(2 + body.count)) + [firstSession, lastSession] + body
    }

    /// A track's ADR/CONTROL byte: ADR 1 and CONTROL 0h for a CD-DA track (two channels, no pre-emphasis,
    /// copy prohibited: Red Book, MMC-6 §6.26.3.2), else the data CONTROL with bit 0 (recorded
    /// incrementally) on sequential media.
    static func adrControl(_ l: DiscLayout, _ t: DiscLayout.Track) -> UInt8 {
        t.audio ? 0x10 : ReadTOC.adrControl(l.profile) | (l.profile.recording == .sequential ? 0x01 : 0)
    }

    /// PMA (format 0011b, §6.26.3.5; Orange Book: the program memory area a CD-R/RW drive writes as each
    /// track is closed or reserved, before any lead-in): 0-1 DATA LENGTH | 2-3 rsvd | 11-byte descriptors:
    ///     0 rsvd | 1 ADR (7-4) = 1 CONTROL (3-0) | 2 TNO 00h | 3 POINT: the track number |
    ///     4-6 MIN SEC FRAME: the track's last block | 7 ZERO | 8-10 PMIN PSEC PFRAME: its first block,
    /// times absolute (LBA + 150) in binary as in the full TOC, one per closed or reserved track of every
    /// session in track order. A blank disc, or one whose only track is still open, has an empty PMA:
    /// the header alone.
    static func pma(_ l: DiscLayout) -> [UInt8] {
        var body: [UInt8] = []
        for t in l.tracks where t.closed || t.reserved {
            guard let size = t.size, size > 0 else { continue }
            let stop = MSF(lba: t.start + size - 1)
            let start = MSF(lba: t.start)
            body += [0, adrControl(l, t), 0, UInt8(clamping: t.number), stop.minute, stop.second, stop.frame, 0]
            body += [start.minute, start.second, start.frame]
        }
        return be16(UInt16(2 + body.count)) + [0, 0] + body
    }

    /// ATIP (format 0100b), 28 bytes: 0-1 DATA LENGTH (26) | 2-3 rsvd |
    ///     4  1 (7) | INDICATIVE TARGET WRITING POWER (6-4) 5 | REFERENCE SPEED (2-0) 2
    ///     5  0 (7) | URU (6) 1        6  1 (7) | DISC TYPE (6): 0 CD-R, 1 CD-RW | DISC SUB-TYPE (5-3) | A1/A2/A3 V 0
    ///     8-10 START TIME OF LEAD-IN (M S F) 97:26:66   12-14 LAST POSSIBLE START TIME OF LEAD-OUT (M S F)
    static func atip(_ l: DiscLayout) -> [UInt8] {
        let leadOut = MSF(lba: l.capacity)
        var r = be16(26) + [0, 0]
        r += [0xD2, 0x40, l.profile == .cdRW ? 0xC0 : 0x80, 0]
        r += [97, 26, 66, 0, leadOut.minute, leadOut.second, leadOut.frame, 0]
        return r + [UInt8](repeating: 0, count: 12)
    }
}
