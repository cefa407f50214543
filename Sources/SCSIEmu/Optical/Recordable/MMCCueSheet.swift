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
/// ADR 1 descriptors give the layout, in time order (each time after the one before, or equal: an index 0
/// at its track's index 1 is an empty pre-gap, as wodim sends it): the lead-in (TNO 00h, INDEX 00h), each
/// track's index 0 (pre-gap, optional) and index 1 (its first user block) and further indices, then the
/// lead-out (TNO AAh, INDEX 01h). ADR 2 (media catalog number) and ADR 3 (ISRC) descriptor pairs carry
/// the codes the Q sub-channel repeats (`MMCCueSheet+Codes`).
///
/// DATA FORM of the main channel (MMC-6 §6.33.3.11-13, tables 551-553), the forms this drive records:
///
/// | form | track | the host sends a block of | the drive writes |
/// |---|---|---|---|
/// | 00h | CD-DA | 2352 bytes (audio samples) | them |
/// | 01h | CD-DA | nothing | digital silence (a pause, e.g. a pre-gap) |
/// | 10h | Mode 1 | 2048 bytes of user data | sync, header, EDC/ECC around them |
/// | 14h | Mode 1 | nothing | a block of zeros |
///
/// A form's kind follows the CTL data bit (CTL bit 2 = DATA FORM ≥ 10h). The other forms (raw 2352-byte
/// Mode 1 11h-13h, Mode 2 2xh/3xh) and a sub-channel form (bits 7-6 ≠ 00b: 96 more bytes a block, or
/// CD-TEXT in the lead-in) are not offered: INVALID FIELD IN PARAMETER LIST at the DATA FORM byte.
public struct MMCCueSheet: Sendable, Hashable {
    /// One track of the session: its pre-gap (if any), its user blocks `start..<end`, and its form.
    public struct Track: Sendable, Hashable {
        public var number: Int
        /// Index 0's LBA, or `start` when the track has no pre-gap descriptor.
        public var pregapStart: Int64
        /// Index 1's LBA.
        public var start: Int64
        /// The next track's first LBA (its pre-gap), or the lead-out's.
        public var end: Int64
        public var control: UInt8
        /// The byte offset of its index 1 descriptor (for field pointers).
        public var offset: Int
        /// A CD-DA track (CTL bit 2 clear).
        public var audio: Bool = false
        /// Its ISRC (ADR 3 pair), 12 ASCII characters.
        public var isrc: String? = nil
    }

    /// A DATA FORM this drive records (the table above).
    public enum Form: UInt8, Sendable, Hashable {
        case audio = 0x00, audioGenerated = 0x01, modeOne = 0x10, modeOneGenerated = 0x14

        /// The bytes the host sends for a block: 0 when the drive generates it.
        public var hostBytes: Int {
            switch self {
            case .audio: 2352
            case .modeOne: 2048
            case .audioGenerated, .modeOneGenerated: 0
            }
        }

        public var isAudio: Bool { self == .audio || self == .audioGenerated }
    }

    /// A span of LBAs with one data form; `track` is the number of the track it belongs to (its pre-gap
    /// included). `hostSends` when the host writes its blocks.
    public struct Region: Sendable, Hashable {
        public var lbas: Range<Int64>
        public var form: Form
        public var track: Int
        public var hostSends: Bool { form.hostBytes > 0 }
    }

    public var tracks: [Track]
    public var regions: [Region]
    /// The lead-out's LBA: the end of the program area.
    public var leadOut: Int64
    /// The byte offset of the lead-out descriptor.
    public var leadOutOffset: Int
    /// The media catalog number (ADR 2 pair), 13 ASCII digits.
    public var catalog: String? = nil
    /// The first LBA the host writes (the first region it sends), or nil when it sends nothing.
    public var firstHostLBA: Int64? { regions.first(where: \.hostSends)?.lbas.lowerBound }

    /// The largest cue sheet accepted (feature 002Eh's MAXIMUM CUE SHEET LENGTH): 256 descriptors.
    public static let maximumBytes = 2048
    /// Orange Book minimum track length, 4 s (MMC-6 §6.33.3.19).
    public static let minimumTrackBlocks: Int64 = 300

    static let leadInTNO: UInt8 = 0x00
    static let leadOutTNO: UInt8 = 0xAA

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

    /// One ADR 1 descriptor.
    struct Entry {
        var offset: Int, control: UInt8, tno: UInt8, index: UInt8, form: UInt8, lba: Int64
        var isData: Bool { control & 0x04 != 0 }
    }

