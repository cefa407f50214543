import Sense

extension MMCCueSheet {
    /// The media catalog number and ISRC descriptors of a cue sheet (MMC-6 §6.33.3.4-6.33.3.5), each a
    /// pair of 8-byte descriptors holding ASCII characters (the Q sub-channel later carries them in BCD
    /// and 6-bit codes, ECMA-130 §22.3.4):
    ///
    ///     ADR 2 (catalog), before the lead-in:   0 CTL|02h | 1-7 N1…N7          then  0 CTL|02h | 1-6 N8…N13 | 7 00h
    ///     ADR 3 (ISRC), before its track's first descriptor:
    ///                                            0 CTL|03h | 1 TNO | 2-7 I1…I6  then  0 CTL|03h | 1 TNO | 2-7 I7…I12
    ///
    /// N1…N13 are digits; I1…I5 digits or capital letters (country code, owner), I6…I12 digits (year,
    /// serial). Refused with INVALID FIELD IN PARAMETER LIST: a character out of its set (at its byte), a
    /// catalog pair after the lead-in or given twice, half a pair (at its ADR field, byte 0 bit 3), an
    /// ISRC pair whose TNOs differ or that does not come right before its track (at the TNO).
    struct Codes {
        var catalog: String?
        var isrcs: [(tno: UInt8, offset: Int, before: Int, text: String)] = []
        /// The first half of a pair: its descriptor's offset, the layout descriptors before it, its characters.
        var pending: (adr: UInt8, offset: Int, before: Int, chars: [UInt8])?

        static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        static func isDigitOrCapital(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x41 && c <= 0x5A) }

        /// Checks `bytes[range]` against `allowed` (each character's byte offset given to it).
        static func check(_ bytes: [UInt8], _ range: Range<Int>, _ allowed: (Int, UInt8) -> Bool) throws(Sense) {
            for i in range where !allowed(i, bytes[i]) { throw MMCCueSheet.invalid(i) }
        }

        /// Takes the ADR 2 or 3 descriptor at `offset`, `before` layout descriptors having come ahead of it.
        mutating func take(_ bytes: [UInt8], _ offset: Int, layoutEntriesBefore before: Int) throws(Sense) {
            let adr = bytes[offset] & 0x0F
            guard let first = pending else {
                if adr == 2 {
                    guard before == 0, catalog == nil else { throw MMCCueSheet.invalid(offset, bit: 3) }
                    try Self.check(bytes, offset + 1..<offset + 8) { _, c in Self.isDigit(c) }
                    pending = (2, offset, before, Array(bytes[offset + 1..<offset + 8]))
                } else {
                    guard (1...99).contains(bytes[offset + 1]) else { throw MMCCueSheet.invalid(offset + 1) }
                    try Self.check(bytes, offset + 2..<offset + 8) { i, c in i == offset + 7 ? Self.isDigit(c) : Self.isDigitOrCapital(c) }
                    pending = (3, offset, before, Array(bytes[offset + 2..<offset + 8]))
                }
                return
            }
            guard first.adr == adr, first.before == before else { throw MMCCueSheet.invalid(offset, bit: 3) }
            pending = nil
            if adr == 2 {
                try Self.check(bytes, offset + 1..<offset + 7) { _, c in Self.isDigit(c) }
                guard bytes[offset + 7] == 0 else { throw MMCCueSheet.invalid(offset + 7) }
                catalog = String(decoding: first.chars + bytes[offset + 1..<offset + 7], as: UTF8.self)
            } else {
                guard bytes[offset + 1] == bytes[first.offset + 1] else { throw MMCCueSheet.invalid(offset + 1) }
                try Self.check(bytes, offset + 2..<offset + 8) { _, c in Self.isDigit(c) }
                let text = String(decoding: first.chars + bytes[offset + 2..<offset + 8], as: UTF8.self)
                isrcs.append((bytes[offset + 1], first.offset, before, text))
            }
        }

        /// Every pair whole.
        func finish() throws(Sense) {
            if let half = pending { throw MMCCueSheet.invalid(half.offset, bit: 3) }
        }

        /// Each ISRC onto its track (the descriptor right after the pair must be the track's first), the
        /// catalog onto the sheet.
        func apply(to sheet: inout MMCCueSheet, entries: [Entry]) throws(Sense) {
            sheet.catalog = catalog
            for code in isrcs {
                let p = code.before
                guard p < entries.count, entries[p].tno == code.tno, entries[p - 1].tno != code.tno,
                    let t = sheet.tracks.firstIndex(where: { $0.number == Int(code.tno) })
                else { throw MMCCueSheet.invalid(code.offset + 1) }
                sheet.tracks[t].isrc = code.text
            }
        }
    }
}
