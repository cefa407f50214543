/// A recordable disc's logical layout: sessions and tracks, each track's start, size and recorded length,
/// and the disc state (MMC-6 §4.5 sequential recording, §6.22 disc status, §6.27 track status). A pure
/// value: `SequentialRecording` holds one under its lock, `DiscRecord` persists it.
///
/// The open end is explicit: while the disc is appendable its last track is *open* (`size` nil): the
/// invisible track of a blank or closed session, or the incomplete track being written; it runs to the
/// end of the disc. A reserved track (RESERVE TRACK) has a fixed `size` and its own next writable address.
/// Closing a track fixes its size at what was recorded; closing a session puts a new open track in the
/// next session (after the lead-out/lead-in gap on CD); finalizing leaves no open track (disc complete).
public struct DiscLayout: Sendable, Hashable {
    public struct Track: Sendable, Hashable {
        public var number: Int
        public var session: Int
        public var start: UInt32
        /// The reserved or closed size; nil: open, runs to the end of the disc.
        public var size: UInt32?
        /// Blocks written from `start` (the NWA is `start + recorded`).
        public var recorded: UInt32
        public var closed: Bool
        /// Made by RESERVE TRACK (READ TRACK INFORMATION's RT bit).
        public var reserved: Bool
        /// Laid out by a SEND CUE SHEET whose session is being written at once (not closed yet): its size
        /// is the cue sheet's, its blocks come in cue sheet order (`SessionAtOnce`).
        public var fromCueSheet: Bool
        /// A CD-DA track (CONTROL bit 2 clear): 2352-byte sectors, kept in the disc's audio store and read
        /// with READ CD; set by the first write (page 05h DATA BLOCK TYPE 0) or the cue sheet's CTL.
        public var audio: Bool
        /// Blocks of its pre-gap (index 0) before `start`, recorded at the end of the track before it (a cue
        /// sheet's pre-gap between tracks; the first track's lies before the program area, 0 here).
        public var pregap: UInt32 = 0
        /// Its ISRC (12 characters), from the cue sheet.
        public var isrc: String? = nil

        public init(number: Int, session: Int, start: UInt32, size: UInt32? = nil, recorded: UInt32 = 0,
                    closed: Bool = false, reserved: Bool = false, fromCueSheet: Bool = false, audio: Bool = false) {
            self.number = number
            self.session = session
            self.start = start
            self.size = size
            self.recorded = recorded
            self.closed = closed
            self.reserved = reserved
            self.fromCueSheet = fromCueSheet
            self.audio = audio
        }

        public var nextWritable: UInt32 { start + recorded }
        public var isBlank: Bool { recorded == 0 }
    }

    /// DISC STATUS of READ DISC INFORMATION (MMC-6 §6.22.3.1.4, table 436).
    public enum Status: UInt8, Sendable, Hashable {
        case blank = 0, appendable = 1, complete = 2, others = 3
    }

    /// STATE OF LAST SESSION (table 437).
    public enum SessionState: UInt8, Sendable, Hashable {
        case empty = 0, incomplete = 1, damaged = 2, complete = 3
    }

    public var profile: MediumProfile
    /// Blocks the disc can hold.
    public var capacity: UInt32
    public var tracks: [Track]
    /// Sessions closed (the open session, if any, is `closedSessions + 1`).
    public var closedSessions: Int
    /// No further session may be added (disc complete).
    public var finalized: Bool
    /// Overwrite media (DVD+RW, DVD-RW RO, BD-RE): formatted (FORMAT UNIT or the first write).
    public var formatted: Bool
    /// The media catalog number (13 digits) a cue sheet gave.
    public var catalog: String? = nil

    /// A blank disc: one open (invisible) track 1 in session 1, from LBA 0.
    public init(blank profile: MediumProfile, capacity: UInt32) {
        self.profile = profile
        self.capacity = capacity
        self.tracks = [Track(number: 1, session: 1, start: 0)]
        self.closedSessions = 0
        self.finalized = false
        self.formatted = false
    }

    // MARK: - Derived state

    public var openTrack: Track? { tracks.last.flatMap { $0.size == nil && !$0.closed ? $0 : nil } }

    public var status: Status {
        if profile.recording == .overwrite { return formatted ? .complete : .blank }
        if finalized || openTrack.map({ $0.start >= capacity }) == true { return .complete }
        if closedSessions == 0, tracks.count == 1, tracks[0].isBlank, !tracks[0].reserved { return .blank }
        return .appendable
    }

