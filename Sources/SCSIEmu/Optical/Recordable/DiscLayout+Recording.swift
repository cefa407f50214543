import Sense

/// The state changes of a recordable disc: writes at a next writable address, RESERVE TRACK, CLOSE
/// TRACK/SESSION, BLANK and FORMAT UNIT (MMC-6 §4.5, §6.2, §6.3, §6.5, §6.31). Each checks first and
/// changes nothing when it refuses, so the sense is the whole effect of a refused command.
extension DiscLayout {
    /// A write of `blocks` at `lba`. Sequential media take it only at the NWA of a track that is not closed
    /// and has room (MMC-6 §4.5.2): elsewhere, past the track's free blocks, or on a finalized disc ILLEGAL
    /// REQUEST 21/02 INVALID ADDRESS FOR WRITE. Overwrite media take it anywhere on the disc and count as
    /// formatted from then on (a DVD+RW drive starts its background format on the first write).
    /// `audio`: the blocks are CD-DA (a CD track's first write makes it an audio or a data track; a later
    /// write of the other kind is ILLEGAL REQUEST 64/00 ILLEGAL MODE FOR THIS TRACK).
    public mutating func write(lba: UInt64, blocks: UInt64, audio: Bool = false) throws(Sense) {
        if profile.recording == .overwrite {
            guard lba + blocks <= UInt64(capacity) else { throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange) }
            formatted = true
            return
        }
        guard !finalized,
            let i = tracks.firstIndex(where: { t in !t.closed && UInt64(t.nextWritable) == lba }),
            blocks <= UInt64(freeBlocks(of: tracks[i]))
        else { throw Sense(.illegalRequest, .invalidAddressForWrite) }
        if tracks[i].isBlank && !tracks[i].fromCueSheet {
            tracks[i].audio = audio
        } else if tracks[i].audio != audio {
            throw Sense(.illegalRequest, .illegalModeForThisTrack)
        }
        tracks[i].recorded += UInt32(blocks)
    }

    /// RESERVE TRACK: the open, blank invisible track becomes a track of `blocks` (rounded up to the ECC
    /// block), and a new open track follows it. - Throws: 2C/00 COMMAND SEQUENCE ERROR unless the open
    /// track is blank; 72/05 NO MORE TRACK RESERVATIONS ALLOWED on a finalized disc or overwrite media;
    /// INVALID FIELD IN CDB (RESERVATION SIZE, byte 5) for 0 or more than is free.
    public mutating func reserve(blocks requested: UInt32) throws(Sense) {
        guard profile.recording == .sequential, let open = openTrack else {
            throw Sense(.illegalRequest, .noMoreTrackReservationsAllowed)
        }
        guard open.isBlank else { throw Sense(.illegalRequest, .commandSequenceError) }
        let unit = UInt32(profile.blocking)
        let size = (UInt64(requested) + UInt64(unit) - 1) / UInt64(unit) * UInt64(unit)
        guard requested > 0, size <= UInt64(freeBlocks(of: open)) else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 5, bit: 7))
        }
        let last = tracks.count - 1
        tracks[last].size = UInt32(size)
        tracks[last].reserved = true
        tracks.append(Track(number: open.number + 1, session: open.session, start: open.start + UInt32(size)))
    }

    /// CLOSE TRACK (function 001b) of track `number`: its size becomes what was recorded; the open track,
    /// once closed, is followed by a new open track in the same session. Closing a blank open track changes
    /// nothing. - Throws: INVALID FIELD IN CDB (TRACK NUMBER, byte 4) for a track not on the disc.
    public mutating func closeTrack(number: Int) throws(Sense) {
        guard profile.recording == .sequential else { return }
        guard let i = tracks.firstIndex(where: { $0.number == number }) else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 4, bit: 7))
        }
        let t = tracks[i]
        guard !t.closed, !(t.size == nil && t.isBlank) else { return }
        tracks[i].closed = true
        if t.size == nil {
            tracks[i].size = t.recorded
            let next = t.start + t.recorded
            if !finalized, next < capacity {
                tracks.append(Track(number: t.number + 1, session: t.session, start: next))
            }
        } else {
            tracks[i].recorded = t.size ?? t.recorded  // a reserved track is padded to its size
        }
    }

    /// CLOSE SESSION (010b) and the finalize functions: closes every track of the open session (reserved
    /// ones padded), then either opens the next session after the gap or, with `finalize`, completes the
    /// disc. - Throws: 2C/04 CURRENT PROGRAM AREA IS EMPTY when nothing was ever recorded; closing the
    /// empty session of an appendable disc without `finalize` changes nothing.
    public mutating func closeSession(finalize: Bool) throws(Sense) {
        guard profile.recording == .sequential, !finalized else { return }
        let session = closedSessions + 1
        let inSession = tracks.indices.filter { tracks[$0].session == session }
        let hasData = inSession.contains { !tracks[$0].isBlank || tracks[$0].reserved }
        guard hasData || closedSessions > 0 else { throw Sense(.illegalRequest, .currentProgramAreaIsEmpty) }
        if !hasData {
            guard finalize else { return }
            tracks.removeAll { $0.session == session }
            finalized = true
            return
        }
        for i in inSession where !tracks[i].closed {
            if tracks[i].size == nil && tracks[i].isBlank { continue }
            tracks[i].closed = true
            tracks[i].fromCueSheet = false
            tracks[i].size = tracks[i].size ?? tracks[i].recorded
            tracks[i].recorded = tracks[i].size ?? tracks[i].recorded
        }
        tracks.removeAll { $0.session == session && !$0.closed }
        closedSessions = session
        let end = tracks.map { $0.start + ($0.size ?? $0.recorded) }.max() ?? 0
        let next = end + sessionGap(afterSession: session)
        if finalize || next >= capacity {
            finalized = true
        } else {
            let number = (tracks.last?.number ?? 0) + 1
            tracks.append(Track(number: number, session: session + 1, start: next))
        }
    }

    /// BLANK (MMC-6 §6.2) full or minimal: the disc is blank again. DVD-RW restricted overwrite becomes
    /// sequential (as `dvd+rw-format -blank` relies on). - Throws: 30/05 CANNOT WRITE MEDIUM - INCOMPATIBLE
    /// FORMAT on media that cannot be erased (what cdrecord reports for a CD-R).
    public mutating func blank() throws(Sense) {
        guard profile == .cdRW || profile == .dvdMinusRWSequential || profile == .dvdMinusRWOverwrite else {
            throw Sense(.illegalRequest, .cannotWriteMediumIncompatibleFormat)
        }
        let p: MediumProfile = profile == .dvdMinusRWOverwrite ? .dvdMinusRWSequential : profile
        self = DiscLayout(blank: p, capacity: capacity)
    }

    /// FORMAT UNIT on overwrite media (DVD+RW 26h, DVD-RW 10h/15h, BD-RE 00h/30h): formatted over the
    /// whole capacity. A sequential DVD-RW becomes restricted overwrite (MMC-6 §4.5.4 format type 15h).
    /// A blank BD-R takes a format (spare areas for defect management, MMC-6 §4.5.5) and stays blank: the
    /// virtual disc has no defects to manage. - Throws: 30/06 CANNOT FORMAT MEDIUM - INCOMPATIBLE MEDIUM
    /// for other write-once media and a BD-R holding data.
    public mutating func format() throws(Sense) {
        switch profile {
        case .dvdPlusRW, .dvdMinusRWOverwrite, .bdRE: formatted = true
        case .bdR where status == .blank: return
        case .dvdMinusRWSequential:
            self = DiscLayout(blank: .dvdMinusRWOverwrite, capacity: capacity)
            formatted = true
        default: throw Sense(.illegalRequest, .cannotFormatMediumIncompatibleMedium)
        }
    }
}
