/// Where each track of a CUE sheet lies on the disc and where each sector's bytes come from.
///
/// LBA 0 is the first sector of the first FILE (MSF 00:02:00: the 150-frame pregap of track 1 lies before
/// it, Red Book / MMC-6 §4.2.3.5, so a PREGAP on track 1 up to 00:02:00 takes no LBAs). Each file follows
/// the previous one; a PREGAP inserts empty sectors before its track's data, a POSTGAP after. A track's
/// start (TOC address) is its INDEX 01; its pregap (index 0, the P flag set) runs from its INDEX 00 or
/// its PREGAP to there. The lead-out starts after the last sector.
public struct CDLayout: Sendable, Hashable {
    public struct Track: Sendable, Hashable {
        public var number: UInt8
        public var mode: CDTrackMode
        /// The first LBA of the track's pregap (index 0); equals `start` without one.
        public var pregapStart: UInt32
        /// INDEX 01: the address READ TOC reports.
        public var start: UInt32
        /// One past the last LBA (postgap included): the next track's pregap start, or the lead-out.
        public var end: UInt32
        /// ADR 1 and CONTROL (data bit, FLAGS) of the Q sub-channel (Red Book; MMC-6 §6.26.3.2).
        public var control: UInt8
        public var isrc: String?
        /// The LBAs where indexes 2… begin (index 1 is `start`).
        public var laterIndexes: [UInt32]

        /// READ TOC / READ SUB-CHANNEL's byte: ADR (7-4) = 1, CONTROL (3-0).
        public var adrControl: UInt8 { 0x10 | control }
        /// The first byte of the Q sub-channel itself: CONTROL (7-4), ADR (3-0) = 1 (ECMA-130 §22.3.3).
        public var qControlADR: UInt8 { control << 4 | 0x01 }

        /// The index number at `lba` inside the track.
        public func index(at lba: UInt32) -> UInt8 {
            guard lba >= start else { return 0 }
            return UInt8(1 + laterIndexes.filter { $0 <= lba }.count)
        }
    }

    /// A run of LBAs stored in one file (`file` set) or generated empty (nil: silence, or a data sector
    /// of zeros).
    public struct Extent: Sendable, Hashable {
        public var start: UInt32
        public var count: UInt32
        public var file: Int?
        public var fileOffset: UInt64
        public var mode: CDTrackMode
    }

    public var tracks: [Track]
    public var extents: [Extent]
    public var leadOut: UInt32
    public var catalog: String?

    /// Lays out `sheet` over files of `fileSizes` bytes (one per FILE, in order).
    /// - Throws: `CueSheetError` naming the FILE line when a file is not whole sectors or ends before an
    ///   index, or a track that would be empty; the disc may not pass 99:59:74.
    public init(_ sheet: CueSheet, fileSizes: [UInt64]) throws(CueSheetError) {
        precondition(fileSizes.count == sheet.files.count)
        var tracks: [Track] = []
        var extents: [Extent] = []
        var lba: UInt32 = 0
        for (f, file) in sheet.files.enumerated() {
            let sectorSize = UInt64(file.tracks[0].mode.fileSectorSize)
            guard fileSizes[f] % sectorSize == 0 else {
                throw CueSheetError(
                    line: file.line, field: "FILE \(file.name)",
                    reason: "\(fileSizes[f]) bytes is not a whole number of \(sectorSize)-byte sectors")
            }
            let fileFrames = fileSizes[f] / sectorSize
            for (k, t) in file.tracks.enumerated() {
                let first = UInt64(t.indexes[0].frame)
                let next = k + 1 < file.tracks.count ? UInt64(file.tracks[k + 1].indexes[0].frame) : fileFrames
                guard next > first, let index1 = t.index(1), UInt64(index1) < next else {
                    throw CueSheetError(
                        line: t.line, field: "TRACK \(t.number)",
                        reason: "has no sectors of its own in \(file.name) (\(fileFrames) sectors long)")
                }
                var pregap = t.pregapFrames
                if t.number == 1 {
                    guard pregap <= 150 else {
                        throw CueSheetError(line: t.line, field: "PREGAP", reason: "track 1 PREGAP longer than 00:02:00")
                    }
                    pregap = 0
                }
                let pregapStart = lba
                if pregap > 0 {
                    extents.append(Extent(start: lba, count: pregap, file: nil, fileOffset: 0, mode: t.mode))
                    lba += pregap
                }
                let dataStart = lba
                extents.append(
                    Extent(start: lba, count: UInt32(next - first), file: f, fileOffset: first * sectorSize, mode: t.mode))
                lba += UInt32(next - first)
                if t.postgapFrames > 0 {
                    extents.append(Extent(start: lba, count: t.postgapFrames, file: nil, fileOffset: 0, mode: t.mode))
                    lba += t.postgapFrames
                }
                let at = { (frame: UInt32) in dataStart + frame - UInt32(first) }
                tracks.append(
                    Track(
                        number: t.number, mode: t.mode, pregapStart: pregapStart, start: at(index1), end: lba,
                        control: t.mode.control | t.flags, isrc: t.isrc,
                        laterIndexes: t.indexes.filter { $0.number > 1 }.map { at($0.frame) }))
                guard lba < 100 * 4500 - 150 else {
                    throw CueSheetError(line: t.line, field: "TRACK \(t.number)", reason: "the disc passes 99:59:74")
                }
            }
        }
        self.tracks = tracks
        self.extents = extents
        self.leadOut = lba
        self.catalog = sheet.catalog
    }

    /// The track holding `lba` (pregap included), nil in the lead-out.
    public func track(at lba: UInt32) -> Track? {
        tracks.last { $0.pregapStart <= lba && lba < $0.end }
    }

    /// The extent holding `lba`, nil in the lead-out.
    public func extent(at lba: UInt32) -> Extent? {
        var lo = 0
        var hi = extents.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if extents[mid].start + extents[mid].count <= lba { lo = mid + 1 } else { hi = mid }
        }
        return lo < extents.count && extents[lo].start <= lba ? extents[lo] : nil
    }

    /// Whether the disc holds a mode 2 track (READ TOC format 2 disc type 20h, CD-ROM XA).
    public var isXA: Bool { tracks.contains { $0.mode == .mode2Raw } }
}