    /// The sessions READ DISC INFORMATION counts: the closed ones plus the open one.
    public var sessionCount: Int { max(1, closedSessions + (finalized ? 0 : 1)) }
    public var lastSession: Int { sessionCount }

    public var lastSessionState: SessionState {
        if profile.recording == .overwrite { return formatted ? .complete : .empty }
        if finalized || status == .complete { return .complete }
        let open = tracks.filter { $0.session == lastSession }
        return open.allSatisfy({ $0.isBlank && !$0.reserved }) ? .empty : .incomplete
    }

    public func tracks(inSession s: Int) -> [Track] { tracks.filter { $0.session == s } }

    /// The track holding `lba` (its reserved/recorded extent, or the open track's to the disc's end).
    public func track(containing lba: UInt32) -> Track? {
        tracks.last { t in lba >= t.start && lba < t.start + extent(of: t) }
    }

    /// A track's TRACK SIZE: its reserved or closed size, or for the open track the rest of the disc.
    public func extent(of t: Track) -> UInt32 { t.size ?? (capacity > t.start ? capacity - t.start : 0) }

    /// Free blocks after a track's NWA (0 for a closed track).
    public func freeBlocks(of t: Track) -> UInt32 {
        guard !t.closed else { return 0 }
        let e = extent(of: t)
        return e > t.recorded ? e - t.recorded : 0
    }

    /// The last LBA holding data (READ CAPACITY on sequential media, MMC-6 §6.23), nil when none does.
    public var lastRecorded: UInt32? {
        if profile.recording == .overwrite { return formatted ? capacity - 1 : nil }
        let ends = tracks.filter { $0.recorded > 0 }.map { $0.start + $0.recorded - 1 }
        return ends.max()
    }

    /// The first audio track touching `blocks` from `lba` (a 2048-byte READ there is ILLEGAL MODE FOR THIS
    /// TRACK, MMC-6 §6.17.2), as the LBA where the overlap starts.
    public func audioOverlap(lba: UInt64, blocks: UInt64) -> UInt64? {
        let end = lba + blocks
        return tracks.indices.lazy.filter { self.tracks[$0].audio }.map { self.formSpan(of: $0) }
            .first { $0.lowerBound < end && lba < $0.upperBound }
            .map { max(lba, $0.lowerBound) }
    }

    /// The LBAs whose sectors take track `i`'s form (CD-DA or data): from its pre-gap to the next track's
    /// pre-gap, or to the end of its extent.
    public func formSpan(of i: Int) -> Range<UInt64> {
        let t = tracks[i]
        let from = UInt64(t.start) - UInt64(min(t.pregap, t.start))
        var to = UInt64(t.start) + UInt64(extent(of: t))
        if i + 1 < tracks.count, tracks[i + 1].session == t.session {
            to = min(to, UInt64(tracks[i + 1].start) - UInt64(min(tracks[i + 1].pregap, tracks[i + 1].start)))
        }
        return from..<max(from, to)
    }

    /// Whether `blocks` from `lba` were written (reads elsewhere are refused on sequential media).
    public func isRecorded(lba: UInt64, blocks: UInt64) -> Bool {
        if profile.recording == .overwrite { return true }
        // Track by track: a range may run from one recorded track into the next (no gap between them).
        var at = lba
        let end = lba + blocks
        while at < end {
            guard let t = tracks.first(where: { at >= UInt64($0.start) && at < UInt64($0.start) + UInt64($0.recorded) }) else {
                return false
            }
            at = UInt64(t.start) + UInt64(t.recorded)
        }
        return blocks > 0 || tracks.contains { lba >= UInt64($0.start) && lba <= UInt64($0.start) + UInt64($0.recorded) }
    }

    /// The gap a closed session leaves before the next one: CD lead-out + lead-in + pre-gap, 6750 + 4500 +
    /// 150 blocks after the first session and 2250 + 4500 + 150 after later ones (Orange Book, as
    /// `cdrecord -msinfo` reports); DVD±R and BD-R: none modelled (the next session starts at the NWA).
    func sessionGap(afterSession s: Int) -> UInt32 {
        guard profile.isCD else { return 0 }
        return s == 1 ? 11_400 : 6_900
    }
}
