import Sense

/// The binary cue sheet of SEND CUE SHEET (MMC-6 §6.33.3; not the CDRWIN text `.cue` of `CueSheet`):
/// the layout of a CD session written at once (SAO), parsed into the regions the host sends and the
/// tracks they make.
///
/// Each descriptor is 8 bytes (MMC-6 §6.33.3.1, table 548):
///
///     0  CTL (7-4) | ADR (3-0)     1 TNO     2 INDEX     3 DATA FORM: sub-channel (7-6) | main (5-0)
///     4  SCMS (7)                  5 ABSOLUTE TIME MIN    6 SEC    7 FRAME (binary; 00:00:00 is LBA −150)
///
/// ADR 1 descriptors give the layout, in time order: the lead-in (TNO 00h, INDEX 00h), each track's
/// index 0 (pre-gap, optional) and index 1 (its first user block) and further indices, then the lead-out
/// (TNO AAh, INDEX 01h). ADR 2 (media catalog number) and ADR 3 (ISRC) descriptor pairs carry codes the
/// virtual disc does not record: they are skipped.
///
/// The drive records Mode 1 data tracks, the form 2048-byte images hold (main data form 10h: the host
/// sends 2048-byte user data; 14h: the drive generates the blocks, the host sends nothing). CD-DA (00h,
/// 01h) and Mode 2 forms send 2352- or 2336-byte sectors and sub-channel forms add 96 bytes a block: not
/// offered, refused as an invalid field. A lead-in with CD-TEXT (sub-channel 01b) likewise.
public struct MMCCueSheet: Sendable, Hashable {
    /// One track of the session: its pre-gap (if any), its user blocks `start..<end`, and its form.
    public struct Track: Sendable, Hashable {
        public var number: Int
        /// Index 0's LBA, or `start` when the track has no pre-gap descriptor.
        public var pregapStart: Int64
        /// Index 1's LBA.
        public var start: Int64
        /// The next track's first LBA, or the lead-out's.
        public var end: Int64
        public var control: UInt8
        /// The byte offset of its index 1 descriptor (for field pointers).
        public var offset: Int
    }

    /// A span of LBAs with one data form: `hostSends` when the host writes its blocks, `track` the
    /// number of the track whose user data it is (nil for pre-gaps: the blocks are taken and discarded).
    public struct Region: Sendable, Hashable {
        public var lbas: Range<Int64>
        public var hostSends: Bool
        public var track: Int?
    }

    public var tracks: [Track]
    public var regions: [Region]
    /// The lead-out's LBA: the end of the program area.
    public var leadOut: Int64
    /// The byte offset of the lead-out descriptor.
    public var leadOutOffset: Int
    /// The first LBA the host writes (the first region it sends), or nil when it sends nothing.
    public var firstHostLBA: Int64? { regions.first(where: \.hostSends)?.lbas.lowerBound }

    /// The largest cue sheet accepted (feature 002Eh's MAXIMUM CUE SHEET LENGTH): 256 descriptors.
    public static let maximumBytes = 2048
    /// Orange Book minimum track length, 4 s (MMC-6 §6.33.3.19).
    public static let minimumTrackBlocks: Int64 = 300

    static let leadInTNO: UInt8 = 0x00
    static let leadOutTNO: UInt8 = 0xAA
    static let modeOneHost: UInt8 = 0x10
    static let modeOneGenerated: UInt8 = 0x14
    static let audioGenerated: UInt8 = 0x01

    /// INVALID FIELD IN PARAMETER LIST pointing at `byte` (bit 7 unless said).
    static func invalid(_ byte: Int, bit: UInt8 = 7) -> Sense {
        Sense(.illegalRequest, .invalidFieldInParameterList, keySpecific: .fieldPointer(inCDB: false, byte: UInt16(clamping: byte), bit: bit))
    }

    /// The LBA of an absolute time: frames − 150, times from 90:00:00 on being the lead-in's negative
    /// LBAs (MMC-6 §4.2.3.5, ECMA-130 §14: LBA −450150 is 90:00:00).
    static func lba(minute m: UInt8, second s: UInt8, frame f: UInt8) -> Int64 {
        let frames = Int64(m) * 4500 + Int64(s) * 75 + Int64(f)
        return m >= 90 ? frames - 450_150 : frames - 150
    }