    /// Parses the `bytes` SEND CUE SHEET carried.
    ///
    /// - Throws: PARAMETER LIST LENGTH ERROR when the length is not a whole number of descriptors or
    ///   holds fewer than three layout ones; INVALID FIELD IN PARAMETER LIST, pointing at the field, for
    ///   an ADR other than 1-3, a time field out of range (SEC ≥ 60, FRAME ≥ 75), a first descriptor not
    ///   the lead-in, a last not the lead-out, a track number not following the one before (1-99), an
    ///   index not following (index 1 required), a time before the one before, a track shorter than 4 s,
    ///   a data form not offered or not of the CTL's kind (audio/data), a CTL data bit changing inside a
    ///   track; and the catalog/ISRC refusals of `Codes`.
    public static func parse(_ bytes: [UInt8]) throws(Sense) -> MMCCueSheet {
        guard bytes.count % 8 == 0 else { throw Sense(.illegalRequest, .parameterListLengthError) }
        var entries: [Entry] = []
        var codes = Codes()
        for offset in stride(from: 0, to: bytes.count, by: 8) {
            let adr = bytes[offset] & 0x0F
            guard adr == 1 else {
                guard adr == 2 || adr == 3 else { throw invalid(offset, bit: 3) }
                try codes.take(bytes, offset, layoutEntriesBefore: entries.count)
                continue
            }
            guard bytes[offset + 6] < 60 else { throw invalid(offset + 6) }
            guard bytes[offset + 7] < 75 else { throw invalid(offset + 7) }
            let lba = lba(minute: bytes[offset + 5], second: bytes[offset + 6], frame: bytes[offset + 7])
            entries.append(Entry(
                offset: offset, control: bytes[offset] >> 4, tno: bytes[offset + 1], index: bytes[offset + 2],
                form: bytes[offset + 3], lba: lba))
        }
        guard entries.count >= 3, let leadIn = entries.first, let leadOut = entries.last else {
            throw Sense(.illegalRequest, .parameterListLengthError)
        }
        try codes.finish()
        guard leadIn.tno == leadInTNO, leadIn.index == 0 else { throw invalid(leadIn.offset + 1) }
        try checkGenerated(leadIn)
        guard leadOut.tno == leadOutTNO, leadOut.index == 1 else { throw invalid(leadOut.offset + 1) }
        try checkGenerated(leadOut)
        guard entries.firstIndex(where: { $0.tno == leadOutTNO }) == entries.count - 1 else { throw invalid(leadOut.offset + 1) }

        var tracks: [Track] = []
        var forms: [Form] = []
        var hasIndexOne = true
        var previous = leadIn
        for e in entries.dropFirst() {
            let zeroPregap = e.tno == previous.tno && previous.index == 0 && e.index == 1
            guard e.lba > previous.lba || (e.lba == previous.lba && (previous.tno == leadInTNO || zeroPregap)) else {
                throw invalid(e.offset + 5)
            }
            if e.tno == leadOutTNO { break }
            guard let form = Form(rawValue: e.form), form.isAudio != e.isData else { throw invalid(e.offset + 3) }
            forms.append(form)
            if e.tno != previous.tno {
                let expected = tracks.last.map { UInt8($0.number + 1) }
                guard e.tno >= 1, e.tno <= 99, e.tno == (expected ?? e.tno) else { throw invalid(e.offset + 1) }
                guard hasIndexOne else { throw invalid(previous.offset + 2) }
                guard e.index <= 1 else { throw invalid(e.offset + 2) }
                tracks.append(Track(
                    number: Int(e.tno), pregapStart: e.lba, start: e.lba, end: e.lba, control: e.control, offset: e.offset,
                    audio: !e.isData))
                hasIndexOne = false
            } else {
                guard e.index == previous.index + 1 else { throw invalid(e.offset + 2) }
                guard e.isData == previous.isData else { throw invalid(e.offset, bit: 6) }
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
        for (k, (e, next)) in zip(layout, layout.dropFirst()).enumerated() where next.lba > e.lba {
            regions.append(Region(lbas: e.lba..<next.lba, form: forms[k], track: Int(e.tno)))
        }
        var sheet = MMCCueSheet(tracks: tracks, regions: regions, leadOut: leadOut.lba, leadOutOffset: leadOut.offset)
        try codes.apply(to: &sheet, entries: entries)
        return sheet
    }

    /// The lead-in and lead-out: a form the drive generates (01h after audio, 14h after data), no sub-channel
    /// data (CD-TEXT in the lead-in, 41h, is not offered).
    static func checkGenerated(_ e: Entry) throws(Sense) {
        guard e.form == Form.audioGenerated.rawValue || e.form == Form.modeOneGenerated.rawValue else { throw invalid(e.offset + 3) }
    }
}
