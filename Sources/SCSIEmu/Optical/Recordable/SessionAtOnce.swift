import Sense

/// A CD session being written at once (SAO, MMC-6 §4.5.3.3 and §6.33): the cue sheet SEND CUE SHEET
/// gave, the next LBA the host must write, and whether the session's close finalizes the disc.
///
/// The host writes every region the cue sheet says it sends, in order, from the first (LBA −150 on a
/// blank disc: the first track's pre-gap) to the lead-out; regions the drive generates are skipped.
/// Pre-gap blocks are taken and discarded (the image holds user data only); a track's user blocks land
/// at their LBA. Once the lead-out is reached, SYNCHRONIZE CACHE writes the lead-out: the session closes.
public struct SessionAtOnce: Sendable, Hashable {
    public var cue: MMCCueSheet
    /// The LBA the next WRITE must start at (the lead-out once everything was written).
    public private(set) var next: Int64
    /// MULTI-SESSION was 00b when the cue sheet came: closing finalizes the disc.
    public var finalize: Bool

    /// A piece of one write: `lbas` of the track numbered `track` (nil: a pre-gap, discarded), the first
    /// of them `blockOffset` blocks into the write's data.
    public struct Piece: Sendable, Hashable {
        public var lbas: Range<Int64>
        public var track: Int?
        public var blockOffset: Int64
    }

    public init(cue: MMCCueSheet, finalize: Bool) {
        self.cue = cue
        self.finalize = finalize
        self.next = cue.firstHostLBA ?? cue.leadOut
    }

    /// Every block the host sends was written.
    public var isComplete: Bool { next >= cue.leadOut }

    /// The pieces of a write of `blocks` at `lba`, the write pointer moved past them.
    /// - Throws: ILLEGAL REQUEST 21/02 INVALID ADDRESS FOR WRITE unless the write starts at `next` and
    ///   lies within regions the host sends, one after another (MMC-6 §4.5.3.3: SAO data is written in
    ///   cue sheet order, without gaps).
    public mutating func take(lba: Int64, blocks: Int64) throws(Sense) -> [Piece] {
        let refused = Sense(.illegalRequest, .invalidAddressForWrite)
        guard lba == next, blocks > 0 else { throw refused }
        var pieces: [Piece] = []
        var at = lba
        let end = lba + blocks
        for r in cue.regions where r.lbas.upperBound > at && at < end {
            guard r.hostSends, r.lbas.lowerBound <= at else { throw refused }
            let upper = min(end, r.lbas.upperBound)
            pieces.append(Piece(lbas: at..<upper, track: r.track, blockOffset: at - lba))
            at = upper
        }
        guard at == end else { throw refused }
        next = end
        // Skip what the drive generates up to the next region the host sends.
        while let r = cue.regions.first(where: { $0.lbas.contains(next) }), !r.hostSends { next = r.lbas.upperBound }
        return pieces
    }
}

extension DiscLayout {
    /// SEND CUE SHEET on a CD: the open track's place is taken by the cue sheet's tracks, each of the
    /// size the cue sheet gives (MMC-6 §6.33.2).
    /// - Throws: 2C/00 COMMAND SEQUENCE ERROR unless the disc has a blank open track (a finalized disc,
    ///   a reserved or partly written track); INVALID FIELD IN PARAMETER LIST when the first track's
    ///   number or index 1 is not the open track's (its TNO or MIN field), or the lead-out lies past the
    ///   disc's last block (the lead-out's MIN).
    public mutating func beginSessionAtOnce(_ cue: MMCCueSheet) throws(Sense) {
        guard profile.isCD, !finalized, let open = openTrack, open.isBlank, !open.reserved, let first = cue.tracks.first else {
            throw Sense(.illegalRequest, .commandSequenceError)
        }
        guard first.number == open.number else { throw MMCCueSheet.invalid(first.offset + 1) }
        guard first.start == Int64(open.start) else { throw MMCCueSheet.invalid(first.offset + 5) }
        guard cue.leadOut <= Int64(capacity) else { throw MMCCueSheet.invalid(cue.leadOutOffset + 5) }
        tracks.removeLast()
        for t in cue.tracks {
            tracks.append(Track(
                number: t.number, session: open.session, start: UInt32(t.start), size: UInt32(t.end - t.start),
                fromCueSheet: true))
        }
    }

    /// A session at once that will not be finished (the daemon restarted, or the disc was reloaded, before
    /// its last block came; or a CLOSE/RESERVE/BLANK/FORMAT arrived in the middle): the disc is left as a
    /// drive leaves it after a burn it could not complete, appendable with its last session incomplete
    /// (MMC-6 §6.22.3.1.4 STATE OF LAST SESSION 01b). The cue sheet's tracks written in full are closed
    /// tracks; the first one written in part is the incomplete open track, its NWA after the last block
    /// that arrived; the tracks after it, never begun, are gone (an invisible track follows at the NWA).
    /// When no user block of the first track arrived, the open track is blank again at its start. A write
    /// pointer in a pre-gap is lost with the cue sheet: pre-gap blocks are not user data.
    public mutating func abandonSessionAtOnce() {
        guard let first = tracks.firstIndex(where: { $0.fromCueSheet && !$0.closed }) else { return }
        var kept = Array(tracks[..<first])
        for var t in tracks[first...] where t.fromCueSheet {
            t.fromCueSheet = false
            if let size = t.size, t.recorded >= size {
                t.closed = true
                kept.append(t)
                continue
            }
            // The incomplete track; or, when nothing of the session's user data came, the blank open track.
            if t.recorded > 0 || kept.count == first {
                t.size = nil
                kept.append(t)
            }
            break
        }
        if let last = kept.last, last.closed, !finalized, last.start + last.recorded < capacity {
            kept.append(Track(number: last.number + 1, session: last.session, start: last.start + last.recorded))
        }
        tracks = kept
    }
}