    /// Parses the `bytes` SEND CUE SHEET carried.
    ///
    /// - Throws: PARAMETER LIST LENGTH ERROR when the length is not a whole number of descriptors or
    ///   holds fewer than three layout ones; INVALID FIELD IN PARAMETER LIST, pointing at the field, for
    ///   an ADR other than 1-3, a time field out of range (SEC ≥ 60, FRAME ≥ 75), a first descriptor not
    ///   the lead-in, a last not the lead-out, a track number not following the one before (1-99), an
    ///   index not following (index 1 required), a time not after the one before, a track shorter than
    ///   4 s, or a data form not offered.
    public static func parse(_ bytes: [UInt8]) throws(Sense) -> MMCCueSheet {
        guard bytes.count % 8 == 0 else { throw Sense(.illegalRequest, .parameterListLengthError) }
        var entries: [(offset: Int, control: UInt8, tno: UInt8, index: UInt8, form: UInt8, lba: Int64)] = []
        for offset in stride(from: 0, to: bytes.count, by: 8) {
            let adr = bytes[offset] & 0x0F
            guard adr == 1 else {
                guard adr == 2 || adr == 3 else { throw invalid(offset, bit: 3) }
                continue
            }
            guard bytes[offset + 6] < 60 else { throw invalid(offset + 6) }
            guard bytes[offset + 7] < 75 else { throw invalid(offset + 7) }
            let lba = lba(minute: bytes[offset + 5], second: bytes[offset + 6], frame: bytes[offset + 7])
            entries.append((offset, bytes[offset] >> 4, bytes[offset + 1], bytes[offset + 2], bytes[offset + 3], lba))
        }
        guard entries.count >= 3, let leadIn = entries.first, let leadOut = entries.last else {
            throw Sense(.illegalRequest, .parameterListLengthError)
        }
        guard leadIn.tno == leadInTNO, leadIn.index == 0 else { throw invalid(leadIn.offset + 1) }
        guard leadIn.form == modeOneGenerated || leadIn.form == audioGenerated else { throw invalid(leadIn.offset + 3) }
        guard leadOut.tno == leadOutTNO, leadOut.index == 1 else { throw invalid(leadOut.offset + 1) }
        guard leadOut.form == modeOneGenerated || leadOut.form == audioGenerated else { throw invalid(leadOut.offset + 3) }

        guard entries.firstIndex(where: { $0.tno == leadOutTNO }) == entries.count - 1 else { throw invalid(leadOut.offset + 1) }

        var tracks: [Track] = []
        var hasIndexOne = true
        var previous = leadIn
        for e in entries.dropFirst() {
            guard e.lba > previous.lba || (previous.tno == leadInTNO && e.lba == previous.lba) else { throw invalid(e.offset + 5) }
            if e.tno == leadOutTNO { break }
            guard e.form == modeOneHost || e.form == modeOneGenerated else { throw invalid(e.offset + 3) }
            if e.tno != previous.tno {
                let expected = tracks.last.map { UInt8($0.number + 1) }
                guard e.tno >= 1, e.tno <= 99, e.tno == (expected ?? e.tno) else { throw invalid(e.offset + 1) }
                guard hasIndexOne else { throw invalid(previous.offset + 2) }
                guard e.index <= 1 else { throw invalid(e.offset + 2) }
                tracks.append(Track(number: Int(e.tno), pregapStart: e.lba, start: e.lba, end: e.lba, control: e.control, offset: e.offset))
                hasIndexOne = false
            } else {
                guard e.index == previous.index + 1 else { throw invalid(e.offset + 2) }
            }
            if e.index == 1 {
                tracks[tracks.count - 1].start = e.lba
                tracks[tracks.count - 1].offset = e.offset
                hasIndexOne = true
            }
            previous = e
        }
        guard !tracks.isEmpty, hasIndexOne else { throw invalid(previous.offset + 2) }
        // Each track ends where the next one's first descriptor is; each descriptor's region runs to the next.
        for i in tracks.indices { tracks[i].end = i + 1 < tracks.count ? tracks[i + 1].pregapStart : leadOut.lba }
        if let short = tracks.first(where: { $0.end - $0.start < minimumTrackBlocks }) { throw invalid(short.offset + 5) }
        var regions: [Region] = []
        let layout = Array(entries.dropFirst())
        for (e, next) in zip(layout, layout.dropFirst()) where next.lba > e.lba {
            regions.append(Region(lbas: e.lba..<next.lba, hostSends: e.form == modeOneHost, track: e.index >= 1 ? Int(e.tno) : nil))
        }
        return MMCCueSheet(tracks: tracks, regions: regions, leadOut: leadOut.lba, leadOutOffset: leadOut.offset)
    }
}
