import Sense

/// A CD session being written at once (SAO, MMC-6 §4.5.3.3 and §6.33): the cue sheet SEND CUE SHEET
/// gave, the next LBA the host must write, and whether the session's close finalizes the disc.
///
/// The host writes every region the cue sheet says it sends, in order, from the first (LBA −150 on a
/// blank disc: the first track's pre-gap) to the lead-out, each block in its region's size (2352 bytes
/// CD-DA, 2048 Mode 1); the drive generates the other regions as the writes pass them. Blocks before the
/// first track's index 1 (its pre-gap: the lead-in side of the program area) are taken and discarded;
/// every later block, a later track's pre-gap included, is recorded at its LBA. Once the lead-out is
/// reached, SYNCHRONIZE CACHE writes the lead-out: the session closes.
public struct SessionAtOnce: Sendable, Hashable {
    public var cue: MMCCueSheet
    /// The LBA the next WRITE must start at (the lead-out once everything was written).
    public private(set) var next: Int64
    /// The LBA up to which the regions were written or generated.
    public private(set) var done: Int64
    /// MULTI-SESSION was 00b when the cue sheet came: closing finalizes the disc.
    public var finalize: Bool

    /// A piece of one write: `lbas` of one form, recorded when `recorded` (at or after the first track's
    /// index 1), its bytes `byteOffset` into the write's data (none when the drive generates them).
    public struct Piece: Sendable, Hashable {
        public var lbas: Range<Int64>
        public var form: MMCCueSheet.Form
        public var byteOffset: Int
        public var recorded: Bool
    }

    public init(cue: MMCCueSheet, finalize: Bool) {
        self.cue = cue
        self.finalize = finalize
        self.next = cue.firstHostLBA ?? cue.leadOut
        self.done = cue.regions.first?.lbas.lowerBound ?? cue.leadOut
    }

    /// Every block the host sends was written.
    public var isComplete: Bool { next >= cue.leadOut }

    /// The pieces of a write of `blocks` at `lba` and the bytes it carries, the write pointer moved past
    /// them and past the generated regions that follow.
    /// - Throws: ILLEGAL REQUEST 21/02 INVALID ADDRESS FOR WRITE unless the write starts at `next` and
    ///   lies within regions the host sends, one after another (MMC-6 §4.5.3.3: SAO data is written in
    ///   cue sheet order, without gaps).
    public mutating func take(lba: Int64, blocks: Int64) throws(Sense) -> (pieces: [Piece], bytes: Int) {
        let refused = Sense(.illegalRequest, .invalidAddressForWrite)
        guard lba == next, blocks > 0 else { throw refused }
        var pieces: [Piece] = []
        var bytes = 0
        var at = done
        let end = lba + blocks
        // Regions are contiguous: from `done`, the generated ones before the write, the write's own, and the
        // generated ones after it up to the next region the host sends (or the rest of a partly written one).
        for r in cue.regions where r.lbas.upperBound > at {
            guard r.lbas.lowerBound <= at, !r.hostSends || at < end else { break }
            guard r.hostSends || at < lba || at >= end else { throw refused }
            let upper = r.hostSends ? min(end, r.lbas.upperBound) : r.lbas.upperBound
            pieces.append(Piece(lbas: at..<upper, form: r.form, byteOffset: bytes, recorded: at >= firstTrackStart))
            bytes += (upper - at).asInt * r.form.hostBytes
            at = upper
        }
        guard at >= end else { throw refused }
        done = at
        next = cue.regions.first(where: { $0.hostSends && $0.lbas.upperBound > at }).map { max($0.lbas.lowerBound, at) } ?? cue.leadOut
        return (pieces, bytes)
    }

    /// The first track's index 1: blocks before it are its pre-gap, not recorded.
    var firstTrackStart: Int64 { cue.tracks.first?.start ?? cue.leadOut }
}

extension Int64 {
    var asInt: Int { Int(truncatingIfNeeded: self) }
}

extension DiscLayout {
    /// SEND CUE SHEET on a CD: the open track's place is taken by the cue sheet's tracks, each running from
    /// its index 1 to the next one's (a later track's pre-gap is recorded at the end of the track before it,
    /// as the TOC's track starts divide the disc; `Track.pregap` keeps where its index 0 begins), with the
    /// cue sheet's kind (CD-DA or data), ISRC, and the disc's catalog number (MMC-6 §6.33.2).
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
        for (i, t) in cue.tracks.enumerated() {
            let end = i + 1 < cue.tracks.count ? cue.tracks[i + 1].start : cue.leadOut
            var track = Track(
                number: t.number, session: open.session, start: UInt32(t.start), size: UInt32(end - t.start),
                fromCueSheet: true, audio: t.audio)
            track.pregap = i == 0 ? 0 : UInt32(t.start - t.pregapStart)
            track.isrc = t.isrc
            tracks.append(track)
        }
        if let catalog = cue.catalog { self.catalog = catalog }
    }

    /// Blocks of a session at once recorded at `lba`, the NWA of a track the cue sheet laid out (its own
    /// blocks or the next track's pre-gap, whatever their form). - Throws: 21/02 elsewhere.
    public mutating func recordSessionAtOnce(lba: UInt64, blocks: UInt64) throws(Sense) {
        guard let i = tracks.lastIndex(where: { t in t.fromCueSheet && !t.closed && UInt64(t.start) <= lba && UInt64(t.nextWritable) == lba }),
            blocks <= UInt64(freeBlocks(of: tracks[i]))
        else { throw Sense(.illegalRequest, .invalidAddressForWrite) }
        tracks[i].recorded += UInt32(blocks)
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
